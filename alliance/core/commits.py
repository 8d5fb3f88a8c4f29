"""Commits that do not wait for the disk, for jobs that a later run redoes from the rows' state.

A sweep (reminders, escalations) and a fan-out batch commit many small transactions, each of which waits until
its WAL has reached the disk (PostgreSQL's ``synchronous_commit``, on by default). On a machine whose disk takes a
millisecond or more to flush, that wait is most of a reminder's time, and two worker processes queue on the one
WAL flush instead of sharing the CPU (the jobs bench's reminder sweep: half of its backends' samples waiting on
``WALSync``).

Inside ``commits_not_awaited`` a commit returns once its WAL is written, and the WAL writer flushes it within a
fraction of a second (three ``wal_writer_delay``, 0.6 s by default). Nothing is ever half written: should the
database server itself crash within that moment, the last transactions are lost whole, as if they had not run.
Only work that is found again and redone once is put inside: a sweep selects by state (an order still submitted,
an issue still overdue) and notifies through the unique (recipient, key), so the next run sends what was lost, and
only that. One thing can come twice: an SMS, e-mail or WeChat message whose delivery was sent in that moment (the
rows are seen by other sessions at once, before the flush) goes out again with the row the next run writes. A crash
of the worker or of the web process loses nothing more than before; only the database server's own crash is
concerned.
"""

import contextlib

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


@contextlib.contextmanager
def commits_not_awaited(using: str = DEFAULT_DB_ALIAS):
    """Within the block this connection's commits do not wait for the WAL flush; as before once it is left."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        # Should the block leave an enclosing transaction aborted, the RESET fails there, and the transaction's
        # rollback undoes the SET as well.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
