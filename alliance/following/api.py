"""API of alliance.following: /api/v1/follows/ — the caller's own follows: list, read, follow, change, unfollow,
every write through alliance.following.actions."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from alliance.core.inputs import valid_data
from alliance.following import actions
from alliance.following.models import Follow
from alliance.following.serializers import (
    FollowChoicesSerializer,
    FollowCreateSerializer,
    FollowPatchSerializer,
    FollowSerializer,
)


class FollowViewSet(viewsets.ModelViewSet):
    """关注: a signed-in person's follows of communities and micro-grids (another's follow answers 404)."""

    serializer_class = FollowSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Follow.objects.filter(user_id=self.request.user.pk).select_related("node").order_by("node__path", "pk")

    def _answer(self, follow, code=status.HTTP_200_OK):
        follow = self.get_queryset().get(pk=follow.pk)
        return Response(FollowSerializer(follow, context={"request": self.request}).data, status=code)

    @extend_schema(request=FollowCreateSerializer, responses={201: FollowSerializer})
    def create(self, request, *args, **kwargs):
        data = valid_data(FollowCreateSerializer, request)
        return self._answer(actions.follow(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=FollowChoicesSerializer, responses=FollowSerializer)
    def update(self, request, *args, **kwargs):
        follow = self.get_object()
        data = valid_data(FollowChoicesSerializer, request)
        return self._answer(actions.update_follow(by=request.user, follow=follow, **data))

    @extend_schema(request=FollowPatchSerializer, responses=FollowSerializer)
    def partial_update(self, request, *args, **kwargs):
        follow = self.get_object()
        data = {"topics": follow.topics, "frequency": follow.frequency, "channel": follow.channel}
        data.update(valid_data(FollowPatchSerializer, request))
        return self._answer(actions.update_follow(by=request.user, follow=follow, **data))

    def destroy(self, request, *args, **kwargs):
        actions.unfollow(by=request.user, follow=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [("follows", FollowViewSet, "follow")]
