"""Vocabularies of the exchange formats (FORMATS.md) and their Danish/English display names.

The matcher keeps the codes exactly as the import files spell them; names exist only so that
the reasons shown to a coordinator read as sentences, in Danish ('da') or English ('en').
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["da", "en"]
"""Language of the sentences written for a coordinator."""

LANGUAGE_CODES: tuple[str, ...] = (
    "da", "en", "de", "fr", "es", "it", "pl", "ro", "ru", "uk", "ar", "fa", "prs", "ps", "ur",
    "ti", "am", "om", "so", "sw", "ku", "ckb", "tr", "sq", "bs", "sr", "hr", "ta", "vi", "zh",
)  # fmt: skip

LEVELS: tuple[str, ...] = ("basic", "conversational", "fluent", "native")
"""Language levels, weakest first."""

LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS, start=1)}
"""Rank of each level (basic=1 .. native=4); 0 means 'does not speak it'."""

CONVERSATIONAL_RANK: int = LEVEL_RANK["conversational"]
"""Hard rule 3 needs both sides at least this rank in one shared language."""

LANGUAGE_GROUP: dict[str, str] = {"prs": "fa", "hr": "bs", "sr": "bs"}
"""Codes that count as one language (rule 3): Dari = Persian; Bosnian = Croatian = Serbian.

