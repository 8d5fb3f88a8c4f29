"""What the Chinese-text check looks for: half-width punctuation beside Chinese characters, doubled quotes and
Traditional characters, in templates (HTML and e-mail text) and in the Python source's string literals.

Code-like text is left alone: template tags and variables (only the quoted strings inside them are read), URLs,
``%(name)s`` and ``{name}`` placeholders, numbers such as ``1.5`` and times such as ``09:00`` (a mark between
ASCII characters is never beside a Chinese character). Python docstrings, comments, migrations and tests are not
read: people never see them.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import zhconv

ROOT = Path(__file__).resolve().parents[2]
PYTHON_PACKAGES = ("alliance", "grids", "members", "projects", "services")

# Chinese characters, CJK punctuation (、。「」《》) and full-width forms (，：（）).
CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
HALF_WIDTH = r",.:;!?()"
# A full stop before a letter or digit is a file name's or a number's (".xlsx", ".5"), not the end of a sentence.
MARK_BESIDE_CJK = re.compile(rf"(?<=[{CJK}])(?:\.(?![A-Za-z0-9])|[,:;!?()])|[{HALF_WIDTH}](?=[{CJK}])")
MIXED_PARENTHESES = re.compile(r"（[^（）()\n]*\)|\([^（）()\n]*）")
# Quotes doubled: ““…””, ""…"", "“ — not ”“ between two quoted names (“暖心沐阳”“融心舜益”).
QUOTES_TWICE = r"“{2,}|”{2,}|\"{2,}|\"[“”]|[“”]\""
DOUBLED_QUOTES = re.compile(rf"(?<=[{CJK}])(?:{QUOTES_TWICE})|(?:{QUOTES_TWICE})(?=[{CJK}])")
HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CJK_TEXT = re.compile(rf"[{CJK}]")
FULL_WIDTH = dict(zip(",.:;!?()", "，。：；！？（）", strict=True))

URL = re.compile(r"(?:https?|ftp)://\S+|mailto:\S+|www\.\S+")
PLACEHOLDER = re.compile(r"%\([^)\s]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrxX]|\{[A-Za-z_][\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
TEMPLATE_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
HTML_HIDDEN = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1>", re.S | re.I)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    mark: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.mark}  …{self.text}…"


def _blank(match: re.Match[str]) -> str:
    """The match replaced by spaces, newlines kept, so that offsets and line numbers stay where they were."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _keep_strings(match: re.Match[str]) -> str:
    """A template tag or variable blanked but for the quoted strings in it (``{% trans "…" %}``, ``default:"…"``)."""
    code = match.group(0)
    kept = [" "] * len(code)
    for string in TEMPLATE_STRING.finditer(code):
        kept[string.start() + 1 : string.end() - 1] = string.group(0)[1:-1]
    return "".join(ch if ch == "\n" else k for ch, k in zip(code, kept, strict=True))


def visible_template_text(source: str) -> str:
    """A template's text as people read it, code blanked in place (same length, same lines)."""
    text = HTML_HIDDEN.sub(_blank, source)
    text = TEMPLATE_CODE.sub(_keep_strings, text)
    return URL.sub(_blank, text)


def _literal_text(text: str) -> str:
    return PLACEHOLDER.sub(_blank, URL.sub(_blank, text))


def findings_in(text: str, path: str, first_line: int = 1) -> Iterator[Finding]:
    """Every half-width mark beside Chinese, doubled quote and Traditional character in ``text``."""

    def at(offset: int) -> int:
        return first_line + text.count("\n", 0, offset)

    def around(offset: int) -> str:
        return text[max(0, offset - 8) : offset + 9].replace("\n", " ").strip()

    for m in MARK_BESIDE_CJK.finditer(text):
        yield Finding(
            path, at(m.start()), f"half-width {m.group(0)!r} (use {FULL_WIDTH[m.group(0)]!r})", around(m.start())
        )
    for m in MIXED_PARENTHESES.finditer(text):
        yield Finding(path, at(m.start()), "half-width and full-width parentheses mixed", around(m.start()))
    for m in DOUBLED_QUOTES.finditer(text):
        yield Finding(path, at(m.start()), f"doubled quotes {m.group(0)!r}", around(m.start()))
    for number, line in enumerate(text.split("\n")):
        if not CJK_TEXT.search(line):
            continue
        simplified = zhconv.convert(line, "zh-cn")
        if len(simplified) != len(line):  # a phrase rewritten, not a character swapped: show the whole line
            yield Finding(path, first_line + number, f"Traditional (simplified: {simplified.strip()})", line.strip())
            continue
        for col, (old, new) in enumerate(zip(line, simplified, strict=True)):
            if old != new:
                yield Finding(
                    path,
                    first_line + number,
                    f"Traditional or corner quote {old!r} (use {new!r})",
                    around_line(line, col),
                )


def around_line(line: str, col: int) -> str:
    return line[max(0, col - 8) : col + 9].strip()


def template_files() -> list[Path]:
    base = ROOT / "templates"
    return sorted([*base.rglob("*.html"), *base.rglob("*.txt")])


def python_files() -> list[Path]:
    files = []
    for package in PYTHON_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                files.append(path)
    return files


def check_template(path: Path) -> list[Finding]:
    return list(findings_in(visible_template_text(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT))))


def _unseen(tree: ast.AST) -> set[int]:
    """The ids of the string constants people never read: docstrings and bare string statements, and the
    patterns given to ``re`` (``re.compile(r"[-/.年]")``)."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
        ):
            skip.update(id(arg) for arg in node.args[:1])
    return skip


def check_python(path: Path) -> list[Finding]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    skip = _unseen(tree)
    found: list[Finding] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
            continue
        if not CJK_TEXT.search(node.value):  # a part of an f-string may hold only a quote mark: f"「{name}」"
            continue
        found.extend(findings_in(_literal_text(node.value), str(path.relative_to(ROOT)), node.lineno))
    return found


def all_findings() -> list[Finding]:
    found = [f for path in template_files() for f in check_template(path)]
    found += [f for path in python_files() for f in check_python(path)]
    return found
