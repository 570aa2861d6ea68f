"""P2: the mayor's welcome letter for a household, in its letter language, and recording it sent.

Recording the letter freezes its data and text (letters.LetterRecord) and completes the
reception checklist's welcome-letter item in the same transaction, so the 14-day deadline
disappears from the case and the dashboard exactly when a letter really exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from volunteer_hub.audit.services import record
from volunteer_hub.core.languages import is_family_language
from volunteer_hub.families.locking import touch
from volunteer_hub.families.models import Household, ReceptionStep, ReceptionStepKind
from volunteer_hub.families.services.reception import step_of
from volunteer_hub.letters.data import WelcomeLetterData
from volunteer_hub.letters.models import LetterRecord
from volunteer_hub.letters.services import record_letter_sent, welcome_letter_data
from volunteer_hub.tenancy.models import Municipality

FALLBACK_LETTER_LANGUAGE = "en"


def letter_language_for(household: Household) -> str:
    """The household's letter language when letters exist in it, else English.

    Letters exist in the ten family languages (core.languages); for any other code the
    coordinator sees the English letter and that an interpreter may be needed.
    """
    for code in (household.letter_language, household.best_language):
        if code and is_family_language(code):
            return code
    return FALLBACK_LETTER_LANGUAGE


def welcome_letter_for(household: Household, municipality: Municipality, on: dt.date) -> WelcomeLetterData:
    """The welcome letter's data for ``household`` dated ``on``."""
    return welcome_letter_data(
        municipality,
        household_name=household.name,
        contact_first_name=household.contact_first_name,
        language=letter_language_for(household),
        date=on,
    )


def send_welcome_letter(
    household: Household, municipality: Municipality, *, on: dt.date, actor: Any
) -> LetterRecord:
    """Record the welcome letter as sent on ``on`` and complete the checklist item (flush only)."""
    letter = record_letter_sent(
        welcome_letter_for(household, municipality, on),
        object_type="household",
        object_id=household.id,
        actor=actor,
    )
    step = step_of(household, ReceptionStepKind.WELCOME_LETTER)
    if step is None:
        step = ReceptionStep(kind=ReceptionStepKind.WELCOME_LETTER, done_on=on, done_by="")
        household.reception_steps.append(step)
    step.done_on = on
    step.done_by = getattr(actor, "name", "")
    step.recorded_by_user_id = getattr(actor, "id", None)
    touch(household)
    record(
        "family.welcome_letter_sent",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        language=letter.language,
        letter_id=letter.id,
    )
    return letter
