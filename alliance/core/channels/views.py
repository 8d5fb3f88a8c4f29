"""Receipts pushed by the SMS providers: /channels/sms/receipts/<provider>/<token>/.

Alibaba Cloud (SmsReport, HTTP batch push) and Tencent Cloud (短信下发状态回调) post a JSON array; each
item is read through a serializer (anything else is a 400), the token in the address must equal
``SMS_RECEIPT_TOKEN`` (no token configured: 404), and each provider gets the answer it expects.
"""

import hmac

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.core.channels.receipts import apply_receipt
from alliance.core.inputs import LineField

MAX_ITEMS = 500


class AliyunReceiptSerializer(serializers.Serializer):
    biz_id = LineField(max_length=100)
    success = serializers.BooleanField()
    err_code = LineField(max_length=100, required=False, allow_blank=True, default="")


class TencentReceiptSerializer(serializers.Serializer):
    sid = LineField(max_length=100)
    report_status = serializers.ChoiceField(choices=["SUCCESS", "FAIL"])
    errmsg = LineField(max_length=100, required=False, allow_blank=True, default="")


PROVIDERS = {
    # provider: (item serializer, id field, delivered(item), error(item), answer)
    "aliyun": (
        AliyunReceiptSerializer,
        lambda item: item["biz_id"],
        lambda item: item["success"],
        lambda item: item["err_code"],
        {"code": 0, "msg": "成功"},
    ),
    "tencent": (
        TencentReceiptSerializer,
        lambda item: item["sid"],
        lambda item: item["report_status"] == "SUCCESS",
        lambda item: item["errmsg"],
        {"result": 0, "errmsg": "OK"},
    ),
}


@extend_schema(exclude=True)  # the providers' callback, not part of the portal's API
class SmsReceiptView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def post(self, request, provider: str, token: str):
        expected = settings.SMS_RECEIPT_TOKEN
        if provider not in PROVIDERS or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            raise Http404
        serializer_class, message_id, delivered, error, answer = PROVIDERS[provider]
        items: serializers.ListSerializer = serializers.ListSerializer(
            child=serializer_class(), data=request.data, max_length=MAX_ITEMS
        )
        items.is_valid(raise_exception=True)
        for item in items.validated_data:
            apply_receipt(message_id=message_id(item), delivered=delivered(item), error=error(item))
        return Response(answer)


sms_receipt = SmsReceiptView.as_view()
