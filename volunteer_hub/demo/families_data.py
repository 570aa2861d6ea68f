"""The demo's Glostrup: names, family shapes, workplaces, leisure offers and shared units.

Realistic but invented: no real person is described. Used by ``demo.py``.
"""

from __future__ import annotations

from typing import Any

from volunteer_hub.families.models import LeisureKind, WorkSector

BACKGROUNDS: dict[str, dict[str, Any]] = {
    "syrian": {
        "families": ["Al-Hassan", "Haddad", "Khalil", "Nasser", "Darwish", "Mansour"],
        "women": ["Rania", "Lina", "Mariam", "Nour", "Hiba", "Amal"],
        "men": ["Ahmad", "Yousef", "Omar", "Khaled", "Samer", "Bilal"],
        "languages": [[("ar", "native"), ("en", "basic")], [("ar", "native"), ("ku", "fluent")]],
    },
    "eritrean": {
        "families": ["Haile", "Tesfay", "Gebremedhin", "Kidane", "Berhane", "Mehari"],
        "women": ["Senait", "Helen", "Saba", "Rahwa", "Luwam", "Selam"],
        "men": ["Yonas", "Filmon", "Daniel", "Mussie", "Efrem", "Tesfalem"],
        "languages": [[("ti", "native"), ("ar", "basic")], [("ti", "native"), ("am", "conversational")]],
    },
    "afghan": {
        "families": ["Ahmadi", "Rahimi", "Hosseini", "Karimi", "Noori", "Sultani"],
        "women": ["Zahra", "Fatima", "Parwana", "Shabnam", "Mariam", "Nilofar"],
        "men": ["Farid", "Mohammad", "Ali", "Hamid", "Jawad", "Rahim"],
        "languages": [[("prs", "native"), ("en", "basic")], [("ps", "native"), ("prs", "fluent")]],
    },
    "ukrainian": {
        "families": ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko"],
        "women": ["Olena", "Iryna", "Oksana", "Natalia", "Kateryna", "Yulia"],
        "men": ["Andriy", "Dmytro", "Taras", "Serhiy", "Oleksandr", "Mykola"],
        "languages": [[("uk", "native"), ("ru", "fluent"), ("en", "conversational")], [("uk", "native")]],
    },
    "somali": {
        "families": ["Warsame", "Abdi", "Farah", "Jama", "Hassan", "Osman"],
        "women": ["Hodan", "Faadumo", "Ayaan", "Sahra", "Ubah", "Ifrah"],
        "men": ["Abdirahman", "Mahad", "Liban", "Ismail", "Abdullahi", "Yusuf"],
        "languages": [[("so", "native"), ("ar", "conversational")], [("so", "native"), ("en", "basic")]],
    },
}
CHILD_NAMES = [
    "Adam",
    "Sara",
    "Yara",
    "Noah",
    "Maya",
    "Ilyas",
    "Amira",
    "Daniel",
    "Lea",
    "Zain",
    "Hana",
    "Musa",
]
# Shapes: (adults, children's ages). Singles, couples, single parents and families of all sizes.
SHAPES = [
    (1, []),
    (2, [4, 9]),
    (2, [1]),
    (1, [6, 11]),
    (2, [13, 15, 17]),
    (2, []),
    (1, []),
    (2, [0, 3, 7]),
    (2, [10]),
    (1, [2]),
    (2, [5, 8, 12, 16]),
    (1, []),
]
POSTCODES = ["2600", "2600", "2600", "2605", "2600"]
STREETS = ["Hovedvejen", "Søndre Ringvej", "Banegårdsvej", "Sydvestvej", "Stationsparken", "Ejby Industrivej"]

