"""POST /api/v1/auth/token/ (a token for a username and password) and /api/v1/auth/logout/ (revoke it)."""

from django.contrib.auth import logout as session_logout
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.authentication import is_expired


class ObtainExpiringToken(ObtainAuthToken):
    """Username and password → a token; an expired token is replaced by a new one."""

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        if is_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class Logout(APIView):
    """Revoke the caller's API token (and end the session when signed in by one)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        summary="撤销登录凭证",
        description="删除调用者的 API 令牌；之后该令牌的请求一律 401。",
        request=None,
        responses={204: OpenApiResponse(description="令牌已撤销"), 401: OpenApiResponse(description="未登录")},
    )
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        if not isinstance(request.successful_authenticator, TokenAuthentication):
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


obtain_token = ObtainExpiringToken.as_view()
logout = Logout.as_view()
