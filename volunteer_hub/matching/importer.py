"""``flask import matches FILE [--dry-run] [--municipality CODE]``, exactly as FORMATS.md says.

Existing pairs from a spreadsheet kept before Volunteer Hub. All or nothing: every row is
checked first, and one bad cell means nothing is written. A re-import updates the match with
the same family, volunteer, scheme and start date (its end), so nothing is duplicated.
Imported pairs were made by people before the platform: the matcher's rules are not applied,
no messages are sent and no check-ins are scheduled. ``end_reason`` is free text: a code of
the end reasons (e.g. ``moved_away``) is used as it is, any other text is kept as the note of
an "other" reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from volunteer_hub import vocab
from volunteer_hub.audit.services import record
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.families.importer import municipality_for_import
from volunteer_hub.families.models import Household
from volunteer_hub.imports.command import ImportResult, import_command, run_import_command
from volunteer_hub.imports.reader import (
    CellError,
    Problems,
    Row,
    Table,
    check_columns,
    parse_cell,
    parse_date,
    parse_optional_date,
    parse_text,
    require,
)
from volunteer_hub.maintained import deferred
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MatchStatus
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers.models import Volunteer

REQUIRED = ("family", "volunteer", "scheme", "started_on")
OPTIONAL = ("ended_on", "end_reason")


@dataclass
class MatchRow:
    number: int
    household: Household
    volunteer: Volunteer
    scheme: str
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: EndReason | None
    end_note: str


def _scheme(text: str) -> str:
    require(text)
    if text not in vocab.SCHEMES:
        raise CellError(f"unknown scheme '{text}' (allowed: {', '.join(vocab.SCHEMES)})")
    return text


def _end_reason(text: str) -> tuple[EndReason | None, str]:
    text = parse_text(text, max_length=2000)
    if not text:
        return None, ""
    if text in EndReason._value2member_map_:
        return EndReason(text), ""
    return EndReason.OTHER, text


def _parse_row(
    row: Row, problems: Problems, households: dict[str, Household], volunteers: dict[str, Volunteer]
) -> MatchRow | None:
    before = len(problems)

    def lookup(column: str, table: dict[str, Any], what: str) -> Any:
        ref = parse_cell(row, column, problems, lambda t: parse_text(t, max_length=40, required=True))
        if ref is not None and ref not in table:
            problems.add(row.number, column, f"no {what} with ref '{ref}'; import the {what}s first")
        return table.get(ref or "")

    household = lookup("family", households, "family")
    volunteer = lookup("volunteer", volunteers, "volunteer")
    scheme = parse_cell(row, "scheme", problems, _scheme)
    started_on = parse_cell(row, "started_on", problems, lambda t: parse_date(require(t)))
    ended_on = parse_cell(row, "ended_on", problems, parse_optional_date)
    reason = parse_cell(row, "end_reason", problems, _end_reason)
    if ended_on is not None and started_on is not None and ended_on < started_on:
        problems.add(row.number, "ended_on", "the match cannot end before it started")
    if ended_on is not None and reason is not None and reason[0] is None:
        problems.add(row.number, "end_reason", "a value is required when ended_on is set")
    if ended_on is None and reason is not None and reason[0] is not None:
        problems.add(row.number, "end_reason", "an end reason needs an ended_on date")
    if len(problems) > before:
        return None
    end_reason, end_note = reason if ended_on else (None, "")
    return MatchRow(row.number, household, volunteer, scheme, started_on, ended_on, end_reason, end_note)


def _by_ref(model: Any, municipality_id: int) -> dict[str, Any]:
    rows = db.session.execute(
        select(model).where(model.municipality_id == municipality_id).execution_options(all_tenants=True)
    ).scalars()
    return {row.ref: row for row in rows}


def _existing(municipality_id: int) -> dict[tuple[int, int, str, dt.date], Match]:
    matches = db.session.execute(
        select(Match).where(Match.municipality_id == municipality_id, Match.started_on.is_not(None))
    ).scalars()
    return {(m.household_id, m.volunteer_id, m.scheme, m.started_on): m for m in matches}


def import_matches(table: Table, municipality: Municipality, *, file_hash: str = "") -> ImportResult:
    """Validate every row, then (only if all are valid) create or update the matches (flush only)."""
    result = ImportResult(problems=check_columns(table, REQUIRED, OPTIONAL))
    if result.problems:
        return result
    households = _by_ref(Household, municipality.id)
    volunteers = _by_ref(Volunteer, municipality.id)
    rows = [r for row in table.rows if (r := _parse_row(row, result.problems, households, volunteers))]
    existing = _existing(municipality.id)
    seen: dict[tuple[int, int, str, dt.date], int] = {}
    open_pairs: dict[tuple[int, int, str], int] = {
        key[:3]: 0 for key, m in existing.items() if m.status != MatchStatus.ENDED
    }
    for row in rows:
        key = (row.household.id, row.volunteer.id, row.scheme, row.started_on)
        if key in seen:
            result.problems.add(
                row.number, "started_on", f"the same pair and start date is also in row {seen[key]}"
            )
        seen.setdefault(key, row.number)
        pair = key[:3]
        if row.ended_on is None and key not in existing:
            if pair in open_pairs:
                where = f"row {open_pairs[pair]}" if open_pairs[pair] else "Volunteer Hub"
                result.problems.add(
                    row.number, "ended_on", f"this pair already has a match that has not ended (in {where})"
                )
            open_pairs.setdefault(pair, row.number)
    if result.problems:
        return result
    with deferred(db.session()):  # each match's last contact recomputed once, at the end
        for row in rows:
            key = (row.household.id, row.volunteer.id, row.scheme, row.started_on)
            if key in existing:
                _update(existing[key], row)
                result.updated += 1
            else:
                _create(municipality, row)
                result.created += 1
    record(
        "matches.imported",
        actor=None,
        municipality_id=municipality.id,
        created=result.created,
        updated=result.updated,
        file_sha256=file_hash,
    )
    return result


def _create(municipality: Municipality, row: MatchRow) -> None:
    match = Match(
        municipality_id=municipality.id,
        household_id=row.household.id,
        volunteer_id=row.volunteer.id,
        organisation_id=row.volunteer.organisation_id,
        scheme=row.scheme,
        source=MatchSource.IMPORT,
        started_on=row.started_on,
        approved_at=utcnow(),
        proposed_at=utcnow(),
    )
    _apply_end(match, row)
    db.session.add(match)
    db.session.flush()
    record(
        "match.imported", actor=None, municipality_id=municipality.id, obj=match, status=match.status.value
    )


def _update(match: Match, row: MatchRow) -> None:
    before = (match.status, match.ended_on, match.end_reason, match.end_note)
    _apply_end(match, row)
    if before != (match.status, match.ended_on, match.end_reason, match.end_note):
        db.session.flush()
        record("match.import_updated", actor=None, municipality_id=match.municipality_id, obj=match)


def _apply_end(match: Match, row: MatchRow) -> None:
    match.ended_on = row.ended_on
    match.end_reason = row.end_reason
    match.end_note = row.end_note
    match.status = MatchStatus.ENDED if row.ended_on else MatchStatus.ACTIVE


@import_command(
    "matches",
    belonging="pairs",
    help=(
        "Import existing pairs from FILE (CSV or XLSX) as FORMATS.md specifies: family, volunteer, scheme, "
        "started_on, ended_on, end_reason. Families and volunteers must be imported first. Re-import "
        "updates the pair with the same start date. Nothing is written if any row is invalid."
    ),
)
def import_matches_command(file: Path, dry_run: bool, municipality_code: str) -> None:
    run_import_command(
        file,
        municipality_code,
        municipality_for_import,
        lambda table, municipality, file_hash: import_matches(table, municipality, file_hash=file_hash),
        dry_run=dry_run,
        rows="matches",
        title="matches",
    )
