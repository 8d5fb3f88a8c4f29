"""Redis stopped while a unit publishes a resource: the resource is saved and answered; matching waits."""

import pytest
from rest_framework.authtoken.models import Token

from projects.models import Category, Resource

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_resource_published_while_redis_is_down_is_saved_and_answered(private_redis, web_factory, unit_operator):
    category, _ = Category.objects.get_or_create(code="health", defaults={"name": "医疗卫生"})
    token = Token.objects.create(user=unit_operator).key
    web = web_factory(redis_url=private_redis.url)
    private_redis.stop()

    status, body = web.request(
        "/api/v1/resources/", data={"title": "周末义诊", "category": category.pk, "quantity": 30}, token=token
    )

    # The matching job is not enqueued (the nightly run finds the resource), but nothing is lost.
    assert status == 201, f"{status}: {str(body)[:300]}\n{web.log()}"
    assert Resource.objects.filter(title="周末义诊", unit=unit_operator.unit).exists()
