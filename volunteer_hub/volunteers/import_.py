"""``flask import volunteers FILE [--dry-run]``: volunteers from a CSV or XLSX file (FORMATS.md).

All or nothing: every row is checked first and every bad cell is reported as
``row N, column C: message``; only a file without problems is written, in one transaction.
Re-importing updates the volunteers with the same ``ref``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask_babel import force_locale
from sqlalchemy import func, select

from volunteer_hub import vocab
from volunteer_hub.audit.services import record
from volunteer_hub.db import parse_id, set_session_tenant, utcnow
from volunteer_hub.extensions import db
from volunteer_hub.imports.cli import import_cli
from volunteer_hub.imports.files import Problems, Row, UnreadableFileError, read_sheet, split_list
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.tenancy.services import ensure_organisation, get_municipality_by_code
from volunteer_hub.volunteers.models import (
    ChildCertificateState,
    RegistrationSource,
    Volunteer,
    VolunteerStatus,
)
from volunteer_hub.volunteers.services import Profile, apply_profile, today
from volunteer_hub.volunteers.validation import (
    InvalidValueError,
    clean_birth_year,
    clean_email,
    clean_phone,
    clean_postcode,
)

REQUIRED = ("ref", "first_name", "last_name", "email", "postcode", "languages", "schemes", "availability")
OPTIONAL = (
    "phone",
    "birth_year",
    "gender",
    "organisation",
    "skills",
    "interests",
    "capacity",
    "child_certificate_on",
    "status",
    "registered_on",
    "about",
)
COLUMNS = (*REQUIRED, *OPTIONAL)
IMPORT_STATUSES = (VolunteerStatus.PENDING, VolunteerStatus.APPROVED, VolunteerStatus.PAUSED)
REF_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
MAX_CAPACITY = 20


@dataclass
class ParsedVolunteer:
    row: int
    ref: str
    email: str
    organisation: str | None
    profile: Profile
    certificate_on: dt.date | None
    status: VolunteerStatus | None
    registered_on: dt.date | None


@dataclass
class ImportResult:
    created: int
    updated: int


def _date(text: str, column: str, row: int, problems: Problems) -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        problems.add(row, column, f"{text!r} is not a date; write it as YYYY-MM-DD")
        return None
    if day > today():
        problems.add(row, column, f"{text} is in the future")
        return None
    return day


def _codes(
    text: str, vocabulary: str, column: str, row: int, problems: Problems, required: bool
) -> list[str]:
    items = split_list(text)
    if required and not items:
        problems.add(row, column, "give at least one value, separated by |")
    known = vocab.VOCABULARIES[vocabulary]
    for item in items:
        if item not in known:
            problems.add(row, column, f"{item!r} is not one of: {' '.join(known)}")
    if len(set(items)) != len(items):
        problems.add(row, column, "a value appears twice")
    return [item for item in dict.fromkeys(items) if item in known]


def _languages(text: str, row: int, problems: Problems) -> dict[str, str]:
    languages: dict[str, str] = {}
    items = split_list(text)
    if not items:
        problems.add(row, "languages", "give at least one language as code:level, e.g. da:native|ar:basic")
    for item in items:
        code, _sep, level = (part.strip() for part in item.partition(":"))
        if code not in vocab.LANGUAGES:
            problems.add(
                row, "languages", f"{code!r} is not a language code; use one of: {' '.join(vocab.LANGUAGES)}"
            )
        elif level not in vocab.LEVELS:
            problems.add(
                row, "languages", f"{item!r} needs a level after ':', one of: {' '.join(vocab.LEVELS)}"
            )
        elif code in languages:
            problems.add(row, "languages", f"{code!r} appears twice")
        else:
            languages[code] = level
    return languages


def _spreadsheet_postcode(text: str) -> str:
    return clean_postcode(text, restore_leading_zero=True)


def _clean(row: int, column: str, text: str, clean: Callable[[str], Any], problems: Problems) -> Any:
    try:
        return clean(text)
    except InvalidValueError as exc:
        problems.add(row, column, str(exc))
        return None


def parse_row(row: Row, problems: Problems) -> ParsedVolunteer:
    """Check one row's cells; every problem is added to ``problems``."""
    c, n = row.cells, row.number
    for column in REQUIRED:
        if column in c and not c[column] and column not in ("languages", "schemes", "availability"):
            problems.add(n, column, "this cell is required")
    ref = c.get("ref", "")
    if ref and not REF_PATTERN.match(ref):
        problems.add(n, "ref", "use at most 20 letters, digits, - or _")
    for column in ("first_name", "last_name"):
        if len(c.get(column, "")) > 80:
            problems.add(n, column, "at most 80 characters")
    email = _clean(n, "email", c["email"], clean_email, problems) if c.get("email") else ""
    phone = _clean(n, "phone", c["phone"], clean_phone, problems) if c.get("phone") else None
    postcode = (
        _clean(n, "postcode", c["postcode"], _spreadsheet_postcode, problems) if c.get("postcode") else None
    )
    birth_year = (
        _clean(n, "birth_year", c["birth_year"], clean_birth_year, problems) if c.get("birth_year") else None
    )
    gender = c.get("gender", "").lower()
    if gender and gender not in vocab.GENDERS:
        problems.add(n, "gender", f"{c['gender']!r} is not one of: f m x (or empty)")
    capacity = 1
    if c.get("capacity"):
        number = parse_id(c["capacity"])
        if number is not None and 1 <= number <= MAX_CAPACITY:
            capacity = number
        else:
            problems.add(n, "capacity", f"{c['capacity']!r} is not a whole number from 1 to {MAX_CAPACITY}")
    status = None
    if c.get("status"):
        if c["status"] in IMPORT_STATUSES:
            status = VolunteerStatus(c["status"])
        else:
            problems.add(n, "status", f"{c['status']!r} is not one of: pending approved paused")
    organisation = c.get("organisation") or None
    if organisation and len(organisation) > 120:
        problems.add(n, "organisation", "at most 120 characters")
    if len(c.get("about", "")) > 2000:
        problems.add(n, "about", "at most 2000 characters")
    profile = Profile(
        first_name=c.get("first_name", ""),
        last_name=c.get("last_name", ""),
        phone=phone,
        postcode=postcode,
        birth_year=birth_year,
        gender=gender or None,
        organisation_id=None,
        languages=_languages(c.get("languages", ""), n, problems) if "languages" in c else {},
        skills=_codes(c.get("skills", ""), "skill", "skills", n, problems, required=False),
        interests=_codes(c.get("interests", ""), "interest", "interests", n, problems, required=False),
        schemes=_codes(c.get("schemes", ""), "scheme", "schemes", n, problems, required="schemes" in c),
        availability=_codes(
            c.get("availability", ""),
            "availability",
            "availability",
            n,
            problems,
            required="availability" in c,
        ),
        capacity=capacity,
        about=c.get("about", ""),
    )
    return ParsedVolunteer(
        row=n,
        ref=ref,
        email=email or "",
        organisation=organisation,
        profile=profile,
        certificate_on=_date(c.get("child_certificate_on", ""), "child_certificate_on", n, problems),
        status=status,
        registered_on=_date(c.get("registered_on", ""), "registered_on", n, problems),
    )


