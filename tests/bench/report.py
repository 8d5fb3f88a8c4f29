"""The bench's one report: every figure with its ceiling, ratio and target, then one verdict line per target.

Each part of the bench (pages, admin, writes, replica, matching, jobs) returns ``Figure`` rows; ``print_report``
prints them as one Markdown table (the README's table is copied from it) and a verdict line for each row that
has a target. A figure is a ratio to a ceiling measured in the same run, or a bound the issue names (seconds,
bytes, a scaling factor); never a timed assertion in the tests.
"""

from dataclasses import dataclass


def ratio_text(ratio: float, ok: bool | None) -> str:
    """Two decimals; three for a missed target whose two decimals would read as a round tenth, as the targets are
    (0.497× shown "0.50× ✗" seemed to meet ≥0.5×)."""
    shown = f"{ratio:.2f}"
    rounded_to_a_tenth = shown.endswith("0") and float(shown) != ratio
    return f"{ratio:.3f}×" if ok is False and rounded_to_a_tenth else f"{shown}×"


@dataclass
class Figure:
    section: str  # 页面, 后台, 写入, 只读副本, 匹配, 群发, 扩展
    label: str
    who: str = ""
    value: float | None = None  # the main figure, in ``unit``
    unit: str = "req/s"
    p95: float | None = None  # ms, for loads measured with wrk
    ceiling: float | None = None  # the same unit, measured in the same run
    ratio: float | None = None  # value / ceiling (or the factor the target names)
    target: str = ""  # how the target reads: "≥0.7×, p95<300ms", "<300 s", "≥1.6×"
    ok: bool | None = None  # None: recorded only
    note: str = ""

    def cells(self) -> list[str]:
        def num(x, fmt):
            return format(x, fmt) if x is not None else "-"

        verdict = "" if self.ok is None else ("✓" if self.ok else "✗")
        return [
            self.section,
            self.label,
            self.who,
            f"{num(self.value, '.1f' if (self.value or 0) < 100 else '.0f')} {self.unit}"
            if self.value is not None
            else "-",
            num(self.p95, ".1f"),
            num(self.ceiling, ".1f" if (self.ceiling or 0) < 100 else ".0f"),
            ratio_text(self.ratio, self.ok) if self.ratio is not None else "-",
            self.target,
            verdict,
            self.note,
        ]


HEADER = ["部分", "项目", "用户", "数值", "p95 (ms)", "天花板", "比值", "目标", "结论", "备注"]


def print_report(figures: list[Figure], title: str = "") -> bool:
    """Print the table and the verdict lines; True when every target was met."""
    if title:
        print(f"\n## {title}")
    print()
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "|".join("---" for _ in HEADER) + "|")
    for f in figures:
        print("| " + " | ".join(f.cells()) + " |")
    judged = [f for f in figures if f.ok is not None]
    print()
    for f in judged:
        shown = (
            ratio_text(f.ratio, f.ok)
            if f.ratio is not None
            else (f"{f.value:.1f} {f.unit}" if f.value is not None else "-")
        )
        who = f"（{f.who}）" if f.who else ""
        print(f"{'✓ 达标' if f.ok else '✗ 未达标'}  {f.section} · {f.label}{who}: {shown}，目标 {f.target}")
    missed = sum(1 for f in judged if not f.ok)
    print(f"\n{len(judged) - missed}/{len(judged)} 项达标" + (f"，{missed} 项未达标" if missed else ""), flush=True)
    return missed == 0
