"""What each kind of e-mail is, as the outbox page names it: never the stored subject.

A subject can carry a person's name ("You are matched with Senait"), and the outbox lists every
message of the municipality, so the page names the kind of message instead, in the reader's
interface language. A template without a title here is shown by its id, so nothing goes unnamed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TITLES = {
    "account_invitation": _l("Invitation to an account"),
    "family_answer_reminder": _l("Reminder to the family: how is it going?"),
    "family_contact_link": _l("The family's contact card and link"),
    "match_approved_volunteer": _l("Match approved, to the volunteer"),
    "password_reset": _l("Link to choose a new password"),
    "sign_in_failures": _l("Failed sign-in attempts"),
    "volunteer_application_received": _l("Application received"),
    "volunteer_approved": _l("Volunteer approved"),
    "volunteer_needs_information": _l("More information needed"),
    "volunteer_paused": _l("Volunteer paused"),
    "volunteer_reinstated": _l("Volunteer reinstated"),
    "volunteer_rejected": _l("Application rejected"),
    "volunteer_resubmitted": _l("Application sent again"),
    "volunteer_resumed": _l("Volunteer active again"),
    "volunteer_suspended": _l("Volunteer suspended"),
    "volunteer_verify_email": _l("Confirm the e-mail address"),
    "volunteer_verify_email_already_registered": _l("Sign-up with an address already registered"),
    "volunteer_withdrawn": _l("Volunteer withdrawn"),
}


def message_title(template: str) -> str:
    title = TITLES.get(template)
    return str(title) if title is not None else template
