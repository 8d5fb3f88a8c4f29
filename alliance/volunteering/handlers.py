"""Dual reporting's own receivers: who hears a report submitted, confirmed or returned."""

from alliance.core.events import receiver
from alliance.core.notifications import notify, notify_many
from alliance.volunteering import events
from members.selectors import admins_at


@receiver(events.dual_report_submitted)
def tell_community(sender, instance, by=None, **kwargs):
    """The community's admins hear a new (or corrected) report."""
    report = instance
    step = "resubmitted" if report.resubmitted_at else "submitted"
    notify_many(
        recipients=admins_at(report.community_id),
        key=f"dual-report:{report.pk}:{step}:{report.resubmitted_at or report.submitted_at:%Y%m%d%H%M%S}",
        title=f"党员{report.member.name}到本社区报到，请确认",
        body=f"认领岗位：{report.post_text}。",
        url=f"/admin/volunteering/dualreport/{report.pk}/change/",
    )


@receiver(events.dual_report_confirmed)
def tell_member_confirmed(sender, instance, by=None, **kwargs):
    report = instance
    if report.member.user_id:
        notify(
            recipient=report.member.user,
            key=f"dual-report:{report.pk}:confirmed",
            title=f"{report.community.name}已确认您的报到",
            body="关系在单位、活动在社区、奉献双岗位。欢迎参加社区活动。",
            url="/volunteering/report/",
        )


@receiver(events.dual_report_returned)
def tell_member_returned(sender, instance, by=None, **kwargs):
    report = instance
    if report.member.user_id:
        notify(
            recipient=report.member.user,
            key=f"dual-report:{report.pk}:returned:{report.returned_at:%Y%m%d%H%M%S}",
            title=f"{report.community.name}退回了您的报到",
            body=f"退回原因：{report.return_reason}。请修改后重新提交。",
            url="/volunteering/report/",
        )
