"""``python -m tests.bench [web|matching|jobs] [options]``: every benchmark by default, or the one named.

Each prints its own report (tests/bench/report.py); the exit status is 1 when any target was missed.
"""

import sys

PARTS = ("web", "matching", "jobs")
what = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in PARTS else "all"
rest = sys.argv[2:] if what != "all" else sys.argv[1:]
status = 0
if what in {"web", "all"}:
    from tests.bench import web

    status |= web.main(rest)
if what in {"matching", "all"}:
    from tests.bench import matching

    status |= matching.main(rest if what == "matching" else [])
if what in {"jobs", "all"}:
    from tests.bench import jobs

    status |= jobs.main(rest if what == "jobs" else [])
sys.exit(status)
