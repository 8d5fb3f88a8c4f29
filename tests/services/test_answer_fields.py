"""Answers and write bodies whose fields are built once and shared (alliance.core.api_fields.FieldsBuiltOnce,
issue 19: writes under load) still answer each request as its own: the booker's own name in full and masked for
anyone else, whichever serializer of the class was made or used last, and in threads side by side; a body read
after another keeps its own values and errors.
"""

import threading

import pytest
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from alliance.core.privacy import mask_name
from services.models import OrderEvent
from services.serializers import BookingSerializer, IssueCreateSerializer, OrderDetailSerializer
from tests.members.factories import ResidentFactory
from tests.services.factories import BookingFactory, OrderFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = APIRequestFactory().get("/api/v1/bookings/")
    request.user = user
    force_authenticate(request, user)
    return request


def test_each_serializer_answers_for_its_own_request_whatever_was_made_after_it(community):
    booker = ResidentFactory(grid_node=community, display_name="王秀英")
    other = ResidentFactory(grid_node=community)
    booking = BookingFactory(booked_by=booker)
    mine = BookingSerializer(booking, context={"request": _request(booker)})
    theirs = BookingSerializer(booking, context={"request": _request(other)})
    assert theirs.data["booked_by_name"] == mask_name("王秀英") != "王秀英"
    assert mine.data["booked_by_name"] == "王秀英"  # made first, answered after the other one
    many = BookingSerializer([booking, booking], many=True, context={"request": _request(other)})
    assert [row["booked_by_name"] for row in many.data] == [mask_name("王秀英")] * 2
    assert BookingSerializer(booking, context={"request": _request(booker)}).data["booked_by_name"] == "王秀英"


def test_a_nested_timeline_answers_for_the_request_of_its_order(community):
    resident = ResidentFactory(grid_node=community, phone="13800001234")
    neighbour = ResidentFactory(grid_node=community)
    order = OrderFactory(resident=resident, grid_node=community, contact_phone="13800001234")
    order.record_timeline(OrderEvent.Kind.SUBMITTED, by=resident, at=timezone.now())
    own = OrderDetailSerializer(order, context={"request": _request(resident)}).data
    seen = OrderDetailSerializer(order, context={"request": _request(neighbour)}).data
    assert own["contact_phone"] == "13800001234" and seen["contact_phone"] != "13800001234"
    assert [e["kind"] for e in own["events"]] == [e["kind"] for e in seen["events"]] == ["submitted"]


@pytest.mark.django_db(transaction=True)
def test_threads_side_by_side_each_answer_their_own_viewer(community):
    booker = ResidentFactory(grid_node=community, display_name="李建国")
    other = ResidentFactory(grid_node=community)
    booking = BookingFactory(booked_by=booker)
    wrong: list = []
    start = threading.Barrier(2)

    def answer(user, expected):
        start.wait()
        for _ in range(300):
            name = BookingSerializer(booking, context={"request": _request(user)}).data["booked_by_name"]
            if name != expected:
                wrong.append(name)

    threads = [
        threading.Thread(target=answer, args=(booker, "李建国")),
        threading.Thread(target=answer, args=(other, mask_name("李建国"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_write_bodies_share_their_fields_and_each_keeps_its_own_values_and_errors():
    bad = IssueCreateSerializer(data={"title": "", "text": "楼道灯不亮", "channel": "传真"})
    good = IssueCreateSerializer(data={"title": "楼道灯不亮", "text": "三单元二楼的灯坏了一周。", "location": "3号楼"})
    assert bad.fields["title"] is good.fields["title"]  # built once for the class (and thread)
    assert good.is_valid(), good.errors
    assert not bad.is_valid()
    assert set(bad.errors) == {"title", "channel"}
    assert good.errors == {}
    assert (good.validated_data["title"], good.validated_data["location"]) == ("楼道灯不亮", "3号楼")
    # Read again after the bad one, a body is its own.
    again = IssueCreateSerializer(data={"title": "井盖松动", "text": "小区门口井盖松动。"})
    assert again.is_valid(), again.errors
    assert (again.validated_data["title"], again.validated_data.get("location", "")) == ("井盖松动", "")
    assert bad.fields["title"].parent is again  # the fields belong to the body last read
