"""Sentences for a coordinator, in Danish or English: why a volunteer scores as they do, which
hard rule rules them out, and why a plan leaves a request waiting.

Only the suggestions actually returned get sentences, so this module may loop in Python. The
words for codes come from the app (``MatchingConfig.names``); a code without one reads as itself.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

import numpy as np

from volunteer_hub.matching.engine.config import (
    FACTORS,
    LEVEL_RANK,
    MatchingConfig,
    language_group,
    skill_needs,
)
from volunteer_hub.matching.engine.features import FloatArray, HouseholdFeatures, VolunteerPool
from volunteer_hub.matching.engine.geo import normalise_postcode
from volunteer_hub.matching.engine.rules import months_before, requires_child_certificate
from volunteer_hub.matching.engine.types import Household, Lang, Names, Reason, Volunteer

UNASSIGNED_NO_CANDIDATE = "no_eligible_volunteer"
UNASSIGNED_CAPACITY = "capacity_taken"
UNASSIGNED_HELD = "held_for_expected"
UNASSIGNED_PROPOSED = "proposed"


def _t(lang: Lang, en: str, da: str) -> str:
    return da if lang == "da" else en


def _name(names: Names, vocabulary: str, code: str, lang: Lang) -> str:
    words = names.get(vocabulary, {}).get(code)
    if words is None:
        return code
    return words[1] if lang == "da" else words[0]


def _names(names: Names, vocabulary: str, codes: Sequence[str], lang: Lang) -> str:
    return ", ".join(_name(names, vocabulary, code, lang) for code in codes)


def _in_order(names: Names, vocabulary: str, codes: Collection[str]) -> list[str]:
    """``codes`` in the vocabulary's order (as forms list them); codes it lacks last, by code."""
    order = {code: i for i, code in enumerate(names.get(vocabulary, {}))}
    return sorted(set(codes), key=lambda code: (order.get(code, len(order)), code))


def best_shared_language(
    volunteer_languages: Mapping[str, str], household_languages: Mapping[str, str]
) -> tuple[str, str, str, str] | None:
    """(volunteer code, household code, volunteer level, household level) of the language the
    pair shares best, judged like the language factor: best min level over merged groups."""
    best: tuple[tuple[int, int], tuple[str, str, str, str]] | None = None
    for v_code, v_level in volunteer_languages.items():
        for h_code, h_level in household_languages.items():
            if language_group(v_code) != language_group(h_code):
                continue
            v_rank, h_rank = LEVEL_RANK.get(v_level, 0), LEVEL_RANK.get(h_level, 0)
            key = (min(v_rank, h_rank), v_rank + h_rank)
            if min(v_rank, h_rank) > 0 and (best is None or key > best[0]):
                best = (key, (v_code, h_code, v_level, h_level))
    return None if best is None else best[1]


def language_text(volunteer: Volunteer, household: Household, lang: Lang, names: Names) -> str:
    """E.g. "Both speak Tigrinya (native / fluent)": the volunteer's level, then the household's."""
    shared = best_shared_language(volunteer.languages, household.languages)
    if shared is None:
        return _t(lang, "No shared language", "Intet fælles sprog")
    v_code, h_code, v_level, h_level = shared
    name = _name(names, "language", v_code, lang)
    if h_code != v_code:
        name = f"{name} / {_name(names, 'language', h_code, lang)}"
    levels = f"{_name(names, 'level', v_level, lang)} / {_name(names, 'level', h_level, lang)}"
    return _t(lang, f"Both speak {name} ({levels})", f"Begge taler {name} ({levels})")


def interests_text(
    pool: VolunteerPool, volunteer: Volunteer, household: Household, lang: Lang, names: Names
) -> str:
    """Shared interests, rarest (highest IDF) first, e.g. "2 shared interests: chess, football"."""
    if not household.interests:
        return _t(lang, "The household listed no interests", "Husstanden har ikke angivet interesser")
    shared = set(volunteer.interests) & set(household.interests) & set(pool.interest_column)
    if not shared:
        return _t(lang, "No shared interests", "Ingen fælles interesser")
    ordered = sorted(shared, key=lambda x: (-pool.interest_idf[pool.interest_column[x]], x))
    listed = _names(names, "interest", ordered, lang)
    if len(ordered) == 1:
        return _t(lang, f"1 shared interest: {listed}", f"1 fælles interesse: {listed}")
    n = len(ordered)
    return _t(lang, f"{n} shared interests: {listed}", f"{n} fælles interesser: {listed}")


