"""API bodies of residents' proposals: what anyone may read (no names but a masked one, never a phone), and
the inputs of proposing, commenting and moderating."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.inputs import model_char, record_id
from alliance.proposals import selectors
from alliance.proposals.models import TEXT_MAX, Comment, Proposal, ProposalEvent


class ProposalSerializer(ModelSerializer):
    community_name = read_text("community.name")
    micro_grid_name = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()
    matter = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "community",
            "community_name",
            "micro_grid",
            "micro_grid_name",
            "location",
            "status",
            "status_label",
            "stage",
            "author",
            "support_count",
            "submitted_at",
            "published_at",
            "supports_close_at",
            "merged_into",
            "raised_at",
            "matter",
        ]
        read_only_fields = fields

    def get_micro_grid_name(self, obj) -> str:
        return obj.micro_grid.name if obj.micro_grid_id else ""

    def get_author(self, obj) -> str:
        return selectors.author_label(obj)

    def get_stage(self, obj) -> str:
        return selectors.stage(obj)[0]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "committee": {"type": "string"},
                "status": {"type": "string"},
                "status_label": {"type": "string"},
                "resolution": {"type": "string"},
                "defer_reason": {"type": "string"},
                "progress": {"type": "integer"},
                "progress_note": {"type": "string"},
            },
        }
    )
    def get_matter(self, obj):
        """The committee's matter the proposal became, as far as it is public: its result and follow-up."""
        m = obj.matter
        if m is None:
            return None
        return {
            "committee": m.committee.name,
            "status": m.status,
            "status_label": m.get_status_display(),
            "resolution": m.resolution,
            "defer_reason": m.defer_reason,
            "progress": m.progress,
            "progress_note": m.progress_note,
        }


class ProposalDetailSerializer(ProposalSerializer):
    photos = serializers.SerializerMethodField()
    decline_reason = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "text", "lat", "lng", "photos", "decline_reason"]
        read_only_fields = fields

    def get_photos(self, obj) -> list[str]:
        return [p.image.url for p in obj.photos.all()]

    def get_decline_reason(self, obj) -> str:
        """Shown to the author and the community's staff (who see a declined proposal at all)."""
        return obj.decline_reason


class ProposalCreateSerializer(serializers.Serializer):
    title = model_char(Proposal, "title")
    text = model_char(Proposal, "text", max_length=TEXT_MAX)
    community = record_id(required=False)
    micro_grid = record_id(required=False)
    location = model_char(Proposal, "location")
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=10)


class CommentSerializer(ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = fields

    def get_author(self, obj) -> str:
        return selectors.masked(obj.author)


class CommentCreateSerializer(serializers.Serializer):
    text = model_char(Comment, "text")


class DeclineSerializer(serializers.Serializer):
    reason = model_char(Proposal, "decline_reason", required=True, allow_blank=False)


class MergeSerializer(serializers.Serializer):
    into = record_id()
    reason = model_char(ProposalEvent, "note")
