"""Dual reporting's own receivers: who hears a report submitted, confirmed or returned.

A notice is stored, so it is written in the source language (Chinese) whatever language the request that caused
it speaks; its texts are marked, so a page can recognise one and show it in the reader's language.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from alliance.core.events import receiver
from alliance.core.notifications import notify, notify_many
from alliance.volunteering import events
from members.selectors import admins_at


@receiver(events.dual_report_submitted)
def tell_community(sender, instance, by=None, **kwargs):
    """The community's admins hear a new (or corrected) report."""
    report = instance
    step = "resubmitted" if report.resubmitted_at else "submitted"
    with override(settings.LANGUAGE_CODE):
        notify_many(
            recipients=admins_at(report.community_id),
            key=f"dual-report:{report.pk}:{step}:{report.resubmitted_at or report.submitted_at:%Y%m%d%H%M%S}",
            title=_("党员%(name)s到本社区报到，请确认") % {"name": report.member.name},
            body=_("认领岗位：%(post)s。") % {"post": report.post_text},
            url=f"/admin/volunteering/dualreport/{report.pk}/change/",
        )


@receiver(events.dual_report_confirmed)
def tell_member_confirmed(sender, instance, by=None, **kwargs):
    report = instance
    if report.member.user_id:
        with override(settings.LANGUAGE_CODE):
            notify(
                recipient=report.member.user,
                key=f"dual-report:{report.pk}:confirmed",
                title=_("%(community)s已确认您的报到") % {"community": report.community.name},
                body=_("关系在单位、活动在社区、奉献双岗位。欢迎参加社区活动。"),
                url="/volunteering/report/",
            )


@receiver(events.dual_report_returned)
def tell_member_returned(sender, instance, by=None, **kwargs):
    report = instance
    if report.member.user_id:
        with override(settings.LANGUAGE_CODE):
            notify(
                recipient=report.member.user,
                key=f"dual-report:{report.pk}:returned:{report.returned_at:%Y%m%d%H%M%S}",
                title=_("%(community)s退回了您的报到") % {"community": report.community.name},
                body=_("退回原因：%(reason)s。请修改后重新提交。") % {"reason": report.return_reason},
                url="/volunteering/report/",
            )