def _check_against_database(
    municipality: Municipality, parsed: list[ParsedVolunteer], problems: Problems
) -> dict[str, Volunteer]:
    """Duplicates in the file, and conflicts with volunteers already in Volunteer Hub."""
    seen_refs: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for item in parsed:
        if item.ref and item.ref in seen_refs:
            problems.add(item.row, "ref", f"{item.ref} is also on row {seen_refs[item.ref]}")
        if item.ref:
            seen_refs.setdefault(item.ref, item.row)
        if item.email and item.email in seen_emails:
            problems.add(item.row, "email", f"the address is also on row {seen_emails[item.email]}")
        if item.email:
            seen_emails.setdefault(item.email, item.row)
    existing = {
        v.ref: v
        for v in db.session.execute(
            select(Volunteer).where(
                Volunteer.municipality_id == municipality.id, Volunteer.ref.in_(seen_refs)
            )
        ).scalars()
    }
    owners = dict(
        db.session.execute(
            select(Volunteer.email, Volunteer.ref).where(
                Volunteer.municipality_id == municipality.id, Volunteer.email.in_(list(seen_emails))
            )
        ).all()
    )
    for item in parsed:
        current = existing.get(item.ref)
        owner = owners.get(item.email)
        if owner is not None and owner != item.ref:
            problems.add(item.row, "email", f"the address belongs to volunteer {owner} already")
        if current is None:
            continue
        if current.is_erased:
            problems.add(
                item.row,
                "ref",
                f"{item.ref} deleted their data in Volunteer Hub and cannot be imported again",
            )
            continue
        if current.user_id is not None and item.email and item.email != current.email:
            problems.add(
                item.row, "email", f"{item.ref} signs in with another address; they change it themselves"
            )
        if (
            item.status is not None
            and item.status != current.status
            and current.status not in IMPORT_STATUSES
        ):
            problems.add(
                item.row,
                "status",
                f"{item.ref} is {current.status.value} in Volunteer Hub; an import cannot change that",
            )
        if (
            item.certificate_on
            and current.child_certificate_state == ChildCertificateState.RECEIVED_WITH_REMARKS
        ):
            problems.add(
                item.row,
                "child_certificate_on",
                f"Volunteer Hub records {item.ref}'s certificate with remarks; change it there",
            )
    return existing


def _organisation_id(
    municipality: Municipality, name: str | None, cache: dict[str, Organisation]
) -> int | None:
    """The partner organisation called ``name`` (ignoring case), created if unknown."""
    if not name:
        return None
    key = name.casefold()
    if key not in cache:
        found = (
            db.session.execute(
                select(Organisation).where(
                    Organisation.municipality_id == municipality.id,
                    func.lower(Organisation.name) == name.lower(),
                )
            )
            .scalars()
            .first()
        )
        cache[key] = found or ensure_organisation(municipality, name)
    return cache[key].id


