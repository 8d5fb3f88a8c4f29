"""Fuzzing the API with schemathesis against its own OpenAPI schema, in process through the WSGI app.

EVERY operation of /api/schema/ (GET, POST, and whatever else the schema declares) is called as each
of ``ROLES`` with its own API token, on a seeded district (``tests.security.world``) whose records the
path ids are drawn from (the role's own community, the other community, and generated ids), with
schema-conforming data and with data that breaks the schema (schemathesis' positive and negative
modes); then every operation taking a JSON body once more with its free text longer than any column
(each seeded record, each role). Then schemathesis' stateful phase chains operations through the links it infers from the
schema (a created record's id into its detail and transitions). Every answer must not be a 5xx,
must use a status code the operation documents, and must conform to the documented body and
content type.

Varied, not derandomised: each run draws a new seed (``FUZZ_SEED=<n>`` replays one); the seed, the
operations, roles and requests per role are printed. Bounded: ``MAX_EXAMPLES`` cases per operation (each
sent as every role),
``STATEFUL_*`` for the stateful phase, and ``BUDGET_SECONDS`` for the whole; running out of time
FAILS the test, naming the operations not reached, and every (operation, role) must have been called.
"""

import contextlib
import datetime
import itertools
import json
import os
import random
import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from alliance.wsgi import application
from tests.security.world import build_world

ROLES = tuple(
    os.environ.get("FUZZ_ROLES", "anonymous,resident,unit_operator,grid_worker,community_admin,street_admin").split(",")
)
MAX_EXAMPLES = 4  # cases per operation, positive and negative data; each case is sent as every role
STATEFUL_SCENARIOS = 12  # per role
STATEFUL_STEPS = 8  # per scenario
BUDGET_SECONDS = 600  # the whole fuzz (3,100 requests took 212 s on a 2-core machine at load 7); exceeding it fails
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _summary(exc) -> str:
    """The failure kinds, the offending value and the request (method and URL first) of a schemathesis failure."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and "<" not in line]
    curl = [line for line in lines if line.startswith("curl ")]
    url = [part for line in curl for part in line.split() if "http://" in part]
    return (f"[{' '.join(url)}] " if url else "") + " | ".join(lines)[:1500]


class OutOfBudget(Exception):
    pass


def _call(case, headers):
    """Each request in a savepoint, rolled back after a 5xx: a database error in one request must not
    abort the test's transaction and turn every later answer into a 500."""
    savepoint = transaction.savepoint()
    response = case.call(headers=headers)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return response


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


def _ids_by_collection(w) -> dict[str, list[int]]:
    """Ids a detail route of each collection is tried on: the role's community's record and the other's."""
    ids = {prefix: [record.pk] for prefix, record in w.records.items()}
    for prefix, other in {
        "projects": w.other_project,
        "claims": w.other_claim,
        "orders": w.other_order,
        "issues": w.other_issue,
        "units": w.other_unit,
        "grids": w.other_community,
        "projects ": w.fund_project,
    }.items():
        ids.setdefault(prefix.strip(), []).append(other.pk)
    return ids


LONG = "长" * 3000  # longer than any column: a serializer without the column's max length lets it reach PostgreSQL
# Operations whose long strings are known to still reach the database (a DataError, a 500), tolerated and
# printed. Empty: since helpers "write" and "accounts" merged, every serializer takes its column's length
# (before: meetings agenda, projects pledge / expenditures, claims approve / reject, auth/token).
KNOWN_LENGTH_5XX: set[str] = set()
REFERENCES = {"menu_item": "menu", "category": "categories", "signup": "activities", "invitation": "meetings"}


def _resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _long_body(document: dict, schema: dict, ids: dict[str, list[int]]) -> dict:
    """A body that is valid but for its free-text strings, which are all ``LONG``: references name the
    seeded records, dates lie ahead, choices take their first value."""
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    body = {}
    for name, prop in _resolve(document, schema).get("properties", {}).items():
        prop = _resolve(document, prop)
        if prop.get("readOnly"):
            continue
        if "enum" in prop:
            body[name] = next(value for value in prop["enum"] if value not in ("", None))
        elif prop.get("type") == "integer":
            collection = REFERENCES.get(name, f"{name}s")
            body[name] = ids[collection][0] if collection in ids else max(prop.get("minimum", 1), 1)
        elif prop.get("type") == "boolean":
            body[name] = True
        elif prop.get("type") == "string" and prop.get("format") == "date":
            body[name] = tomorrow.isoformat()
        elif prop.get("type") == "string" and prop.get("format") == "date-time":
            body[name] = f"{tomorrow.isoformat()}T{10 + len(body) % 8:02d}:00:00+08:00"
        elif prop.get("type") == "string" and "pattern" in prop:
            body[name] = "10.00"  # the decimals (amounts)
        elif prop.get("type") == "string" and prop.get("format") not in ("binary", "uri", "email"):
            body[name] = LONG
    return body


