"""Fuzzing the API with schemathesis against its own OpenAPI schema, in process through the WSGI app.

Every GET operation of /api/schema/ is called with generated path and query parameters (detail
routes half the time on a real record, so serializers run on real rows), anonymously and with the
tokens of a resident and a community admin. Each response must not be a 5xx and must conform to
the schema (body shape and content type). Bounded: ``MAX_EXAMPLES`` per operation and identity,
no shrinking phase, and a wall-clock budget; the number of requests sent is printed.
"""

import contextlib
import json
import time

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from alliance.wsgi import application
from tests.security.world import build_world

MAX_EXAMPLES = 6
BUDGET_SECONDS = 60
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _drop_time_formats(node) -> None:
    """DRF writes times as "08:00:00"; JSON Schema's "time" format wants RFC 3339 with an offset.
    The schema's format is right for OpenAPI readers; only the strict validator objects."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            del node["format"]
        for value in node.values():
            _drop_time_formats(value)
    elif isinstance(node, list):
        for value in node:
            _drop_time_formats(value)


def _summary(exc) -> str:
    """The failure kinds, the offending value and the curl line of a schemathesis failure."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and "<" not in line]
    return " | ".join(lines)[:900]


def _runner(strategies, headers, sent):
    """A Hypothesis test calling the app with the cases of ``strategies`` as ``who``."""

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def call(case):
        response = case.call(headers=headers)
        sent["n"] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    return call


@contextlib.contextmanager
def connections_kept_open():
    """The WSGI handler closes "old" connections around each request, which would end the test's
    transaction; Django's test client switches that off the same way (and switches it back on
    after each of its own requests, so no test client may be used inside this block)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_get_operations_answer_without_5xx_and_conform_to_the_schema(settings):
    settings.RATE_LIMITS = {}
    w = build_world()
    raw = APIClient().get("/api/schema/", {"format": "json"})
    assert raw.status_code == 200
    document = json.loads(raw.content)
    _drop_time_formats(document)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application

    identities = {
        "anonymous": {},
        "resident": {"Authorization": f"Token {Token.objects.create(user=w.users['resident']).key}"},
        "community_admin": {"Authorization": f"Token {Token.objects.create(user=w.users['community_admin']).key}"},
    }
    operations = [op.ok() for op in schema.get_all_operations()]
    operations = [op for op in operations if op.method.upper() == "GET"]
    assert len(operations) > 40

    sent = {"n": 0}
    failures = []
    started = time.monotonic()

    with connections_kept_open():
        for op in operations:
            prefix = op.path.split("/")[3]
            record = w.records.get(prefix)
            strategies = [op.as_strategy()]
            if "{id}" in op.path and record is not None:
                strategies.append(op.as_strategy(path_parameters={"id": record.pk}))
            for who, headers in identities.items():
                if time.monotonic() - started > BUDGET_SECONDS:
                    break

                call = _runner(strategies, headers, sent)
                try:
                    call()
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
                    failures.append(f"{who}: {op.method.upper()} {op.path}: {_summary(exc)}")

    elapsed = time.monotonic() - started
    print(
        f"schemathesis: {sent['n']} requests to {len(operations)} GET operations × {len(identities)} identities in {elapsed:.0f} s"
    )
    assert failures == [], "\n".join(failures)
