"""PostgreSQL restarted under a running site: the site answers again by itself (no restart of gunicorn).

The server restarted is a private cluster this test starts itself (initdb in a temporary directory, its own
port; tests/faults/conftest.py PrivatePostgres), holding a copy of the test database: the machine's shared
PostgreSQL is never touched.
"""

import pytest
from django.db import connection

from tests.faults.conftest import wait_until
from tests.grids.factories import CommunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_site_answers_again_after_postgresql_restarts(private_postgres, web_factory, street):
    CommunityFactory(parent=street, name="舜耕社区")
    # The site runs on the private cluster: a copy of the test database with the rows committed above.
    database_url = private_postgres.copy_database(connection.settings_dict, "site")
    web = web_factory(redis_url="", database_url=database_url)
    # Warm up: the gunicorn worker now holds a persistent database connection (CONN_MAX_AGE).
    assert web.request(f"/grid/{street.pk}/")[0] == 200
    pid = web.process.pid

    private_postgres.restart()
    wait_until(private_postgres.ready, timeout=30, interval=0.2, what="PostgreSQL to accept connections")

    status, body = web.request(f"/grid/{street.pk}/")
    assert status == 200, f"{status}: {str(body)[:500]}\n{web.log()}\n{private_postgres.log()}"
    assert "舜耕社区" in body
    # The same gunicorn, never restarted; and its old connection really was cut by the restart.
    assert web.process.poll() is None and web.process.pid == pid
    assert "terminating connection due to administrator command" in private_postgres.log()
