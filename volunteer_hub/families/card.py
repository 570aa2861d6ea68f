"""The contact card a matched volunteer or partner coordinator will see (DOMAIN: "Privacy").

It shows only what a match needs: the contact person's first name, phone, area (postcode
and town), the household's languages and interests; the street address only when the
household's consent covers it. The volunteer of an approved match sees it on their match page
(``matching.my_match``) and gets the same fields by e-mail when the match is approved.
"""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from volunteer_hub.families.models import ConsentScope, Household


def contact_card_fields(household: Household) -> dict[str, object]:
    """The fields the card may show, and nothing else; without consent, only first name and area."""
    if household.consent_on is None or household.consent_scope is None:
        return {
            "first_name": household.contact_first_name,
            "postcode": household.postcode,
            "consented": False,
        }
    return {
        "consented": True,
        "first_name": household.contact_first_name,
        "phone": household.phone,
        "postcode": household.postcode,
        "address": household.address
        if household.consent_scope == ConsentScope.CONTACT_CARD_AND_ADDRESS
        else "",
        "languages": list(household.language_levels.items()),
        "interests": list(household.interests or []),
    }


def render_contact_card(household: Household) -> Markup:
    """The card as HTML, for a page that a matched volunteer may see."""
    # Our own template, rendered with autoescaping: every value in it is escaped.
    html = render_template("families/_contact_card.html", card=contact_card_fields(household))
    return Markup(html)  # noqa: S704  # nosec B704 - autoescaped template output, not raw input
