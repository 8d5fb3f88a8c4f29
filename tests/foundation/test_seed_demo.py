from django.apps import apps
from django.core.management import call_command

from grids.models import GridNode, GridRole
from members.models import EnterpriseAllianceMembership, MemberUnit, Pairing, PartyMember, User

OUR_APPS = ("grids", "members", "alliance", "projects", "services")


def snapshot() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count() for app in OUR_APPS for model in apps.get_app_config(app).get_models()
    }


def test_seed_demo_builds_the_district_of_the_seeds_and_running_it_twice_changes_nothing(db, capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")

    assert snapshot() == first
    assert GridNode.objects.filter(level=1).count() == 2
    assert GridNode.objects.filter(level=2).count() == 14
    assert GridNode.objects.filter(level=3).count() == 172
    assert GridRole.objects.count() > 500
    assert MemberUnit.objects.count() >= 200
    assert set(MemberUnit.objects.values_list("kind", flat=True)) == set(MemberUnit.Kind.values)
    assert PartyMember.objects.count() >= 1000
    assert PartyMember.skills.through.objects.count() >= 1000
    assert Pairing.objects.filter(community__street__code="SY").values("unit").distinct().count() == 38
    assert EnterpriseAllianceMembership.objects.filter(alliance__street__code="SY").count() == 39
    demo = {"admin", "street_admin", "community_admin", "grid_worker", "unit_operator", "party_member", "resident"}
    assert demo <= set(User.objects.values_list("username", flat=True))
    assert User.objects.get(username="street_admin").check_password("alliance2026")
    assert User.objects.get(username="street_admin").is_staff
    assert "street_admin" in capsys.readouterr().out
