"""Which pages the sweep visits: every GET rule of ``app.url_map``, filled with demo ids, per role.

A rule is visited by every role its access policy lets in (a public page by an anonymous
visitor, except the overview, which is each signed-in role's start page). Its
``<id>``s are filled from the Glostrup demo data; the Flask test client first finds, among the
candidates, one the role may see (a partner coordinator sees only their organisation's), so the
browser visits only pages that answer 200. A rule that only redirects this role elsewhere (the
overview sends an anonymous visitor to sign in), or that refuses it every demo object, is not a
page for it; the municipal coordinator must reach every staff page (a test checks). ``SKIPPED``
is the explicit list of rules that are not pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.support import Login, login_as
from tests.volunteers.test_registration import CONTACT, fill_all_steps
from volunteer_hub.auth.models import User
from volunteer_hub.core.access import policy_of
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Organisation

SKIPPED = {
    "static": "files, not pages",
    "home.healthz": "a health check for the load balancer (text)",
    "home.readyz": "a readiness check for the load balancer (text)",
    "home.set_language": "sets the language and redirects",
    "reports.export": "a download (CSV, XLSX, PDF)",
    "letters.preview_pdf": "a download (PDF)",
    "families.welcome_letter_pdf": "a download (PDF)",
    "matching.contact_card_pdf": "a download (PDF)",
    "family_links.pdf": "a download (PDF)",
    "volunteers.export_data": "a download (JSON)",
    "volunteers.verify_email": "follows an e-mailed one-time token and redirects",
    "auth.reset_password": "needs an e-mailed one-time token",
    "auth.second_factor": "a step inside a sign-in in progress",
    "auth.reauthenticate": "a step before a sensitive action",
    "auth.setup_two_factor": "a step inside a sign-in in progress",
    "family_links.show": "needs a private link's raw token, which is shown only once when made",
    "auth_links.show": "needs an e-mailed one-time token",
    "answers.answer": "a family's answer on a private link: needs the link's raw token",
    "answers.thanks": "a family's answer on a private link: needs the link's raw token",
}
SAME_PAGES_AS = {Role.ADMIN: Role.MUNICIPAL_COORDINATOR}
"""An administrator sees the municipal coordinator's pages exactly as the coordinator does, so
the sweep visits those as the coordinator only, and as the administrator their overview and the
pages only an administrator may see (users, settings): it keeps the sweep to a few minutes."""
NOT_FOR_ROLE = {302, 403, 404}
"""Statuses that say a rule is not a page for this role with any demo id: it sends the role
elsewhere (302), or the object check refuses every candidate (a volunteer's or a partner's
view of a family case)."""
ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, Role.VOLUNTEER, Role.PARTNER_COORDINATOR, Role.MUNICIPAL_COORDINATOR, Role.ADMIN)
LONG_NAME = "Vestergaardchristoffersen"  # a surname a phone must show whole, not split mid-word
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
DEMO_EMAILS = {
    Role.ADMIN: "admin@glostrup.demo",
    Role.MUNICIPAL_COORDINATOR: "koordinator@glostrup.demo",
    Role.PARTNER_COORDINATOR: "rodekors@glostrup.demo",
    Role.VOLUNTEER: "frivillig@glostrup.demo",
}


@dataclass(frozen=True)
class Visit:
    endpoint: str
    url: str


def _ids(model: Any, *where: Any) -> list[int]:
    query = select(model.id).where(*where).order_by(model.id).execution_options(all_tenants=True)
    return list(db.session.execute(query).scalars())


def demo_candidates() -> dict[str, list[Any]]:
    """For each URL argument, the demo values to try, best first (call in an app context)."""
    from volunteer_hub.answers.models import FamilyAnswer
    from volunteer_hub.families.models import Household, LeisureOffer, Member, SharedUnit, Workplace
    from volunteer_hub.letters.models import LetterKind
    from volunteer_hub.matching.models import Match
    from volunteer_hub.volunteers.drafts import STEP_SLUGS
    from volunteer_hub.volunteers.models import Volunteer

    households = _ids(Household)
    members = {household: _ids(Member, Member.household_id == household) for household in households}
    return {
        "household_id": households,
        "member_id": members,
        "unit_id": _ids(SharedUnit),
        "offer_id": _ids(LeisureOffer),
        "workplace_id": _ids(Workplace),
        "volunteer_id": _ids(Volunteer),
        "match_id": _ids(Match),
        "user_id": _ids(User),
        "kind": [kind.value for kind in LetterKind],
        "language": ["da", "en", "ar"],
        "slug": list(STEP_SLUGS),
        "organisation_id": _ids(Organisation),
        "answer_id": _ids(FamilyAnswer),
        "action": ["suspend", "pause", "resume", "approve", "reject", "request_information", "reinstate"],
    }


def login_for(role: Any) -> Login | None:
    if role == ANONYMOUS:
        return None
    user = db.session.execute(
        select(User).where(User.email == DEMO_EMAILS[role]).execution_options(all_tenants=True)
    ).scalar_one()
    return Login(user)


def _allowed(app: Flask, endpoint: str, role: Any) -> bool:
    policy = policy_of(app.view_functions[endpoint])
    if policy is None:
        return False
    if policy.public:
        return role == ANONYMOUS or endpoint == "home.index"
    if role in SAME_PAGES_AS and endpoint != "home.index" and _allowed(app, endpoint, SAME_PAGES_AS[role]):
        return False
    return role != ANONYMOUS and (not policy.roles or role in policy.roles)


def _urls(rule: Any, candidates: dict[str, list[Any]]) -> list[str]:
    """Up to a few URLs for ``rule``, its arguments filled from the candidates."""
    names = ARGUMENT.findall(rule.rule)
    if not names:
        return [rule.rule]
    combos: list[dict[str, Any]] = [{}]
    for name in names:
        options = candidates.get(name, [])
        if name == "member_id":
            combos = [{**c, name: m} for c in combos for m in options.get(c.get("household_id"), [])[:1]]
        else:
            combos = [{**c, name: value} for c in combos for value in options[:12]]
    return [ARGUMENT.sub(lambda m, c=combo: str(c[m.group(1)]), rule.rule) for combo in combos[:12]]


def prepared_client(app: Flask, role: Any) -> FlaskClient:
    """A test client signed in as ``role``'s demo user; an anonymous one has filled in the
    volunteer registration up to the check-your-answers page (with a long word in it)."""
    client = app.test_client()
    with app.app_context():
        login = login_for(role)
        organisation_id = db.session.execute(
            select(Organisation.id).where(Organisation.name == "Røde Kors Glostrup")
        ).scalar_one()
    if login is not None:
        login_as(client, login)
    else:
        fill_all_steps(client, organisation_id, contact={**CONTACT, "last_name": LONG_NAME})
    return client


def pages_for(app: Flask, role: Any, client: FlaskClient) -> tuple[list[Visit], list[str]]:
    """The pages ``role`` may see, one URL per GET rule, and the rules no demo id opened."""
    with app.app_context():
        candidates = demo_candidates()
    visits, unreached = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in SKIPPED or rule.rule.startswith("/api/"):
            continue
        if not _allowed(app, rule.endpoint, role):
            continue
        statuses = set()
        for url in _urls(rule, candidates):
            response = client.get(url)
            statuses.add(response.status_code)
            if response.status_code == 200 and response.mimetype == "text/html":
                visits.append(Visit(rule.endpoint, url))
                break
        else:
            if not statuses or not statuses <= NOT_FOR_ROLE:
                unreached.append(f"{rule.endpoint} ({rule.rule}): {sorted(statuses)}")
    return visits, unreached


def session_cookie(app: Any, client: Any, base_url: str) -> list[dict[str, Any]]:
    """The test client's session (signed in, or a registration draft) for the browser."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return [{"name": cookie.key, "value": cookie.value, "url": base_url}] if cookie else []
