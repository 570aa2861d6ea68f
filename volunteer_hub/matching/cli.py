"""``flask match suggest`` and ``flask match plan``, exactly as FORMATS.md describes them.

Both read only; nothing is saved. Output is one JSON object; scores are rounded to 3 decimals,
and the reasons' sentences are in English (the contract's language).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from volunteer_hub.core.clock import local_today
from volunteer_hub.db import set_session_tenant
from volunteer_hub.extensions import db
from volunteer_hub.families.services.households import find_household_by_ref
from volunteer_hub.matching import services
from volunteer_hub.matching.engine.plan import PLAN_BEST_FIT
from volunteer_hub.matching.engine.types import Assignment, Unassigned
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.tenancy.services import get_municipality_by_code
from volunteer_hub.vocab import SCHEMES

match_cli = AppGroup(
    "match", help="Ask the matcher for suggestions or a plan (read only; JSON as FORMATS.md says)."
)

MUNICIPALITY_HELP = "Kommunekode of the municipality to match in (default 0161, Glostrup)."
AS_OF_HELP = "The day to match on, YYYY-MM-DD (default: today), so output is reproducible."
DECIMALS = 3
DEFAULT_POLICY = services.PLAN_AHEAD


def _score(value: float) -> float:
    return round(float(value), DECIMALS)


def _municipality(code: str) -> Municipality:
    municipality = get_municipality_by_code(code)
    if municipality is None:
        raise click.ClickException(f"unknown municipality {code}")
    set_session_tenant(db.session(), municipality.id)
    return municipality


def _as_of(value: str | None) -> dt.date:
    if not value:
        return local_today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a date written as YYYY-MM-DD", param_hint="--as-of"
        ) from None


def _scheme(value: str | None) -> str | None:
    if value and value not in SCHEMES:
        raise click.BadParameter(
            f"unknown scheme '{value}' (allowed: {', '.join(SCHEMES)})", param_hint="--scheme"
        )
    return value or None


def _echo(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


@match_cli.command("suggest")
@click.option("--family", "family_ref", required=True, help="The household's ref, e.g. F0007.")
@click.option("--scheme", help="The scheme (default: the household's first scheme).")
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, help="How many; 0 = all.")
@click.option("--as-of", "as_of", help=AS_OF_HELP)
@click.option("--format", "output_format", type=click.Choice(["json"]), default="json", show_default=True)
@click.option(
    "--municipality", "municipality_code", default="0161", show_default=True, help=MUNICIPALITY_HELP
)
@with_appcontext
def suggest_command(
    family_ref: str,
    scheme: str | None,
    top: int,
    as_of: str | None,
    output_format: str,
    municipality_code: str,
) -> None:
    """Rank the eligible volunteers for one household and scheme, best first, with reasons."""
    municipality = _municipality(municipality_code)
    day, scheme = _as_of(as_of), _scheme(scheme)
    household = find_household_by_ref(municipality.id, family_ref)
    if household is None:
        raise click.ClickException(f"no household with ref {family_ref} in municipality {municipality_code}")
    chosen = scheme or (household.scheme_codes[0] if household.scheme_codes else None)
    if chosen is None:
        raise click.ClickException(f"household {family_ref} asks for no scheme")
    rows = services.suggestions_for(household, chosen, day, "en", top=top)
    _echo(
        {
            "family": household.ref,
            "scheme": chosen,
            "as_of": day.isoformat(),
            "suggestions": [
                {
                    "volunteer": row.suggestion.volunteer,
                    "score": _score(row.suggestion.score),
                    "reasons": [
                        {"factor": r.factor, "contribution": _score(r.contribution), "text": r.text}
                        for r in row.suggestion.reasons
                    ],
                }
                for row in rows
            ],
        }
    )


@match_cli.command("plan")
@click.option("--scheme", help="Only this scheme's requests.")
@click.option("--as-of", "as_of", help=AS_OF_HELP)
@click.option(
    "--horizon",
    type=click.IntRange(min=0, max=366),
    default=services.DEFAULT_HORIZON_DAYS,
    show_default=True,
    help="Plan the households announced to arrive within this many days after --as-of (policy ahead).",
)
@click.option(
    "--policy",
    type=click.Choice(services.PLAN_POLICIES),
    default=DEFAULT_POLICY,
    show_default=True,
    help="ahead: also the households announced to arrive within the horizon (pairs start on arrival); "
    "today: only households that have arrived.",
)
@click.option(
    "--hold-for-expected/--no-hold-for-expected",
    default=True,
    show_default=True,
    help="With --policy ahead: keep volunteers who are the best or only fit for the families "
    "expected in the coming six months (last 12 months' arrival mix).",
)
@click.option("--format", "output_format", type=click.Choice(["json"]), default="json", show_default=True)
@click.option(
    "--municipality", "municipality_code", default="0161", show_default=True, help=MUNICIPALITY_HELP
)
@with_appcontext
def plan_command(
    scheme: str | None,
    as_of: str | None,
    horizon: int,
    policy: str,
    hold_for_expected: bool,
    output_format: str,
    municipality_code: str,
) -> None:
    """Propose the best plan for every waiting request (best fit; nothing is saved)."""
    municipality = _municipality(municipality_code)
    day, scheme = _as_of(as_of), _scheme(scheme)
    found = services.proposed_plan(
        municipality.id,
        day,
        PLAN_BEST_FIT,
        scheme,
        "en",
        policy=policy,
        horizon=horizon,
        hold_for_expected=hold_for_expected,
    )
    result = found.plan
    _echo(
        {
            "as_of": day.isoformat(),
            "policy": found.policy,
            "horizon": found.horizon,
            "holds_for_expected": found.holds_for_expected,
            "assignments": [_assignment(a) for a in result.assignments],
            "unassigned": [_unassigned(u) for u in result.unassigned],
            "total_score": _score(result.total_score),
        }
    )


def _assignment(a: Assignment) -> dict[str, Any]:
    """FORMATS.md's four fields; ``starts_on`` only for an announced household's pair, ``held_by``
    when its best volunteer is held for families expected soon."""
    out: dict[str, Any] = {"family": a.household, "scheme": a.scheme, "volunteer": a.volunteer}
    out["score"] = _score(a.score)
    if a.starts_on is not None:
        out["starts_on"] = a.starts_on.isoformat()
    if a.held_volunteer is not None:
        out["held_by"] = a.held_volunteer
    return out


def _unassigned(u: Unassigned) -> dict[str, Any]:
    """FORMATS.md's three fields; ``starts_on`` for an announced household, ``held_by`` when its
    best candidate is held for families expected soon."""
    out: dict[str, Any] = {"family": u.household, "scheme": u.scheme, "reason": u.text}
    if u.starts_on is not None:
        out["starts_on"] = u.starts_on.isoformat()
    if u.held_volunteer is not None:
        out["held_by"] = u.held_volunteer
    return out


def register_cli(app: Flask) -> None:
    app.cli.add_command(match_cli)
