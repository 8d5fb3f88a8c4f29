import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from grids.models import GridNode
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory


def test_subtree_is_a_prefix_match_on_the_path(db):
    street = StreetFactory()
    community = CommunityFactory(parent=street)
    micro = MicroGridFactory(parent=community)
    other = CommunityFactory(parent=street)

    assert micro.path == f"{street.pk}/{community.pk}/{micro.pk}/"
    assert set(GridNode.objects.subtree(community)) == {community, micro}
    assert set(GridNode.objects.subtree(street)) == {street, community, micro, other}
    assert micro.street_id == street.pk
    assert [n.pk for n in micro.ancestors()] == [street.pk, community.pk, micro.pk]


def test_a_fourth_level_is_refused(db):
    micro = MicroGridFactory()
    node = GridNode(name="四级", code="L4", level=4, kind=GridNode.Kind.MICRO_GRID, parent=micro)
    with pytest.raises(ValidationError) as error:
        node.full_clean()
    assert "level" in error.value.message_dict


def test_a_community_under_a_micro_grid_is_refused_in_chinese(db):
    micro = MicroGridFactory()
    node = GridNode(name="错挂社区", code="BAD", level=2, kind=GridNode.Kind.COMMUNITY, parent=micro)
    with pytest.raises(ValidationError) as error:
        node.full_clean()
    assert "上级网格的层级不对" in error.value.message_dict["parent"][0]


def test_the_database_refuses_a_rootless_community(db):
    with pytest.raises(IntegrityError):
        GridNode.objects.bulk_create([GridNode(name="x", code="x", level=2, kind="community")])


def test_distance_counts_steps_to_the_common_ancestor(db):
    street = StreetFactory()
    a = CommunityFactory(parent=street)
    a1, a2 = MicroGridFactory(parent=a), MicroGridFactory(parent=a)
    b1 = MicroGridFactory(parent=CommunityFactory(parent=street))
    far = MicroGridFactory()
    assert a1.distance_to(a1) == 0
    assert a1.distance_to(a2) == 1
    assert a1.distance_to(b1) == 2
    assert a1.distance_to(far) == 3


def test_moving_a_community_moves_its_micro_grids(db):
    community = CommunityFactory()
    micro = MicroGridFactory(parent=community)
    new_street = StreetFactory()
    community.parent = new_street
    community.save()
    micro.refresh_from_db()
    assert micro.path.startswith(new_street.path)
    assert micro.street_id == new_street.pk
