"""The vocabularies of FORMATS.md, with a Danish and an English label for every code.

Pure data and a few lookup functions: no Flask at import and no database, so the volunteer
pages, the importers, the family cases and the matcher (through ``sentence_names``, handed to
its engine by ``matching/services.py``) share one spelling and one label of every code. Codes are
exactly as the import files write them. Labels are written to stand alone (a list item, a
checkbox), so they start with a capital letter.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["da", "en"]

# code: (English, Danish). Dari is ``prs``; FORMATS.md lists the codes accepted today.
LANGUAGES: dict[str, tuple[str, str]] = {
    "da": ("Danish", "Dansk"),
    "en": ("English", "Engelsk"),
    "de": ("German", "Tysk"),
    "fr": ("French", "Fransk"),
    "es": ("Spanish", "Spansk"),
    "it": ("Italian", "Italiensk"),
    "pl": ("Polish", "Polsk"),
    "ro": ("Romanian", "Rumænsk"),
    "ru": ("Russian", "Russisk"),
    "uk": ("Ukrainian", "Ukrainsk"),
    "ar": ("Arabic", "Arabisk"),
    "fa": ("Persian (Farsi)", "Persisk (farsi)"),
    "prs": ("Dari", "Dari"),
    "ps": ("Pashto", "Pashto"),
    "ur": ("Urdu", "Urdu"),
    "ti": ("Tigrinya", "Tigrinya"),
    "am": ("Amharic", "Amharisk"),
    "om": ("Oromo", "Oromo"),
    "so": ("Somali", "Somali"),
    "sw": ("Swahili", "Swahili"),
    "ku": ("Kurdish (Kurmanji)", "Kurdisk (kurmanji)"),
    "ckb": ("Central Kurdish (Sorani)", "Centralkurdisk (sorani)"),
    "tr": ("Turkish", "Tyrkisk"),
    "sq": ("Albanian", "Albansk"),
    "bs": ("Bosnian", "Bosnisk"),
    "sr": ("Serbian", "Serbisk"),
    "hr": ("Croatian", "Kroatisk"),
    "ta": ("Tamil", "Tamil"),
    "vi": ("Vietnamese", "Vietnamesisk"),
    "zh": ("Chinese", "Kinesisk"),
}

# Strongest first, as a form lists them.
LEVELS: dict[str, tuple[str, str]] = {
    "native": ("Native language", "Modersmål"),
    "fluent": ("Fluent", "Flydende"),
    "conversational": ("Conversational", "Kan føre en samtale"),
    "basic": ("Basic", "Grundlæggende"),
}

LEVEL_RANK: dict[str, int] = {"basic": 1, "conversational": 2, "fluent": 3, "native": 4}

SCHEMES: dict[str, tuple[str, str]] = {
    "family_buddy": ("Follow a family", "Følg en familie"),
    "friend_buddy": ("Follow a friend", "Følg en ven"),
    "contact_person": ("Contact person", "Kontaktperson"),
    "leisure_intro": ("Leisure introduction", "Fritidsintroduktion"),
    "child_culture": ("Child culture, school and daycare", "Børnekultur og skole/daginstitution"),
}

AVAILABILITY: dict[str, tuple[str, str]] = {
    "weekday_daytime": ("Weekday daytime", "Hverdage i dagtimerne"),
    "weekday_evening": ("Weekday evenings", "Hverdage om aftenen"),
    "weekend": ("Weekends", "Weekender"),
}

SKILLS: dict[str, tuple[str, str]] = {
    "danish_practice": ("Danish conversation practice", "Dansktræning"),
    "homework_help": ("Homework help", "Lektiehjælp"),
    "job_search": ("Job search", "Jobsøgning"),
    "cv_writing": ("CV writing", "CV-skrivning"),
    "paperwork": ("Letters and paperwork", "Breve og papirer"),
    "digital_skills": ("Digital skills (MitID, e-Boks)", "Digitale færdigheder (MitID, e-Boks)"),
    "healthcare_navigation": ("Finding one's way in healthcare", "Hjælp i sundhedsvæsenet"),
    "housing_help": ("Housing help", "Hjælp med bolig"),
    "childcare": ("Childcare", "Børnepasning"),
    "cooking": ("Cooking", "Madlavning"),
    "cycling_training": ("Teaching cycling", "Cykeltræning"),
    "driving": ("Driving", "Kørsel"),
    "sports_coaching": ("Sports coaching", "Sportstræning"),
    "music": ("Music", "Musik"),
    "arts_crafts": ("Arts and crafts", "Kunst og kreativitet"),
    "bike_repair": ("Bike repair", "Cykelreparation"),
}

INTERESTS: dict[str, tuple[str, str]] = {
    "football": ("Football", "Fodbold"),
    "swimming": ("Swimming", "Svømning"),
    "running": ("Running", "Løb"),
    "fitness": ("Fitness", "Fitness"),
    "cycling": ("Cycling", "Cykling"),
    "hiking": ("Hiking", "Vandreture"),
    "nature": ("Nature", "Natur"),
    "fishing": ("Fishing", "Fiskeri"),
    "music": ("Music", "Musik"),
    "singing": ("Singing", "Sang"),
    "dancing": ("Dancing", "Dans"),
    "art": ("Art", "Kunst"),
    "crafts": ("Crafts", "Håndarbejde"),
    "photography": ("Photography", "Fotografering"),
    "cooking": ("Cooking", "Madlavning"),
    "baking": ("Baking", "Bagning"),
    "gardening": ("Gardening", "Havearbejde"),
    "chess": ("Chess", "Skak"),
    "board_games": ("Board games", "Brætspil"),
    "reading": ("Reading", "Læsning"),
    "cinema": ("Cinema", "Biograf"),
    "theatre": ("Theatre", "Teater"),
    "museums": ("Museums", "Museer"),
    "handball": ("Handball", "Håndbold"),
    "badminton": ("Badminton", "Badminton"),
    "volleyball": ("Volleyball", "Volleyball"),
    "basketball": ("Basketball", "Basketball"),
    "yoga": ("Yoga", "Yoga"),
}

# An empty cell means "not stated"; ``x`` is the Danish passport's third gender marker.
GENDERS: dict[str, tuple[str, str]] = {
    "f": ("Woman", "Kvinde"),
    "m": ("Man", "Mand"),
    "x": ("Another gender (X)", "Andet køn (X)"),
}

VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "language": LANGUAGES,
    "level": LEVELS,
    "scheme": SCHEMES,
    "availability": AVAILABILITY,
    "skill": SKILLS,
    "interest": INTERESTS,
    "gender": GENDERS,
}


# Languages written right to left (letters and the interface must set dir="rtl").
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ps", "ur", "ckb"})

Vocabulary = dict[str, tuple[str, str]]


def _current_language() -> str:
    """The interface language of the current request; Danish outside one."""
    try:
        from flask_babel import get_locale

        locale = get_locale()
    except Exception:  # noqa: BLE001 - outside a request or app context: Danish
        return "da"
    return "en" if locale is not None and locale.language == "en" else "da"


def _resolve(vocabulary: str | Vocabulary) -> Vocabulary:
    return VOCABULARIES[vocabulary] if isinstance(vocabulary, str) else vocabulary


def label(vocabulary: str | Vocabulary, code: str | None, lang: str | None = None) -> str:
    """The code's label in ``lang`` (default: the interface language); unknown codes as they are.

    ``vocabulary`` is a name from VOCABULARIES ("languages") or one of the dicts (LANGUAGES).
    """
    if not code:
        return ""
    names = _resolve(vocabulary).get(code)
    if names is None:
        return code
    return names[1] if (lang or _current_language()) == "da" else names[0]


def choices(
    vocabulary: str | Vocabulary, lang: str | None = None, *, sort: bool = False
) -> list[tuple[str, str]]:
    """(code, label) pairs for a form, in vocabulary order or sorted by label."""
    pairs = [(code, label(vocabulary, code, lang)) for code in _resolve(vocabulary)]
    return sorted(pairs, key=lambda pair: pair[1].casefold()) if sort else pairs


def is_known(vocabulary: str | Vocabulary, code: str) -> bool:
    return code in _resolve(vocabulary)


# First words English writes with a capital letter inside a sentence: the language names, and so
# also a label built on one ("Danish conversation practice").
_ENGLISH_CAPITALISED = frozenset(english.split(" ", 1)[0] for english, _ in LANGUAGES.values())


def in_sentence(vocabulary: str | Vocabulary, code: str, lang: str | None = None) -> str:
    """The code's label as it reads inside a sentence ("Begge taler tigrinya (modersmål / flydende)").

    The first letter goes to lower case, except for English language names and for a label that
    starts with an abbreviation ("CV-skrivning"); unknown codes as they are. ``lang`` defaults to
    the interface language.
    """
    lang = lang or _current_language()
    text = label(vocabulary, code, lang)
    if text[1:2].isupper() or (lang != "da" and text.split(" ", 1)[0] in _ENGLISH_CAPITALISED):
        return text
    return text[:1].lower() + text[1:]


def sentence_names() -> dict[str, dict[str, tuple[str, str]]]:
    """Every vocabulary's labels as they read inside a sentence: name -> code -> (English, Danish).

    What the matcher's reasons use (``MatchingConfig.names``), so they name codes as the forms do.
    """
    return {
        name: {code: (in_sentence(table, code, "en"), in_sentence(table, code, "da")) for code in table}
        for name, table in VOCABULARIES.items()
    }
