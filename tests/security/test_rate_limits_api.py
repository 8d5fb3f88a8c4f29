"""Order and issue creation are rate limited per account, in the API (DRF's throttles,
alliance.core.ratelimit.CreateRateThrottle) and the portal (alliance.core.ratelimit.ratelimit_view)."""

import pytest
from rest_framework.test import APIClient


@pytest.mark.parametrize(
    ("scope", "url", "body"),
    [
        ("order", "/api/v1/orders/", {"text": "上门理发"}),
        ("issue", "/api/v1/issues/", {"title": "路灯不亮", "text": "3号楼前路灯坏了一周。"}),
    ],
)
def test_order_and_issue_creation_are_rate_limited_per_account(settings, resident, scope, url, body):
    settings.RATE_LIMITS = {scope: "2/h"}
    api = APIClient()
    api.force_authenticate(resident)

    for _ in range(2):
        api.post(url, body, format="json")
    response = api.post(url, body, format="json")

    assert response.status_code == 429
    assert response.json() == {"detail": "操作过于频繁，请稍后再试。"}
    assert 0 < int(response["Retry-After"]) <= 3600
    # Reading is not limited.
    assert api.get(url).status_code == 200


def test_the_portal_order_and_issue_forms_are_rate_limited_too(settings, client, resident):
    settings.RATE_LIMITS = {"order": "1/h", "issue": "1/h"}
    client.force_login(resident)

    client.post("/services/order/", {"text": "上门理发"})
    order = client.post("/services/order/", {"text": "上门理发"})
    client.post("/services/issues/new/", {"title": "路灯不亮", "text": "3号楼前路灯坏了。"})
    issue = client.post("/services/issues/new/", {"title": "路灯不亮", "text": "3号楼前路灯坏了。"})

    assert order.status_code == 429 and "操作过于频繁" in order.content.decode()
    assert issue.status_code == 429
