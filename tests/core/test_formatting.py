"""Numbers, shares and scores are written in one place, in the interface language (Babel)."""

from __future__ import annotations

from flask import render_template_string, session

from volunteer_hub.core.formatting import format_number, format_percent, format_percent_points, format_score


def test_danish_is_the_default_outside_a_request():
    assert format_number(1234) == "1.234"
    assert format_number(23.5) == "23,5"
    assert format_number(-1, signed=True) == "-1" and format_number(2, signed=True) == "+2"
    assert format_percent(0.455) == "45,5\xa0%"
    assert format_percent(0.25) == "25\xa0%"
    assert format_score(0.78) == "0,78"
    assert format_number(None) == "–" and format_percent("<5") == "<5"


def test_english_pages_get_english_numbers(app):
    with app.test_request_context():
        session["lang"] = "en"
        assert format_number(1234.5) == "1,234.5"
        assert format_percent(0.455) == "45.5%"
        assert format_percent_points(-0.145) == "-14.5 percentage points"
        assert format_score(0.78) == "0.78"


def test_templates_have_the_filters_and_a_score_is_never_written_with_a_decimal_point_in_danish(app):
    with app.test_request_context():
        text = render_template_string("{{ 0.780|score }} {{ 0.455|percent }} {{ 1234|number }}")
        assert format_percent_points(-0.145) == "-14,5 procentpoint"
    assert text == "0,78 45,5\xa0% 1.234"
