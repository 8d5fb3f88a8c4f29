"""Two tiny pages for the check of tests/i18n/test_english_pages.py: one whose every text the English catalogue of
Django translates, one with a Chinese text no catalogue knows. Both have the language switch."""

from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import include, path

PAGE = """{% load i18n %}{% get_current_language as LANGUAGE_CODE %}<!doctype html>
<html lang="{{ LANGUAGE_CODE }}"><head><title>{% translate "Log in" %}</title>
<style>.x::after { content: "样式"; }</style></head><body>
<form method="post"><input name="q" placeholder="{% translate "Search" %}" aria-label="{% translate "Search" %}">
<input type="submit" value="{% translate "Save" %}"><button data-confirm="{% translate "Yes, I’m sure" %}">
{% translate "Delete" %}</button></form>
{% block more %}{% endblock %}
<select name="language"><option value="zh-hans" lang="zh-hans">{{ "zh-hans"|language_name_local }}</option>
<option value="en" lang="en">{{ "en"|language_name_local }}</option></select>
<script>const hidden = "脚本里的字";</script></body></html>"""


def english(request):
    return HttpResponse(Template(PAGE).render(RequestContext(request)))


def chinese(request):
    more = '{% block more %}<p title="保存">{% translate "尚未翻译的界面文字" %}</p>{{ texts|json_script:"texts" }}{% endblock %}'
    page = PAGE.replace("{% block more %}{% endblock %}", more)
    return HttpResponse(Template(page).render(RequestContext(request, {"texts": {"done": "已完成"}})))


urlpatterns = [
    path("english/", english),
    path("chinese/", chinese),
    path("i18n/", include("django.conf.urls.i18n")),
]
