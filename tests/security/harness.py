"""The security suite's machinery: world, viewers, route matrix, canaries, calls and decoding.

Nothing here names a particular route. Domains describe themselves in
``tests/security/domains/<domain>.py`` (routes with their allowed roles, URL parameters,
fixture records and canaries); the tests in this folder walk ``app.url_map`` and apply
those descriptions to every route, so a new route is covered by adding entries, not code.
"""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

ROLES: tuple[Role, ...] = (Role.VOLUNTEER, Role.PARTNER_COORDINATOR, Role.MUNICIPAL_COORDINATOR, Role.ADMIN)
ANONYMOUS = "anonymous"
VIEWER_NAMES: tuple[str, ...] = (ANONYMOUS, *(role.value for role in ROLES))

# Who may call a route, as the matrix states it (the decorators are checked against it).
PUBLIC: frozenset[Role] | None = None
SIGNED_IN = frozenset(ROLES)
STAFF = frozenset({Role.PARTNER_COORDINATOR, Role.MUNICIPAL_COORDINATOR, Role.ADMIN})
MUNICIPAL_STAFF = frozenset({Role.MUNICIPAL_COORDINATOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
VOLUNTEER = frozenset({Role.VOLUNTEER})

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_OK = {
    "GET": (200,),
    # A write by an allowed caller with an empty form may succeed, redirect or explain what
    # is missing; what it may not do is refuse the caller (401, 403, 404) or crash.
    "POST": (200, 201, 204, 302, 303, 400, 409, 422),
}
LOGIN_REDIRECT = "login-redirect"


# --- Who is looking, and whose data it is --------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """Where a record or a canary belongs: municipality "A"/"B", organisation "A1".., account."""

    municipality: str
    organisation: str | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class Viewer:
    """Someone calling routes: anonymous, or a user of one role (with an API token if staff)."""

    name: str
    role: Role | None
    municipality: str | None = None
    organisation: str | None = None
    user_id: int | None = None
    token: str | None = None


Visibility = Callable[[Viewer, Owner], bool]


def nobody(viewer: Viewer, owner: Owner) -> bool:
    """Secrets and hashes: never in any response."""
    return False


def everyone(viewer: Viewer, owner: Owner) -> bool:
    return True


def same_municipality(viewer: Viewer, owner: Owner) -> bool:
    """Any signed-in user of the record's municipality."""
    return viewer.role is not None and viewer.municipality == owner.municipality


def municipal_staff(viewer: Viewer, owner: Owner) -> bool:
    """Municipal coordinators and administrators of the record's municipality."""
    return same_municipality(viewer, owner) and viewer.role in MUNICIPAL_STAFF


def administrators(viewer: Viewer, owner: Owner) -> bool:
    return same_municipality(viewer, owner) and viewer.role == Role.ADMIN


def organisation_staff(viewer: Viewer, owner: Owner) -> bool:
    """Municipal staff of the municipality, and partner coordinators of the record's organisation."""
    if municipal_staff(viewer, owner):
        return True
    return (
        same_municipality(viewer, owner)
        and viewer.role == Role.PARTNER_COORDINATOR
        and viewer.organisation == owner.organisation
    )


def account_owner(viewer: Viewer, owner: Owner) -> bool:
    """Only the account the record belongs to."""
    return viewer.user_id is not None and viewer.user_id == owner.user_id


def any_of(*rules: Visibility) -> Visibility:
    def rule(viewer: Viewer, owner: Owner) -> bool:
        return any(check(viewer, owner) for check in rules)

    rule.__name__ = "any_of(" + ", ".join(check.__name__ for check in rules) + ")"
    return rule


# --- The world: two municipalities, their organisations, users and records -----------------


@dataclass(frozen=True)
class Record:
    kind: str
    id: int
    owner: Owner


@dataclass(frozen=True)
class Canary:
    """A unique value in a sensitive field, and who may see it."""

    value: str
    field: str
    owner: Owner
    may_see: Visibility

    @property
    def needle(self) -> str:
        return self.value.lower()


@dataclass
class World:
    """The fixture data every security test runs against, built by the domains' seeders."""

    municipality_ids: dict[str, int] = field(default_factory=dict)
    organisation_ids: dict[str, int] = field(default_factory=dict)
    viewers: dict[str, Viewer] = field(default_factory=dict)  # municipality A, one per role
    other_viewers: dict[str, Viewer] = field(default_factory=dict)  # municipality B
    records: dict[str, list[Record]] = field(default_factory=dict)
    canaries: list[Canary] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    _counter: int = 0

    def marker(self, field_name: str) -> str:
        """A fresh marker, e.g. ``CANARY-0007-user.name``; fixed width, so none contains another."""
        self._counter += 1
        return f"CANARY-{self._counter:04d}-{field_name}"

    def email_marker(self) -> str:
        self._counter += 1
        return f"canary-{self._counter:04d}@example.dk"

    def phone_marker(self) -> tuple[str, str]:
        """A fresh phone number as stored (E.164) and as pages write it (``20 00 00 42``).

        Pages format phone numbers, and the phone library reads letters as keypad digits, so a
        text marker in a phone field would not come back as itself: register both forms.
        """
        self._counter += 1
        digits = f"{self._counter:06d}"
        return f"+4520{digits}", f"20 {digits[:2]} {digits[2:4]} {digits[4:]}"

    def add_record(self, kind: str, record_id: int, owner: Owner) -> None:
        self.records.setdefault(kind, []).append(Record(kind, record_id, owner))

    def add_canary(self, value: str, field_name: str, owner: Owner, may_see: Visibility) -> str:
        self.canaries.append(Canary(value, field_name, owner, may_see))
        return value

    def viewer(self, name: str) -> Viewer:
        return self.viewers[name]


# --- The route matrix ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordParam:
    """A URL (or query) value that names a record of ``kind``; ``visible`` says to whom.

    Routes with such a parameter are called once per record of that kind in the world
    (own and other organisation, other municipality), expecting 404 where not visible.
    """

    kind: str
    visible: Visibility


@dataclass(frozen=True)
class Route:
    """One endpoint's entry in the security matrix.

    ``allowed``: the roles that may call it (``PUBLIC`` for anyone). ``params``: values for
    URL variables not described by a domain's PARAMS registry (constants or RecordParam).
    ``query``: query-string values for GET. ``ok``: the statuses an allowed caller gets,
    per method, when the defaults (GET 200; writes 2xx/3xx/400/409/422) do not fit.
    ``reauth``: the route must ask for a recent sign-in (role changes, exports, tokens).
    ``writes``: protected columns (``"table.column"``, see PROTECTED_COLUMNS) the route exists
    to change in existing rows, e.g. ``"volunteer.status"`` for a status action: the
    mass-assignment test lets those change and still refuses any other.
    A param value may be a constant, a list of constants (each is tried), a callable taking
    the world, or a RecordParam.
    """

    endpoint: str
    allowed: frozenset[Role] | None
    params: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    ok: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    reauth: bool = False
    writes: tuple[str, ...] = ()
    note: str = ""

    @property
    def public(self) -> bool:
        return self.allowed is None

    def ok_for(self, method: str) -> tuple[int, ...]:
        return self.ok.get(method) or DEFAULT_OK["GET" if method == "GET" else "POST"]


@dataclass(frozen=True)
class Sample:
    """One concrete URL for a rule, with the records it names."""

    path: str
    query: Mapping[str, Any]
    records: tuple[Record, ...]
    rules: tuple[Visibility, ...]

    def visible_to(self, viewer: Viewer) -> bool:
        return all(rule(viewer, record.owner) for rule, record in zip(self.rules, self.records, strict=True))

    @property
    def label(self) -> str:
        named = ",".join(f"{r.kind}:{r.owner.municipality}/{r.owner.organisation}" for r in self.records)
        return self.path + (f" [{named}]" if named else "")


def is_api_rule(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def methods_of(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def samples(rule: Rule, route: Route, params: Mapping[str, RecordParam], world: World) -> list[Sample]:
    """Every URL to try for ``rule``: one per combination of records its parameters name."""
    choices: list[list[tuple[str, str, Any, Record | None, Visibility | None]]] = []
    # A rule like ``/things/new`` with ``defaults={"thing_id": None}`` shares the endpoint of
    # ``/things/<int:thing_id>`` but has no such variable in its path: nothing to fill there.
    in_path = set(rule.arguments) - set(rule.defaults or {})
    for where, names in (("path", in_path), ("query", route.query.keys())):
        for name in sorted(names):
            spec = route.query[name] if where == "query" else route.params.get(name, params.get(name))
            if spec is None:
                raise KeyError(
                    f"{rule.endpoint}: no value for URL variable <{name}>; add it to the route's params"
                )
            if isinstance(spec, RecordParam):
                found = world.records.get(spec.kind, [])
                if not found:
                    raise KeyError(f"{rule.endpoint}: the world has no '{spec.kind}' records for <{name}>")
                choices.append([(where, name, rec.id, rec, spec.visible) for rec in found])
            elif isinstance(spec, list | tuple):  # several constants, e.g. every action of a status route
                choices.append([(where, name, value, None, None) for value in spec])
            else:
                value = spec(world) if callable(spec) else spec
                choices.append([(where, name, value, None, None)])
    result = []
    for combination in product(*choices) if choices else [()]:
        path_values = {name: value for where, name, value, _r, _v in combination if where == "path"}
        query = {name: value for where, name, value, _r, _v in combination if where == "query"}
        records = tuple(rec for *_x, rec, _v in combination if rec is not None)
        rules = tuple(vis for *_x, rec, vis in combination if rec is not None)
        result.append(Sample(build_path(rule, path_values), query, records, rules))  # type: ignore[arg-type]
    return result


def build_path(rule: Rule, values: Mapping[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        return str(values[match.group(1)])

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


# --- Calling routes as a viewer ----------------------------------------------------------------


def _session_id(app: Flask, user_id: int) -> str:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.get_id()


def page_client(app: Flask, viewer: Viewer) -> FlaskClient:
    """A browser-like client: signed in as ``viewer`` (fresh sign-in, not idle), or anonymous."""
    client = app.test_client()
    if viewer.user_id is not None:
        session_id = _session_id(app, viewer.user_id)
        now = int(time.time())
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
            session["vh_auth_at"] = now
            session["vh_seen_at"] = now
    return client


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_for(client: FlaskClient) -> str:
    response = client.get("/tilgaengelighed")
    match = CSRF_META.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the accessibility page"
    return match.group(1)


def is_csrf_field(name: str) -> bool:
    """The CSRF token field of a form, also of a prefixed one (``remove-csrf_token``)."""
    return name == "csrf_token" or name.endswith("-csrf_token")


def with_token(pairs: Iterable[tuple[str, str]], token: str) -> list[tuple[str, str]]:
    """A form's fields with every CSRF token field set to this session's token.

    A page's form carries the token of the session that opened the page; replaying it from
    another session would make every submission a CSRF refusal and prove nothing.
    """
    return [(name, token if is_csrf_field(name) else value) for name, value in pairs]


def api_headers(viewer: Viewer) -> dict[str, str]:
    return {"Authorization": f"Bearer {viewer.token}"} if viewer.token else {}


def call(app: Flask, viewer: Viewer, rule: Rule, method: str, sample: Sample, *, data: Any = None) -> Any:
    """Call one sample URL as ``viewer``: API by bearer token, pages by session and CSRF token."""
    if is_api_rule(rule):
        client = app.test_client()
        kwargs: dict[str, Any] = {"headers": api_headers(viewer), "query_string": dict(sample.query)}
        if method in UNSAFE_METHODS:
            kwargs["json"] = data if data is not None else {}
        return client.open(sample.path, method=method, buffered=True, **kwargs)
    client = page_client(app, viewer)
    query = dict(sample.query)
    if method in UNSAFE_METHODS:
        form = {"csrf_token": csrf_for(client), **(data or {})}
        return client.open(sample.path, method=method, data=form, query_string=query, buffered=True)
    return client.open(sample.path, method=method, query_string=query, buffered=True)


def expected_status(route: Route, rule: Rule, viewer: Viewer, method: str, sample: Sample) -> tuple[Any, ...]:
    """What the matrix says ``viewer`` must get: a status tuple, or LOGIN_REDIRECT."""
    if route.public:
        return route.ok_for(method)
    api = is_api_rule(rule)
    authenticated = viewer.token is not None if api else viewer.role is not None
    if not authenticated:
        if api or method != "GET":
            return (401,)
        return (LOGIN_REDIRECT,)
    assert route.allowed is not None and viewer.role is not None
    if viewer.role not in route.allowed:
        return (403,)
    if not sample.visible_to(viewer):
        return (404,)
    return route.ok_for(method)


def matches(response: Any, expected: tuple[Any, ...]) -> bool:
    if expected == (LOGIN_REDIRECT,):
        return response.status_code == 302 and "/login" in response.headers.get("Location", "")
    return response.status_code in expected


# --- Reading responses, whatever their format ---------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response_text(response: Any) -> str:
    """Everything a response says, as text: headers and body (HTML, JSON, CSV, XLSX, PDF)."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    return headers + "\n" + body_text(response.mimetype or "", response.get_data())


def body_text(mimetype: str, data: bytes) -> str:
    if mimetype == XLSX:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        cells = [
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]
        return "\n".join(cells)
    if mimetype == "application/pdf":
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            result = subprocess.run(
                ["pdftotext", "-q", "-enc", "UTF-8", handle.name, "-"],
                capture_output=True,
                check=True,
                timeout=60,
            )
        return result.stdout.decode("utf-8", "replace")
    if mimetype.endswith("json"):
        try:
            return json.dumps(json.loads(data), ensure_ascii=False)
        except ValueError:
            return data.decode("utf-8", "replace")
    text = data.decode("utf-8", "replace")
    if mimetype == "text/html":
        # Entities would hide a marker; markers are plain ASCII, so unescaping cannot invent one.
        return html.unescape(text)
    return text


def leaked_canaries(text: str, canaries: Iterable[Canary], viewer: Viewer) -> list[Canary]:
    lowered = text.lower()
    return [c for c in canaries if not c.may_see(viewer, c.owner) and c.needle in lowered]


# --- Forms on pages ------------------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class Form:
    action: str
    fields: list[FormField]

    def names(self) -> set[str]:
        return {f.name for f in self.fields}


class _FormParser(HTMLParser):
    def __init__(self, page_path: str, method: str = "post") -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.method = method
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None
        self._option_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == self.method:
            self._form = Form(action=a.get("action") or self.page_path, fields=[])
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            self._form.fields.append(
                FormField(a["name"], kind, a.get("value", ""), "checked" in a, required="required" in a)
            )
        elif tag == "select" and a.get("name"):
            self._select = FormField(a["name"], "select", required="required" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option_value = value
            if value is not None:
                self._select.options.append(value)
                if "selected" in a:
                    self._select.selected.append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = FormField(a["name"], "textarea", required="required" in a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        elif self._select is not None and self._option_value is None and data.strip():
            self._select.options.append(data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._option_value = None


def parse_forms(page_path: str, text: str, method: str = "post") -> list[Form]:
    """The page's forms sent with ``method`` (POST: the ones that change something)."""
    parser = _FormParser(page_path, method)
    parser.feed(text)
    return parser.forms


_counter = iter(range(1, 10**9))


def plausible_value(item: FormField) -> str:
    """A value a person would type, for a field that has none yet."""
    n = next(_counter)
    return {
        "email": f"form-{n}@example.dk",
        "password": "correct horse battery",
        "number": "1",
        "date": "2026-03-02",
        "tel": "+4520304050",
        "url": "https://example.dk",
    }.get(item.kind, f"Test value {n}")


def fill(form: Form, overrides: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """The form as a browser would submit it, with empty text fields filled plausibly."""
    overrides = dict(overrides or {})
    pairs: list[tuple[str, str]] = []
    radios_done: set[str] = set()
    for item in form.fields:
        if item.name in overrides:
            continue
        if item.kind in {"checkbox"}:
            if item.checked:
                pairs.append((item.name, item.value or "y"))
        elif item.kind == "radio":
            if item.name not in radios_done and (
                item.checked or not any(f.checked for f in form.fields if f.name == item.name)
            ):
                pairs.append((item.name, item.value))
                radios_done.add(item.name)
        elif item.kind == "select":
            chosen = item.selected or [next((o for o in item.options if o), "")]
            pairs.extend((item.name, value) for value in chosen[:1])
        elif item.kind == "hidden":
            pairs.append((item.name, item.value))
        else:
            pairs.append((item.name, item.value or plausible_value(item)))
    for name, value in overrides.items():
        values = value if isinstance(value, list) else [value]
        pairs.extend((name, str(v)) for v in values)
    return pairs


def endpoint_for(app: Flask, path: str, method: str = "POST") -> tuple[str, dict[str, Any]] | None:
    """The endpoint a local path and method reach, or None."""
    from werkzeug.exceptions import HTTPException

    path = path.split("?", 1)[0]
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        endpoint, args = app.url_map.bind("localhost").match(path, method=method)
    except HTTPException:
        return None
    return endpoint, args


# --- The database, for before/after comparisons --------------------------------------------------

PROTECTED_COLUMNS = ("role", "status", "organisation_id", "municipality_id", "user_id")


def snapshot(app: Flask, columns: Iterable[str] = PROTECTED_COLUMNS) -> dict[tuple[str, Any], dict[str, Any]]:
    """Every row's protected columns, keyed by (table, primary key)."""
    wanted = set(columns)
    rows: dict[tuple[str, Any], dict[str, Any]] = {}
    with app.app_context():
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                present = [c for c in table.columns if c.name in wanted]
                if not present:
                    continue
                key = list(table.primary_key.columns)
                for row in connection.execute(table.select().with_only_columns(*key, *present)):
                    mapping = row._mapping
                    pk = tuple(mapping[c.name] for c in key)
                    rows[(table.name, pk)] = {c.name: _plain(mapping[c.name]) for c in present}
    return rows


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


def iter_rules(app: Flask) -> Iterator[Rule]:
    yield from sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