def _strategies(op, ids: list[int]):
    strategies = [op.as_strategy(GenerationMode.POSITIVE), op.as_strategy(GenerationMode.NEGATIVE)]
    if "{id}" in op.path:
        strategies += [op.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": pk}) for pk in ids]
        strategies += [op.as_strategy(GenerationMode.NEGATIVE, path_parameters={"id": pk}) for pk in ids[:1]]
    return st.one_of(strategies)


@pytest.mark.django_db
def test_every_operation_as_every_role_answers_without_5xx_and_as_documented(settings):
    settings.RATE_LIMITS = {}
    run_seed = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    print(f"\nschemathesis seed: {run_seed} (FUZZ_SEED={run_seed} replays it)")
    w = build_world()
    raw = APIClient().get("/api/schema/", {"format": "json"})
    assert raw.status_code == 200
    document = json.loads(raw.content)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application

    headers_of = {
        role: ({"Authorization": f"Token {Token.objects.create(user=w.users[role]).key}"} if w.users[role] else {})
        for role in ROLES
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    if os.environ.get("FUZZ_OPS"):  # while working on a few: FUZZ_OPS="check-in,slots"
        operations = [op for op in operations if any(part in op.path for part in os.environ["FUZZ_OPS"].split(","))]
    ids = _ids_by_collection(w)

    sent: Counter = Counter()  # (role, operation) → requests
    stateful: Counter = Counter()  # role → requests of the stateful phase
    failures: dict[tuple[str, str], str] = {}  # (role, operation) → the first failure
    unreached: list[str] = []
    started = time.monotonic()

    def over_budget():
        if time.monotonic() - started > BUDGET_SECONDS:
            raise OutOfBudget

    def label_of(operation) -> str:
        return f"{operation.method.upper()} {operation.path}"

    def send(case, role, **kwargs):
        """One request as ``role``, its answer checked; a failure is kept (the first per role and operation)
        and the fuzzing goes on, so one run reports every operation that fails."""
        label = label_of(case.operation)
        headers = headers_of[role]
        response = _call(case, headers)
        sent[(role, label)] += 1
        if response.status_code >= 500:
            sent["5xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
            failures.setdefault((role, label), _summary(exc))
        return response

    def fuzz(operation):
        """MAX_EXAMPLES cases of ``operation`` (positive and negative data), each sent as every role."""

        @seed(run_seed)
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategies(operation, ids.get(operation.path.split("/")[3], [])))
        def call(case):
            for role in ROLES:
                over_budget()
                send(case, role)

        call()

    with connections_kept_open():
        for operation in operations:
            try:
                fuzz(operation)
            except OutOfBudget:
                unreached.append(label_of(operation))

        # Long strings: every operation taking a JSON body, once with its free text longer than any column.
        long_5xx = []
        for operation in operations:
            content = (operation.definition.raw.get("requestBody") or {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _long_body(document, content["application/json"]["schema"], ids)
            if LONG not in body.values():
                continue
            targets = ids.get(operation.path.split("/")[3], [0]) if "{id}" in operation.path else [None]
            for pk, role in itertools.product(targets, ROLES):
                over_budget()
                path_parameters = {"id": pk} if pk is not None else {}
                case = operation.Case(path_parameters=path_parameters, body=body, media_type="application/json")
                label = label_of(operation)
                if label in KNOWN_LENGTH_5XX:
                    response = _call(case, headers_of[role])
                    sent[(role, label)] += 1
                    if response.status_code >= 500:
                        long_5xx.append(f"{role}: {label}")
                    continue
                send(case, role)
        fuzz_elapsed = time.monotonic() - started

        # The stateful phase: sequences along the links schemathesis infers (a list's or a create's ids
        # into details and transitions), as each role.
        state_machine = schema.as_state_machine()
        stateful_operations = set()
        for role in ROLES:

            class Machine(state_machine):
                def call(self, case, role=role, **kwargs):
                    over_budget()
                    stateful[role] += 1
                    stateful_operations.add(label_of(case.operation))
                    return send(case, role)

                def validate_response(self, response, case, additional_checks=None, **kwargs):
                    pass  # checked in send()

            try:
                Machine.run(
                    settings=hypothesis_settings(
                        max_examples=STATEFUL_SCENARIOS,
                        stateful_step_count=STATEFUL_STEPS,
                        deadline=None,
                        database=None,
                        phases=[Phase.generate],
                        suppress_health_check=list(HealthCheck),
                    )
                )
            except OutOfBudget:
                unreached.append(f"the stateful phase as {role}")

    elapsed = time.monotonic() - started
    server_errors = sent.pop("5xx", 0)
    per_role = Counter()
    for (role, _label), n in sent.items():
        per_role[role] += n
    print(
        f"schemathesis: {len(operations)} operations × {len(ROLES)} roles, {sum(sent.values())} requests in"
        f" {elapsed:.0f} s (operations {fuzz_elapsed:.0f} s; stateful {elapsed - fuzz_elapsed:.0f} s,"
        f" {sum(stateful.values())} requests reaching {len(stateful_operations)} operations)"
    )
    for role in ROLES:
        print(f"  {role}: {per_role[role]} requests ({stateful[role]} stateful)")
    print(f"  5xx answers: {server_errors}")
    if long_5xx:
        print(f"  KNOWN: long strings still a 5xx at {', '.join(sorted(set(long_5xx)))}")

    assert not unreached, f"the budget of {BUDGET_SECONDS} s ran out before: " + ", ".join(unreached)
    missing = [f"{role}: {label_of(op)}" for role in ROLES for op in operations if not sent[(role, label_of(op))]]
    assert not missing, "operations never called: " + ", ".join(missing)
    assert not failures, "\n".join(f"{role}: {label}: {failure}" for (role, label), failure in sorted(failures.items()))
