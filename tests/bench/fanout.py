"""Part of the jobs bench (tests/bench/jobs.py PARTS): see issue 19. Filled in by its owner."""

from tests.bench.report import Figure


def run(ctx) -> list[Figure]:
    return []
