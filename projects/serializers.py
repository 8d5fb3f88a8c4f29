"""API shapes of the three lists. Status values are stable English words; ``*_label`` fields are Chinese."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from alliance.core.api_fields import FieldsBuiltOnce, ModelSerializer, read_text
from alliance.core.inputs import InputModelSerializer, model_char, model_choice
from alliance.core.privacy import mask_name, mask_phone
from projects.models import Category, Claim, Expenditure, Match, Need, Pledge, ProgressReport, Project, Resource, Wish


class CategorySerializer(ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "code", "parent", "sort_order"]


class ResourceSerializer(InputModelSerializer):
    category_name = read_text("category.__str__")
    unit_name = read_text("unit.name")
    grid_node_name = read_text("grid_node.name")

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "category",
            "category_name",
            "description",
            "unit",
            "unit_name",
            "grid_node",
            "grid_node_name",
            "quantity",
            "availability",
            "available_until",
            "status",
            "status_label",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]
        extra_kwargs = {"unit": {"required": False}, "grid_node": {"required": False}}


class NeedSerializer(InputModelSerializer):
    category_name = read_text("category.__str__")
    grid_node_name = read_text("grid_node.name")

    class Meta:
        model = Need
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "category",
            "category_name",
            "description",
            "grid_node",
            "grid_node_name",
            "people_affected",
            "urgency",
            "urgency_label",
            "wanted_by",
            "status",
            "status_label",
            "posted_by_unit",
            "review_note",
            "created_at",
        ]
        read_only_fields = ["status", "posted_by_unit", "review_note", "created_at"]


class NeedReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[
            ("approve", gettext_lazy("审核通过")),
            ("return", gettext_lazy("退回修改")),
            ("decline", gettext_lazy("不予采纳")),
        ]
    )
    note = model_char(Need, "review_note")


class ProjectSerializer(InputModelSerializer):
    category_name = read_text("category.__str__")
    grid_node_name = read_text("grid_node.name")
    pledged = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    free_places = serializers.IntegerField(read_only=True)
    free_individual_places = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "category",
            "category_name",
            "description",
            "grid_node",
            "grid_node_name",
            "capacity",
            "active_claims",
            "free_places",
            "allows_individuals",
            "individual_capacity",
            "active_individual_claims",
            "free_individual_places",
            "deadline",
            "budget",
            "crowdfunding_target",
            "pledged",
            "spent",
            "status",
            "status_label",
            "matter",
            "created_at",
            "published_at",
            "completed_at",
        ]
        read_only_fields = ["status", "matter", "created_at", "published_at", "completed_at"]


class ExpenditureSerializer(ModelSerializer):
    class Meta:
        model = Expenditure
        fields = ["id", "item", "amount", "spent_on"]


class PledgeSerializer(ModelSerializer):
    donor = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = ["id", "project", "donor", "kind", "kind_label", "amount", "goods", "pledged_at"]

    def get_donor(self, obj) -> str:
        # A person's name is masked on public lists; a unit's is not.
        return obj.unit.name if obj.unit_id else mask_name(obj.donor_name or _("爱心人士"))


class ProgressReportSerializer(ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "text", "created_at", "photos"]

    def get_photos(self, obj) -> list[str]:
        return [p.image.url for p in obj.photos.all()]


class ClaimSerializer(FieldsBuiltOnce, ModelSerializer):
    """A unit's claim (``unit``) or a person's (``person``, with the hours they reported); the person's phone is
    masked."""

    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    project_title = read_text("project.title")
    person_name = serializers.CharField(source="person.name", read_only=True, allow_null=True)
    person_phone = serializers.SerializerMethodField()

    def get_person_phone(self, obj) -> str:
        return mask_phone(obj.person.phone) if obj.person_id else ""

    class Meta:
        model = Claim
        fields = [
            "id",
            "project",
            "project_title",
            "unit",
            "unit_name",
            "person",
            "person_name",
            "person_phone",
            "hours",
            "status",
            "status_label",
            "note",
            "claimed_at",
            "decided_at",
            "decision_note",
            "started_at",
            "last_progress_at",
            "completed_at",
            "rating",
            "evaluation",
            "evaluated_at",
        ]
        read_only_fields = fields


class ClaimDetailSerializer(ClaimSerializer):
    reports = ProgressReportSerializer(many=True, read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "reports"]
        read_only_fields = fields


class MatchSerializer(ModelSerializer):
    need_title = read_text("need.title")
    target_name = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "need",
            "need_title",
            "kind",
            "kind_label",
            "target_id",
            "target_name",
            "resource",
            "unit",
            "member",
            "score",
            "reasons",
            "status",
            "status_label",
            "project",
            "created_at",
        ]
        read_only_fields = fields

    def get_target_name(self, obj) -> str:
        if obj.resource_id:
            return f"{obj.resource.unit.name}“{obj.resource.title}”"
        return str(obj.unit or obj.member or "")


class WishSerializer(InputModelSerializer):
    grid_node_name = read_text("grid_node.name")
    resident_name = serializers.SerializerMethodField()
    claimant = read_text("claimant_name")

    class Meta:
        model = Wish
        fields = [
            "id",
            "title",
            "description",
            "grid_node",
            "grid_node_name",
            "resident_name",
            "status",
            "status_label",
            "claimant",
            "claimed_at",
            "fulfilled_at",
            "thanks",
            "created_at",
        ]
        read_only_fields = ["status", "claimed_at", "fulfilled_at", "thanks", "created_at"]
        extra_kwargs = {"grid_node": {"required": False}}

    def get_resident_name(self, obj) -> str:
        return mask_name(obj.resident.name)


class NoteSerializer(FieldsBuiltOnce, serializers.Serializer):
    """A unit's note when it claims a project."""

    note = model_char(Claim, "note")


class DecisionNoteSerializer(serializers.Serializer):
    """The reviewer's note when a claim is approved or rejected."""

    note = model_char(Claim, "decision_note")


class EvaluateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = model_char(Claim, "evaluation")


class ReportSerializer(serializers.Serializer):
    """A progress report; a person's claim adds the hours served (0.5 to 24, by half hours)."""

    text = model_char(ProgressReport, "text")
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True, default=None)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class PledgeInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    kind = model_choice(Pledge, "kind")
    goods = model_char(Pledge, "goods")
    donor_name = model_char(Pledge, "donor_name")


class ExpenditureInputSerializer(serializers.Serializer):
    item = model_char(Expenditure, "item")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    spent_on = serializers.DateField()


class ReviewSerializer(serializers.Serializer):
    publish = serializers.BooleanField()
    note = model_char(Wish, "review_note")


class ThanksSerializer(serializers.Serializer):
    thanks = model_char(Wish, "thanks", required=True, allow_blank=False)


class RaisedMatterSerializer(serializers.Serializer):
    """What ``needs/{id}/raise-matter/`` answers: the committee matter the need became."""

    matter = serializers.IntegerField()
    title = serializers.CharField()


class ReportCreatedSerializer(serializers.Serializer):
    """What ``claims/{id}/report/`` answers: the progress report recorded."""

    id = serializers.IntegerField()
    text = serializers.CharField()
