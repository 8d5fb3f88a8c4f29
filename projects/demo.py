"""Demo data of the projects app."""


def seed(*, stdout) -> None:
    """Filled in by the projects work."""
