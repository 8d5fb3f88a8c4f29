"""Demo data of the services app."""


def seed(*, stdout) -> None:
    """Filled in by the services work."""
