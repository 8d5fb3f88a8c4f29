"""API shapes of residents' services. Residents' phone and address are masked unless the reader may see them."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from alliance.committee.models import Matter
from alliance.core.api_fields import FieldsBuiltOnce, ModelSerializer, read_text
from alliance.core.inputs import LockedRecordField, model_char, model_choice, model_int, record_id
from alliance.core.privacy import mask_name
from members.models import User
from services import selectors
from services.models import (
    Activity,
    ActivitySignup,
    Booking,
    Issue,
    IssueEvent,
    MenuItem,
    Order,
    OrderEvent,
    Room,
    ServiceStation,
)


class StationSerializer(ModelSerializer):
    grid_node_name = read_text("grid_node.name")

    class Meta:
        model = ServiceStation
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "grid_node",
            "grid_node_name",
            "address",
            "hours",
            "phone",
            "head_name",
            "star_rating",
            "description",
        ]


class RoomSerializer(ModelSerializer):
    owner_name = serializers.CharField(read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "name",
            "station",
            "unit",
            "owner_name",
            "grid_node",
            "capacity",
            "facilities",
            "opens_at",
            "closes_at",
        ]


class BookingSerializer(FieldsBuiltOnce, ModelSerializer):
    room_name = read_text("room.__str__")
    booked_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "room",
            "room_name",
            "starts_at",
            "ends_at",
            "purpose",
            "attendees",
            "status",
            "status_label",
            "booked_by_name",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]

    def get_booked_by_name(self, obj) -> str:
        user = self.context["request"].user
        return obj.booked_by.name if obj.booked_by_id == user.pk else mask_name(obj.booked_by.name)


class MenuItemSerializer(ModelSerializer):
    category_name = read_text("category.__str__")
    provider_name = serializers.CharField(read_only=True)
    grid_scope_name = read_text("grid_scope.name")

    class Meta:
        model = MenuItem
        fields = [
            "id",
            "title",
            "category",
            "category_name",
            "description",
            "provider_unit",
            "provider_station",
            "provider_name",
            "grid_scope",
            "grid_scope_name",
            "availability",
            "capacity_per_day",
        ]


class OrderEventSerializer(FieldsBuiltOnce, ModelSerializer):
    by_name = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)

    class Meta:
        model = OrderEvent
        fields = ["kind", "kind_label", "by_name", "unit_name", "note", "at"]

    def get_by_name(self, obj) -> str:
        return mask_name(obj.by.name) if obj.by_id else _("系统")


class OrderSerializer(FieldsBuiltOnce, ModelSerializer):
    title = serializers.CharField(read_only=True)
    category_name = read_text("category.__str__")
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)
    resident_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "title",
            "menu_item",
            "category",
            "category_name",
            "text",
            "grid_node",
            "resident_name",
            "contact_phone",
            "address",
            "wanted_on",
            "status",
            "status_label",
            "unit",
            "unit_name",
            "submitted_at",
            "accepted_at",
            "served_at",
            "delivered_at",
            "rated_at",
            "rating",
            "comment",
            "cancelled_at",
        ]

    def _contact(self, obj):
        return selectors.contact_of(self.context["request"].user, obj)

    def get_contact_phone(self, obj) -> str:
        return self._contact(obj)["phone"]

    def get_address(self, obj) -> str:
        return self._contact(obj)["address"]

    def get_resident_name(self, obj) -> str:
        user = self.context["request"].user
        name = obj.resident.name
        return name if selectors.can_see_contact(user, obj) else mask_name(name)


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "events"]


class OrderCreateSerializer(FieldsBuiltOnce, serializers.Serializer):
    menu_item = LockedRecordField(MenuItem, required=False)  # submit_order reads and checks it under its lock
    category = serializers.PrimaryKeyRelatedField(
        queryset=MenuItem._meta.get_field("category").related_model.objects.filter(is_active=True), required=False
    )
    # A resident's free text has a product limit of 1,000 characters (the column itself is unbounded).
    text = model_char(Order, "text", max_length=1000)
    contact_phone = model_char(Order, "contact_phone")
    address = model_char(Order, "address")
    wanted_on = serializers.DateField(required=False, allow_null=True)


class ServiceRateSerializer(serializers.Serializer):
    """An order's or an issue's rating (``Order.comment`` and ``Issue.rating_comment`` have one length)."""

    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = model_char(Order, "comment")


class ServiceReasonSerializer(serializers.Serializer):
    """A unit's reason to decline (kept as the timeline's note) or a worker's reason to escalate."""

    reason = model_char(OrderEvent, "note")


class BookingDeclineSerializer(serializers.Serializer):
    """Why a pending booking is declined (told to the resident)."""

    reason = model_char(Booking, "decline_reason", required=True)


