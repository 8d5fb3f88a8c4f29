"""API shapes of the joint committee. Status values are lowercase English; labels Chinese."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.committee.actions import can_manage
from alliance.committee.models import AgendaItem, ChairRotation, Committee, Invitation, Matter, Meeting, Milestone, Seat
from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.inputs import InputModelSerializer, model_char, record_id


class SeatSerializer(ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)

    class Meta:
        model = Seat
        fields = ["id", "person_name", "title", "role", "role_label", "unit", "unit_name", "term_start", "term_end"]


class RotationSerializer(ModelSerializer):
    unit_name = read_text("unit.name")

    class Meta:
        model = ChairRotation
        fields = ["id", "unit", "unit_name", "starts_on", "ends_on"]


class CommitteeSerializer(ModelSerializer):
    grid_node_name = read_text("grid_node.name")
    seats = SeatSerializer(source="current_seats", many=True, read_only=True)
    current_chair = serializers.SerializerMethodField()
    full_time_count = serializers.SerializerMethodField()
    part_time_count = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "field",
            "grid_node",
            "grid_node_name",
            "parent",
            "description",
            "holds_monthly_deliberation",
            "current_chair",
            "full_time_count",
            "part_time_count",
            "seats",
        ]

    @extend_schema_field(RotationSerializer(allow_null=True))
    def get_current_chair(self, obj):
        rotations = getattr(obj, "current_rotations", [])
        return RotationSerializer(rotations[0]).data if rotations else None

    def get_full_time_count(self, obj) -> int:
        return sum(1 for s in getattr(obj, "current_seats", []) if s.role != Seat.Role.PART_TIME)

    def get_part_time_count(self, obj) -> int:
        return sum(1 for s in getattr(obj, "current_seats", []) if s.role == Seat.Role.PART_TIME)


class RotationRequestSerializer(serializers.Serializer):
    starts_on = serializers.DateField(label=_("开始日期"))
    months = serializers.IntegerField(label=_("每期月数"), min_value=1, max_value=60)


class AgendaItemSerializer(ModelSerializer):
    title = read_text("matter.title")
    status = read_text("matter.status")

    class Meta:
        model = AgendaItem
        fields = ["position", "matter", "title", "status", "note"]


class InvitationSerializer(ModelSerializer):
    person_name = serializers.CharField(source="seat.person_name", default="", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "seat", "person_name", "unit", "answer", "answered_at", "checked_in", "checked_in_at"]


class MeetingSerializer(ModelSerializer):
    """The public summary; the minutes, decisions and attendance only for the committee's managers."""

    committee_name = read_text("committee.name")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "committee_name",
            "kind",
            "kind_label",
            "title",
            "summary",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "status_label",
        ]
        read_only_fields = ["status"]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    private = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda", "cancel_reason", "private"]

    @extend_schema_field(
        {"type": "object", "nullable": True, "description": "管理者可见（纪要、决议、邀请）；其他人为 null"}
    )
    def get_private(self, obj):
        request = self.context.get("request")
        if not (request and can_manage(request.user, obj.committee)):
            return None
        return {
            "minutes": obj.minutes,
            "decisions": obj.decisions,
            "held_at": obj.held_at,
            "invitations": InvitationSerializer(obj.invitations.select_related("seat"), many=True).data,
        }


class MeetingCreateSerializer(InputModelSerializer):
    class Meta:
        model = Meeting
        fields = ["committee", "kind", "title", "summary", "starts_at", "ends_at", "place"]
        extra_kwargs = {"ends_at": {"required": False}, "place": {"required": False}}


class HoldSerializer(serializers.Serializer):
    minutes = model_char(Meeting, "minutes")
    decisions = model_char(Meeting, "decisions")
    attended_seats = serializers.ListField(child=record_id(), required=False, max_length=500)


class MinutesSerializer(serializers.Serializer):
    minutes = model_char(Meeting, "minutes", required=True)
    decisions = model_char(Meeting, "decisions")


class ReasonSerializer(serializers.Serializer):
    """A meeting's cancel reason or a matter's defer reason (both texts of several lines)."""

    reason = model_char(Meeting, "cancel_reason", required=True)


class AgendaRequestSerializer(serializers.Serializer):
    matter = record_id()
    note = model_char(AgendaItem, "note")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[Invitation.Answer.ATTEND, Invitation.Answer.DECLINE])
    invitation = record_id(required=False)


class MilestoneSerializer(InputModelSerializer):
    owner_name = read_text("owner.display_name")
    owner_unit_name = read_text("owner_unit.name")

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "owner_name", "owner_unit_name"]


class MatterSerializer(InputModelSerializer):
    committee_name = read_text("committee.name")
    unit_name = serializers.CharField(source="raised_by_unit.name", default="", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    follow_up_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Matter
        fields = [
            "id",
            "committee",
            "committee_name",
            "title",
            "description",
            "status",
            "status_label",
            "raised_by_unit",
            "unit_name",
            "resolution",
            "defer_reason",
            "created_at",
            "studied_at",
            "resolved_at",
            "deferred_at",
            "progress",
            "progress_note",
            "done_at",
            "follow_up_open",
            "milestones",
        ]
        read_only_fields = [f for f in fields if f not in ("committee", "title", "description")]


class EmptySerializer(serializers.Serializer):
    """A transition that takes no input."""


class ResolveSerializer(serializers.Serializer):
    resolution = model_char(Matter, "resolution", required=True)


class EscalateSerializer(serializers.Serializer):
    note = model_char(Matter, "escalation_note", required=False, default="")


class HandBackSerializer(serializers.Serializer):
    resolution = model_char(Matter, "resolution", required=False, default="")


class FollowUpSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = model_char(Matter, "progress_note")
    milestone = model_char(
        Milestone, "title", required=False, allow_blank=True, default="", help_text=_("新增一个落实节点")
    )
    milestone_due_on = serializers.DateField(required=False, allow_null=True, default=None)
    milestone_owner = record_id(
        required=False, allow_null=True, default=None, help_text=_("新节点的负责人（用户编号）")
    )
    milestone_owner_unit = record_id(required=False, allow_null=True, default=None, help_text=_("新节点的责任单位编号"))


class MilestoneDoneSerializer(serializers.Serializer):
    """Mark one milestone of the matter done (on a day, today if not given)."""

    milestone = record_id()
    on = serializers.DateField(required=False, allow_null=True, default=None)


class InvitationAnswerResultSerializer(serializers.Serializer):
    """What ``meetings/{id}/answer/`` answers: the invitation answered and its answer."""

    invitation = serializers.IntegerField()
    answer = serializers.CharField(help_text="attend / decline")


class HandedOnProjectSerializer(serializers.Serializer):
    """What ``matters/{id}/hand-on/`` answers: the project the matter became."""

    project = serializers.IntegerField()
    title = serializers.CharField()
