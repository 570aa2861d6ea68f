"""National-scale synthetic data for ``flask seed-scale`` and the benchmarks (never for production).

20,000 volunteers, 10,000 households and 50,000 matches by default, written with bulk inserts
in a few seconds per table. Names are placeholders ("Volunteer 123"), contact data is fake
(example.invalid), and every row is deterministic for a given --seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import sqlalchemy as sa

from volunteer_hub.answers.models import AnswerReminderChannel, FamilyAnswerReminder
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.db import set_session_tenant
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, HouseholdLanguage, HouseholdScheme, Member
from volunteer_hub.families.models.household import EARLIEST_ARRIVAL, ArrivalRoute, MemberKind
from volunteer_hub.maintained import refresh
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MatchStatus, Meeting, MeetingKind
from volunteer_hub.matching.queries import LAST_CONTACT
from volunteer_hub.matching.rarity import new_pool_version
from volunteer_hub.matching.waiting import SERVED_FROM
from volunteer_hub.tenancy.services import ensure_municipality, ensure_organisation
from volunteer_hub.vocab import AVAILABILITY, INTERESTS, SCHEMES, SKILLS
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    RegistrationSource,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
    VolunteerStatus,
)

LANGUAGE_WEIGHTS = {"da": 60, "en": 25, "ar": 6, "fa": 3, "prs": 2, "ti": 2, "uk": 4, "so": 2, "ps": 1}
HOUSEHOLD_LANGUAGES = {"ar": 30, "ti": 20, "prs": 15, "fa": 10, "uk": 15, "so": 7, "ps": 3}
POSTCODES = ["2600", "2605", "2610", "2620", "2625", "2630", "2635", "2640", "2650", "2660", "2665", "2700"]
BATCH = 5000


def _insert(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert ``rows`` and return their new ids, in the rows' order."""
    ids: list[int] = []
    statement = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    for start in range(0, len(rows), BATCH):
        ids.extend(db.session.execute(statement, rows[start : start + BATCH]).scalars())
    return ids


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def seed_scale(
    code: str,
    volunteers: int,
    households: int,
    matches: int,
    seed: int = 1,
    today: dt.date | None = None,
    views: int = 0,
) -> dict[str, int]:
    """Fill the municipality ``code`` with synthetic volunteers, households and matches (flush
    only), and an audit trail with ``views`` reads of the households' cases spread over two years
    (every case page writes one: a municipality's trail is mostly these)."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    municipality = ensure_municipality(code, f"Skalakommune {code}")
    set_session_tenant(db.session(), municipality.id)
    organisations = [ensure_organisation(municipality, f"Skalaforening {n}") for n in range(1, 9)]
    volunteer_rows, language_rows, attribute_rows = [], [], []
    for vid in range(volunteers):  # an index here; replaced by the database id after insert
        status = rng.choices(
            [
                VolunteerStatus.APPROVED,
                VolunteerStatus.PENDING,
                VolunteerStatus.PAUSED,
                VolunteerStatus.WITHDRAWN,
            ],
            weights=[70, 15, 8, 7],
        )[0]
        has_certificate = rng.random() < 0.4
        volunteer_rows.append(
            {
                "municipality_id": municipality.id,
                "organisation_id": rng.choice(organisations).id if rng.random() < 0.8 else None,
                "ref": f"S{seed}-{vid:06d}",
                "source": RegistrationSource.IMPORT,
                "status": status,
                "registered_on": today - dt.timedelta(days=rng.randint(1, 1500)),
                "first_name": f"Volunteer {vid}",
                "last_name": "Scale",
                "email": f"volunteer{seed}-{vid}@example.invalid",  # a second seed adds more
                "postcode": rng.choice(POSTCODES),
                "capacity": rng.choice([1, 1, 1, 2, 3]),
                "child_certificate_state": (
                    ChildCertificateState.RECEIVED_OK
                    if has_certificate
                    else ChildCertificateState.NOT_REQUESTED
                ),
                "child_certificate_received_on": (
                    today - dt.timedelta(days=rng.randint(1, 900)) if has_certificate else None
                ),
            }
        )
        for code_ in {"da", _pick(rng, LANGUAGE_WEIGHTS)}:
            level = "native" if code_ == "da" else rng.choice(["fluent", "conversational", "native"])
            language_rows.append({"volunteer_id": vid, "code": code_, "level": level})
        for kind, vocabulary, count in (
            (AttributeKind.SCHEME, SCHEMES, 2),
            (AttributeKind.SKILL, SKILLS, 3),
            (AttributeKind.INTEREST, INTERESTS, 3),
            (AttributeKind.AVAILABILITY, AVAILABILITY, 2),
        ):
            for item in rng.sample(list(vocabulary), count):
                attribute_rows.append({"volunteer_id": vid, "kind": kind, "code": item})
    volunteer_ids = _insert(Volunteer, volunteer_rows)
    # As `flask import volunteers` does: each volunteer's status from the day they registered,
    # recorded in the audit trail, where the quarterly report reads status histories from.
    _insert(
        AuditEvent,
        [
            {
                "municipality_id": municipality.id,
                "action": "volunteer.imported",
                "object_type": "volunteer",
                "object_id": volunteer_id,
                "details": {"from_status": None, "to_status": row["status"].value},
            }
            for volunteer_id, row in zip(volunteer_ids, volunteer_rows, strict=True)
        ],
    )
    for row in language_rows + attribute_rows:
        row["volunteer_id"] = volunteer_ids[row["volunteer_id"]]
    _insert(VolunteerLanguage, language_rows)
    _insert(VolunteerAttribute, attribute_rows)

    household_rows, member_rows, hl_rows, scheme_rows = [], [], [], []
    for hid in range(households):  # an index until the insert gives the id
        arrival = today - dt.timedelta(days=rng.randint(1, 1400))
        language = _pick(rng, HOUSEHOLD_LANGUAGES)
        household_rows.append(
            {
                "municipality_id": municipality.id,
                "ref": f"SF{seed}-{hid:06d}",
                "name": f"Household {hid}",
                "contact_name": f"Contact {hid}",
                "postcode": rng.choice(POSTCODES),
                "letter_language": language,
                "interests": rng.sample(list(INTERESTS), 3),
                "availability": rng.sample(list(AVAILABILITY), 2),
                "consent_on": arrival,
                "registered_on": arrival + dt.timedelta(days=rng.randint(0, 30)),
                "version_id": 1,
            }
        )
        hl_rows.append({"household_id": hid, "language": language, "level": "native", "position": 0})
        for scheme in rng.sample(list(SCHEMES), rng.choice([1, 1, 2])):
            scheme_rows.append({"household_id": hid, "scheme": scheme})
        for a in range(rng.choice([1, 1, 2])):
            member_rows.append(
                {
                    "household_id": hid,
                    "kind": MemberKind.ADULT,
                    "name": f"Adult {a + 1}",
                    "arrival_on": arrival,
                    "birth_year": today.year - rng.randint(19, 60),
                    "arrival_route": ArrivalRoute.ASYLUM,
                }
            )
        for c in range(rng.choice([0, 0, 1, 2, 3])):
            member_rows.append(
                {
                    "household_id": hid,
                    "kind": MemberKind.CHILD,
                    "name": f"Child {c + 1}",
                    "arrival_on": arrival,
                    "birth_year": today.year - rng.randint(0, 17),
                    "arrival_route": ArrivalRoute.ASYLUM,
                }
            )
    household_ids = _insert(Household, household_rows)
    for row in hl_rows + scheme_rows + member_rows:
        row["household_id"] = household_ids[row["household_id"]]
    _insert(HouseholdLanguage, hl_rows)
    _insert(HouseholdScheme, scheme_rows)
    for row in member_rows:
        row["municipality_id"] = municipality.id
    _insert(Member, member_rows)
    # Inserted past the ORM: the values its flushes keep are computed here.
    refresh(db.session.connection(), EARLIEST_ARRIVAL, municipality_id=municipality.id)

    match_rows, meeting_rows = [], []
    open_pairs: set[tuple[int, int, str]] = set()  # at most one open match per pair and scheme
    for mid in range(matches):  # an index until the insert gives the id
        while True:
            index = rng.randrange(volunteers)
            household_index = rng.randrange(households)
            scheme = rng.choice(list(SCHEMES))
            if (index, household_index, scheme) not in open_pairs:
                break
        volunteer_id = volunteer_ids[index]
        household_id = household_ids[household_index]
        # A match starts after both sides registered, and before today.
        sides = (household_rows[household_index], volunteer_rows[index])
        earliest = max(side["registered_on"] for side in sides)
        started = earliest + dt.timedelta(days=rng.randint(0, max((today - earliest).days - 1, 0)))
        ended = started + dt.timedelta(days=rng.randint(30, 500)) if rng.random() < 0.85 else None
        if ended is not None and ended >= today:
            ended = None
        if ended is None:
            open_pairs.add((index, household_index, scheme))
        match_rows.append(
            {
                "municipality_id": municipality.id,
                "household_id": household_id,
                "volunteer_id": volunteer_id,
                "organisation_id": volunteer_rows[index]["organisation_id"],
                "scheme": scheme,
                "status": MatchStatus.ENDED if ended else MatchStatus.ACTIVE,
                "source": MatchSource.IMPORT,
                "started_on": started,
                "ended_on": ended,
                "end_reason": EndReason.COMPLETED if ended else None,
            }
        )
        for _ in range(rng.randint(0, 3)):
            meeting_rows.append(
                {
                    "match_id": mid,
                    "on": started + dt.timedelta(days=rng.randint(0, 120)),
                    "minutes": rng.choice([30, 60, 90, 120]),
                    "kind": MeetingKind.IN_PERSON,
                }
            )
    match_ids = _insert(Match, match_rows)
    for row in meeting_rows:
        row["match_id"] = match_ids[row["match_id"]]
    _insert(Meeting, meeting_rows)
    reminders = _reminders(rng, municipality.id, match_ids, match_rows, today)
    refresh(db.session.connection(), LAST_CONTACT, municipality_id=municipality.id)
    # Requests carry no municipality: every one is recomputed (from its own matches, so others'
    # values stay as they are).
    refresh(db.session.connection(), SERVED_FROM)
    new_pool_version(db.session.connection(), [municipality.id])
    _case_reads(rng, municipality.id, household_ids, views, today)
    db.session.flush()
    return {
        "volunteers": len(volunteer_rows),
        "households": len(household_rows),
        "members": len(member_rows),
        "matches": len(match_rows),
        "meetings": len(meeting_rows),
        "reminders": reminders,
        "case_reads": views,
    }


def _reminders(
    rng: random.Random,
    municipality_id: int,
    match_ids: list[int],
    match_rows: list[dict[str, Any]],
    today: dt.date,
) -> int:
    """The reminder each family gets 14 days after approval when it has not said "we have met"
    (none has here): for every match started 14 days ago or more, one in five on paper (the
    families without e-mail, whom the overview lists while nobody logs contact)."""
    rows = [
        {
            "municipality_id": municipality_id,
            "match_id": match_id,
            "channel": AnswerReminderChannel.PAPER if rng.random() < 0.2 else AnswerReminderChannel.EMAIL,
            "sent_at": dt.datetime.combine(
                row["started_on"] + dt.timedelta(days=14), dt.time(9), tzinfo=dt.UTC
            ),
        }
        for match_id, row in zip(match_ids, match_rows, strict=True)
        if row["started_on"] + dt.timedelta(days=14) <= today
    ]
    _insert(FamilyAnswerReminder, rows)
    return len(rows)


def _case_reads(
    rng: random.Random, municipality_id: int, household_ids: list[int], n: int, today: dt.date
) -> None:
    """``n`` ``family.viewed`` events of the households, in the last two years."""
    if not household_ids:
        return
    end = dt.datetime.combine(today, dt.time(16), tzinfo=dt.UTC)
    statement = sa.insert(AuditEvent)
    for start in range(0, n, BATCH * 4):
        rows = [
            {
                "occurred_at": end - dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
                "municipality_id": municipality_id,
                "action": "family.viewed",
                "object_type": "household",
                "object_id": rng.choice(household_ids),
                "details": {"endpoint": "families.case"},
            }
            for _ in range(min(BATCH * 4, n - start))
        ]
        db.session.execute(statement, rows)
