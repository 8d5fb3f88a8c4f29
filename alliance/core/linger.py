"""The web process hands receivers to the worker in batches: a short linger, as a Kafka producer's ``linger.ms``.

A receiver declared ``in_worker`` (the dispatch of a new order, issue or claim: alliance.core.events) used to
publish one Celery message per write, on the request's own time: about 0.7 ms of an order's 8 (Celery builds the
message's headers and options in Python, then one round trip to Redis), the largest part of a write that the bare
insert of the write ceiling does not pay (issue 19). In the web process the call is kept instead, and a thread of
the process publishes what was kept every ``DISPATCH_LINGER_SECONDS`` (0.1 s) as one ``core.run_receivers``
message: at 100 writes a second in a worker, one publish for about ten writes, and none on any request's time.
The worker runs each call as ``core.run_receiver`` did, each in its own transaction, in the order they came.

What it changes, and how each case stays whole:
- *The delay.* A handler hears of an order at most ``DISPATCH_LINGER_SECONDS`` later than before.
- *The broker is down* when the thread publishes: the breaker opens (alliance.core.enqueue) and the thread runs
  the calls itself, as a request did when it could not publish; a write made while the breaker is open runs its
  receivers in the request, as before.
- *The process stops.* What is kept is published when it exits normally (``atexit``: gunicorn's graceful stop,
  a restart after ``--max-requests``). Only a process killed outright (SIGKILL) loses the calls of its last
  ``DISPATCH_LINGER_SECONDS``, as one killed between a commit and its publish lost that one call before. The
  rows themselves are saved, and the sweeps that read the database reach them (unaccepted orders reminded,
  overdue issues escalated, stale claims reminded).

Only the web process lingers (``alliance.wsgi`` turns it on): the worker, beat, management commands and the
tests publish each call at once, as before.
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections

from alliance.core import enqueue

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 0.1
TASK = "core.run_receivers"


def seconds() -> float:
    return float(getattr(settings, "DISPATCH_LINGER_SECONDS", DEFAULT_SECONDS))


class Linger:
    """Calls kept in this process until its thread publishes them together (``flush``)."""

    def __init__(self, delay: float):
        self.delay = delay
        self.calls: list[tuple] = []
        self.lock = threading.Lock()
        self.kept = threading.Event()  # set while ``calls`` holds something
        self.pid: int | None = None  # the process whose thread runs (a forked child starts its own)

    def keep(self, call: tuple) -> None:
        with self.lock:
            if self.pid != os.getpid():
                self._start()
            self.calls.append(call)
            self.kept.set()

    def _start(self) -> None:
        self.pid, self.calls = os.getpid(), []  # a forked child does not publish its parent's calls
        self.kept.clear()
        threading.Thread(target=self._run, name="linger", daemon=True).start()
        atexit.register(self.flush)

    def _run(self) -> None:
        while True:
            self.kept.wait()
            time.sleep(self.delay)  # what comes in meanwhile goes in the same message
            try:
                self.flush()
            except Exception:  # the thread must go on: the next batch may well go through
                log.exception("linger: a batch of receivers was not handed on")
            finally:
                connections.close_all()  # this thread's own database connection, when it ran the calls itself

    def take(self) -> list[tuple]:
        """What is kept, now this caller's to send (the list is emptied)."""
        with self.lock:
            calls, self.calls = self.calls, []
            self.kept.clear()
        return calls

    def flush(self) -> int:
        """Publish what is kept as one message; when the broker cannot take it, run the calls here. The count."""
        calls = self.take()
        if not calls:
            return 0
        if enqueue.attempt(TASK, (calls,), "%d receivers run in the web process", len(calls)):
            return len(calls)
        # The broker is down: run them here, as a request did.
        if _run_here is None:
            raise RuntimeError("no receiver runner registered (alliance.core.events)")
        _run_here(calls)
        return len(calls)


# How the calls run in this process when the broker cannot take them: alliance.core.events registers its ``run_all``
# (which imports this module, so this one cannot import it).
_run_here: Callable[[list], int] | None = None


def runs_here(func: Callable[[list], int]) -> Callable[[list], int]:
    """Register ``func(calls)`` as the way kept calls run in this process when the broker is down."""
    global _run_here
    _run_here = func
    return func


_linger: Linger | None = None


def turn_on(delay: float | None = None) -> None:
    """Keep this process's in-worker calls for ``delay`` seconds (``DISPATCH_LINGER_SECONDS``); 0 turns it off."""
    global _linger
    delay = seconds() if delay is None else delay
    if _linger is not None:
        _linger.flush()
    _linger = Linger(delay) if delay > 0 else None


def turn_off() -> None:
    turn_on(0)


def active() -> Linger | None:
    return _linger
