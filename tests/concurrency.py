"""Races in tests: calls started together, each on its own database connection (tests marked
``django_db(transaction=True)``, so each thread sees what the others committed)."""

import threading

from django.db import connections

from alliance.core.errors import Conflict


def all_at_once(calls) -> list[str]:
    """Runs every call in its own thread, released together: their outcomes, "ok" or the Conflict's message
    (any other error is named, so the test fails on it)."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except Conflict as exc:
            outcome = exc.message
        except Exception as exc:  # noqa: BLE001 - any other error fails the test
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
