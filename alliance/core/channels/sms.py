"""SMS through Alibaba Cloud (阿里云短信, ``alibabacloud_dysmsapi20170525``) or Tencent Cloud (腾讯云短信).

``SMS_SENDER = "alliance.core.channels.sms.AliyunSmsSender"`` (or ``TencentSmsSender``) with the keys,
region, signature and templates of settings. A refusal that no retry can cure (a bad number, a template
or signature not approved, parameters refused) raises ``PermanentSendError``; anything else (rate limits,
the provider's own errors, timeouts, a broken connection) is raised as it is and the delivery is retried
with the kernel's backoff. ``send`` returns the provider's id of the message, which receipts name.
"""

import datetime
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from alliance.core.channels.kinds import template_for
from alliance.core.senders import PermanentSendError

log = logging.getLogger(__name__)

# Alibaba Cloud's codes that no retry cures (https://help.aliyun.com/document_detail/101346.html).
ALIYUN_PERMANENT = frozenset(
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.MOBILE_COUNT_OVER_LIMIT",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.SMS_SIGN_ILLEGAL",
        "isv.SMS_CONTENT_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.TEMPLATE_PARAMS_ILLEGAL",
        "isv.INVALID_PARAMETERS",
        "isv.INVALID_JSON_PARAM",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.PARAM_NOT_SUPPORT_URL",
        "isv.BLACK_KEY_CONTROL_LIMIT",
        "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
        "isv.EXTEND_CODE_ERROR",
        "MissingPhoneNumbers",
        "MissingSignName",
        "MissingTemplateCode",
    }
)
# Tencent Cloud's codes (and families) that no retry cures (https://cloud.tencent.com/document/api/382/55981).
TENCENT_PERMANENT = (
    "InvalidParameterValue.",
    "InvalidParameter.",
    "MissingParameter",
    "UnsupportedOperation.",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.PhoneNumberParseFail",
    "FailedOperation.ContainSensitiveWord",
)


class ProviderError(Exception):
    """The provider refused this time (rate limit, its own error): the delivery is retried."""


def _endpoint() -> tuple[str, str]:
    """(scheme, host[:port]) of ``SMS_ENDPOINT``, or ("", "") for the SDK's own endpoint."""
    raw = settings.SMS_ENDPOINT.strip()
    if not raw:
        return "", ""
    parts = urlsplit(raw if "://" in raw else f"https://{raw}")
    return parts.scheme, parts.netloc


def _template(kind: str, title: str, body: str, url: str, params) -> tuple[str, dict[str, str]]:
    return template_for(
        settings.SMS_TEMPLATES,
        kind,
        title=title,
        body=body,
        url=url,
        params=params,
        limit=settings.SMS_PARAM_MAX_LENGTH,
        channel="短信",
    )


