"""The OpenAPI schema's one layer for what every operation shares (``DEFAULT_SCHEMA_CLASS``).

- Every operation documents its error answers with their body (the shape ``alliance.core.api_errors`` gives):
  400 field errors (``{"field": ["…"]}``, ``{"detail": "…"}`` for an unreadable body), 401 / 403 / 404 /
  409 / 429 ``{"detail": "…"}``, and an operation taking a body 415. An operation that declares its own
  answer for a code keeps it.
- ``ordering`` names the fields a list may be ordered by (unknown names are ignored, as DRF does).
- Times of day (``TimeField``) are "HH:MM[:SS]" without an offset, so they are declared by a pattern:
  JSON Schema's ``format: time`` is RFC 3339's full-time, which requires an offset.
"""

import contextlib
import re

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_view_model
from drf_spectacular.utils import OpenApiResponse
from rest_framework import filters, serializers
from rest_framework.generics import GenericAPIView

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


class ErrorDetailSerializer(serializers.Serializer):
    """The body of 401, 403, 404, 409 and 429 answers."""

    detail = serializers.CharField(help_text="说明原因的中文信息")


# A 400 names the fields it refuses (each with its messages; nested serializers nest), or gives
# ``detail`` / ``non_field_errors`` for the body as a whole.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "字段名 → 错误信息列表；整体错误在 detail 或 non_field_errors 中。",
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {}},
            {"type": "object"},
        ]
    },
}

ERRORS = {
    "400": "请求的参数或内容无效",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "对象不存在或不在您的范围内",
    "409": "操作与对象的当前状态冲突",
    "429": "请求过于频繁，请稍后再试",
}
UNSUPPORTED_MEDIA_TYPE = "请求内容的格式不受支持"


class AutoSchema(SpectacularAutoSchema):
    def _error_response(self, code: str) -> dict:
        if code == "400":
            component = ResolvedComponent(
                name="ValidationError",
                type=ResolvedComponent.SCHEMA,
                schema=VALIDATION_ERROR_SCHEMA,
                object="ValidationError",
            )
            self.registry.register_on_missing(component)
            return self._get_response_for_code(
                OpenApiResponse(response=component.ref, description=ERRORS[code]), code, ["application/json"]
            )
        description = ERRORS.get(code, UNSUPPORTED_MEDIA_TYPE)
        return self._get_response_for_code(
            OpenApiResponse(response=ErrorDetailSerializer, description=description), code, ["application/json"]
        )

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = list(ERRORS) + (["415"] if self.method in ("POST", "PUT", "PATCH") else [])
        for code in codes:
            if code not in responses:
                responses[code] = self._error_response(code)
            elif "content" not in responses[code]:  # declared with a description only: the body is the same
                responses[code]["content"] = self._error_response(code)["content"]
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            return {"type": "string", "pattern": TIME_PATTERN, "example": "08:30:00"}
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _ordering_fields(self, backend) -> list[str]:
        fields = getattr(self.view, "ordering_fields", None)
        if fields is not None and fields != "__all__":
            return [field if isinstance(field, str) else field[0] for field in fields]
        queryset = None
        if isinstance(self.view, GenericAPIView):
            with contextlib.suppress(Exception):  # a queryset that needs a request: the model's columns below
                queryset = self.view.get_queryset()
        if queryset is None:
            model = get_view_model(self.view, emit_warnings=False)
            if model is None:
                return []
            queryset = model.objects.none()
        return [name for name, _label in backend.get_valid_fields(queryset, self.view)]

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        backends = [backend() for backend in self.get_filter_backends()]
        ordering = next((backend for backend in backends if isinstance(backend, filters.OrderingFilter)), None)
        for parameter in parameters:
            if ordering is not None and parameter["name"] == ordering.ordering_param:
                fields = self._ordering_fields(ordering)
                if fields:
                    term = "-?(" + "|".join(re.escape(field) for field in fields) + ")"
                    parameter["schema"] = {"type": "string", "pattern": f"^{term}(,{term})*$"}
                    parameter["description"] = (
                        "排序字段，多个以逗号分隔，前加 - 为倒序；可用：" + "、".join(fields) + "。其他名称忽略。"
                    )
        return parameters
