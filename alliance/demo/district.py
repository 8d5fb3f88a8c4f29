"""The district tier (issue 18): 七里河区's own record, the district joint conference (区联席会议) with its 7
professional committees ("1+7+14", seed 002) and member units from every street, a district admin, and one matter
raised from a street joint committee and handed back (another still waiting at the district).

Idempotent: everything is looked up before it is created; the matters go through the committee's actions."""

import datetime

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from alliance.committee import actions
from alliance.committee.models import Committee, Matter, Seat
from alliance.demo.committee import _unit_seat
from grids.models import District, GridNode
from members.models import MemberUnit, User

CONFERENCE = "七里河区区域党建联席会议"
# The 7 professional committees of "1+7+14", one per field of the committee machinery.
PROFESSIONAL = [(field, f"区{label}专业委员会") for field, label in Committee.Field.choices if field]
HANDED_BACK = "西站片区老旧管网改造需跨街道协调资金"
WAITING = "城区主干道沿线停车位不足需全区统筹"


def _district() -> None:
    district = District.load()
    if district.code != "620103":
        district.name, district.code = "七里河区", "620103"
        district.description = (
            "区域化党建“1+7+14”：1个区联席会议、7个专业委员会、街道和镇党（工）委；区联席会议由区内200多个单位组成。"
        )
        district.save()


def _admin() -> User:
    user = User.objects.filter(username="district_admin").first()
    if user is None:
        user = User(username="district_admin", role=User.Role.DISTRICT_ADMIN, display_name="区委组织部 周部长")
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    return user


def _conference(term_start) -> Committee:
    conference = Committee.objects.filter(kind=Committee.Kind.DISTRICT_JOINT, grid_node__isnull=True).first()
    if conference is not None:
        return conference
    conference = Committee.objects.create(
        name=CONFERENCE,
        kind=Committee.Kind.DISTRICT_JOINT,
        description="全区区域化党建的议事协调机构：区委领导召集，区内200多个驻区单位、街道和镇党（工）委参加，研究街道提交的跨街道重大事项。",
    )
    for field, name in PROFESSIONAL:
        Committee.objects.create(name=name, kind=Committee.Kind.PROFESSIONAL, field=field, parent=conference)
    seats = [
        Seat(committee=conference, person_name="周立新", title="区委副书记", role="secretary", term_start=term_start),
        Seat(
            committee=conference, person_name="马文华", title="区委组织部部长", role="full_time", term_start=term_start
        ),
    ]
    # Member units from every street: the first units of each street, in turn.
    streets = list(GridNode.objects.streets().order_by("sort_order", "id"))
    units: list[MemberUnit] = []
    for street in streets:
        units += list(MemberUnit.objects.filter(grid_node__path__startswith=street.path).order_by("id")[:8])
    seats += [_unit_seat(conference, unit, term_start, sort_order=i) for i, unit in enumerate(units, start=1)]
    bulk_create_with_history(seats, Seat)
    return conference


def _street_joint() -> Committee | None:
    """西站街道大工委 where the demo has it, else the first street's joint committee."""
    joint = Committee.objects.filter(kind=Committee.Kind.STREET_JOINT, grid_node__code="XZ").first()
    return joint or Committee.objects.filter(kind=Committee.Kind.STREET_JOINT).order_by("grid_node__path", "id").first()


def _raised(admin, joint, title: str, description: str, note: str) -> Matter:
    matter = Matter.objects.filter(committee=joint, title=title).first()
    if matter is None:
        matter = actions.raise_matter(by=admin, committee=joint, title=title, description=description)
        actions.study_matter(by=admin, matter=matter)
    if matter.escalated_to_id is None:
        actions.raise_to_district(by=admin, matter=matter, note=note)
        matter.refresh_from_db()
    return matter


def seed(*, stdout=None) -> None:
    _district()
    admin = _admin()
    term_start = datetime.date(2024, 1, 1)
    conference = _conference(term_start)
    joint = _street_joint()
    if joint is not None:
        done = _raised(
            admin,
            joint,
            HANDED_BACK,
            "片区供热、供水管网老化，改造涉及相邻街道和多家驻区单位，街道大工委研究后认为须由区里统筹资金。",
            "涉及两个街道和三家驻区单位，资金缺口约300万元，请区联席会议统筹。",
        )
        if done.handed_back_at is None:
            actions.hand_back(
                by=admin,
                matter=done.escalated_to,
                resolution="区联席会议议定：由区住建局牵头、城市建设专业委员会协调，分两期实施改造，资金由区财政和驻区单位共同承担；街道负责组织落实和居民沟通。",
            )
        _raised(
            admin,
            joint,
            WAITING,
            "主干道沿线小区停车难，需协调沿线单位错时开放停车场。",
            "沿线单位分属多个街道，需区联席会议协调。",
        )
    if stdout is not None:
        stdout.write(
            f"  alliance.demo.district: {District.load()}，{conference.name}，"
            f"{conference.children.count()} 个专业委员会，{conference.seats.count()} 名委员"
        )