class AliyunSmsSender:
    """阿里云短信服务: SendSms with the signature and the kind's template; receipts by QuerySendDetails."""

    def __init__(self, channel: str = "sms"):
        self.channel = channel

    def client(self):
        # The SDKs are imported when a provider is configured: the console default needs neither.
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        scheme, host = _endpoint()
        timeout_ms = int(settings.SMS_TIMEOUT_SECONDS * 1000)
        return Client(
            Config(
                access_key_id=settings.SMS_ACCESS_KEY_ID,
                access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
                region_id=settings.SMS_REGION or "cn-hangzhou",
                endpoint=host or None,
                protocol=scheme or "https",
                read_timeout=timeout_ms,
                connect_timeout=timeout_ms,
            )
        )

    def _runtime(self):
        # The SDK is imported with the client (see above).
        from darabonba.runtime import RuntimeOptions

        # One attempt per call: the kernel retries with its own backoff and records each attempt.
        timeout_ms = int(settings.SMS_TIMEOUT_SECONDS * 1000)
        return RuntimeOptions(autoretry=False, read_timeout=timeout_ms, connect_timeout=timeout_ms)

    def _call(self, method: str, request):
        # The SDK is imported with the client (see above).
        from Tea.exceptions import TeaException

        try:
            return getattr(self.client(), method)(request, self._runtime())
        except TeaException as exc:
            code = str(getattr(exc, "code", "") or "")
            message = f"阿里云短信 {code}：{getattr(exc, 'message', '') or exc}"
            if code in ALIYUN_PERMANENT:
                raise PermanentSendError(message) from exc
            raise ProviderError(message) from exc

    def send(self, *, address: str, title: str, body: str = "", url: str = "", kind: str = "", params=None) -> str:
        # The SDK is imported with the client (see above).
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest

        template, values = _template(kind, title, body, url, params)
        request = SendSmsRequest(
            phone_numbers=address,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=template,
            template_param=json.dumps(values, ensure_ascii=False),
        )
        answer = self._call("send_sms_with_options", request).body
        if answer.code != "OK":
            message = f"阿里云短信 {answer.code}：{answer.message}"
            if answer.code in ALIYUN_PERMANENT:
                raise PermanentSendError(message)
            raise ProviderError(message)
        return answer.biz_id or ""

    def receipt(self, *, address: str, message_id: str, sent_at: datetime.datetime) -> tuple[bool, str] | None:
        """The receipt of one message: (delivered, error code), or None while the provider waits for it."""
        # The SDK is imported with the client (see above).
        from alibabacloud_dysmsapi20170525.models import QuerySendDetailsRequest

        request = QuerySendDetailsRequest(
            phone_number=address,
            biz_id=message_id,
            send_date=timezone.localtime(sent_at).strftime("%Y%m%d"),
            page_size=10,
            current_page=1,
        )
        answer = self._call("query_send_details_with_options", request).body
        if answer.code != "OK":
            raise ProviderError(f"阿里云短信 {answer.code}：{answer.message}")
        rows = answer.sms_send_detail_dtos.sms_send_detail_dto if answer.sms_send_detail_dtos else []
        for row in rows or []:
            if row.send_status == 3:
                return True, ""
            if row.send_status == 2:
                return False, row.err_code or "UNDELIVERED"
        return None


class TencentSmsSender:
    """腾讯云短信: SendSms (API 2021-01-11) with the SmsSdkAppId, signature and the kind's template.

    Receipts are pushed by Tencent Cloud to the receipt endpoint (``receipts``).
    """

    def __init__(self, channel: str = "sms"):
        self.channel = channel

    def client(self):
        # The SDKs are imported when a provider is configured: the console default needs neither.
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111.sms_client import SmsClient

        scheme, host = _endpoint()
        profile = HttpProfile(
            protocol=scheme or "https", endpoint=host or None, reqTimeout=settings.SMS_TIMEOUT_SECONDS
        )
        return SmsClient(
            credential.Credential(settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET),
            settings.SMS_REGION or "ap-guangzhou",
            ClientProfile(httpProfile=profile),
        )

    def send(self, *, address: str, title: str, body: str = "", url: str = "", kind: str = "", params=None) -> str:
        # The SDK is imported with the client (see above).
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111.models import SendSmsRequest

        template, values = _template(kind, title, body, url, params)
        request = SendSmsRequest()
        request.PhoneNumberSet = [address if address.startswith("+") else f"+86{address}"]
        request.SmsSdkAppId = settings.SMS_SDK_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = template
        request.TemplateParamSet = list(values.values())  # positional, in the order configured
        try:
            answer = self.client().SendSms(request)
        except TencentCloudSDKException as exc:
            self._raise(str(exc.get_code() or ""), str(exc.get_message() or ""), exc)
        status = (answer.SendStatusSet or [None])[0]
        if status is None:
            raise ProviderError("腾讯云短信：回复中没有发送结果")
        if status.Code != "Ok":
            self._raise(status.Code or "", status.Message or "")
        return status.SerialNo or ""

    @staticmethod
    def _raise(code: str, message: str, cause: Exception | None = None):
        text = f"腾讯云短信 {code}：{message}"
        if code.startswith(TENCENT_PERMANENT):
            raise PermanentSendError(text) from cause
        raise ProviderError(text) from cause
