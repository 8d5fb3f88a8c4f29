"""The signed-in person's notification channels (the page is wired under /services/inbox/settings/)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from alliance.core.channels.wechat_views import enabled as wechat_enabled
from alliance.core.channels.wechat_views import in_wechat
from alliance.core.models import NotificationPreference
from alliance.core.notifications import save_preferences


class PreferenceForm(forms.ModelForm):
    email_address = forms.EmailField(label=_("电子邮箱"), required=False)

    class Meta:
        model = NotificationPreference
        fields = ["email", "sms", "wechat", "quiet_start", "quiet_end"]  # the OpenID is bound, never typed
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_address"].initial = user.email
        self.fields["sms"].help_text = (
            _("发送到 %(phone)s") % {"phone": user.phone} if user.phone else _("账号未登记手机号码")
        )
        if self.instance.wechat_openid:
            self.fields["wechat"].help_text = _("已绑定微信")
        elif wechat_enabled():
            self.fields["wechat"].help_text = _("请先在微信中打开本页，点击“绑定微信”")
        else:
            self.fields["wechat"].help_text = _("本站点尚未开通微信公众号消息")
        self.order_fields(["email", "email_address", "sms", "wechat", "quiet_start", "quiet_end"])

    def _post_clean(self):
        pass  # validated by the action


@login_required
def preferences(request):
    """Choose channels besides the inbox: e-mail, SMS, WeChat; quiet hours hold SMS/WeChat overnight."""
    current = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=current, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            save_preferences(by=request.user, **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("消息接收设置已保存。"))
            return redirect("services:inbox")
    context = {
        "form": form,
        "wechat_bound": bool(current.wechat_openid),
        "wechat_enabled": wechat_enabled(),
        "in_wechat": in_wechat(request),
    }
    return render(request, "services/notification_preferences.html", context)
