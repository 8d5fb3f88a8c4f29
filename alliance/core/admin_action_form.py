"""The action menu above every ScopedAdmin change list (「动作」 and its hidden 「全选」 flag), written out.

Django draws a form's widgets through templates: the ``<select>`` includes one template per option and another
for each option's attributes. Above a list of orders (seven actions) that took 1.3 ms of each request at city
scale, 0.2 ms written out (issue 19's admin bench). These widgets take the context Django works out for
them (``get_context``: the attributes, the value, the options and which is selected) and write the stock
templates' HTML from it in Python; tests/services/test_admin_action_form.py compares them with the stock widgets.
"""

from django import forms
from django.contrib.admin import helpers
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: `` name="value"`` each, a True value as the bare name, False left out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape."""
    return conditional_escape(value if isinstance(value, SafeString) else str(value))


class WrittenSelect(forms.Select):
    """``django/forms/widgets/select.html`` and ``select_option.html`` without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"  # the option template's last line ends
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


class WrittenHiddenInput(forms.HiddenInput):
    """``django/forms/widgets/input.html`` for a hidden input, without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
        return mark_safe(  # noqa: S308 - every part escaped
            f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
        )


class ActionForm(helpers.ActionForm):
    """The stock action form (its fields, labels and checks) with the widgets above."""

    action = forms.ChoiceField(label=helpers.ActionForm.base_fields["action"].label, widget=WrittenSelect)
    select_across = forms.BooleanField(
        label="",
        required=False,
        initial=0,
        widget=WrittenHiddenInput({"class": "select-across"}),
    )
