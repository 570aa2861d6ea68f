"""Shared vocabularies of FORMATS.md: codes mapped to (Danish label, English label).

The codes are the exchange format's, exactly; the labels are for the interface. Use
``label(VOCAB, code)`` to show a code in the current interface language and ``choices(VOCAB)``
for form choices.
"""

from __future__ import annotations

LANGUAGES: dict[str, tuple[str, str]] = {
    "da": ("Dansk", "Danish"),
    "en": ("Engelsk", "English"),
    "de": ("Tysk", "German"),
    "fr": ("Fransk", "French"),
    "es": ("Spansk", "Spanish"),
    "it": ("Italiensk", "Italian"),
    "pl": ("Polsk", "Polish"),
    "ro": ("Rumænsk", "Romanian"),
    "ru": ("Russisk", "Russian"),
    "uk": ("Ukrainsk", "Ukrainian"),
    "ar": ("Arabisk", "Arabic"),
    "fa": ("Persisk (farsi)", "Persian (Farsi)"),
    "prs": ("Dari", "Dari"),
    "ps": ("Pashto", "Pashto"),
    "ur": ("Urdu", "Urdu"),
    "ti": ("Tigrinya", "Tigrinya"),
    "am": ("Amharisk", "Amharic"),
    "om": ("Oromo", "Oromo"),
    "so": ("Somali", "Somali"),
    "sw": ("Swahili", "Swahili"),
    "ku": ("Kurdisk (kurmanji)", "Kurdish (Kurmanji)"),
    "ckb": ("Kurdisk (sorani)", "Kurdish (Sorani)"),
    "tr": ("Tyrkisk", "Turkish"),
    "sq": ("Albansk", "Albanian"),
    "bs": ("Bosnisk", "Bosnian"),
    "sr": ("Serbisk", "Serbian"),
    "hr": ("Kroatisk", "Croatian"),
    "ta": ("Tamil", "Tamil"),
    "vi": ("Vietnamesisk", "Vietnamese"),
    "zh": ("Kinesisk", "Chinese"),
}

# Ordered from strongest to weakest.
LEVELS: dict[str, tuple[str, str]] = {
    "native": ("Modersmål", "Native"),
    "fluent": ("Flydende", "Fluent"),
    "conversational": ("Kan føre en samtale", "Conversational"),
    "basic": ("Grundlæggende", "Basic"),
}
LEVEL_RANK: dict[str, int] = {"native": 4, "fluent": 3, "conversational": 2, "basic": 1}

SCHEMES: dict[str, tuple[str, str]] = {
    "family_buddy": ("Følg en familie", "Follow a family"),
    "friend_buddy": ("Følg en ven", "Follow a friend"),
    "contact_person": ("Kontaktperson", "Contact person"),
    "leisure_intro": ("Fritidsintroduktion", "Leisure introduction"),
    "child_culture": ("Børnekultur og skole/daginstitution", "Child culture, school and daycare"),
}

AVAILABILITY: dict[str, tuple[str, str]] = {
    "weekday_daytime": ("Hverdage i dagtimerne", "Weekdays, daytime"),
    "weekday_evening": ("Hverdage om aftenen", "Weekday evenings"),
    "weekend": ("Weekend", "Weekends"),
}

SKILLS: dict[str, tuple[str, str]] = {
    "danish_practice": ("Dansktræning", "Danish practice"),
    "homework_help": ("Lektiehjælp", "Homework help"),
    "job_search": ("Jobsøgning", "Job search"),
    "cv_writing": ("CV-skrivning", "CV writing"),
    "paperwork": ("Papirarbejde og breve", "Paperwork and letters"),
    "digital_skills": ("Digitale færdigheder (MitID, e-Boks)", "Digital skills (MitID, e-Boks)"),
    "healthcare_navigation": ("Hjælp i sundhedsvæsenet", "Finding your way in healthcare"),
    "housing_help": ("Hjælp med bolig", "Housing help"),
    "childcare": ("Børnepasning", "Childcare"),
    "cooking": ("Madlavning", "Cooking"),
    "cycling_training": ("Cykeltræning", "Cycling training"),
    "driving": ("Kørsel", "Driving"),
    "sports_coaching": ("Sportstræning", "Sports coaching"),
    "music": ("Musik", "Music"),
    "arts_crafts": ("Kunst og håndværk", "Arts and crafts"),
    "bike_repair": ("Cykelreparation", "Bike repair"),
}

INTERESTS: dict[str, tuple[str, str]] = {
    "football": ("Fodbold", "Football"),
    "swimming": ("Svømning", "Swimming"),
    "running": ("Løb", "Running"),
    "fitness": ("Fitness", "Fitness"),
    "cycling": ("Cykling", "Cycling"),
    "hiking": ("Vandreture", "Hiking"),
    "nature": ("Natur", "Nature"),
    "fishing": ("Fiskeri", "Fishing"),
    "music": ("Musik", "Music"),
    "singing": ("Sang", "Singing"),
    "dancing": ("Dans", "Dancing"),
    "art": ("Kunst", "Art"),
    "crafts": ("Håndarbejde", "Crafts"),
    "photography": ("Fotografi", "Photography"),
    "cooking": ("Madlavning", "Cooking"),
    "baking": ("Bagning", "Baking"),
    "gardening": ("Havearbejde", "Gardening"),
    "chess": ("Skak", "Chess"),
    "board_games": ("Brætspil", "Board games"),
    "reading": ("Læsning", "Reading"),
    "cinema": ("Biograf", "Cinema"),
    "theatre": ("Teater", "Theatre"),
    "museums": ("Museer", "Museums"),
    "handball": ("Håndbold", "Handball"),
    "badminton": ("Badminton", "Badminton"),
    "volleyball": ("Volleyball", "Volleyball"),
    "basketball": ("Basketball", "Basketball"),
    "yoga": ("Yoga", "Yoga"),
}

GENDERS: dict[str, tuple[str, str]] = {
    "f": ("Kvinde", "Woman"),
    "m": ("Mand", "Man"),
    "x": ("Andet", "Other"),
}

# Languages written right to left (letters and the interface must set dir="rtl").
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ps", "ur", "ckb"})


def _interface_language() -> str:
    try:
        from flask_babel import get_locale

        locale = get_locale()
    except Exception:  # noqa: BLE001 - outside a request or app context: Danish
        return "da"
    return "en" if locale is not None and locale.language == "en" else "da"


def label(vocab: dict[str, tuple[str, str]], code: str | None) -> str:
    """The code's label in the current interface language (the code itself when unknown)."""
    if not code:
        return ""
    labels = vocab.get(code)
    if labels is None:
        return code
    return labels[1] if _interface_language() == "en" else labels[0]


def choices(vocab: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, label) pairs for a form, in the vocabulary's order."""
    return [(code, label(vocab, code)) for code in vocab]


def is_known(vocab: dict[str, tuple[str, str]], code: str) -> bool:
    return code in vocab
