"""API collections of the joint committee: committees, meetings, matters; transitions are actions."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from alliance.committee import actions, selectors
from alliance.committee.articles_api import ROUTES as ARTICLE_ROUTES
from alliance.committee.filters import CommitteeFilter, MatterFilter, MeetingFilter
from alliance.committee.models import AgendaItem, Committee, Matter, Meeting, Milestone
from alliance.committee.serializers import (
    AgendaRequestSerializer,
    AnswerSerializer,
    CommitteeSerializer,
    EmptySerializer,
    EscalateSerializer,
    FollowUpSerializer,
    HandBackSerializer,
    HandedOnProjectSerializer,
    HoldSerializer,
    InvitationAnswerResultSerializer,
    MatterSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MilestoneDoneSerializer,
    MinutesSerializer,
    ReasonSerializer,
    ResolveSerializer,
    RotationRequestSerializer,
    RotationSerializer,
)
from alliance.core.inputs import valid_data
from alliance.core.scoping import scope_queryset
from members.models import MemberUnit

# Transitions act only on records inside the user's subtree: outside it they answer 404.
MANAGER_ACTIONS = {
    "rotate",
    "hold",
    "cancel",
    "minutes",
    "agenda",
    "study",
    "resolve",
    "defer",
    "follow_up",
    "milestone_done",
    "hand_on",
    "raise_to_district",
    "hand_back",
}


def _manager_scope(viewset, queryset):
    if viewset.action in MANAGER_ACTIONS:
        return scope_queryset(queryset, viewset.request.user)
    return queryset


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    """Committees with their current members and rotating chair (public)."""

    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        today = timezone.localdate()
        qs = (
            Committee.objects.select_related("grid_node")
            .prefetch_related(
                Prefetch("seats", queryset=selectors._current_seats(today), to_attr="current_seats"),
                Prefetch("rotations", queryset=selectors._current_rotations(today), to_attr="current_rotations"),
            )
            .order_by("grid_node__path", "kind", "id")
        )
        return _manager_scope(self, qs)

    @extend_schema(request=RotationRequestSerializer, responses={201: RotationSerializer(many=True)})
    @action(
        detail=True,
        methods=["post"],
        serializer_class=RotationRequestSerializer,
        pagination_class=None,
        filter_backends=[],
    )
    def rotate(self, request, pk=None):
        """Generate the chair rotation from the committee's seat units, one period of N months each."""
        committee = self.get_object()
        data = valid_data(RotationRequestSerializer, request)
        rotations = actions.generate_rotation(by=request.user, committee=committee, **data)
        return Response(RotationSerializer(rotations, many=True).data, status=status.HTTP_201_CREATED)


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings: a public summary for everyone; minutes and attendance for the committee's managers."""

    filterset_class = MeetingFilter
    ordering_fields = ["starts_at", "id"]

    def get_queryset(self):
        qs = Meeting.objects.select_related("committee__grid_node").order_by("-starts_at", "-id")
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("agenda", queryset=_agenda_qs()))
        return _manager_scope(self, qs)

    def get_serializer_class(self):
        if self.action == "create":
            return MeetingCreateSerializer
        if self.action == "retrieve":
            return MeetingDetailSerializer
        return MeetingSerializer

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(valid_data(MeetingCreateSerializer, request))
        committee = data.pop("committee")
        if not scope_queryset(Committee.objects.filter(pk=committee.pk), request.user).exists():
            raise ApiPermissionDenied(_("您无权为该委员会安排会议。"))
        meeting = actions.schedule_meeting(by=request.user, committee=committee, **data)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    def _done(self, meeting):
        meeting = self.get_queryset().model.objects.select_related("committee__grid_node").get(pk=meeting.pk)
        return Response(MeetingDetailSerializer(meeting, context={"request": self.request}).data)

    @extend_schema(request=HoldSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=HoldSerializer)
    def hold(self, request, pk=None):
        """scheduled → held, with attendance (seat ids), minutes and decisions."""
        meeting = self.get_object()
        v = valid_data(HoldSerializer, request)
        actions.hold_meeting(
            by=request.user,
            meeting=meeting,
            minutes=v["minutes"],
            decisions=v["decisions"],
            attended_seat_ids=v.get("attended_seats"),
        )
        return self._done(meeting)

    @extend_schema(request=MinutesSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=MinutesSerializer)
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        data = valid_data(MinutesSerializer, request)
        actions.record_minutes(by=request.user, meeting=meeting, **data)
        return self._done(meeting)

    @extend_schema(request=ReasonSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        data = valid_data(ReasonSerializer, request)
        actions.cancel_meeting(by=request.user, meeting=meeting, reason=data["reason"])
        return self._done(meeting)

    @extend_schema(request=AgendaRequestSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=AgendaRequestSerializer)
    def agenda(self, request, pk=None):
        """Put a matter of the committee on the agenda."""
        meeting = self.get_object()
        data = valid_data(AgendaRequestSerializer, request)
        matter = get_object_or_404(scope_queryset(Matter.objects.all(), request.user), pk=data["matter"])
        actions.put_on_agenda(by=request.user, meeting=meeting, matter=matter, note=data["note"])
        return self._done(meeting)

    @extend_schema(request=AnswerSerializer, responses=InvitationAnswerResultSerializer)
    @action(detail=True, methods=["post"], serializer_class=AnswerSerializer)
    def answer(self, request, pk=None):
        """Answer attend / decline for one's own seat or unit (``invitation`` picks one if there are several)."""
        meeting = self.get_object()
        data = valid_data(AnswerSerializer, request)
        invitations = meeting.invitations.all()
        if "invitation" in data:
            invitation = get_object_or_404(invitations, pk=data["invitation"])
        else:
            mine = selectors.answerable_invitations_q(request.user)
            invitation = invitations.filter(mine).order_by("id").first()
            if invitation is None:
                raise ApiPermissionDenied(_("您没有这次会议的参会邀请。"))
        invitation = actions.answer_invitation(by=request.user, invitation=invitation, answer=data["answer"])
        return Response({"invitation": invitation.pk, "answer": invitation.answer})


def _named(model, pk, field: str, missing: str):
    """The record a body names by id (None for none); an unknown id is a 400 on that field."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: missing})
    return found


def _agenda_qs():
    return AgendaItem.objects.select_related("matter").order_by("position", "id")


class MatterViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Matters: the committee's managers see all in their subtree; others those past the proposal and their
    own unit's."""

    serializer_class = MatterSerializer
    filterset_class = MatterFilter
    ordering_fields = ["created_at", "resolved_at", "id"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        qs = (
            Matter.objects.select_related("committee", "raised_by_unit")
            .prefetch_related(
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.select_related("owner", "owner_unit").order_by("sort_order", "id"),
                )
            )
            .order_by("-created_at", "-id")
        )
        user = self.request.user
        if self.action in MANAGER_ACTIONS or (user.is_authenticated and user.is_admin_role):
            return scope_queryset(qs, user)
        visible = ~Q(status=Matter.Status.PROPOSED)
        if user.is_authenticated and user.unit_id:
            visible |= Q(raised_by_unit_id=user.unit_id)
        return qs.filter(visible)

    def create(self, request, *args, **kwargs):
        v = valid_data(MatterSerializer, request)
        matter = actions.raise_matter(
            by=request.user, committee=v["committee"], title=v["title"], description=v.get("description", "")
        )
        return Response(MatterSerializer(matter).data, status=status.HTTP_201_CREATED)

    def _done(self, matter):
        return Response(MatterSerializer(self.get_queryset().get(pk=matter.pk)).data)

    @extend_schema(request=None, responses=MatterSerializer)
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def study(self, request, pk=None):
        """proposed / deferred → under study."""
        return self._done(actions.study_matter(by=request.user, matter=self.get_object()))

    @extend_schema(request=ResolveSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], serializer_class=ResolveSerializer)
    def resolve(self, request, pk=None):
        """under study → resolved, with the resolution."""
        matter = self.get_object()
        data = valid_data(ResolveSerializer, request)
        return self._done(actions.resolve_matter(by=request.user, matter=matter, resolution=data["resolution"]))

    @extend_schema(request=ReasonSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def defer(self, request, pk=None):
        """proposed / under study → deferred, with the reason."""
        matter = self.get_object()
        data = valid_data(ReasonSerializer, request)
        return self._done(actions.defer_matter(by=request.user, matter=matter, reason=data["reason"]))

    @extend_schema(request=FollowUpSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up", serializer_class=FollowUpSerializer)
    def follow_up(self, request, pk=None):
        """The follow-up of a resolved matter: progress (0–100) and, optionally, a new milestone."""
        matter = self.get_object()
        v = valid_data(FollowUpSerializer, request)
        actions.follow_up(
            by=request.user,
            matter=matter,
            progress=v["progress"],
            note=v["note"],
            milestone=v["milestone"],
            milestone_due_on=v["milestone_due_on"],
            milestone_owner=_named(get_user_model(), v["milestone_owner"], "milestone_owner", _("负责人不存在。")),
            milestone_owner_unit=_named(
                MemberUnit, v["milestone_owner_unit"], "milestone_owner_unit", _("单位不存在。")
            ),
        )
        return self._done(matter)

    @extend_schema(request=MilestoneDoneSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], url_path="milestone-done", serializer_class=MilestoneDoneSerializer)
    def milestone_done(self, request, pk=None):
        """Mark one milestone of the matter done (督办 ends for it)."""
        matter = self.get_object()
        v = valid_data(MilestoneDoneSerializer, request)
        milestone = get_object_or_404(matter.milestones.all(), pk=v["milestone"])
        actions.complete_milestone(by=request.user, milestone=milestone, on=v["on"])
        return self._done(matter)

    @extend_schema(request=EscalateSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], url_path="raise-to-district", serializer_class=EscalateSerializer)
    def raise_to_district(self, request, pk=None):
        """A street joint committee's matter sent to the district conference; answers the district's matter."""
        v = valid_data(EscalateSerializer, request)
        district_matter = actions.raise_to_district(by=request.user, matter=self.get_object(), note=v["note"])
        return Response(MatterSerializer(district_matter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HandBackSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], url_path="hand-back", serializer_class=HandBackSerializer)
    def hand_back(self, request, pk=None):
        """The district's decision on a matter raised from a street, handed back down; answers the district matter."""
        matter = self.get_object()
        v = valid_data(HandBackSerializer, request)
        actions.hand_back(by=request.user, matter=matter, resolution=v["resolution"])
        return self._done(matter)

    @extend_schema(request=None, responses={201: HandedOnProjectSerializer})
    @action(detail=True, methods=["post"], url_path="hand-on", serializer_class=EmptySerializer)
    def hand_on(self, request, pk=None):
        """Hand a resolved matter on as a project of the project list."""
        matter = actions.hand_on_matter(by=request.user, matter=self.get_object())
        return AnsweredAfterCommit(lambda: _handed_on(matter), status=status.HTTP_201_CREATED)


class AnsweredAfterCommit(Response):
    """A response whose data is built when it is rendered: after the request's transaction
    (alliance.core.api_atomic) has committed and the events it sent have been heard."""

    def __init__(self, build, **kwargs):
        super().__init__(None, **kwargs)
        self.build = build

    @property
    def rendered_content(self):
        self.data = self.build()
        if self.data is None:  # what should have followed did not: a conflict to retry, never a 500
            self.status_code = status.HTTP_409_CONFLICT
            self.data = {"detail": _("转为项目未成功，请稍后重试。")}
        return super().rendered_content


def _handed_on(matter: Matter) -> dict | None:
    # The projects app builds the project when it hears events.matter_handed_on (after commit).
    project = matter.projects.order_by("-pk").first()
    if project is None:  # the receiver failed (and logged why): nothing was handed on, the matter may be again
        return None
    return {"project": project.pk, "title": str(project)}


ROUTES = [
    ("committees", CommitteeViewSet, "committee"),
    ("meetings", MeetingViewSet, "meeting"),
    ("matters", MatterViewSet, "matter"),
    *ARTICLE_ROUTES,  # /articles/ (alliance.committee.articles_api)
]
