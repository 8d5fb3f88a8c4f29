"""API collections of residents' services, registered under /api/v1/ by alliance.urls.

Stations, rooms, the menu and activities are public to read. Orders, issues and bookings are
visible to their owner, to staff of that grid subtree and (orders) to the units offered or
serving them; anything else answers 404. Transitions are POST actions calling services.actions.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.core.api_fields import DateTimeField
from alliance.core.cache import CachedListMixin
from alliance.core.inputs import valid_data
from alliance.core.models import Notification
from alliance.core.ratelimit import CreateRateThrottle
from services import actions, selectors
from services.board_api import PublicIssueViewSet
from services.filters import (
    ActivityFilter,
    BookingFilter,
    IssueFilter,
    MenuFilter,
    OrderFilter,
    RoomFilter,
    StationFilter,
)
from services.map_api import MapViewSet
from services.models import IssueEvent, IssuePhoto, OrderEvent, Room, ServiceStation
from services.recurring_api import RecurringServiceViewSet
from services.serializers import (
    ActivityCheckInSerializer,
    ActivitySerializer,
    ActivitySignupSerializer,
    BookingCreateSerializer,
    BookingDeclineSerializer,
    BookingSerializer,
    IssueCreateSerializer,
    IssueDetailSerializer,
    IssueMatterSerializer,
    IssueReplySerializer,
    IssueSerializer,
    IssueTakeDownSerializer,
    MenuItemSerializer,
    OrderCreateSerializer,
    OrderDeclineSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    RoomSerializer,
    ServiceRateSerializer,
    ServiceReasonSerializer,
    StationSerializer,
)


def _as_created(obj):
    """A row just made by its action, with the children the action made with it (``created_with``: its one
    timeline event, its photos) taken as prefetched, so its answer reads nothing again. Only for the answer:
    the object is dropped after (a later change to its timeline would not show in these lists)."""
    obj._prefetched_objects_cache = dict(obj.created_with)
    return obj


class ServiceEmptySerializer(serializers.Serializer):
    """No body: the transition needs nothing but the acting user."""


class RoomSlotSerializer(serializers.Serializer):
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    free = serializers.BooleanField()


class OrderDeclinedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class ActivityCheckInResultSerializer(serializers.Serializer):
    signup = serializers.IntegerField()
    user = serializers.IntegerField()
    name = serializers.CharField()
    checked_in_at = DateTimeField()


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """党群服务中心/站/点."""

    serializer_class = StationSerializer
    filterset_class = StationFilter
    queryset = ServiceStation.objects.filter(is_active=True).select_related("grid_node").order_by("kind", "name", "pk")


SLOTS_DAYS_AROUND = 366  # the days of slots one may ask for, before and after today


def _slots_day(raw: str) -> datetime.date:
    """The day of ``?date=``: today when absent; a date that is not one, or more than a year away, is a 400."""
    today = timezone.localdate()
    if not raw:
        return today
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or abs((day - today).days) > SLOTS_DAYS_AROUND:
        raise serializers.ValidationError({"date": [gettext("请填写一年之内的日期（YYYY-MM-DD）。")]})
    return day


class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    """共享空厅: bookable rooms, with their free slots of a day."""

    serializer_class = RoomSerializer
    filterset_class = RoomFilter
    queryset = Room.objects.filter(is_active=True).select_related("station", "unit").order_by("name", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date",
                OpenApiTypes.DATE,
                description=gettext_lazy("哪一天（YYYY-MM-DD），缺省为今天；前后一年之外或无法识别答 400"),
            )
        ],
        responses=RoomSlotSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def slots(self, request, pk=None):
        room = self.get_object()
        day = _slots_day(request.query_params.get("date", ""))
        return Response(
            [
                {"starts_at": s["starts_at"], "ends_at": s["ends_at"], "free": s["free"]}
                for s in selectors.free_slots(room, day)
            ]
        )


class BookingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BookingSerializer
    filterset_class = BookingFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.bookings_for(self.request.user).order_by("-starts_at", "-pk")

    @extend_schema(request=BookingCreateSerializer, responses={201: BookingSerializer})
    def create(self, request, *args, **kwargs):
        data = valid_data(BookingCreateSerializer, request)
        booking = actions.book_room(by=request.user, **data)
        return Response(BookingSerializer(booking, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def cancel(self, request, pk=None):
        booking = actions.cancel_booking(by=request.user, booking=self.get_object())
        return Response(BookingSerializer(booking, context={"request": request}).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def confirm(self, request, pk=None):
        """pending → confirmed, by the room's owners (409 if a confirmed booking holds the slot)."""
        booking = actions.confirm_booking(by=request.user, booking=self.get_object())
        return Response(BookingSerializer(booking, context={"request": request}).data)

    @extend_schema(request=BookingDeclineSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"], serializer_class=BookingDeclineSerializer)
    def decline(self, request, pk=None):
        """pending → declined, with the reason told to the resident."""
        booking = self.get_object()
        data = valid_data(BookingDeclineSerializer, request)
        booking = actions.decline_booking(by=request.user, booking=booking, reason=data["reason"])
        return Response(BookingSerializer(booking, context={"request": request}).data)


class MenuViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """服务菜单."""

    serializer_class = MenuItemSerializer
    filterset_class = MenuFilter
    cache_groups = ("menu", "units", "grid")

    def get_queryset(self):
        return selectors.menu_items().order_by("category__sort_order", "pk")


class OrderViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """点单: submitted → accepted → served → delivered (community confirms) → rated (cancelled; declined back)."""

    filterset_class = OrderFilter
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [CreateRateThrottle]
    throttle_scope = "order"

    def get_queryset(self):
        qs = selectors.orders_for(self.request.user).order_by("-submitted_at", "-pk")
        if self.action == "list":
            return selectors.as_order_rows(qs)
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("events", OrderEvent.objects.select_related("by", "unit")))
        return qs

    def get_serializer_class(self):
        return OrderDetailSerializer if self.action == "retrieve" else OrderSerializer

    def _done(self, order):
        order = self.get_queryset().prefetch_related("events").get(pk=order.pk)
        return Response(OrderDetailSerializer(order, context={"request": self.request}).data)

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = valid_data(OrderCreateSerializer, request)
        order = actions.submit_order(by=request.user, **data)
        # The new order as the action left it (its item, category, grid node, resident and one timeline event
        # in memory): the same answer as reading it again, three queries fewer.
        answer = OrderDetailSerializer(_as_created(order), context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=ServiceEmptySerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def accept(self, request, pk=None):
        return self._done(actions.accept_order(by=request.user, order=self.get_object()))

    @extend_schema(request=OrderDeclineSerializer, responses=OrderDeclinedSerializer)
    @action(detail=True, methods=["post"], serializer_class=OrderDeclineSerializer)
    def decline(self, request, pk=None):
        data = valid_data(OrderDeclineSerializer, request)
        order = actions.decline_order(by=request.user, order=self.get_object(), reason=data["reason"])
        # The order goes back to the other units: the declining unit no longer sees it, so it gets
        # the new state only (re-reading it through this unit's queryset was a 500).
        return Response({"id": order.pk, "status": order.status, "status_label": order.get_status_display()})

    @extend_schema(request=ServiceEmptySerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def serve(self, request, pk=None):
        """The serving unit marks the order served (已服务，待社区确认)."""
        return self._done(actions.serve_order(by=request.user, order=self.get_object()))

    @extend_schema(request=ServiceEmptySerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-delivery", serializer_class=ServiceEmptySerializer)
    def confirm_delivery(self, request, pk=None):
        """The community's grid worker or staff confirm delivery (社区送达), from served or accepted."""
        return self._done(actions.confirm_delivery(by=request.user, order=self.get_object()))

    @extend_schema(request=ServiceEmptySerializer, responses=OrderDetailSerializer, deprecated=True)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def deliver(self, request, pk=None):
        """Old name of ``confirm-delivery`` (社区送达, community staff only); the unit uses ``serve``."""
        return self._done(actions.confirm_delivery(by=request.user, order=self.get_object()))

    @extend_schema(request=ServiceRateSerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceRateSerializer)
    def rate(self, request, pk=None):
        data = valid_data(ServiceRateSerializer, request)
        return self._done(actions.rate_order(by=request.user, order=self.get_object(), **data))

    @extend_schema(request=ServiceEmptySerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def cancel(self, request, pk=None):
        return self._done(actions.cancel_order(by=request.user, order=self.get_object()))


class IssueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """居民说事: discovered → consulting → handling → feedback → evaluated, escalation, committee matters."""

    filterset_class = IssueFilter
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [CreateRateThrottle]
    throttle_scope = "issue"

    def get_queryset(self):
        qs = (
            selectors.issues_for(self.request.user)
            .prefetch_related(Prefetch("photos", IssuePhoto.objects.only("id", "issue_id", "image")))
            .order_by("-reported_at", "-pk")
        )
        if self.action != "list":
            qs = qs.prefetch_related(Prefetch("events", IssueEvent.objects.select_related("by")))
        return qs

    def get_serializer_class(self):
        return IssueSerializer if self.action == "list" else IssueDetailSerializer

    def _done(self, issue):
        issue = self.get_queryset().get(pk=issue.pk)
        return Response(IssueDetailSerializer(issue, context={"request": self.request}).data)

    @extend_schema(request={"multipart/form-data": IssueCreateSerializer}, responses={201: IssueDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = valid_data(IssueCreateSerializer, request)
        photos = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        data.pop("photos", None)
        issue = actions.report_issue(by=request.user, photos=photos, **data)
        if not hasattr(issue, "created_with"):  # published at once: its timeline grew, read it again
            response = self._done(issue)
            response.status_code = status.HTTP_201_CREATED
            return response
        # As the action left it (grid node, reporter, photos and one timeline event in memory): the same answer
        # as reading it again, three queries fewer.
        answer = IssueDetailSerializer(_as_created(issue), context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=IssueReplySerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=IssueReplySerializer)
    def move(self, request, pk=None):
        data = valid_data(IssueReplySerializer, request)
        return self._done(actions.move_issue(by=request.user, issue=self.get_object(), text=data.get("text", "")))

    @extend_schema(request=ServiceReasonSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceReasonSerializer)
    def escalate(self, request, pk=None):
        data = valid_data(ServiceReasonSerializer, request)
        return self._done(
            actions.escalate_issue(by=request.user, issue=self.get_object(), reason=data.get("reason", ""))
        )

    @extend_schema(request=ServiceRateSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceRateSerializer)
    def rate(self, request, pk=None):
        data = valid_data(ServiceRateSerializer, request)
        return self._done(actions.rate_issue(by=request.user, issue=self.get_object(), **data))

    @extend_schema(request=ServiceEmptySerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def publish(self, request, pk=None):
        """The reporter puts the issue on the public board (说事墙)."""
        return self._done(actions.publish_issue(by=request.user, issue=self.get_object()))

    @extend_schema(request=IssueTakeDownSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"], url_path="take-down", serializer_class=IssueTakeDownSerializer)
    def take_down(self, request, pk=None):
        """Staff of the issue's grid take it off the public board, saying why."""
        data = valid_data(IssueTakeDownSerializer, request)
        return self._done(actions.take_down_issue(by=request.user, issue=self.get_object(), reason=data["reason"]))

    @extend_schema(request=IssueMatterSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"], url_path="raise-matter", serializer_class=IssueMatterSerializer)
    def raise_matter(self, request, pk=None):
        data = valid_data(IssueMatterSerializer, request)
        return self._done(
            actions.raise_issue_as_matter(by=request.user, issue=self.get_object(), title=data.get("title", ""))
        )


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Activities with sign-up, cancel and check-in."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        return selectors.activities_with_counts().order_by("starts_at", "pk")

    def _done(self, activity):
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data)

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(
        detail=True,
        methods=["post"],
        serializer_class=ServiceEmptySerializer,
        permission_classes=[permissions.IsAuthenticated],
    )
    def signup(self, request, pk=None):
        activity = self.get_object()
        actions.sign_up(by=request.user, activity=activity)
        return self._done(activity)

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="cancel-signup",
        serializer_class=ServiceEmptySerializer,
        permission_classes=[permissions.IsAuthenticated],
    )
    def cancel_signup(self, request, pk=None):
        activity = self.get_object()
        actions.cancel_signup(by=request.user, activity=activity)
        return self._done(activity)

    @extend_schema(request=ActivityCheckInSerializer, responses=ActivityCheckInResultSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="check-in",
        serializer_class=ActivityCheckInSerializer,
        permission_classes=[permissions.IsAuthenticated],
    )
    def check_in(self, request, pk=None):
        """The organiser or staff in scope check a participant in: by ``signup``, ``user`` or ``phone``."""
        activity = self.get_object()
        data = valid_data(ActivityCheckInSerializer, request)
        signup = actions.check_in_person(
            by=request.user,
            activity=activity,
            signup_id=data.get("signup"),
            user_id=data.get("user"),
            phone=data.get("phone", ""),
        )
        return Response(
            {
                "signup": signup.pk,
                "user": signup.user_id,
                "name": signup.user.name,
                "checked_in_at": signup.checked_in_at,
            }
        )

    @extend_schema(responses=ActivitySignupSerializer(many=True), filters=False)
    @action(
        detail=True,
        methods=["get"],
        serializer_class=ActivitySignupSerializer,
        filterset_class=None,
        permission_classes=[permissions.IsAuthenticated],
    )
    def signups(self, request, pk=None):
        """The sign-up sheet (organiser and staff in scope): count + page, each with the person."""
        activity = self.get_object()
        if not actions.can_check_in(request.user, activity):
            raise PermissionDenied(gettext("只有活动所在网格的工作人员或主办单位可以查看报名名单。"))
        page = self.paginate_queryset(selectors.activity_signups_qs().filter(activity=activity))
        return self.get_paginated_response(ActivitySignupSerializer(page, many=True).data)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "key", "title", "body", "url", "status", "created_at", "sent_at", "read_at"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description=gettext_lazy("true（或 1）只列未读；其他值列全部")
            )
        ]
    )
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in account's own inbox; ``unread=true`` lists what is not yet read."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is built as an anonymous user
            return Notification.objects.none()
        qs = Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-pk")
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceEmptySerializer)
    def read(self, request, pk=None):
        note = self.get_object()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
        note.refresh_from_db()
        return Response(NotificationSerializer(note).data)


ROUTES = [
    ("stations", StationViewSet, "station"),
    ("rooms", RoomViewSet, "room"),
    ("bookings", BookingViewSet, "booking"),
    ("menu", MenuViewSet, "menu"),
    ("orders", OrderViewSet, "order"),
    ("issues", IssueViewSet, "issue"),
    ("activities", ActivityViewSet, "activity"),
    ("recurring-services", RecurringServiceViewSet, "recurring-service"),
    ("notifications", NotificationViewSet, "notification"),
    ("map", MapViewSet, "map"),
    ("public-issues", PublicIssueViewSet, "public-issue"),
]
