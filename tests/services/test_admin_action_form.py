"""The action menu of the project's change lists (alliance.core.admin_action_form) is the stock admin's menu, byte
for byte: the same widgets' HTML for plain, chosen, grouped and awkward options, and the same menu above a list of
orders, whose chosen action still runs (the selected rows exported)."""

import re

import pytest
from django import forms
from django.contrib.admin import helpers
from django.urls import reverse

from alliance.core import admin_base
from alliance.core.admin_action_form import ActionForm, WrittenHiddenInput, WrittenSelect
from services.models import Order
from tests.services.factories import OrderFactory

CHOICES = [
    ("", "---------"),
    ("accept", "接单"),
    ("say", "a <b>\"bold\"</b> & 'quoted'"),
    (7, "七"),
]
GROUPED = [("", "---------"), ("整改", [("a", "甲"), ("b", "乙 & 丙")]), ("c", "丁")]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, None, {"required": True}),
        (CHOICES, "accept", {"required": True, "class": 'x"y', "data-off": False}),
        (CHOICES, 7, {}),
        (GROUPED, "b", {"id": "action"}),
        ([], None, {"required": True}),
    ],
)
def test_the_written_select_is_the_stock_select(choices, value, attrs):
    ours = WrittenSelect(choices=choices).render("action", value, attrs=attrs)
    stock = forms.Select(choices=choices).render("action", value, attrs=attrs)
    assert ours == stock


@pytest.mark.parametrize("value", [0, 1, None, "", "<&>"])
def test_the_written_hidden_input_is_the_stock_hidden_input(value):
    attrs = {"class": "select-across"}
    assert WrittenHiddenInput(attrs).render("select_across", value) == forms.HiddenInput(attrs).render(
        "select_across", value
    )


def _menu(html: str) -> str:
    return re.search(r'<div class="actions">.*?</div>', html, re.S).group(0)


@pytest.mark.django_db
def test_a_lists_action_menu_is_the_stock_menu_and_its_action_still_runs(client, superuser, community, monkeypatch):
    order = OrderFactory(status=Order.Status.SUBMITTED)
    client.force_login(superuser)
    url = reverse("admin:services_order_changelist")
    ours = client.get(url).content.decode()
    with monkeypatch.context() as patch:
        patch.setattr(admin_base.ScopedAdmin, "action_form", helpers.ActionForm)
        stock = client.get(url).content.decode()
    menu = _menu(ours)
    assert 'name="action"' in menu and ">接单</option>" in menu and 'class="select-across"' in menu
    assert menu == _menu(stock).replace(_token(stock), _token(ours))

    form = ActionForm({"action": "export_excel", "select_across": "0"})
    form.fields["action"].choices = [("export_excel", "导出所选到Excel")]
    assert form.is_valid(), form.errors
    response = client.post(url, {"action": "export_excel", "select_across": "0", "_selected_action": [order.pk]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