Each code maps to the code that stands for its group; codes not listed are their own group.
"""

SCHEMES: tuple[str, ...] = (
    "family_buddy", "friend_buddy", "contact_person", "leisure_intro", "child_culture",
)  # fmt: skip

AVAILABILITY: tuple[str, ...] = ("weekday_daytime", "weekday_evening", "weekend")

SKILLS: tuple[str, ...] = (
    "danish_practice", "homework_help", "job_search", "cv_writing", "paperwork", "digital_skills",
    "healthcare_navigation", "housing_help", "childcare", "cooking", "cycling_training", "driving",
    "sports_coaching", "music", "arts_crafts", "bike_repair",
)  # fmt: skip

INTERESTS: tuple[str, ...] = (
    "football", "swimming", "running", "fitness", "cycling", "hiking", "nature", "fishing",
    "music", "singing", "dancing", "art", "crafts", "photography", "cooking", "baking",
    "gardening", "chess", "board_games", "reading", "cinema", "theatre", "museums", "handball",
    "badminton", "volleyball", "basketball", "yoga",
)  # fmt: skip

GENDERS: tuple[str, ...] = ("f", "m", "x")

VOLUNTEER_STATUSES: tuple[str, ...] = ("pending", "approved", "paused", "rejected", "withdrawn")
"""Only 'approved' volunteers can be matched (rule 1)."""


def language_group(code: str) -> str:
    """The code standing for the group ``code`` belongs to (itself for most languages)."""
    return LANGUAGE_GROUP.get(code, code)


LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    # code: (English, Danish). Danish language names are lower case, as Danish writes them.
    "da": ("Danish", "dansk"),
    "en": ("English", "engelsk"),
    "de": ("German", "tysk"),
    "fr": ("French", "fransk"),
    "es": ("Spanish", "spansk"),
    "it": ("Italian", "italiensk"),
    "pl": ("Polish", "polsk"),
    "ro": ("Romanian", "rumænsk"),
    "ru": ("Russian", "russisk"),
    "uk": ("Ukrainian", "ukrainsk"),
    "ar": ("Arabic", "arabisk"),
    "fa": ("Persian", "persisk"),
    "prs": ("Dari", "dari"),
    "ps": ("Pashto", "pashto"),
    "ur": ("Urdu", "urdu"),
    "ti": ("Tigrinya", "tigrinya"),
    "am": ("Amharic", "amharisk"),
    "om": ("Oromo", "oromo"),
    "so": ("Somali", "somali"),
    "sw": ("Swahili", "swahili"),
    "ku": ("Kurdish", "kurdisk"),
    "ckb": ("Central Kurdish (Sorani)", "sorani (centralkurdisk)"),
    "tr": ("Turkish", "tyrkisk"),
    "sq": ("Albanian", "albansk"),
    "bs": ("Bosnian", "bosnisk"),
    "sr": ("Serbian", "serbisk"),
    "hr": ("Croatian", "kroatisk"),
    "ta": ("Tamil", "tamil"),
    "vi": ("Vietnamese", "vietnamesisk"),
    "zh": ("Chinese", "kinesisk"),
}

LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "native": ("native", "modersmål"),
    "fluent": ("fluent", "flydende"),
    "conversational": ("conversational", "samtaleniveau"),
    "basic": ("basic", "grundlæggende"),
}

SCHEME_NAMES: dict[str, tuple[str, str]] = {
    "family_buddy": ("follow a family", "følg en familie"),
    "friend_buddy": ("follow a friend", "følg en ven"),
    "contact_person": ("contact person", "kontaktperson"),
    "leisure_intro": ("leisure introduction", "fritidsintroduktion"),
    "child_culture": (
        "child culture and school/daycare",
        "børnekultur og skole/daginstitution",
    ),
}

AVAILABILITY_NAMES: dict[str, tuple[str, str]] = {
    "weekday_daytime": ("weekday daytime", "hverdage i dagtimerne"),
    "weekday_evening": ("weekday evenings", "hverdagsaftener"),
    "weekend": ("weekends", "weekender"),
}

SKILL_NAMES: dict[str, tuple[str, str]] = {
    "danish_practice": ("Danish practice", "dansktræning"),
    "homework_help": ("homework help", "lektiehjælp"),
    "job_search": ("job search", "jobsøgning"),
    "cv_writing": ("CV writing", "CV-skrivning"),
    "paperwork": ("letters and paperwork", "breve og papirer"),
    "digital_skills": ("digital skills", "digitale færdigheder"),
    "healthcare_navigation": ("finding one's way in healthcare", "hjælp i sundhedsvæsenet"),
    "housing_help": ("housing help", "boligsøgning"),
    "childcare": ("childcare", "børnepasning"),
    "cooking": ("cooking", "madlavning"),
    "cycling_training": ("learning to cycle", "cykeltræning"),
    "driving": ("driving", "kørsel"),
    "sports_coaching": ("sports coaching", "sportstræning"),
    "music": ("music", "musik"),
    "arts_crafts": ("arts and crafts", "kunst og kreativitet"),
    "bike_repair": ("bike repair", "cykelreparation"),
}

INTEREST_NAMES: dict[str, tuple[str, str]] = {
    "football": ("football", "fodbold"),
    "swimming": ("swimming", "svømning"),
    "running": ("running", "løb"),
    "fitness": ("fitness", "fitness"),
    "cycling": ("cycling", "cykling"),
    "hiking": ("hiking", "vandreture"),
    "nature": ("nature", "natur"),
    "fishing": ("fishing", "fiskeri"),
    "music": ("music", "musik"),
    "singing": ("singing", "sang"),
    "dancing": ("dancing", "dans"),
    "art": ("art", "kunst"),
    "crafts": ("crafts", "håndarbejde"),
    "photography": ("photography", "fotografering"),
    "cooking": ("cooking", "madlavning"),
    "baking": ("baking", "bagning"),
    "gardening": ("gardening", "havearbejde"),
    "chess": ("chess", "skak"),
    "board_games": ("board games", "brætspil"),
    "reading": ("reading", "læsning"),
    "cinema": ("cinema", "biograf"),
    "theatre": ("theatre", "teater"),
    "museums": ("museums", "museer"),
    "handball": ("handball", "håndbold"),
    "badminton": ("badminton", "badminton"),
    "volleyball": ("volleyball", "volleyball"),
    "basketball": ("basketball", "basketball"),
    "yoga": ("yoga", "yoga"),
}

GENDER_NAMES: dict[str, tuple[str, str]] = {
    "f": ("a female volunteer", "en kvindelig frivillig"),
    "m": ("a male volunteer", "en mandlig frivillig"),
    "x": ("a volunteer of gender x", "en frivillig med køn x"),
}

STATUS_NAMES: dict[str, tuple[str, str]] = {
    "pending": ("pending", "afventer godkendelse"),
    "approved": ("approved", "godkendt"),
    "paused": ("paused", "på pause"),
    "rejected": ("rejected", "afvist"),
    "withdrawn": ("withdrawn", "udmeldt"),
}


def display_name(table: dict[str, tuple[str, str]], code: str, lang: Lang) -> str:
    """Name of ``code`` from one of the tables above; an unknown code is shown as itself.

    FORMATS.md allows more language codes than it lists, so a missing name must not crash.
    """
    names = table.get(code)
    if names is None:
        return code
    return names[1] if lang == "da" else names[0]


def language_name(code: str, lang: Lang) -> str:
    """Display name of a language code, e.g. ``language_name("ti", "da") == "tigrinya"``."""
    return display_name(LANGUAGE_NAMES, code, lang)
