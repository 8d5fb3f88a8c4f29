"""API shapes of member units and party members. Phones are masked unless the viewer serves the unit."""

from rest_framework import serializers

from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.privacy import mask_phone
from members.models import MemberUnit, PartyMember, PartyOrganization, Skill
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
