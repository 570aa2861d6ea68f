"""Server-drawn SVG charts: named images that never show what their table hides."""

from __future__ import annotations

import re

from flask import session

from volunteer_hub.reports.charts import Series, bar_chart


def test_chart_is_a_named_image_with_escaped_text_and_no_inline_style():
    svg = str(bar_chart("c", "Matches <per> scheme", "See the table.", ["Følg en familie", "<b>x</b>"],
                        [Series("Started", [2, 0]), Series("Ended", [4, 1])]))  # fmt: skip
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Matches &lt;per&gt; scheme</title>' in svg
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "style=" not in svg and "<script" not in svg
    widths = [float(w) for w in re.findall(r'<rect x="0" y="\d+" width="([\d.]+)"', _bars(svg))]
    assert len(widths) == 3  # three non-zero bars; the zero draws none
    assert widths == [152.0, 304.0, 76.0]  # 2, 4 and 1 on a 304-unit scale of the largest value


def test_a_hidden_value_draws_no_bar_and_says_less_than_five():
    svg = str(bar_chart("c", "t", "d", ["Tigrinya"], [Series("Waiting", ["<5"]), Series("Available", [7])]))
    assert len(re.findall(r"<rect ", _bars(svg))) == 1  # only the 7 has a bar
    assert ">&lt;5</text>" in svg


def test_decimals_follow_the_language(app):
    assert ">3,75</text>" in str(bar_chart("c", "t", "d", ["x"], [Series("s", [3.75])]))
    assert ">1.234</text>" in str(bar_chart("c", "t", "d", ["x"], [Series("s", [1234])]))
    with app.test_request_context():
        session["lang"] = "en"
        assert ">3.75</text>" in str(bar_chart("c", "t", "d", ["x"], [Series("s", [3.75])]))


def test_chart_is_narrow_enough_to_keep_its_text_readable_on_a_phone():
    """Drawn about as wide as a phone, a chart shown at 343 px keeps its 12-unit text near 12 px."""
    long_name = "Volunteers approved (incl. paused) at the end of the quarter, all schemes"
    svg = str(bar_chart("c", "t", "d", [long_name, "x"], [Series("Before", [1, 2]), Series("After", [3, 4])]))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert 12 * 343 / width >= 11


def _bars(svg: str) -> str:
    return svg.split('<g class="vh-bars">', 1)[1]
