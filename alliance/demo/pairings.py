"""Demo pairings (结对共建) as agreements, drawn from the seeds: 舜玉路街道 “与省、市、区级共38家单位结对共建，双向
认领服务项目60余个”, each “签订双向服务协议书，通过契约形式固化”. The 38 pairings made by alliance.demo.members get
the two sides' commitments (two each: 60余个 in all, counting those already filled), a few services recorded, a
review of last year, one pairing of two units, and one that ends in 20 days (the reminder job has it to send).
Idempotent: rows are added only where a pairing has none.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from members.models import MemberUnit, Pairing, PairingCommitment, PairingReview, PairingService

UNIT_PROMISES = [
    "向社区开放单位会议室、活动场地，每月不少于2次",
    "组织在职党员到社区报到，参加“双报到”志愿服务",
    "每季度开展一次政策宣讲或法律、金融知识进社区",
    "结合单位专业优势认领社区“微心愿”和服务项目",
]
PARTNER_PROMISES = [
    "为单位职工子女提供假期托管和课后服务",
    "协助单位开展党员教育、主题党日活动",
    "为单位职工提供政策咨询、就业和社保办事帮办",
]
SERVICES = [
    ("“法律明白人”进社区普法讲座", 45, "2.0"),
    ("党员志愿者清扫楼道、清理小广告", 20, "3.0"),
    ("暑期青少年托管课堂", 32, "4.0"),
    ("老年人防范电信诈骗宣讲", 60, "1.5"),
]
# A one-page agreement placeholder (the signed scan is uploaded by staff in the admin).
AGREEMENT_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _log(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def seed(stdout=None):
    today = timezone.localdate()
    pairings = list(
        Pairing.objects.filter(grid_node__street__code="SY", community__isnull=False)
        .select_related("unit", "community")
        .order_by("pk")
    )
    if not pairings:
        return None
    bare = [p for p in pairings if not p.commitments.exists()]
    PairingCommitment.objects.bulk_create(
        [
            PairingCommitment(pairing=p, side=side, text=text)
            for i, p in enumerate(bare)
            for side, text in (
                (Pairing.Side.UNIT, UNIT_PROMISES[i % len(UNIT_PROMISES)]),
                (Pairing.Side.PARTNER, PARTNER_PROMISES[i % len(PARTNER_PROMISES)]),
            )
        ]
    )
    for i, pairing in enumerate(pairings[:8]):
        if not pairing.agreement:
            pairing.agreement.save(f"agreement-{pairing.pk}.pdf", ContentFile(AGREEMENT_PDF), save=True)
        if pairing.deliveries.exists():
            continue
        for j, (what, people, hours) in enumerate(SERVICES[: 2 + i % 3]):
            PairingService.objects.create(
                pairing=pairing,
                served_on=max(pairing.starts_on, today - datetime.timedelta(days=30 * (j + 1) + i)),
                side=Pairing.Side.UNIT if j % 2 == 0 else Pairing.Side.PARTNER,
                what=what,
                people_served=people,
                hours=Decimal(hours),
                link_text="社区公众号已发布活动简讯" if j == 0 else "",
            )
    first = pairings[0]
    PairingReview.objects.get_or_create(
        pairing=first,
        year=today.year - 1,
        defaults={
            "summary": "双方履行协议承诺，开放场地、认领项目按期完成，居民满意度高；下一年度重点做好青少年托管服务。",
            "rating": 5,
        },
    )
    # One pairing that ends in 20 days: the expiry reminder has it to send.
    soon = pairings[-1]
    if soon.status == Pairing.Status.ACTIVE and soon.ends_on != today + datetime.timedelta(days=20):
        soon.ends_on = today + datetime.timedelta(days=20)
        soon.save(update_fields=["ends_on"])
    # Two units paired with each other (校际党建: a school and a unit next to it).
    units = list(MemberUnit.objects.filter(grid_node__street__code="SY").order_by("pk")[:2])
    if len(units) == 2 and not Pairing.objects.filter(unit=units[0], partner_unit=units[1]).exists():
        pair = Pairing.objects.create(
            unit=units[0],
            partner_unit=units[1],
            starts_on=datetime.date(today.year, 1, 1),
            ends_on=datetime.date(today.year + 2, 12, 31),
        )
        PairingCommitment.objects.bulk_create(
            [
                PairingCommitment(pairing=pair, side=Pairing.Side.UNIT, text="联合开展主题党日，共享党员教育阵地"),
                PairingCommitment(pairing=pair, side=Pairing.Side.PARTNER, text="派出业务骨干为对方职工开展专题培训"),
            ]
        )
    _log(stdout, f"结对共建：{len(pairings)} 对，承诺 {PairingCommitment.objects.count()} 条\n")
    return None
