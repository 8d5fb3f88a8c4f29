"""The shape of the code (DEVELOPERS.md, "Layers"): small modules, and imports inside functions only with a reason."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("alliance", "grids", "members", "projects", "services")
MAX_LINES = 500


def application_modules():
    """Every Python module of the apps, migrations aside."""
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_but_models_is_over_500_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in application_modules()
        if path.name != "models.py" and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, "split these by topic (DEVELOPERS.md)"


def function_level_imports(path: Path):
    """(line, source line) of each import inside a function body."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield node.lineno, lines, node


def has_reason(lines, lineno, node) -> bool:
    """A comment on the import's own lines, or on a comment line right above it (or above its group)."""
    own = lines[lineno - 1 : node.end_lineno]
    if any("#" in line for line in own):
        return True
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith(("from ", "import ")):
        index -= 1  # a group of imports shares one comment
    return index >= 0 and lines[index].strip().startswith("#")


def test_every_import_inside_a_function_says_why():
    silent = [
        f"{path.relative_to(ROOT)}:{lineno}"
        for path in application_modules()
        for lineno, lines, node in function_level_imports(path)
        if not has_reason(lines, lineno, node)
    ]
    assert silent == [], "import at module level, or say in a one-line comment why it cannot be"
