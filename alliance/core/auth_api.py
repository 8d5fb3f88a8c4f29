"""POST /api/v1/auth/token/ (a token for a username and password) and /api/v1/auth/logout/ (revoke it)."""

from django.contrib.auth import get_user_model
from django.contrib.auth import logout as session_logout
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.core.authentication import is_expired
from alliance.core.inputs import model_char

User = get_user_model()

LOCKED = _("登录失败次数过多，已暂时锁定，请15分钟后再试。")


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's username and password, bounded before they reach authentication and django-axes' log."""

    username = model_char(User, "username", write_only=True)
    password = serializers.CharField(
        label=_("密码"), style={"input_type": "password"}, trim_whitespace=False, write_only=True, max_length=128
    )


class ObtainExpiringToken(ObtainAuthToken):
    """Username and password → a token; an expired token is replaced by a new one."""

    serializer_class = TokenRequestSerializer

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        summary="用账号和密码换取 API 令牌",
        description="令牌在签发后 API_TOKEN_TTL_DAYS 天（默认30天）过期；修改密码、账号停用或调用 /api/v1/auth/logout/ 后立即失效。",
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="账号或密码错误"),
            429: OpenApiResponse(description="登录失败次数过多，暂时锁定"),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):  # django-axes refused (alliance.core.login_throttle)
                return Response({"detail": LOCKED}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise ValidationError(serializer.errors)
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
