"""The English catalogue is complete: every string the source marks today has an English translation, none fuzzy,
none obsolete, none still in Chinese, placeholders kept, and the compiled ``.mo`` is the ``.po``.

The source strings are Chinese (Chinese first); ``make messages`` regenerates ``locale/en`` from them. The
check extracts the msgids afresh into a temporary copy of the source, never into the repository.
"""

import subprocess

import polib
import pytest

from tests.i18n.catalogue import MO, PO, ROOT, extract, problems


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The msgids of the source as it is now (makemessages runs once for the module: ~10 seconds)."""
    before = _locale_files()
    with pytest.MonkeyPatch.context() as monkeypatch:
        extracted = extract(tmp_path_factory.mktemp("messages"), monkeypatch)
    assert _locale_files() == before, "the extraction wrote into the repository's locale directory"
    return extracted


def _locale_files() -> dict[str, int]:
    return {str(path): path.stat().st_mtime_ns for path in (ROOT / "locale").rglob("*")}


def test_the_english_catalogue_is_complete_and_compiled(source):
    assert len(source) > 1000, "makemessages found too few strings: is the copy of the source complete?"
    if not PO.exists():
        pytest.fail(f"{PO.relative_to(ROOT)} is missing: run `make messages`, translate, commit the .po and .mo")
    found = problems(polib.pofile(str(PO)), polib.mofile(str(MO)) if MO.exists() else None, source)
    assert not found, f"{len(found)} problems in the English catalogue:\n" + "\n".join(found)


# --- the check itself, on small catalogues -------------------------------------------------------------------


def _catalogue(*entries: polib.POEntry, fuzzy_header=False) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    po.metadata_is_fuzzy = fuzzy_header
    for entry in entries:
        po.append(entry)
    return po


def _compiled(po: polib.POFile, tmp_path) -> polib.MOFile:
    """Compiled as `make messages` compiles: msgfmt --check."""
    source, target = tmp_path / "c.po", tmp_path / "c.mo"
    po.save(str(source))
    subprocess.run(["msgfmt", "--check", "-o", str(target), str(source)], check=True, capture_output=True)
    return polib.mofile(str(target))


def _source(*msgids: str, plural: tuple[str, str] | None = None) -> polib.POFile:
    entries = [polib.POEntry(msgid=m, msgstr="") for m in msgids]
    if plural:
        entries.append(polib.POEntry(msgid=plural[0], msgid_plural=plural[1], msgstr_plural={0: "", 1: ""}))
    return _catalogue(*entries)


SOURCE = ("简体中文", "保存", "共%(n)s条记录", "您好，%s")
PLURAL = ("%(count)s 个订单", "%(count)s 个订单")


def _complete() -> list[polib.POEntry]:
    return [
        polib.POEntry(msgid="简体中文", msgstr="简体中文"),  # a language named in itself, as the switch shows it
        polib.POEntry(msgid="保存", msgstr="Save"),
        polib.POEntry(msgid="共%(n)s条记录", msgstr="%(n)s records in all"),
        polib.POEntry(msgid="您好，%s", msgstr="Hello, %s"),
        polib.POEntry(msgid=PLURAL[0], msgid_plural=PLURAL[1], msgstr_plural={0: "One order", 1: "%(count)s orders"}),
    ]


def test_a_complete_catalogue_compiled_from_its_po_passes(tmp_path):
    po = _catalogue(*_complete())
    assert problems(po, _compiled(po, tmp_path), _source(*SOURCE, plural=PLURAL)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda e: e.pop(1), "missing (run `make messages`): '保存'"),
        (lambda e: e.append(polib.POEntry(msgid="旧文字", msgstr="Old")), "no longer in the source"),
        (
            lambda e: e.append(polib.POEntry(msgid="旧文字", msgstr="Old", obsolete=True)),
            "obsolete entry (#~): '旧文字'",
        ),
        (lambda e: setattr(e[1], "msgstr", ""), "untranslated: '保存'"),
        (lambda e: e[4].msgstr_plural.update({1: ""}), "untranslated: '%(count)s 个订单'"),
        (lambda e: e[1].flags.append("fuzzy"), "fuzzy (check the English, then remove the flag): '保存'"),
        (lambda e: setattr(e[1], "msgstr", "保存 Save"), "Chinese in the English: '保存'"),
        (lambda e: setattr(e[2], "msgstr", "%(count)s records"), "placeholders differ: '共%(n)s条记录'"),
        (lambda e: setattr(e[2], "msgstr", "records in all"), "placeholders differ: '共%(n)s条记录'"),
        (lambda e: setattr(e[3], "msgstr", "Hello, %d"), "placeholders differ: '您好，%s'"),
        (lambda e: e[4].msgstr_plural.update({1: "%(n)s orders"}), "placeholders differ: '%(count)s 个订单'"),
    ],
)
def test_the_check_names_each_kind_of_incomplete_entry(tmp_path, change, expected):
    entries = _complete()
    change(entries)
    po = _catalogue(*entries)
    found = problems(po, _compiled(po, tmp_path), _source(*SOURCE, plural=PLURAL))
    assert any(line.startswith(expected) for line in found), found


def test_the_check_names_a_mo_that_is_not_its_po(tmp_path):
    po = _catalogue(*_complete())
    mo = _compiled(po, tmp_path)
    po[1].msgstr = "Keep"
    found = problems(po, mo, _source(*SOURCE, plural=PLURAL))
    assert found == ["django.mo differs from django.po (run `make messages`): '保存'"]
    assert "is missing" in problems(po, None, _source(*SOURCE, plural=PLURAL))[0]


def test_the_check_names_a_fuzzy_header_msgfmt_would_ignore(tmp_path):
    po = _catalogue(*_complete(), fuzzy_header=True)
    assert "the header is marked fuzzy" in problems(po, None, _source(*SOURCE, plural=PLURAL))[0]


def test_the_extraction_reads_python_and_templates_into_a_copy(source):
    places = {path.split("/")[0] for entry in source for path, _ in entry.occurrences}
    assert {"alliance", "services", "templates"} <= places, places
    assert any(entry.msgid == "红色联盟" for entry in source)  # templates/base.html
