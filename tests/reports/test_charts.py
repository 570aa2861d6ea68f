"""Server-drawn SVG charts: named images that never show what their table hides."""

from __future__ import annotations

import re

from volunteer_hub.reports.charts import Series, bar_chart


def test_chart_is_a_named_image_with_escaped_text_and_no_inline_style():
    svg = str(bar_chart("c", "Matches <per> scheme", "See the table.", ["Følg en familie", "<b>x</b>"],
                        [Series("Started", [2, 0]), Series("Ended", [4, 1])]))  # fmt: skip
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Matches &lt;per&gt; scheme</title>' in svg
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "style=" not in svg and "<script" not in svg
    widths = [float(w) for w in re.findall(r'<rect x="\d+" y="(?!6")\d+" width="([\d.]+)" height="12"', svg)]
    assert len(widths) == 3  # three non-zero bars; the zero draws none
    assert widths == [160.0, 320.0, 80.0]  # 2, 4 and 1 on a 320-unit scale of the largest value


def test_a_hidden_value_draws_no_bar_and_says_less_than_five():
    svg = str(bar_chart("c", "t", "d", ["Tigrinya"], [Series("Waiting", ["<5"]), Series("Available", [7])]))
    assert len(re.findall(r'<rect x="\d+" y="(?!6")\d+"', svg)) == 1  # only the 7 has a bar (y=6: legend)
    assert ">&lt;5</text>" in svg


def test_decimals_follow_the_language():
    assert ">3,75</text>" in str(bar_chart("c", "t", "d", ["x"], [Series("s", [3.75])]))
    assert ">3.75</text>" in str(bar_chart("c", "t", "d", ["x"], [Series("s", [3.75])], decimal_comma=False))
