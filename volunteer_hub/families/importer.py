"""``flask import families FILE [--dry-run] [--municipality CODE]``, exactly as FORMATS.md says.

All or nothing: every row is checked before anything is written, and one bad cell means
nothing is written. Re-importing updates households with the same ``ref``.

Members: a new household gets ``adults`` adult members, the first named after
``contact_name`` and the others "Adult 2", "Adult 3"..., and one child per age in
``children_ages`` named "Child 1", "Child 2"..., each arriving on ``arrival_on``. Ages are
taken as of the day of the import (birth year = this year - age). A re-import keeps the
members a coordinator has edited: it adds adults or children the file has more of, matches
children by birth year (within a year), and never removes anyone; a file with fewer adults
or without a registered child is an error, to be resolved in the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from volunteer_hub import vocab
from volunteer_hub.audit.services import record
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.models import ArrivalRoute, ConsentScope, Household, MemberKind
from volunteer_hub.families.services.checks import CaseError, check_member
from volunteer_hub.families.services.households import (
    HouseholdData,
    MemberData,
    apply_household_data,
    find_household_by_ref,
    new_member,
)
from volunteer_hub.imports.command import GLOSTRUP_CODE, ImportResult, import_command, run_import_command
from volunteer_hub.imports.reader import (
    CellError,
    Problems,
    Row,
    Table,
    check_columns,
    parse_cell,
    parse_codes,
    parse_date,
    parse_email,
    parse_int,
    parse_language_levels,
    parse_list,
    parse_optional_date,
    parse_phone,
    parse_postcode,
    parse_text,
    require,
)
from volunteer_hub.maintained import deferred
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.tenancy.services import ensure_municipality, get_municipality_by_code

REQUIRED = (
    "ref",
    "name",
    "contact_name",
    "postcode",
    "arrival_on",
    "languages",
    "adults",
    "schemes",
    "consent_on",
)
OPTIONAL = (
    "phone",
    "email",
    "registered_on",
    "letter_language",
    "children_ages",
    "interests",
    "availability",
    "volunteer_gender",
    "notes",
    "arrival_route",
)
MAX_ADULTS = 20
MAX_CHILD_AGE = 17


@dataclass
class FamilyRow:
    number: int
    data: HouseholdData
    arrival_on: dt.date
    adults: int
    children_birth_years: list[int]
    arrival_route: ArrivalRoute = ArrivalRoute.ASYLUM


def _children_ages(text: str) -> list[int]:
    ages = []
    for item in parse_list(text):
        try:
            ages.append(parse_int(item, minimum=0, maximum=MAX_CHILD_AGE))
        except CellError as error:
            raise CellError(
                f"{error}: list each child's age 0–{MAX_CHILD_AGE}; count older ones as adults"
            ) from None
    return ages


def _arrival_route(text: str) -> ArrivalRoute:
    if not text:
        return ArrivalRoute.ASYLUM
    if text not in {route.value for route in ArrivalRoute}:
        allowed = ", ".join(route.value for route in ArrivalRoute)
        raise CellError(f"'{text}' is not an arrival route (allowed: {allowed}, or empty for asylum)")
    return ArrivalRoute(text)


def _gender(text: str) -> str | None:
    if text and text not in vocab.GENDERS:
        raise CellError(f"'{text}' is not a gender code (allowed: f, m, x, or empty for no preference)")
    return text or None


def _letter_language(text: str) -> str:
    if text and text not in vocab.LANGUAGES:
        raise CellError(f"unknown language code '{text}' (allowed: {', '.join(vocab.LANGUAGES)})")
    return text


def _parse_row(row: Row, problems: Problems, today: dt.date) -> FamilyRow | None:
    before = len(problems)
    c = lambda column, parse, *a, **k: parse_cell(row, column, problems, parse, *a, **k)  # noqa: E731
    ref = c("ref", parse_text, max_length=40, required=True)
    name = c("name", parse_text, max_length=120, required=True)
    contact_name = c("contact_name", parse_text, max_length=120, required=True)
    phone = c("phone", parse_phone)
    email = c("email", parse_email)
    postcode = c("postcode", parse_postcode)
    arrival_on = c("arrival_on", lambda t: parse_date(require(t)))
    registered_on = c("registered_on", parse_optional_date)
    languages = c("languages", lambda t: parse_language_levels(require(t), vocab.LANGUAGES, vocab.LEVELS))
    letter_language = c("letter_language", _letter_language)
    adults = c("adults", lambda t: parse_int(require(t), minimum=1, maximum=MAX_ADULTS))
    ages = c("children_ages", _children_ages)
    interests = c("interests", parse_codes, vocab.INTERESTS, "interest")
    schemes = c("schemes", lambda t: parse_codes(require(t), vocab.SCHEMES, "scheme"))
    availability = c("availability", parse_codes, vocab.AVAILABILITY, "availability")
    gender = c("volunteer_gender", _gender)
    consent_on = c("consent_on", lambda t: parse_date(require(t)))
    notes = c("notes", parse_text, max_length=4000)
    route = c("arrival_route", _arrival_route)
    if len(problems) > before:
        return None
    data = HouseholdData(
        ref=ref,
        name=name,
        contact_name=contact_name,
        phone=phone,
        email=email,
        postcode=postcode,
        registered_on=registered_on or arrival_on,
        languages=languages,
        letter_language=letter_language,
        interests=interests,
        schemes=schemes,
        availability=availability,
        volunteer_gender=gender,
        consent_on=consent_on,
        consent_scope=ConsentScope.CONTACT_CARD,
        notes=notes,
    )
    return FamilyRow(row.number, data, arrival_on, adults, [today.year - age for age in ages], route)


def _new_members(row: FamilyRow) -> list[MemberData]:
    adults = [
        MemberData(
            MemberKind.ADULT,
            row.data.contact_name if n == 1 else f"Adult {n}",
            row.arrival_on,
            row.arrival_route,
        )
        for n in range(1, row.adults + 1)
    ]
    children = [
        MemberData(MemberKind.CHILD, f"Child {n}", row.arrival_on, row.arrival_route, birth_year=year)
        for n, year in enumerate(row.children_birth_years, start=1)
    ]
    return adults + children


def _plan_member_changes(household: Household, row: FamilyRow, problems: Problems) -> list[MemberData]:
    """Members to add on re-import; problems when the file would need anyone removed."""
    existing_adults = len(household.adults)
    if row.adults < existing_adults:
        problems.add(
            row.number,
            "adults",
            f"the case {household.ref} already has {existing_adults} adults; an import never removes "
            "people, so remove them in the case first",
        )
    unmatched = [m.birth_year for m in household.children]
    new_years = []
    for year in sorted(row.children_birth_years):
        match = next((y for y in unmatched if y == year), None)
        if match is None:
            match = next((y for y in unmatched if y is not None and abs(y - year) <= 1), None)
        if match is None:
            new_years.append(year)
        else:
            unmatched.remove(match)
    for year in unmatched:
        born = f"born {year}" if year is not None else "without a birth year"
        problems.add(
            row.number,
            "children_ages",
            f"the case {household.ref} has a child {born} who is not in the file; an import never "
            "removes people, so remove the child in the case first",
        )
    additions = [
        MemberData(MemberKind.ADULT, f"Adult {n}", row.arrival_on, row.arrival_route)
        for n in range(existing_adults + 1, row.adults + 1)
    ]
    start = len(household.children) + 1
    additions += [
        MemberData(MemberKind.CHILD, f"Child {n}", row.arrival_on, row.arrival_route, birth_year=year)
        for n, year in enumerate(new_years, start=start)
    ]
    return additions


def import_families(
    table: Table, municipality: Municipality, *, today: dt.date, file_hash: str = ""
) -> ImportResult:
    """Validate every row, then (only if all are valid) create or update the households.

    Changes are flushed into the session; the caller commits, or rolls back for a dry run.
    """
    result = ImportResult(problems=check_columns(table, REQUIRED, OPTIONAL))
    if result.problems:
        return result
    rows = [parsed for row in table.rows if (parsed := _parse_row(row, result.problems, today))]
    first_row_of: dict[str, int] = {}
    for row in rows:
        if row.data.ref in first_row_of:
            result.problems.add(
                row.number, "ref", f"'{row.data.ref}' is also used in row {first_row_of[row.data.ref]}"
            )
        first_row_of.setdefault(row.data.ref, row.number)
    plans = []
    for row in rows:
        household = find_household_by_ref(municipality.id, row.data.ref)
        additions = _plan_member_changes(household, row, result.problems) if household else _new_members(row)
        for member in additions:  # the case forms' own checks (families.services.checks)
            try:
                check_member(member, today=today)
            except CaseError as error:
                column = "children_ages" if member.kind == MemberKind.CHILD else "adults"
                result.problems.add(row.number, column, str(error))
        plans.append((row, household, additions))
    if result.problems:
        return result
    with deferred(db.session()):  # each household's kept values recomputed once, at the end
        for row, household, additions in plans:
            _save(municipality, row, household, additions)
            if household is None:
                result.created += 1
            else:
                result.updated += 1
    record(
        "families.imported",
        actor=None,
        municipality_id=municipality.id,
        created=result.created,
        updated=result.updated,
        file_sha256=file_hash,
    )
    return result


def _save(
    municipality: Municipality, row: FamilyRow, household: Household | None, additions: list[MemberData]
) -> None:
    data = row.data
    if household is None:
        household = Household(municipality_id=municipality.id, ref=data.ref)
        apply_household_data(household, data)
        household.members = [new_member(m) for m in additions]
        db.session.add(household)
        db.session.flush()
        record("family.created", actor=None, municipality_id=municipality.id, obj=household, via="import")
        return
    old_first_arrival = household.first_arrival_on
    if household.consent_scope is not None:
        data.consent_scope = household.consent_scope  # keep a wider scope a coordinator recorded
    changed = apply_household_data(household, data)
    for member in household.members:
        later = member.arrival_route == ArrivalRoute.FAMILY_REUNIFICATION
        if member.arrival_on == old_first_arrival and not later:
            member.arrival_on = row.arrival_on
    household.members.extend(new_member(m) for m in additions)
    db.session.flush()
    record(
        "family.updated",
        actor=None,
        municipality_id=municipality.id,
        obj=household,
        via="import",
        fields=sorted(changed),
        members_added=len(additions),
    )


def municipality_for_import(code: str) -> Municipality | None:
    """The municipality ``code``; Glostrup, the default, is created on a fresh installation."""
    municipality = get_municipality_by_code(code)
    if municipality is None and code == GLOSTRUP_CODE:
        municipality = ensure_municipality(GLOSTRUP_CODE, "Glostrup Kommune")
    return municipality


@import_command(
    "families",
    belonging="households",
    help=(
        "Import households from FILE (CSV or XLSX) as FORMATS.md specifies; re-import updates by ref. "
        "Members are created from `adults` and `children_ages`: the first adult is named after "
        'contact_name, the others get placeholders "Adult 2", "Adult 3"..., children "Child 1"...; '
        "each arrives on arrival_on, and children's ages count from today. Coordinators rename them in "
        "the case. Nothing is written if any row is invalid."
    ),
)
def import_families_command(file: Path, dry_run: bool, municipality_code: str) -> None:
    run_import_command(
        file,
        municipality_code,
        municipality_for_import,
        lambda table, municipality, file_hash: import_families(
            table, municipality, today=local_today(), file_hash=file_hash
        ),
        dry_run=dry_run,
        rows="households",
        title="families",
    )
