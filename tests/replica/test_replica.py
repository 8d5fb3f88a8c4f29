"""The read replica (alliance.core.replica) against a real primary and a streaming replica of it.

Each scenario runs in a Django process configured to the pair (tests/replica/scenarios.py) and reports which
connection ran every statement; the connections themselves are identified by the server they reach
(``inet_server_port()``, ``pg_is_in_recovery()``). The replica is read-only, so a write routed to it would fail
the page; the scenarios also record every alias the router gives for a write.
"""

import pytest

pytestmark = pytest.mark.slow  # a primary and a replica of its own, started once per module

SELECTS = {"SELECT", "WITH"}


def on_replica(page: dict) -> list[str]:
    """The statements a page sent to the replica, its health check (CHECK) left out."""
    return [verb for verb in page["queries"].get("replica", []) if verb != "CHECK"]


def test_routed_reads_go_to_the_replica_and_the_rest_to_the_primary(pair, scenario):
    # Given a replica that is up and current, when the statistics pages, the dashboard and a cache fill run
    result = scenario("routing")

    # (the two aliases reach the two servers)
    assert result["servers"]["default"] == {"port": pair.primary_port, "standby": False}
    assert result["servers"]["replica"] == {"port": pair.replica_port, "standby": True}
    # then their reads are on the replica (the page's own query counts, not only the health check)
    for page in ("figures", "dashboard", "stats_api", "units_cache_fill"):
        assert result[page]["status"] == 200, page
        assert len(on_replica(result[page])) > 1, (page, result[page]["queries"])
        assert set(on_replica(result[page])) <= SELECTS, page
    # the session and the account of the signed-in superuser are read from the primary
    assert result["dashboard"]["queries"]["default"]
    # a list whose rows changed a moment ago is rebuilt from the primary (the replica may not have them yet)
    assert result["units_cache_fill_after_change"]["status"] == 200
    assert on_replica(result["units_cache_fill_after_change"]) == []
    # an ordinary page is not routed at all
    assert result["unrouted_api"]["status"] == 200
    assert "replica" not in result["unrouted_api"]["queries"]
    # through the ORM: outside a block the primary; inside a block the replica; inside a transaction the primary
    assert result["block_alias"] == "replica"
    assert result["block_in_transaction_alias"] is None
    orm = [alias for alias, verb in result["orm"] if verb == "SELECT" and alias == "replica"]  # not CHECK
    assert orm, result["orm"]
    assert all(alias == "default" for alias, verb in result["orm"] if verb in {"INSERT", "UPDATE", "DELETE"})


def test_a_person_who_wrote_reads_from_the_primary_for_the_window_then_from_the_replica(scenario):
    result = scenario("read_your_writes", REPLICA_PIN_SECONDS="2")

    assert on_replica(result["before"])
    # the sign-in (a POST that writes) went through whole, its writes on the primary only, and pins the person
    assert result["login"]["status"] == 302
    assert result["login"]["write_aliases"] == ["default"]
    assert set(on_replica(result["login"])) <= SELECTS
    assert result["login"]["pin_cookie"]
    # right after it, their statistics page reads from the primary
    assert result["right_after"]["status"] == 200
    assert "replica" not in result["right_after"]["queries"]
    # once the window has passed, from the replica again
    assert on_replica(result["later"])
    # a GET that writes through an action pins too, and reads after the write in the same request stay on the primary
    assert result["writing_get"] == {"read_from": "primary", "pin_cookie": True}
    assert result["reading_get_pin_cookie"] is False


def test_a_routed_read_really_reads_the_replica(pair, scenario):
    # Given replay paused on the replica (and a bound generous enough to keep using it)
    pair.pause_replay()
    try:
        result = scenario("stale_on_replica", REPLICA_MAX_LAG="3600")
    finally:
        pair.resume_replay()

    # a row just written on the primary is there, but not on the replica the routed read used
    assert result["alias"] == "replica"
    assert result["primary_sees_it"] is True
    assert result["routed_sees_it"] is False


def test_a_lagging_replica_is_left_for_the_primary(pair, scenario):
    # Given replay paused and the primary writing on until the replica is more than the bound (1 s) behind
    pair.pause_replay()
    try:
        result = scenario("lagging", REPLICA_MAX_LAG="1")
    finally:
        pair.resume_replay()

    assert result["state"] == "lagging"
    assert result["alias"] is None
    assert result["routed_sees_new_row"] is True
    assert result["figures"]["status"] == 200
    assert on_replica(result["figures"]) == []  # the lag checks, nothing more
    assert result["health"]["replica"] == "lagging"


def test_a_replica_dying_mid_request_is_read_again_from_the_primary(pair, scenario):
    try:
        result = scenario("dies_mid_request")
    finally:
        pair.start_replica()

    assert result["killed_at"]
    assert result["status"] == 200
    assert result["state"] == "down"
    assert result["queries"]["default"]


def test_a_stopped_replica_is_left_for_the_primary(pair, scenario):
    pair.stop_replica()
    try:
        result = scenario("replica_down")
    finally:
        pair.start_replica()

    for page in ("figures", "dashboard"):
        assert result[page]["status"] == 200, page
        assert on_replica(result[page]) == [], result[page]
        assert result[page]["queries"]["default"]
    assert result["health"]["replica"] == "down"
    assert result["health"]["database"] == "ok"
