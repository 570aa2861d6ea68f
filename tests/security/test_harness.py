"""The harness itself: it reads markers out of every export format the domains will add."""

from __future__ import annotations

import io

from tests.security.harness import (
    XLSX,
    Canary,
    Owner,
    Viewer,
    body_text,
    leaked_canaries,
    nobody,
    parse_forms,
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