def _write(
    municipality: Municipality,
    item: ParsedVolunteer,
    current: Volunteer | None,
    organisations: dict[str, Organisation],
) -> bool:
    """Create or update one volunteer; True when it was created."""
    item.profile.organisation_id = _organisation_id(municipality, item.organisation, organisations)
    created = current is None
    if current is None:
        current = Volunteer(
            municipality_id=municipality.id,
            ref=item.ref,
            source=RegistrationSource.IMPORT,
            status=item.status or VolunteerStatus.PENDING,
            status_changed_at=utcnow(),
            registered_on=item.registered_on or today(),
            first_name="",
            last_name="",
        )
        db.session.add(current)
    item.profile.language = current.language or "da"
    apply_profile(current, item.profile)
    current.email = item.email
    if item.registered_on is not None:
        current.registered_on = item.registered_on
    previous_status = current.status
    if item.status is not None and item.status != current.status:
        current.status = item.status
        current.status_changed_at = utcnow()
    if item.certificate_on is not None and (
        current.child_certificate_state != ChildCertificateState.RECEIVED_OK
        or current.child_certificate_received_on != item.certificate_on
    ):
        current.child_certificate_state = ChildCertificateState.RECEIVED_OK
        current.child_certificate_received_on = item.certificate_on
        current.child_certificate_assessed_by_id = None
        current.child_certificate_organisation_id = item.profile.organisation_id
    db.session.flush()
    record(
        "volunteer.imported" if created else "volunteer.import_updated",
        actor=None,
        municipality_id=municipality.id,
        obj=current,
        from_status=None if created else previous_status.value,
        to_status=current.status.value,
    )
    return created


def import_volunteers(
    municipality: Municipality, path: str | Path, *, dry_run: bool = False
) -> tuple[Problems, ImportResult]:
    """Check the file and, when it has no problems and this is no dry run, write it (flush only)."""
    problems = Problems()
    sheet = read_sheet(path, COLUMNS, REQUIRED, problems)
    parsed = [parse_row(row, problems) for row in sheet.rows]
    existing = _check_against_database(municipality, parsed, problems)
    if not parsed and not problems:
        problems.add(2, "ref", "the file has no volunteers below the header row")
    if problems:
        return problems, ImportResult(0, 0)
    created = sum(1 for item in parsed if item.ref not in existing)
    result = ImportResult(created=created, updated=len(parsed) - created)
    if dry_run:
        return problems, result
    organisations: dict[str, Organisation] = {}
    for item in parsed:
        _write(municipality, item, existing.get(item.ref), organisations)
    record(
        "import.volunteers",
        actor=None,
        municipality_id=municipality.id,
        object_type="import",
        file_type=sheet.kind,
        rows=len(parsed),
        created=result.created,
        updated=result.updated,
    )
    return problems, result


HELP = f"""Import volunteers from FILE, a CSV (UTF-8, separator , or ;) or XLSX file (first sheet).

\b
Columns, as FORMATS.md describes them (unknown columns are an error):
{textwrap.fill("required: " + ", ".join(REQUIRED), 78, subsequent_indent="  ")}
{textwrap.fill("optional: " + ", ".join(OPTIONAL), 78, subsequent_indent="  ")}

The file is checked in full first. Every problem is printed as "row N, column C: message",
where N is the row number a spreadsheet shows (the header is row 1, the first volunteer
row 2) and C is the column's name; then nothing is written and the command exits with 1.
A file without problems is written in one transaction and the counts of created and updated
volunteers are printed. Rows whose ref exists already update that volunteer; on an update,
an empty status, registered_on or child_certificate_on cell keeps what Volunteer Hub has.
Organisations are created when unknown. Every import is recorded in the audit trail.
"""


@import_cli.command("volunteers", help=HELP)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option(
    "--municipality",
    "municipality_code",
    default="0161",
    show_default=True,
    metavar="CODE",
    help="Kommunekode of the municipality the volunteers belong to (Glostrup is 0161).",
)
def import_volunteers_command(file: Path, dry_run: bool, municipality_code: str) -> None:
    with force_locale("en"):  # the command's output is English, like its contract
        municipality = get_municipality_by_code(municipality_code)
        if municipality is None:
            raise click.ClickException(f"no municipality with code {municipality_code}; create it first")
        set_session_tenant(db.session(), municipality.id)
        try:
            problems, result = import_volunteers(municipality, file, dry_run=dry_run)
        except UnreadableFileError as exc:
            db.session.rollback()
            click.echo(f"{file}: {exc}. Nothing was imported.")
            sys.exit(1)
        if problems:
            db.session.rollback()
            for line in problems.lines():
                click.echo(line)
            click.echo(f"{len(problems)} problem(s) found; nothing was imported.")
            sys.exit(1)
        if dry_run:
            db.session.rollback()
            click.echo(
                f"Dry run: no problems found. {result.created} created, {result.updated} updated "
                "(nothing was written)."
            )
            return
        db.session.commit()
        click.echo(f"Volunteers imported: {result.created} created, {result.updated} updated.")
