"""Chinese as a person writes it: full-width punctuation beside Chinese characters, simplified characters, no
doubled quotes — in every template and in every string of the Python source that people read."""

import pytest

from tests.i18n import chinese_text
from tests.i18n.chinese_text import findings_in, visible_template_text


def test_templates_and_messages_are_written_in_full_width_simplified_chinese():
    findings = chinese_text.all_findings()
    assert not findings, "Chinese text with half-width punctuation, doubled quotes or Traditional characters:\n" + (
        "\n".join(str(f) for f in findings)
    )


def test_the_check_reads_templates_and_python_sources():
    assert len(chinese_text.template_files()) > 50
    assert any(p.name == "models.py" for p in chinese_text.python_files())
    assert not any("migrations" in p.parts for p in chinese_text.python_files())


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("点单成功,请等待接单。", "','"),
        ("还没有账号?", "'?'"),
        ("上传边界(GeoJSON)", "'('"),
        ("金额(元)", "')'"),
        ("加载中.", "'.'"),
        ("感谢您的评价!", "'!'"),
        ("召开:会议", "':'"),
        ("议题;决议", "';'"),
        ("金额（元)", "mixed"),
        ("“红色矩陣”", "'陣'"),
        ("““好””", "doubled"),
        ("确认「取消」吗", "'「'"),
    ],
)
def test_the_check_finds_each_kind_of_mistake(text, mark):
    found = [str(f) for f in findings_in(text, "x.html")]
    assert any(mark in f for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "评分 4.5 分",
        "每天 09:00 提醒",
        "上传 Excel（.xlsx）文件",
        "详见 https://example.org/a,b 的说明",
        "“暖心沐阳”“融心舜益”两个项目",
        "Hello, world (ASCII only).",
        "金额（元），目标 100 元。",
    ],
)
def test_the_check_leaves_numbers_times_urls_and_ascii_alone(text):
    assert list(findings_in(text, "x.html")) == []


def test_template_code_is_blanked_but_its_strings_are_read():
    source = '{% if a %}{{ n }}人,{% endif %}{% trans "好的,谢谢" %}<script>var x="中,文";</script>\n{% url "a:b" %}。'
    text = visible_template_text(source)
    assert len(text) == len(source) and text.count("\n") == 1
    found = list(findings_in(text, "t.html"))
    assert [f.text for f in found] == ["人,", "好的,谢谢"]
