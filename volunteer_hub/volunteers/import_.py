"""``flask import volunteers FILE [--dry-run]``: volunteers from a CSV or XLSX file (FORMATS.md).

All or nothing: every row is checked first and every bad cell is reported as
``row N, column C: message``; only a file without problems is written, in one transaction.
Re-importing updates the volunteers with the same ``ref``.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click
from flask_babel import force_locale
from sqlalchemy import func, select

from volunteer_hub.audit.services import record
from volunteer_hub.db import set_session_tenant, utcnow
from volunteer_hub.extensions import db
from volunteer_hub.imports.command import ImportResult, import_command
from volunteer_hub.imports.reader import ImportFileError, Problems, read_import_file
from volunteer_hub.maintained import deferred
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.tenancy.services import ensure_organisation, get_municipality_by_code
from volunteer_hub.volunteers.import_rows import (
    IMPORT_STATUSES,
    OPTIONAL,
    REQUIRED,
    ParsedVolunteer,
    parse_row,
)
from volunteer_hub.volunteers.models import (
    ChildCertificateState,
    RegistrationSource,
    Volunteer,
    VolunteerStatus,
)
from volunteer_hub.volunteers.services import apply_profile, today

LOOKUP_BATCH = 1000

__all__ = ["OPTIONAL", "REQUIRED", "ImportResult", "ParsedVolunteer", "import_volunteers", "parse_row"]


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
    # In batches: one IN list per file would pass the databases' limit on bound values.
    existing: dict[str, Volunteer] = {}
    owners: dict[str, str] = {}
    refs, emails = list(seen_refs), list(seen_emails)
    for start in range(0, max(len(refs), len(emails)), LOOKUP_BATCH):
        existing.update(
            (v.ref, v)
            for v in db.session.execute(
                select(Volunteer).where(
                    Volunteer.municipality_id == municipality.id,
                    Volunteer.ref.in_(refs[start : start + LOOKUP_BATCH]),
                )
            ).scalars()
        )
        owners.update(
            db.session.execute(
                select(Volunteer.email, Volunteer.ref).where(
                    Volunteer.municipality_id == municipality.id,
                    Volunteer.email.in_(emails[start : start + LOOKUP_BATCH]),
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


def _check_organisations(
    municipality: Municipality,
    parsed: list[ParsedVolunteer],
    existing: dict[str, Volunteer],
    problems: Problems,
) -> None:
    """A deactivated organisation takes no new volunteers: not a new row, nor one moving into it."""
    inactive = dict(
        db.session.execute(
            select(func.lower(Organisation.name), Organisation.id).where(
                Organisation.municipality_id == municipality.id, Organisation.is_active.is_(False)
            )
        ).all()
    )
    for item in parsed:
        organisation_id = inactive.get((item.organisation or "").lower())
        current = existing.get(item.ref)
        if organisation_id is not None and (current is None or current.organisation_id != organisation_id):
            problems.add(
                item.row,
                "organisation",
                f"{item.organisation} is deactivated in Volunteer Hub and takes no new volunteers",
            )


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


def import_volunteers(municipality: Municipality, path: str | Path, *, dry_run: bool = False) -> ImportResult:
    """Check the file and, when it has no problems and this is no dry run, write it (flush only)."""
    sheet = read_import_file(path, REQUIRED, OPTIONAL)
    problems = sheet.problems
    parsed = [parse_row(row, problems) for row in sheet.rows]
    existing = _check_against_database(municipality, parsed, problems)
    _check_organisations(municipality, parsed, existing, problems)
    if not parsed and not problems:
        problems.add(2, "ref", "the file has no volunteers below the header row")
    if problems:
        return ImportResult(problems=problems)
    created = sum(1 for item in parsed if item.ref not in existing)
    result = ImportResult(created=created, updated=len(parsed) - created, problems=problems)
    if dry_run:
        return result
    organisations: dict[str, Organisation] = {}
    with deferred(db.session()):  # the pool's new token given once, at the end
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
    return result


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


@import_command("volunteers", help=HELP, belonging="volunteers")
def import_volunteers_command(file: Path, dry_run: bool, municipality_code: str) -> None:
    with force_locale("en"):  # the command's output is English, like its contract
        municipality = get_municipality_by_code(municipality_code)
        if municipality is None:
            raise click.ClickException(f"no municipality with code {municipality_code}; create it first")
        set_session_tenant(db.session(), municipality.id)
        try:
            result = import_volunteers(municipality, file, dry_run=dry_run)
        except ImportFileError as exc:
            db.session.rollback()
            click.echo(f"{file}: {exc}. Nothing was imported.")
            sys.exit(1)
        if result.problems:
            db.session.rollback()
            for line in result.problems.lines():
                click.echo(line)
            click.echo(f"{len(result.problems)} problem(s) found; nothing was imported.")
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