class OrderDeclineSerializer(serializers.Serializer):
    """A unit's reason to decline an order: required, the resident reads it on the order."""

    reason = model_char(OrderEvent, "note", required=True, allow_blank=False)


class IssueReplySerializer(serializers.Serializer):
    text = model_char(IssueEvent, "text", max_length=2000)


class IssueTakeDownSerializer(serializers.Serializer):
    reason = model_char(Issue, "takedown_reason", required=True, allow_blank=False)


class IssueMatterSerializer(serializers.Serializer):
    title = model_char(Matter, "title", required=False, allow_blank=True)


class IssueEventSerializer(FieldsBuiltOnce, ModelSerializer):
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = IssueEvent
        fields = ["kind", "kind_label", "status", "status_label", "level", "level_label", "by_name", "text", "at"]

    def get_by_name(self, obj) -> str:
        return mask_name(obj.by.name) if obj.by_id else _("系统")


class IssueSerializer(FieldsBuiltOnce, ModelSerializer):
    grid_node_name = read_text("grid_node.name")
    reporter_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    point = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = [
            "id",
            "title",
            "text",
            "channel",
            "channel_label",
            "grid_node",
            "grid_node_name",
            "reporter_name",
            "contact_phone",
            "location",
            "point",
            "status",
            "status_label",
            "level",
            "level_label",
            "reported_at",
            "step_started_at",
            "rating",
            "rating_comment",
            "reopened",
            "matter",
            "photos",
            "is_public",
            "taken_down_at",
            "takedown_reason",
        ]

    def get_reporter_name(self, obj) -> str:
        user = self.context["request"].user
        return obj.reporter.name if selectors.can_see_contact(user, obj) else mask_name(obj.reporter.name)

    def get_contact_phone(self, obj) -> str:
        return selectors.contact_of(self.context["request"].user, obj)["phone"]

    def get_location(self, obj) -> str:
        return selectors.contact_of(self.context["request"].user, obj)["address"]

    def get_point(self, obj) -> dict | None:
        """The place on the map, to those who may see the address (the reporter and the staff in scope)."""
        if obj.lat is None or not selectors.can_see_contact(self.context["request"].user, obj):
            return None
        return {"lat": float(obj.lat), "lng": float(obj.lng)}

    def get_photos(self, obj) -> list[str]:
        return [p.image.url for p in obj.photos.all()]


class IssueDetailSerializer(IssueSerializer):
    events = IssueEventSerializer(many=True, read_only=True)

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "events"]


class IssueCreateSerializer(FieldsBuiltOnce, serializers.Serializer):
    title = model_char(Issue, "title")
    text = model_char(Issue, "text", max_length=2000)
    channel = model_choice(Issue, "channel")
    grid_node = serializers.PrimaryKeyRelatedField(
        queryset=Issue._meta.get_field("grid_node").related_model.objects.all(), required=False
    )
    location = model_char(Issue, "location")
    # The place picked on a map (WGS84); the action finds the micro-grid holding it, or checks the one given.
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False)
    contact_phone = model_char(Issue, "contact_phone")
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=10)
    # 公开到说事墙: only the text, the place and the stage are shown there, never the reporter or the phone.
    is_public = serializers.BooleanField(required=False, default=False)


class ActivitySerializer(ModelSerializer):
    grid_node_name = read_text("grid_node.name")
    signed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "organiser",
            "organiser_unit",
            "recurring_service",
            "occurs_on",
            "grid_node",
            "grid_node_name",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "signed_count",
            "points",
            "description",
            "status",
            "status_label",
        ]


class BookingCreateSerializer(FieldsBuiltOnce, serializers.Serializer):
    room = LockedRecordField(Room)  # book_room reads and checks it under its lock
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    purpose = model_char(Booking, "purpose")
    attendees = model_int(Booking, "attendees", min_value=1)


class ActivityCheckInSerializer(serializers.Serializer):
    """Who checks in: one of a sign-up id (from ``signups/``), the person's account id, or their phone number."""

    signup = record_id(required=False)
    user = record_id(required=False)
    phone = model_char(User, "phone", required=False)

    def validate(self, attrs):
        if len(attrs) != 1:
            raise serializers.ValidationError(_("请给出报名记录、报名人或报名人的手机号码（三选一）。"))
        return attrs


class ActivitySignupSerializer(ModelSerializer):
    """One line of an activity's sign-up sheet, for the organiser and staff in scope."""

    name = read_text("user.name")
    phone = read_text("user.phone")

    class Meta:
        model = ActivitySignup
        fields = ["id", "user", "name", "phone", "status", "status_label", "signed_up_at", "checked_in_at"]
