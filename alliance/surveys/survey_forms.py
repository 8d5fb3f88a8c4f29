"""The answer form of a questionnaire, built from its questions: every input bounded by its question (the
options offered, the scale's range, the text's length, a place with valid coordinates)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.inputs import form_char
from alliance.surveys.models import Answer, Question


def _name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.place = None
        for q in self.questions:
            label = f"{q.position}. {q.text}"
            if q.kind == Question.Kind.SINGLE:
                field: forms.Field = forms.TypedChoiceField(
                    label=label,
                    required=q.required,
                    coerce=int,
                    choices=list(enumerate(q.option_list)),
                    widget=forms.RadioSelect,
                )
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label,
                    required=q.required,
                    coerce=int,
                    choices=list(enumerate(q.option_list)),
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("可多选"),
                )
            elif q.kind == Question.Kind.SCALE:
                field = forms.TypedChoiceField(
                    label=label,
                    required=q.required,
                    coerce=int,
                    choices=[(v, _("%(v)d分") % {"v": v}) for v in q.scale_range],
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    help_text=_("%(lo)d分最低，%(hi)d分最高") % {"lo": q.scale_min, "hi": q.scale_max},
                )
            elif q.kind == Question.Kind.TEXT:
                field = form_char(
                    Answer, "text", label=label, required=q.required, widget=forms.Textarea(attrs={"rows": 4})
                )
            else:
                self.place = q
                self.fields["lat"] = forms.DecimalField(
                    required=False,
                    min_value=-90,
                    max_value=90,
                    max_digits=9,
                    decimal_places=6,
                    widget=forms.HiddenInput,
                )
                self.fields["lng"] = forms.DecimalField(
                    required=False,
                    min_value=-180,
                    max_value=180,
                    max_digits=9,
                    decimal_places=6,
                    widget=forms.HiddenInput,
                )
                continue
            self.fields[_name(q)] = field

    def clean(self):
        data = super().clean()
        if self.place is not None:
            has_lat, has_lng = data.get("lat") is not None, data.get("lng") is not None
            if has_lat != has_lng:
                self.add_error(None, _("地图上的位置不完整，请重新点选。"))
            elif self.place.required and not has_lat and "lat" not in self.errors:
                self.add_error(None, _("请在地图上点选位置：%(q)s") % {"q": self.place.text})
        return data

    def answers(self) -> dict:
        """Question id → value, as ``actions.answer_survey`` reads them."""
        data = self.cleaned_data
        found: dict = {}
        for q in self.questions:
            if q.kind == Question.Kind.PLACE:
                found[q.pk] = (data.get("lat"), data.get("lng"))
            else:
                found[q.pk] = data.get(_name(q))
        return found
