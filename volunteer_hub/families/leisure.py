"""Matching a household's leisure wishes against the register of leisure offers (P9). Pure.

An offer suits the household when it serves at least one of the household's interests and at
least one member's age falls in the offer's age range (open ends are open; a member without a
known birth year fits any range). Offers serving more of the wishes come first; among equals,
offers a leisure pass or subsidy can pay for come first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OfferFacts:
    offer_id: int
    name: str
    interests: frozenset[str]
    min_age: int | None
    max_age: int | None
    leisure_pass: bool


@dataclass(frozen=True)
class LeisureSuggestion:
    offer_id: int
    shared_interests: tuple[str, ...]
    fitting_ages: tuple[int | None, ...]
    leisure_pass: bool


def age_fits(age: int | None, min_age: int | None, max_age: int | None) -> bool:
    if age is None:
        return True
    return (min_age is None or age >= min_age) and (max_age is None or age <= max_age)


def suggest_offers(
    wishes: Iterable[str], member_ages: Sequence[int | None], offers: Iterable[OfferFacts]
) -> list[LeisureSuggestion]:
    """The offers that suit the household, best first."""
    wanted = set(wishes)
    suggestions = []
    for offer in offers:
        shared = tuple(sorted(wanted & offer.interests))
        ages = tuple(a for a in member_ages if age_fits(a, offer.min_age, offer.max_age))
        if shared and ages:
            suggestions.append((offer, LeisureSuggestion(offer.offer_id, shared, ages, offer.leisure_pass)))
    suggestions.sort(
        key=lambda pair: (-len(pair[1].shared_interests), not pair[0].leisure_pass, pair[0].name)
    )
    return [suggestion for _offer, suggestion in suggestions]