def availability_text(volunteer: Volunteer, household: Household, lang: Lang, names: Names) -> str:
    """Times both can meet, or the household's wish when there is none in common."""
    if not household.availability:
        return _t(
            lang,
            "The household has no time preference",
            "Husstanden har ingen ønsker til tidspunkt",
        )
    wanted = _in_order(names, "availability", household.availability)
    shared = [slot for slot in wanted if slot in volunteer.availability]
    if not shared:
        listed = _names(names, "availability", wanted, lang)
        return _t(
            lang,
            f"No common times (the household asks for {listed})",
            f"Ingen fælles tidspunkter (husstanden ønsker {listed})",
        )
    listed = _names(names, "availability", shared, lang)
    return _t(lang, f"Both available: {listed}", f"Begge kan: {listed}")


def distance_text(pool: VolunteerPool, row: int, features: HouseholdFeatures, lang: Lang) -> str:
    """E.g. "4 km apart"; says which postcode is missing when the distance is unknown."""
    at = int(pool.postcode_index[row])
    km = float(features.km_by_postcode[at])
    if np.isnan(km):
        if np.isnan(features.lat):
            unknown = normalise_postcode(features.household.postcode)
        else:
            unknown = pool.postcodes[at]
        if unknown is None:
            return _t(lang, "Distance unknown: no postcode", "Afstand ukendt: intet postnummer")
        return _t(
            lang,
            f"Distance unknown: postcode {unknown} not found",
            f"Afstand ukendt: postnummer {unknown} findes ikke",
        )
    if km < 1.0:
        return _t(lang, "Less than 1 km apart", "Under 1 km fra hinanden")
    return _t(lang, f"{km:.0f} km apart", f"{km:.0f} km fra hinanden")


def skills_text(volunteer: Volunteer, household: Household, scheme: str, lang: Lang, names: Names) -> str:
    """The volunteer's skills this household needs in this scheme (see config.skill_needs)."""
    needs = skill_needs(scheme, household.children_ages, household.adults_without_work)
    met = _in_order(names, "skill", needs & set(volunteer.skills))
    if not met:
        return _t(
            lang,
            "None of the skills this request needs",
            "Ingen af de færdigheder, anmodningen har brug for",
        )
    listed = _names(names, "skill", met, lang)
    return _t(lang, f"Can help with: {listed}", f"Kan hjælpe med: {listed}")


def waiting_text(household: Household, as_of: date, lang: Lang) -> str:
    """How long the household has waited since it asked for a volunteer."""
    if household.registered_on is None:
        return _t(lang, "Registration date unknown", "Registreringsdato ukendt")
    days = max((as_of - household.registered_on).days, 0)
    if days == 1:
        return _t(lang, "The household has waited 1 day", "Husstanden har ventet 1 dag")
    return _t(lang, f"The household has waited {days} days", f"Husstanden har ventet {days} dage")


def factor_reasons(
    pool: VolunteerPool,
    row: int,
    features: HouseholdFeatures,
    scheme: str,
    values: FloatArray,
    weights: Sequence[float],
    *,
    as_of: date,
    lang: Lang,
    config: MatchingConfig,
) -> tuple[Reason, ...]:
    """One ``Reason`` per factor, in ``FACTORS`` order, for the volunteer at pool ``row``."""
    volunteer = pool.volunteers[row]
    household = features.household
    names = config.names
    texts = {
        "language": language_text(volunteer, household, lang, names),
        "interests": interests_text(pool, volunteer, household, lang, names),
        "availability": availability_text(volunteer, household, lang, names),
        "distance": distance_text(pool, row, features, lang),
        "skills": skills_text(volunteer, household, scheme, lang, names),
        "waiting": waiting_text(household, as_of, lang),
    }
    return tuple(
        Reason(
            factor=factor,
            value=float(values[i]),
            weight=float(weights[i]),
            contribution=float(weights[i] * values[i]),
            text=texts[factor],
        )
        for i, factor in enumerate(FACTORS)
    )


def _possessive_da(name: str) -> str:
    return f"{name}'" if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _languages_listing(languages: Mapping[str, str], lang: Lang, names: Names) -> str:
    if not languages:
        return _t(lang, "no language recorded", "intet sprog registreret")
    return ", ".join(
        f"{_name(names, 'language', code, lang)} ({_name(names, 'level', level, lang)})"
        for code, level in languages.items()
    )


