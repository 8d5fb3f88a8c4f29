"""A serializer's ``<field>_label`` says what ``get_<field>_display`` says, in the language of the request, from
labels read once per field (alliance.core.api_fields.ChoiceLabelField)."""

from django.utils import translation

from alliance.core.api_fields import ChoiceLabelField, ModelSerializer
from services.models import Issue, Order


class OrderRow(ModelSerializer):
    class Meta:
        model = Order
        fields = ["status", "status_label"]


def test_every_status_label_is_the_models_display_in_chinese_and_in_english():
    assert isinstance(OrderRow().fields["status_label"], ChoiceLabelField)
    assert OrderRow().fields["status_label"].read_only
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, _label in Order.Status.choices:
                order = Order(status=value)
                assert OrderRow(order).data == {"status": value, "status_label": order.get_status_display()}
    with translation.override("zh-hans"):
        assert OrderRow(Order(status=Order.Status.SUBMITTED)).data["status_label"] == "已点单"
    with translation.override("en"):
        assert OrderRow(Order(status=Order.Status.SUBMITTED)).data["status_label"] != "已点单"


def test_a_value_outside_the_choices_is_written_as_it_is():
    assert OrderRow(Order(status="lost")).data["status_label"] == "lost"


def test_an_issues_answer_names_its_labels_as_the_model_does():
    class IssueRow(ModelSerializer):
        class Meta:
            model = Issue
            fields = ["status", "status_label"]

    for value, _label in Issue.Status.choices:
        assert IssueRow(Issue(status=value)).data["status_label"] == Issue(status=value).get_status_display()
