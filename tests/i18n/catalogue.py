"""What makes the English catalogue incomplete or wrong, entry by entry.

``extract(workdir)`` runs Django's ``makemessages`` with the options of ``make messages`` over a copy of the
source in a temporary directory (the repository is never written: the copy has its own ``locale``), and returns
the fresh catalogue: every msgid the source marks today. ``problems(po, mo, source)`` compares the committed
``locale/en/LC_MESSAGES/django.po`` and ``django.mo`` with it and names every entry that is missing, stale,
obsolete, fuzzy or untranslated, every translation still holding Chinese, every translation whose placeholders
differ from its msgid's, and every difference between the ``.mo`` and the ``.po``.
"""

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
# What `make messages` reads (the Makefile's MESSAGES_OPTIONS ignore everything else under the root).
SOURCES = ("alliance", "grids", "members", "projects", "services", "templates")
MAKEMESSAGES = {"locale": ["en"], "domain": "django", "no_obsolete": True, "add_location": "file", "no_wrap": True}

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]")
NAMED = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxX]|\{[A-Za-z_]\w*(?:![rsa])?(?::[^{}]*)?\}")
# A language named in itself is the one Chinese an English msgstr may hold (the switch shows 「简体中文」 in English).
ENDONYMS = {"简体中文"}
POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifrxX]")


def key(entry) -> tuple[str, str]:
    return entry.msgctxt or "", entry.msgid


def shown(entry) -> str:
    context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
    where = f"  [{', '.join(path for path, _ in entry.occurrences)}]" if entry.occurrences else ""
    return f"{entry.msgid!r}{context}{where}"


def extract(workdir: Path, monkeypatch) -> polib.POFile:
    """The catalogue ``make messages`` would write for the source as it is now (every msgstr empty)."""
    copy = workdir / "source"
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    locale = copy / "locale"
    locale.mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[locale]):
        call_command("makemessages", verbosity=0, **MAKEMESSAGES)
    return polib.pofile(str(locale / "en" / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> tuple[Counter, list[str]]:
    """Named placeholders (``%(name)s``, ``{name}``) in any order, positional ones (``%s``, ``%d``) in order."""
    text = text.replace("%%", "")
    return Counter(NAMED.findall(text)), POSITIONAL.findall(NAMED.sub("", text))


def _placeholder_problem(entry) -> str | None:
    if not entry.msgid_plural:
        if entry.msgstr and placeholders(entry.msgid) != placeholders(entry.msgstr):
            return f"placeholders differ: {entry.msgid!r} → {entry.msgstr!r}"
        return None
    singular, plural = placeholders(entry.msgid), placeholders(entry.msgid_plural)
    for index, text in sorted(entry.msgstr_plural.items()):
        if not text:
            continue
        named, positional = placeholders(text)
        if index == 0:  # "One order" may leave the number out; nothing else may appear
            wrong = bool(named - (singular[0] | plural[0])) or positional not in ([], singular[1])
        else:
            wrong = (named, positional) != plural
        if wrong:
            return f"placeholders differ: {entry.msgid_plural!r} → msgstr[{index}] {text!r}"
    return None


def translations(entries) -> dict[tuple[str, str], tuple[str, ...]]:
    found = {}
    for entry in entries:
        if not entry.msgid:  # the header
            continue
        if entry.msgid_plural:
            found[key(entry)] = tuple(text for _, text in sorted(entry.msgstr_plural.items()))
        else:
            found[key(entry)] = (entry.msgstr,)
    return found


def problems(po: polib.POFile, mo: polib.MOFile | None, source: polib.POFile) -> list[str]:
    """Every reason the catalogue ``po`` (compiled as ``mo``) does not translate ``source`` fully and faithfully."""
    found = []
    if po.metadata_is_fuzzy:
        found.append("the header is marked fuzzy: msgfmt ignores it (no charset, no plural forms)")
    if "charset=UTF-8" not in po.metadata.get("Content-Type", ""):
        found.append("the header does not say Content-Type: text/plain; charset=UTF-8")
    if "nplurals=2" not in po.metadata.get("Plural-Forms", ""):
        found.append("the header does not say Plural-Forms: nplurals=2; plural=(n != 1);")
    current = [e for e in po if not e.obsolete]
    mine = {key(e): e for e in current}
    wanted = {key(e): e for e in source}
    found += [f"missing (run `make messages`): {shown(e)}" for k, e in wanted.items() if k not in mine]
    found += [f"no longer in the source (run `make messages`): {shown(e)}" for k, e in mine.items() if k not in wanted]
    found += [f"obsolete entry (#~): {e.msgid!r}" for e in po.obsolete_entries()]
    for entry in current:
        if entry.fuzzy:
            found.append(f"fuzzy (check the English, then remove the flag): {shown(entry)}")
        elif not entry.translated():
            found.append(f"untranslated: {shown(entry)}")
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        if any(CJK.search(text) for text in texts if text not in ENDONYMS):
            found.append(f"Chinese in the English: {entry.msgid!r} → {[t for t in texts if t]!r}")
        if problem := _placeholder_problem(entry):
            found.append(problem)
    if mo is None:
        found.append(f"{MO.relative_to(ROOT)} is missing (run `make messages`)")
    else:
        expected = translations(e for e in current if e.translated())
        compiled = translations(mo)
        for k in sorted(expected.keys() | compiled.keys()):
            if expected.get(k) != compiled.get(k):
                found.append(f"django.mo differs from django.po (run `make messages`): {k[1]!r}")
    return found