def rule_failure_text(
    rule: str,
    volunteer: Volunteer,
    household: Household,
    scheme: str,
    as_of: date,
    lang: Lang,
    config: MatchingConfig,
) -> str:
    """The sentence a coordinator reads when ``volunteer`` fails hard rule ``rule``."""
    names = config.names
    name = volunteer.display_name
    scheme_name = f'"{_name(names, "scheme", scheme, lang)}"'
    if rule == "approved_free_capacity":
        if volunteer.status != "approved":
            status = _name(names, "status", volunteer.status, lang)
            return _t(
                lang,
                f"{name} is not approved (status: {status})",
                f"{name} er ikke godkendt (status: {status})",
            )
        taken, places = volunteer.active_matches, volunteer.capacity
        return _t(
            lang,
            f"{name} has no free capacity ({taken} of {places} places taken)",
            f"{name} har ingen ledig plads ({taken} af {places} pladser optaget)",
        )
    if rule == "scheme":
        parts = []
        if scheme not in volunteer.schemes:
            parts.append(
                _t(
                    lang,
                    f"{name} does not offer {scheme_name}",
                    f"{name} tilbyder ikke {scheme_name}",
                )
            )
        if scheme not in household.schemes:
            parts.append(
                _t(
                    lang,
                    f"the household has not asked for {scheme_name}",
                    f"husstanden har ikke bedt om {scheme_name}",
                )
            )
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]
    if rule == "shared_language":
        v_langs = _languages_listing(volunteer.languages, lang, names)
        h_langs = _languages_listing(household.languages, lang, names)
        return _t(
            lang,
            f"No language both speak at conversational level or better: {name} speaks {v_langs}; "
            f"the household speaks {h_langs}",
            f"Intet fælles sprog på mindst samtaleniveau: {name} taler {v_langs}; husstanden taler {h_langs}",
        )
    if rule == "child_certificate":
        months = config.child_certificate_valid_months
        cutoff = months_before(as_of, months)
        why = scheme_name
        if scheme == "family_buddy" and requires_child_certificate(household, scheme):
            why = _t(lang, f"{scheme_name} with children under 15", f"{scheme_name} med børn under 15 år")
        received = volunteer.child_certificate_on
        if received is None:
            detail = _t(lang, f"{name} has none recorded", f"{name} har ingen registreret")
        elif received > as_of:
            detail = _t(
                lang,
                f"{name}'s certificate is dated {received}, after {as_of}",
                f"{_possessive_da(name)} attest er dateret {received}, efter {as_of}",
            )
        else:
            detail = _t(
                lang,
                f"{name}'s certificate from {received} is older than {months} months",
                f"{_possessive_da(name)} attest fra {received} er ældre end {months} måneder",
            )
        return _t(
            lang,
            f"A child certificate received on or after {cutoff} is needed for {why}; {detail}",
            f"Der kræves en børneattest modtaget {cutoff} eller senere til {why}; {detail}",
        )
    if rule == "volunteer_gender":
        wanted = _name(names, "gender", household.volunteer_gender or "", lang)
        return _t(
            lang, f"The household asks for a volunteer: {wanted}", f"Husstanden ønsker en frivillig: {wanted}"
        )
    if rule == "consent":
        if household.consent_on is None:
            return _t(
                lang,
                "The household has not consented to sharing its contact details",
                "Husstanden har ikke givet samtykke til at dele sine kontaktoplysninger",
            )
        return _t(
            lang,
            f"The household's consent is dated {household.consent_on}, after {as_of}",
            f"Husstandens samtykke er dateret {household.consent_on}, efter {as_of}",
        )
    if rule == "not_matched_or_rejected":
        return _t(
            lang,
            f"This pair is already matched in {scheme_name} or was rejected by a coordinator before",
            f"Parret er allerede matchet i {scheme_name} eller er tidligere afvist af en koordinator",
        )
    raise ValueError(f"unknown rule {rule!r}")


def unassigned_text(reason: str, waiting_priority: float, lang: Lang) -> str:
    """Why a plan leaves a request waiting; the English no-candidate text is FORMATS.md's."""
    if reason == UNASSIGNED_NO_CANDIDATE:
        return _t(lang, "no eligible volunteer", "ingen egnet frivillig")
    if waiting_priority > 0:
        return _t(
            lang,
            "capacity taken by better-scoring or longer-waiting requests",
            "kapaciteten gik til anmodninger med bedre match eller længere ventetid",
        )
    return _t(
        lang,
        "capacity taken by better-scoring requests",
        "kapaciteten gik til anmodninger med bedre match",
    )


def proposed_text(lang: Lang) -> str:
    """A request with a proposal awaiting approval: not planned twice."""
    return _t(lang, "proposed, awaiting approval", "foreslået, afventer godkendelse")


def held_text(volunteer: str, expected: Sequence[str], lang: Lang) -> str:
    """Why a request's best candidate was not proposed: the plan holds her for expected families."""
    families = "; ".join(expected)
    return _t(
        lang,
        f"{volunteer} is the best or only fit for families expected in the coming months: {families}",
        f"{volunteer} er det bedste eller eneste match til familier, der ventes de kommende måneder: "
        f"{families}",
    )
