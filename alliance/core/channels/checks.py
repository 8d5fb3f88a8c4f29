"""System checks of the channels' settings: a provider chosen without its keys or templates is said at start."""

from django.conf import settings
from django.core.checks import Error, Warning, register


def _template_errors(name: str, templates) -> list:
    if not isinstance(templates, dict):
        return [Error(f"{name} must be an object of kind → template", id="channels.E001")]
    problems = []
    for kind, entry in templates.items():
        if not isinstance(entry, dict) or not entry.get("template") or not isinstance(entry.get("params", {}), dict):
            problems.append(
                Error(f'{name}["{kind}"] needs "template" and an object "params" (name → source)', id="channels.E002")
            )
    return problems


@register()
def channel_settings(app_configs=None, **kwargs) -> list:
    problems = _template_errors("SMS_TEMPLATES", settings.SMS_TEMPLATES)
    problems += _template_errors("WECHAT_TEMPLATES", settings.WECHAT_TEMPLATES)
    if ".channels.sms." in settings.SMS_SENDER:
        if not (settings.SMS_ACCESS_KEY_ID and settings.SMS_ACCESS_KEY_SECRET):
            problems.append(Warning("SMS_SENDER names a provider but its keys are not set", id="channels.W001"))
        if not settings.SMS_TEMPLATES:
            problems.append(Warning("SMS_SENDER names a provider but SMS_TEMPLATES is empty", id="channels.W002"))
        if settings.SMS_SENDER.endswith("TencentSmsSender") and not settings.SMS_SDK_APP_ID:
            problems.append(Warning("Tencent Cloud SMS needs SMS_SDK_APP_ID", id="channels.W003"))
    if ".channels.wechat." in settings.WECHAT_SENDER:
        if not (settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET):
            problems.append(Warning("WECHAT_SENDER needs WECHAT_APP_ID and WECHAT_APP_SECRET", id="channels.W004"))
        if not settings.WECHAT_TEMPLATES:
            problems.append(Warning("WECHAT_SENDER is set but WECHAT_TEMPLATES is empty", id="channels.W005"))
    return problems
