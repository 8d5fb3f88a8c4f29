import factory

from grids.models import GridNode, GridRole, Team


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridNode

    name = factory.Sequence(lambda n: f"测试{n}街道")
    code = factory.Sequence(lambda n: f"S{n:04d}")
    level = GridNode.Level.STREET
    kind = GridNode.Kind.STREET
    parent = None


class CommunityFactory(StreetFactory):
    name = factory.Sequence(lambda n: f"测试{n}社区")
    code = factory.Sequence(lambda n: f"C{n:05d}")
    level = GridNode.Level.COMMUNITY
    kind = GridNode.Kind.COMMUNITY
    parent = factory.SubFactory(StreetFactory)


class MicroGridFactory(StreetFactory):
    name = factory.Sequence(lambda n: f"{n}号楼微网格")
    code = factory.Sequence(lambda n: f"M{n:06d}")
    level = GridNode.Level.MICRO
    kind = GridNode.Kind.MICRO_GRID
    parent = factory.SubFactory(CommunityFactory)


class GridRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridRole

    node = factory.SubFactory(MicroGridFactory)
    post = GridRole.Post.MICRO_LEADER
    holder_name = factory.Sequence(lambda n: f"王{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    duties = "走访居民,收集民情,协调解决楼栋小事"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    node = factory.SubFactory(CommunityFactory)
    kind = Team.Kind.VOLUNTEER
    name = "志愿服务队"
