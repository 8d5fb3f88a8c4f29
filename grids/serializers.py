"""API shapes of the grid. Posts are public with masked phones."""

from rest_framework import serializers

from alliance.core.api_fields import ModelSerializer, read_text
from grids.models import GridNode, GridRole, Team, TeamMember


class GridNodeSerializer(ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", default="", read_only=True)
    child_count = serializers.IntegerField(read_only=True)
    unit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GridNode
        fields = [
            "id",
            "name",
            "code",
            "level",
            "level_label",
            "kind",
            "kind_label",
            "parent",
            "parent_name",
            "street",
            "path",
            "description",
            "center_lat",
            "center_lng",
            "households",
            "population",
            "child_count",
            "unit_count",
        ]


class PublicPostSerializer(ModelSerializer):
    phone = read_text("masked_phone")

    class Meta:
        model = GridRole
        fields = [
            "id",
            "post",
            "post_label",
            "holder_name",
            "phone",
            "department",
            "department_label",
            "area",
            "duties",
        ]


class TeamMemberSerializer(ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "name", "role"]


class TeamSerializer(ModelSerializer):
    members = TeamMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "kind", "kind_label", "name", "leader_name", "members"]


class GridNodeDetailSerializer(GridNodeSerializer):
    posts = PublicPostSerializer(source="public_posts", many=True, read_only=True)
    teams = TeamSerializer(many=True, read_only=True)

    class Meta(GridNodeSerializer.Meta):
        fields = [*GridNodeSerializer.Meta.fields, "boundary", "posts", "teams"]
