"""The bench's report shows a missed target's ratio with the decimal that tells it missed."""

from tests.bench.report import Figure, print_report


def test_a_ratio_just_under_its_target_is_not_shown_as_the_target(capsys):
    figures = [
        Figure("写入", "下单", value=181, ceiling=364.5, ratio=181 / 364.5, target="≥0.5×", ok=False),
        Figure("写入", "说事", value=204, ceiling=377.5, ratio=204 / 377.5, target="≥0.5×", ok=True),
        Figure("后台", "党员", value=61.8, ceiling=45.8, ratio=61.8 / 45.8, target="≥0.7×, p95<300ms", ok=False),
    ]
    assert print_report(figures) is False
    out = capsys.readouterr().out
    assert "| 0.497× |" in out and "✗ 未达标  写入 · 下单: 0.497×" in out
    assert "| 0.54× |" in out and "✓ 达标  写入 · 说事: 0.54×" in out
    assert "| 1.35× |" in out  # missed by its p95: two decimals, as ever