WORKPLACES = [
    ("Plejecenter Glostrup", WorkSector.CARE, 3, True, "Nordre Alle 10, 2600 Glostrup"),
    ("Glostrup Rengøringsservice", WorkSector.CLEANING, 2, True, "Ejby Industrivej 40, 2600 Glostrup"),
    ("Byggefirmaet Vestegnen", WorkSector.CONSTRUCTION, 2, True, "Fabriksparken 12, 2600 Glostrup"),
    (
        "Logistikcenter Glostrup",
        WorkSector.TRANSPORT_LOGISTICS,
        4,
        True,
        "Hersted Industripark 3, 2605 Brøndby",
    ),
    ("Restaurant Stationen", WorkSector.HOSPITALITY, 1, True, "Banegårdsvej 2, 2600 Glostrup"),
    ("Glostrup Storcenter, butikker", WorkSector.RETAIL, 2, False, "Hovedvejen 123, 2600 Glostrup"),
    ("Gartneriet Vestvolden", WorkSector.GARDENING_AGRICULTURE, 0, True, "Vestvolden 5, 2600 Glostrup"),
    ("Børnehuset Solsikken", WorkSector.CHILDCARE_EDUCATION, 1, True, "Solvej 4, 2600 Glostrup"),
]
LEISURE_OFFERS = [
    (
        "Glostrup Svømmehal",
        LeisureKind.SWIMMING_POOL,
        "Stadionvej 2, 2600 Glostrup",
        None,
        None,
        ["swimming", "fitness"],
        True,
    ),
    (
        "Glostrup Idrætspark",
        LeisureKind.SPORTS_CENTRE,
        "Stadionvej 2, 2600 Glostrup",
        None,
        None,
        ["football", "handball", "badminton", "running", "fitness"],
        True,
    ),
    (
        "Glostrup Idrætsforening, fodbold",
        LeisureKind.SPORTS_CLUB,
        "Stadionvej 2, 2600 Glostrup",
        5,
        40,
        ["football"],
        True,
    ),
    (
        "Glostrup Idrætsforening, håndbold",
        LeisureKind.SPORTS_CLUB,
        "Stadionvej 2, 2600 Glostrup",
        6,
        30,
        ["handball"],
        True,
    ),
    (
        "Glostrup Musikskole",
        LeisureKind.MUSIC_SCHOOL,
        "Byparkvej 37, 2600 Glostrup",
        4,
        25,
        ["music", "singing"],
        True,
    ),
    (
        "Glostrup Bibliotek",
        LeisureKind.LIBRARY,
        "Glostrup Bibliotek, 2600 Glostrup",
        None,
        None,
        ["reading", "board_games", "chess"],
        False,
    ),
    (
        "Biografen i Glostrup",
        LeisureKind.CINEMA,
        "Glostrup centrum, 2600 Glostrup",
        None,
        None,
        ["cinema"],
        False,
    ),
    (
        "Kulturhuset, dans og teater",
        LeisureKind.CULTURE_HOUSE,
        "Glostrup centrum, 2600 Glostrup",
        8,
        None,
        ["dancing", "theatre", "art", "crafts"],
        True,
    ),
    (
        "Cykelklubben Vestegnen",
        LeisureKind.SPORTS_CLUB,
        "Glostrup, 2600",
        10,
        None,
        ["cycling", "nature"],
        True,
    ),
    (
        "Haveforeningen Vestvolden",
        LeisureKind.OTHER,
        "Vestvolden, 2600 Glostrup",
        None,
        None,
        ["gardening", "nature", "cooking"],
        False,
    ),
]
SHARED_UNITS = [
    ("Bofællesskabet Nordre Alle", "Nordre Alle 22, 2600 Glostrup", True),
    ("Det ombyggede plejehjem, Sydvej", "Sydvej 8, 2600 Glostrup", False),
]
SCHOOLS = ["Skovvejens Skole", "Nordvangskolen", "Søndervangskolen", "Glostrup Skole, modtageklassen"]
DAYCARES = ["Børnehuset Solsikken", "Vuggestuen Mælkebøtten", "Børnehaven Regnbuen"]
