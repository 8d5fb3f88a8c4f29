"""The dual-report API's shapes: what a report shows, what a member sends, why the community returns it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.inputs import model_char
from alliance.volunteering.models import DualReport, ServeTime
from grids.models import GridNode, Team
from members.models import MemberUnit, PartyMember, Skill
from services.models import MenuItem


class DualReportSerializer(ModelSerializer):
    member_name = read_text("member.name")
    community_name = read_text("community.name")
    micro_grid_name = serializers.CharField(source="micro_grid.name", read_only=True, default="")
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    skill_names = serializers.SerializerMethodField()
    post = read_text("post_text")
    serve_times_text = serializers.CharField(read_only=True)

    class Meta:
        model = DualReport
        fields = [
            "id",
            "member",
            "member_name",
            "community",
            "community_name",
            "micro_grid",
            "micro_grid_name",
            "in_service",
            "unit",
            "unit_name",
            "party_organization",
            "skills",
            "skill_names",
            "serve_times",
            "serve_times_text",
            "serve_note",
            "team",
            "menu_item",
            "volunteer_role",
            "post",
            "status",
            "status_label",
            "return_reason",
            "submitted_at",
            "confirmed_at",
            "returned_at",
            "resubmitted_at",
        ]
        read_only_fields = fields

    def get_skill_names(self, obj) -> list[str]:
        return [s.name for s in obj.skills.all()]


class DualReportInputSerializer(serializers.Serializer):
    """What a member sends (a new report, or a returned one corrected): exactly one post of the community."""

    community = serializers.PrimaryKeyRelatedField(queryset=GridNode.objects.filter(level=GridNode.Level.COMMUNITY))
    micro_grid = serializers.PrimaryKeyRelatedField(
        queryset=GridNode.objects.filter(level=GridNode.Level.MICRO), required=False, allow_null=True
    )
    in_service = serializers.BooleanField(default=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=MemberUnit.objects.all(), required=False, allow_null=True)
    party_organization = model_char(DualReport, "party_organization", required=False)
    skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True, required=False)
    serve_times = serializers.ListField(
        child=serializers.ChoiceField(choices=ServeTime.choices), required=False, max_length=len(ServeTime.values)
    )
    serve_note = model_char(DualReport, "serve_note", required=False)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    menu_item = serializers.PrimaryKeyRelatedField(
        queryset=MenuItem.objects.filter(is_active=True), required=False, allow_null=True
    )
    volunteer_role = model_char(DualReport, "volunteer_role", required=False)


class DualReportCreateSerializer(DualReportInputSerializer):
    phone = model_char(PartyMember, "phone", required=False, help_text=_("首次报到且账号无手机号时必填。"))


class DualReportReturnSerializer(serializers.Serializer):
    reason = model_char(DualReport, "return_reason", required=True)
