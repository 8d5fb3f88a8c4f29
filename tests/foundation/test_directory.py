from django.urls import reverse

from grids.models import GridRole
from tests.grids.factories import CommunityFactory, GridRoleFactory, MicroGridFactory, StreetFactory, TeamFactory


def test_directory_walks_street_community_micro_grid_with_masked_phones(client, db):
    street = StreetFactory(name="舜玉路街道")
    community = CommunityFactory(parent=street, name="舜园社区")
    micro = MicroGridFactory(parent=community, name="舜园3号楼微网格")
    GridRoleFactory(node=micro, holder_name="张桂兰", phone="13812345678", duties="联系3号楼住户")
    GridRoleFactory(node=micro, holder_name="不公示的人", is_public=False)

    streets_page = client.get(reverse("grids:directory")).content.decode()
    assert "舜玉路街道" in streets_page and "1 个社区" in streets_page

    community_page = client.get(reverse("grids:node", args=[community.pk])).content.decode()
    assert "舜园3号楼微网格" in community_page and "1 个岗位" in community_page

    micro_page = client.get(reverse("grids:node", args=[micro.pk])).content.decode()
    assert "张桂兰" in micro_page and "联系3号楼住户" in micro_page
    assert "138****5678" in micro_page
    assert "13812345678" not in micro_page
    assert "不公示的人" not in micro_page
    assert "舜玉路街道" in micro_page  # breadcrumbs


def test_unknown_node_is_404(client, db):
    assert client.get(reverse("grids:node", args=[999999])).status_code == 404


def test_directory_node_runs_fixed_queries_whatever_its_size(client, db, django_assert_num_queries):
    community = CommunityFactory()
    TeamFactory(node=community)
    MicroGridFactory(parent=community)
    GridRoleFactory(node=community, post=GridRole.Post.GRID_LEADER)
    # node, ancestors, children with counts, posts, teams, team members, the community's pairings (结对共建)
    with django_assert_num_queries(7):
        client.get(reverse("grids:node", args=[community.pk]))
    for _ in range(10):
        MicroGridFactory(parent=community)
        GridRoleFactory(node=community, post=GridRole.Post.GRID_WORKER)
    with django_assert_num_queries(7):
        response = client.get(reverse("grids:node", args=[community.pk]))
    assert response.status_code == 200
    with django_assert_num_queries(1):
        client.get(reverse("grids:directory"))
