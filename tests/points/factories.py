import datetime

import factory
from django.contrib.contenttypes.models import ContentType

from alliance.points.models import PointsEntry, PointsKind
from members.models import PartyMember


class PointsEntryFactory(factory.django.DjangoModelFactory):
    """A member's entry; its source is the member itself with a sequence id (tests only)."""

    class Meta:
        model = PointsEntry

    member = None
    unit = None
    grid_node = factory.LazyAttribute(lambda o: o.member.community if o.member else o.unit.grid_node)
    street = factory.LazyAttribute(lambda o: o.grid_node.street or o.grid_node)
    kind = PointsKind.ACTIVITY_CHECKIN
    points = 2
    reason = "测试积分"
    source_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(PartyMember))
    source_id = factory.Sequence(lambda n: 100000 + n)
    occurred_on = datetime.date(2026, 3, 15)
