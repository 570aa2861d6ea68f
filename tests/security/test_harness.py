"""The harness itself: it reads markers out of every export format the domains will add."""

from __future__ import annotations

import io

from tests.security.harness import (
    XLSX,
    Canary,
    Owner,
    RecordParam,
    Route,
    Viewer,
    World,
    body_text,
    leaked_canaries,
    nobody,
    parse_forms,
    samples,
    with_token,
)

MARKER = "CANARY-9999-volunteer.phone"


def test_markers_are_found_in_csv_xlsx_pdf_json_and_html():
    from openpyxl import Workbook
    from weasyprint import HTML

    book = Workbook()
    book.active.append(["Name", MARKER])
    xlsx = io.BytesIO()
    book.save(xlsx)
    pdf = HTML(string=f"<p>Telefon: {MARKER}</p>").write_pdf()
    decoded = {
        "csv": body_text("text/csv", f"name;phone\nA;{MARKER}\n".encode()),
        "xlsx": body_text(XLSX, xlsx.getvalue()),
        "pdf": body_text("application/pdf", pdf),
        "json": body_text("application/json", f'{{"phone": "{MARKER}"}}'.encode()),
        "html": body_text("text/html", b"<td>CANARY&#45;9999-volunteer.phone</td>"),
    }
    assert {kind: MARKER in text for kind, text in decoded.items()} == dict.fromkeys(decoded, True)


def test_a_leak_is_reported_and_a_permitted_value_is_not():
    canary = Canary(MARKER, "volunteer.phone", Owner("A", "A1"), nobody)
    viewer = Viewer("admin", None)
    assert leaked_canaries(f"... {MARKER.lower()} ...", [canary], viewer) == [canary]
    assert leaked_canaries("nothing here", [canary], viewer) == []


def test_forms_are_read_as_a_browser_submits_them():
    page = """<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">
      <input name="name" value="Ann"><select name="role"><option value="a">A</option>
      <option value="b" selected>B</option></select><textarea name="note">hi</textarea>
      <input type="checkbox" name="s" value="r" checked><button type="submit">Go</button></form>
      <form method="get" action="/search"><input name="q"></form>"""
    [form] = parse_forms("/page", page)
    assert form.action == "/x"
    assert [(f.name, f.kind) for f in form.fields] == [
        ("csrf_token", "hidden"),
        ("name", "text"),
        ("role", "select"),
        ("note", "textarea"),
        ("s", "checkbox"),
    ]
    assert form.fields[2].selected == ["b"] and form.fields[3].value == "hi"


def test_every_csrf_field_of_a_form_gets_the_sessions_token():
    """A prefixed form (``remove-csrf_token``) replayed with another session's token would be a
    CSRF refusal, and the submission would prove nothing."""
    pairs = [("csrf_token", "old"), ("remove-csrf_token", "old"), ("name", "csrf_token")]
    assert with_token(pairs, "new") == [
        ("csrf_token", "new"),
        ("remove-csrf_token", "new"),
        ("name", "csrf_token"),
    ]


def test_a_rule_whose_variable_has_a_default_is_called_without_a_value():
    """``/things/new`` (``defaults={"thing_id": None}``) and ``/things/<int:thing_id>`` share an
    endpoint; only the second names a record."""
    from werkzeug.routing import Map, Rule

    rules = Map(
        [Rule("/t/ny", endpoint="t", defaults={"thing_id": None}), Rule("/t/<int:thing_id>", endpoint="t")]
    )
    new, existing = list(rules.iter_rules())
    world = World()
    for number, municipality in ((7, "A"), (8, "B")):
        world.add_record("thing", number, Owner(municipality))
    route = Route("t", None)
    params = {"thing_id": RecordParam("thing", nobody)}
    assert [s.path for s in samples(new, route, params, world)] == ["/t/ny"]
    assert [s.path for s in samples(existing, route, params, world)] == ["/t/7", "/t/8"]


def test_a_phone_marker_is_found_as_stored_and_as_pages_write_it():
    from volunteer_hub.volunteers.validation import format_phone

    world = World()
    stored, written = world.phone_marker()
    other = world.phone_marker()
    assert format_phone(stored) == written
    assert not any(mine in theirs for mine in (stored, written) for theirs in other)  # none contains another
