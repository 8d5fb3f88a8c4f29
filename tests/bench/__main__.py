"""``python -m tests.bench [web|matching] [options]``: both benchmarks by default, or the one named."""

import sys

what = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in {"web", "matching"} else "all"
rest = sys.argv[2:] if what != "all" else sys.argv[1:]
if what in {"web", "all"}:
    from tests.bench import web

    web.main(rest)
if what in {"matching", "all"}:
    from tests.bench.matching import main

    main()
