"""What the API shows of an assessment: its weights and, on the detail, every result row."""

from alliance.assessment.models import WEIGHT_FIELDS, Assessment, AssessmentResult
from alliance.core.api_fields import ModelSerializer, read_text


class AssessmentResultSerializer(ModelSerializer):
    class Meta:
        model = AssessmentResult
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject_id",
            "name",
            "grid_node",
            "rank",
            "grade",
            "grade_label",
            "total",
            "claims_done",
            "claims_rating",
            "claims_score",
            "orders_delivered",
            "orders_rating",
            "services_score",
            "meetings_invited",
            "meetings_attended",
            "meetings_score",
            "issues_reported",
            "issues_in_time",
            "issues_score",
            "satisfaction_avg",
            "satisfaction_count",
            "satisfaction_score",
        ]
        read_only_fields = fields


class AssessmentSerializer(ModelSerializer):
    street_name = read_text("street.name")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "street",
            "street_name",
            "year",
            "status",
            "status_label",
            *WEIGHT_FIELDS,
            "computed_at",
            "published_at",
        ]
        read_only_fields = fields


class AssessmentDetailSerializer(AssessmentSerializer):
    results = AssessmentResultSerializer(many=True, read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "results"]
        read_only_fields = fields
