"""What an approval sends: the household's card to the volunteer, the volunteer's card to the household.

Both in the approval's transaction: the volunteer's e-mail (in the volunteer's language) and the
family's private link and letter record (in the household's letter language) are written with
the match, or not at all. The first match also completes the household's "introduction to
networks" reception item (P3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from volunteer_hub.core.languages import is_family_language
from volunteer_hub.extensions import db
from volunteer_hub.families.card import contact_card_fields
from volunteer_hub.families.models import Household, ReceptionStepKind
from volunteer_hub.families.services.reception import StepData, step_of, update_reception_checklist
from volunteer_hub.letters.data import ContactCardData
from volunteer_hub.letters.links import share_contact_card
from volunteer_hub.letters.services import record_letter_sent
from volunteer_hub.matching.models import Match
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.phones import display_phone
from volunteer_hub.postcodes import postcode_town
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers.models import Volunteer

VOLUNTEER_EMAIL = "match_approved_volunteer"


def letter_language(household: Household) -> str:
    """The household's letter language, or its first language letters exist in, else English."""
    if is_family_language(household.letter_language):
        return household.letter_language
    for code in household.language_levels:
        if is_family_language(code):
            return code
    return "en"


def contact_card_data(
    match: Match, household: Household, volunteer: Volunteer, on: dt.date
) -> ContactCardData:
    """The volunteer's contact card for the household, in its letter language."""
    municipality = db.session.get(Municipality, household.municipality_id)
    return ContactCardData(
        municipality_id=household.municipality_id,
        municipality_name=municipality.name if municipality else "",
        household_name=household.name,
        language=letter_language(household),
        volunteer_first_name=volunteer.first_name,
        volunteer_phone=display_phone(volunteer.phone) if volunteer.phone else "",
        volunteer_email=volunteer.email or "",
        volunteer_languages=list(volunteer.language_levels),
        volunteer_intro=volunteer.about or "",
        scheme=match.scheme,
        date=on,
        volunteer_gender=volunteer.gender.value if volunteer.gender else "",
    )


def send_contact_cards(
    match: Match, household: Household, volunteer: Volunteer, *, actor: Any, on: dt.date
) -> list[OutboxMessage | None]:
    """The household's card by e-mail to the volunteer; the volunteer's card to the household.

    Returns the queued e-mails (None where an address is missing), so an approval for an
    announced household can hold them until shortly before arrival (``arrivals.py``)."""
    from volunteer_hub.notifications.services import queue_email
    from volunteer_hub.volunteers.services import public_url

    to_volunteer = None
    if volunteer.email:
        card = contact_card_fields(household)
        to_volunteer = queue_email(
            municipality_id=match.municipality_id,
            to=volunteer.email,
            template=VOLUNTEER_EMAIL,
            language=volunteer.language,
            context={
                "first_name": volunteer.first_name,
                "scheme": match.scheme,
                "card": card,
                "phone": display_phone(str(card.get("phone") or "")),
                "town": postcode_town(str(card.get("postcode") or "")),
                "url": public_url("matching.my_match", match_id=match.id),
            },
        )
    data = contact_card_data(match, household, volunteer, on)
    shared = share_contact_card(
        data, object_type="match", object_id=match.id, actor=actor, email=household.email or None
    )
    record_letter_sent(data, object_type="match", object_id=match.id, actor=actor)
    return [to_volunteer, shared.email]


def complete_network_intro(household: Household, volunteer: Volunteer, *, actor: Any, on: dt.date) -> None:
    """P3: the first match completes the household's "introduction to networks" item."""
    if step_of(household, ReceptionStepKind.NETWORK_INTRO) is not None:
        return
    update_reception_checklist(
        household,
        {ReceptionStepKind.NETWORK_INTRO: StepData(done_on=on, done_by=volunteer.ref)},
        expected_version=household.version_id,
        actor=actor,
    )
