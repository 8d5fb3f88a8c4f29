"""Crowdfunding (公益众筹): pledges to a project and the public account of what was spent."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from alliance.core.transitions import lock
from projects.actions._common import _require_admin_in_scope
from projects.models import Expenditure, Pledge, Project


def pledged_total(project: Project) -> Decimal:
    return project.pledges.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def spent_total(project: Project) -> Decimal:
    return project.expenditures.aggregate(s=Sum("amount"))["s"] or Decimal("0")


@transaction.atomic
def add_pledge(
    *, by, project: Project, amount, kind=Pledge.Kind.MONEY, goods: str = "", donor_name: str = ""
) -> Pledge:
    """A unit (its operator) or staff on behalf of a person pledges to a crowdfunding project."""
    project = lock(project)
    unit = None
    if by.is_authenticated and by.role == by.Role.UNIT_OPERATOR:
        unit = by.unit
    else:
        _require_admin_in_scope(by, project)
        if not donor_name.strip():
            raise ValidationError({"donor_name": _("请填写捐助人。")})
    if not project.is_crowdfunding:
        raise ValidationError(_("该项目不是公益众筹项目。"))
    if project.status not in (Project.Status.PUBLISHED, Project.Status.IN_PROGRESS):
        raise ValidationError(_("该项目当前不接受认捐。"))
    amount = Decimal(str(amount))
    if amount <= 0:
        raise ValidationError({"amount": _("金额必须大于 0。")})
    if kind == Pledge.Kind.GOODS and not goods.strip():
        raise ValidationError({"goods": _("请说明捐助的物资。")})
    return Pledge.objects.create(
        project=project, unit=unit, donor_name=donor_name.strip(), kind=kind, amount=amount, goods=goods, created_by=by
    )


@transaction.atomic
def add_expenditure(*, by, project: Project, item: str, amount, spent_on: date) -> Expenditure:
    """A line of the public account; all lines together never exceed what was pledged."""
    project = lock(project)
    _require_admin_in_scope(by, project)
    if not project.is_crowdfunding:
        raise ValidationError(_("该项目不是公益众筹项目。"))
    amount = Decimal(str(amount))
    if amount <= 0:
        raise ValidationError({"amount": _("金额必须大于 0。")})
    if not item.strip():
        raise ValidationError({"item": _("请填写支出事项。")})
    pledged, spent = pledged_total(project), spent_total(project)
    if spent + amount > pledged:
        raise ValidationError(
            {
                "amount": _("支出合计不能超过已筹集的 %(pledged)s 元（已支出 %(spent)s 元）。")
                % {"pledged": pledged, "spent": spent}
            }
        )
    return Expenditure.objects.create(
        project=project, item=item.strip(), amount=amount, spent_on=spent_on, created_by=by
    )
