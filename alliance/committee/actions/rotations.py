"""The chair rotation of a committee: one period per unit holding a seat."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.committee.actions._common import current_seats, require_manager
from alliance.committee.models import ChairRotation, Committee
from alliance.core import cache
from alliance.core.transitions import lock


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def generate_rotation(*, by, committee: Committee, starts_on: datetime.date, months: int) -> list[ChairRotation]:
    """One period of ``months`` for each unit holding a seat, in seat order, from ``starts_on``.

    Periods already planned from ``starts_on`` on are replaced; earlier ones are history and stay.
    """
    require_manager(by, committee)
    if not isinstance(months, int) or months < 1:
        raise ValidationError({"months": _("轮值周期至少 1 个月。")})
    lock(committee)  # one generation at a time per committee
    unit_ids = []
    for unit_id in (
        current_seats(committee, starts_on)
        .exclude(unit=None)
        .order_by("role", "sort_order", "id")
        .values_list("unit_id", flat=True)
    ):
        if unit_id not in unit_ids:
            unit_ids.append(unit_id)
    if not unit_ids:
        raise ValidationError(_("该委员会还没有带单位的委员，无法生成轮值。"))
    ChairRotation.objects.filter(committee=committee, starts_on__gte=starts_on).delete()
    rotations = []
    start = starts_on
    for unit_id in unit_ids:
        end = add_months(start, months) - datetime.timedelta(days=1)
        rotations.append(ChairRotation(committee=committee, unit_id=unit_id, starts_on=start, ends_on=end))
        start = end + datetime.timedelta(days=1)
    created = ChairRotation.objects.bulk_create(rotations)
    cache.changed("committee")  # bulk_create sends no signal: the cached committee pages learn it here
    return created
