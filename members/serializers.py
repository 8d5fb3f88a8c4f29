"""API shapes of member units and party members. Phones are masked unless the viewer serves the unit."""

from rest_framework import serializers

from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.privacy import mask_phone
from members.models import (
    MemberUnit,
    Pairing,
    PairingCommitment,
    PairingReview,
    PairingService,
    PartyMember,
    PartyOrganization,
    Skill,
)
from members.selectors import unit_in_viewer_scope


class PartyOrganizationSerializer(ModelSerializer):
    class Meta:
        model = PartyOrganization
        fields = ["name", "kind", "kind_label", "secretary", "member_count"]


class MemberUnitSerializer(ModelSerializer):
    grid_node_name = read_text("grid_node.name")
    street = serializers.IntegerField(source="grid_node.street_id", read_only=True)
    contact_phone = serializers.SerializerMethodField()
    party_organization = serializers.SerializerMethodField()

    class Meta:
        model = MemberUnit
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "credit_code",
            "address",
            "grid_node",
            "grid_node_name",
            "street",
            "contact_name",
            "contact_phone",
            "joined_on",
            "status",
            "status_label",
            "star_rating",
            "introduction",
            "logo",
            "party_organization",
        ]

    def get_contact_phone(self, unit) -> str:
        request = self.context.get("request")
        if request is not None and unit_in_viewer_scope(unit, request.user):
            return unit.contact_phone
        return mask_phone(unit.contact_phone)

    def get_party_organization(self, unit) -> dict | None:
        try:
            org = unit.party_organization
        except PartyOrganization.DoesNotExist:
            return None
        return PartyOrganizationSerializer(org).data


class PartyMemberSerializer(ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)
    community_name = read_text("community.name")
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
            "phone",
            "unit",
            "unit_name",
            "community",
            "community_name",
            "reported_on",
            "skills",
            "availability",
            "availability_label",
            "joined_party_on",
            "is_active",
        ]


class SkillCountSerializer(ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "name", "member_count"]


class PairingCommitmentSerializer(ModelSerializer):
    class Meta:
        model = PairingCommitment
        fields = ["id", "side", "side_label", "text"]


class PairingServiceSerializer(ModelSerializer):
    class Meta:
        model = PairingService
        fields = ["id", "served_on", "side", "side_label", "what", "people_served", "hours", "link_text"]


class PairingReviewSerializer(ModelSerializer):
    class Meta:
        model = PairingReview
        fields = ["id", "year", "rating", "summary"]


class PairingSerializer(ModelSerializer):
    """A pairing: both sides, the term, what each side promised and what was done under it."""

    unit_name = read_text("unit.name")
    partner_name = serializers.CharField(read_only=True)
    community_name = serializers.CharField(source="community.name", default="", read_only=True)
    partner_unit_name = serializers.CharField(source="partner_unit.name", default="", read_only=True)
    commitments = PairingCommitmentSerializer(many=True, read_only=True)
    services = PairingServiceSerializer(many=True, read_only=True, source="deliveries")
    reviews = PairingReviewSerializer(many=True, read_only=True)
    has_agreement = serializers.SerializerMethodField()

    class Meta:
        model = Pairing
        fields = [
            "id",
            "unit",
            "unit_name",
            "community",
            "community_name",
            "partner_unit",
            "partner_unit_name",
            "partner_name",
            "grid_node",
            "starts_on",
            "ends_on",
            "status",
            "status_label",
            "has_agreement",
            "commitments",
            "services",
            "reviews",
        ]

    def get_has_agreement(self, pairing) -> bool:
        return bool(pairing.agreement)
