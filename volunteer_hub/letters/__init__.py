"""Everything a family receives: welcome letters, contact cards, private links, in their language.

Family-facing text lives in its own gettext domain, ``family`` (catalogues
``translations/<locale>/LC_MESSAGES/family.po``), marked with ``_f`` / ``_lf`` instead of
``_`` / ``_l``, so staff texts and family texts are extracted, translated and tested apart.

How other domains use it (they pass plain dataclasses; this package reads none of their tables):

Welcome letter (P2), for a household::

    data = services.welcome_letter_data(municipality, household_name=..., contact_first_name=...,
                                        language=household.letter_language)
    rendering.render_welcome_letter_pdf(data)   # or render_welcome_letter_html(data)
    services.record_letter_sent(data, object_type="household", object_id=household.id, actor=user)
    # ... then complete the reception item in the same transaction.

Contact card, when a match is approved::

    card = data.ContactCardData(...)
    shared = links.share_contact_card(card, object_type="match", object_id=match.id, actor=user,
                                      email=household.email or None)   # link + e-mail via the outbox
    rendering.render_contact_card_pdf(card, link_url=shared.url)       # the letter to hand over
    services.record_letter_sent(card, object_type="match", object_id=match.id, actor=user)
    links.revoke_links_for("match", match.id, actor=user)              # when the match ends
"""
