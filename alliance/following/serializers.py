"""The API's follows: what a follow reads as, and the body that creates or changes one."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.core.feeds import Topic
from alliance.following.models import DigestChannel, Follow, Frequency
from grids.models import GridNode


class FollowSerializer(serializers.ModelSerializer):
    node_name = serializers.CharField(source="node.name", read_only=True)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices), read_only=True)

    class Meta:
        model = Follow
        fields = ["id", "node", "node_name", "topics", "frequency", "channel", "created_at", "updated_at"]
        read_only_fields = fields


class FollowChoicesSerializer(serializers.Serializer):
    """The topics, frequency and channel of a follow (the body of an update)."""

    topics = serializers.MultipleChoiceField(choices=Topic.choices, allow_empty=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    channel = serializers.ChoiceField(choices=DigestChannel.choices)

    def validate_topics(self, value):
        return [t for t in Topic.values if t in value]


class FollowCreateSerializer(FollowChoicesSerializer):
    """A new follow: the community or micro-grid, and the choices."""

    node = serializers.PrimaryKeyRelatedField(
        queryset=GridNode.objects.all(), error_messages={"does_not_exist": _("网格不存在。")}
    )


class FollowPatchSerializer(FollowChoicesSerializer):
    """Some of the choices (a partial update)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
