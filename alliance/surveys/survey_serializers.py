"""The survey API's shapes: a survey with its questions, what a person sends to answer, the results."""

from rest_framework import serializers

from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.inputs import model_char, record_id
from alliance.surveys.models import Answer, Question, Survey
from alliance.surveys.models.surveys import OPTIONS_MAX, SCALE_TOP


class QuestionSerializer(ModelSerializer):
    options = serializers.ListField(source="option_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Question
        fields = ["id", "position", "text", "kind", "kind_label", "required", "options", "scale_min", "scale_max"]
        read_only_fields = fields


class SurveySerializer(ModelSerializer):
    grid_node_name = read_text("grid_node.name")
    audience = serializers.CharField(source="audience_text", read_only=True)
    period = serializers.CharField(source="period_text", read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "grid_node",
            "grid_node_name",
            "starts_at",
            "ends_at",
            "for_residents",
            "for_party_members",
            "for_unit_operators",
            "audience",
            "station",
            "unit",
            "period_year",
            "period_quarter",
            "period",
            "published_at",
            "questions",
        ]
        read_only_fields = fields


class AnswerItemSerializer(serializers.Serializer):
    """One question's answer: ``choice`` (single, the option's index from 0), ``choices`` (multiple),
    ``number`` (scale), ``text`` (text) or ``lat``/``lng`` (place)."""

    question = record_id()
    choice = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=OPTIONS_MAX - 1)
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=OPTIONS_MAX - 1), required=False, max_length=OPTIONS_MAX
    )
    number = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=SCALE_TOP)
    text = model_char(Answer, "text", required=False)
    lat = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    lng = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )


class AnswerSubmitSerializer(serializers.Serializer):
    answers = AnswerItemSerializer(many=True, max_length=50)


class ResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    survey = serializers.IntegerField(source="survey_id")
    submitted_at = serializers.DateTimeField()


class OptionResultSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    position = serializers.IntegerField(source="question.position")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, default=None)
    options = OptionResultSerializer(many=True, default=list)
    text_count = serializers.SerializerMethodField()
    place_count = serializers.SerializerMethodField()

    def get_text_count(self, item) -> int:
        return len(item.get("texts") or [])

    def get_place_count(self, item) -> int:
        return len(item.get("places") or [])


class ResultsSerializer(serializers.Serializer):
    """Counts only: never who answered, nor the texts (staff read those in the admin)."""

    survey = serializers.IntegerField(source="survey.pk")
    title = serializers.CharField(source="survey.title")
    status = serializers.CharField(source="survey.status")
    respondents = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)
