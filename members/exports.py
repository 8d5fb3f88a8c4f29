"""The Excel export of pairings (alliance.core.exports): each pairing with its term, state, commitments, the
services delivered under it (count, people, hours) and its latest review."""

from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.exports import Column, Export, label, text, when
from members.models import PairingCommitment, PairingReview, PairingService


def _commitments(side: str):
    def get(pairing):
        return "；".join(c.text for c in pairing.commitments.all() if c.side == side)

    return get


def _latest_review(pairing):
    reviews = list(pairing.reviews.all())
    if not reviews:
        return ""
    return gettext("%(year)s年：%(rating)s分，%(summary)s") % {
        "year": reviews[0].year,
        "rating": reviews[0].rating,
        "summary": reviews[0].summary,
    }


PAIRINGS = Export(
    sheet=_("结对共建"),
    slug="pairings",
    columns=[
        text(_("编号"), "id"),
        text(_("甲方（成员单位）"), "unit.name"),
        Column(_("乙方（结对方）"), lambda p: p.partner_name),
        text(_("所属社区"), "grid_node.name"),
        when(_("开始日期"), "starts_on"),
        when(_("结束日期"), "ends_on"),
        label(_("状态"), "status"),
        Column(_("协议书"), lambda p: gettext("已上传") if p.agreement else gettext("未上传")),
        Column(_("甲方承诺"), _commitments("unit")),
        Column(_("乙方承诺"), _commitments("partner")),
        Column(_("服务次数"), lambda p: len(p.deliveries.all())),
        Column(_("服务人数"), lambda p: sum(s.people_served for s in p.deliveries.all())),
        Column(_("服务时长（小时）"), lambda p: float(sum(s.hours for s in p.deliveries.all()))),
        Column(_("最近年度评议"), _latest_review),
        text(_("终止原因"), "termination_reason"),
    ],
    select_related=["unit", "community", "partner_unit", "grid_node"],
    prefetch_related=[
        Prefetch("commitments", queryset=PairingCommitment.objects.order_by("id")),
        Prefetch("deliveries", queryset=PairingService.objects.only("id", "pairing_id", "people_served", "hours")),
        Prefetch("reviews", queryset=PairingReview.objects.order_by("-year")),
    ],
)
