"""Array form of the volunteers (``VolunteerPool``) and of one household, for vectorised matching.

The pool is built once from plain dataclasses; every later question ("who is eligible for this
household?", "how well does each fit?") is then a handful of numpy operations over all
volunteers at once instead of a Python loop over pairs. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.preprocessing import normalize

from volunteer_hub.matching.engine.config import LEVEL_RANK, NEEDED_SKILLS, SCHEMES, language_group
from volunteer_hub.matching.engine.geo import coordinates, haversine_km, load_postcodes, normalise_postcode
from volunteer_hub.matching.engine.types import Exclusions, Household, Volunteer

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

NO_CERTIFICATE: int = -1
"""Ordinal stored for a volunteer without a child certificate (real ordinals are >= 1)."""

SCHEME_BIT: Mapping[str, int] = {scheme: 1 << i for i, scheme in enumerate(SCHEMES)}
SKILL_BIT: Mapping[str, int] = {skill: 1 << i for i, skill in enumerate(NEEDED_SKILLS)}
"""Only the skills some need names get a bit: no other skill can count for the skills factor."""


def bitmask(items: Iterable[str], bits: Mapping[str, int]) -> int:
    """OR of the bits of the known items; unknown items are ignored (they can never match)."""
    mask = 0
    for item in items:
        mask |= bits.get(item, 0)
    return mask


def best_levels_by_group(languages: Mapping[str, str]) -> dict[str, int]:
    """Highest level rank per language group: a Dari speaker counts for Persian too."""
    best: dict[str, int] = {}
    for code, level in languages.items():
        group = language_group(code)
        best[group] = max(best.get(group, 0), LEVEL_RANK.get(level, 0))
    return best


@dataclass(frozen=True)
class InterestFrequencies:
    """What interest rarity (IDF) is judged on: how many people, and how many of them list each interest.

    ``counts`` maps an interest code to the number of people listing it. A pool of a few
    candidates built with the frequencies of the whole municipality weighs interests exactly as
    the pool of everybody does.
    """

    documents: int
    counts: Mapping[str, int]

    @classmethod
    def of(cls, people: Sequence[Collection[str]]) -> InterestFrequencies:
        """Count over these people's interests (one person listing an interest twice counts once)."""
        counts: dict[str, int] = {}
        for interests in people:
            for code in dict.fromkeys(interests):
                counts[code] = counts.get(code, 0) + 1
        return cls(len(people), counts)


def smooth_idf(document_frequency: npt.NDArray[np.int64], documents: int) -> FloatArray:
    """``ln((1 + documents) / (1 + df)) + 1`` per column: scikit-learn's smoothed IDF, with the
    same operations in the same order, so the weights are the very numbers it would fit."""
    df = document_frequency.astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=documents + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


@dataclass(frozen=True, eq=False)
class HouseholdFeatures:
    """One household encoded against a pool's columns (see ``VolunteerPool.encode_household``).

    ``language_columns``/``language_levels``: the pool language columns the household speaks,
    and its level rank in each. ``interests``: its l2-normalised TF-IDF row (dense).
    ``availability``: the times it asks for that some volunteer in the pool offers, on the pool's
    bits; ``availability_wanted``: how many times it asks for in all. ``lat``/``lon``: radians,
    NaN when the postcode is unknown; ``km_by_postcode``: distance to each of the pool's distinct
    postcodes (``VolunteerPool.postcodes``). ``gender``: the requested volunteer gender code, 0
    for no preference, -1 for a gender no volunteer has.
    """

    household: Household
    language_columns: IntArray
    language_levels: npt.NDArray[np.uint8]
    interests: FloatArray
    availability: int
    availability_wanted: int
    lat: float
    lon: float
    km_by_postcode: FloatArray
    gender: int


@dataclass(frozen=True, eq=False)
class VolunteerPool:
    """All volunteers as column arrays, built once by ``VolunteerPool.build``.

    Row ``i`` of every array is ``volunteers[i]``. ``languages`` is (groups x volunteers), the
    best level rank per merged language group (prs with fa, bs/hr/sr together), stored
    group-major so one household language reads one contiguous row. ``interests`` is a sparse
    l2-normalised TF-IDF matrix, so a dot product with a household row is a cosine.
    """

    volunteers: tuple[Volunteer, ...]
    index: Mapping[str, int]
    ref_rank: IntArray
    approved: BoolArray
    free_capacity: npt.NDArray[np.int64]
    gender: npt.NDArray[np.int8]
    gender_codes: Mapping[str, int]
    schemes: npt.NDArray[np.uint8]
    language_groups: tuple[str, ...]
    group_column: Mapping[str, int]
    languages: npt.NDArray[np.uint8]
    interest_vocabulary: tuple[str, ...]
    interest_column: Mapping[str, int]
    interest_idf: FloatArray
    interests: sparse.csr_array
    unseen_interest_idf: float
    availability: npt.NDArray[np.uint64]
    availability_bit: Mapping[str, int]
    skills: npt.NDArray[np.uint32]
    postcodes: tuple[str | None, ...]
    postcode_index: npt.NDArray[np.int32]
    postcode_lat: FloatArray
    postcode_lon: FloatArray
    certificate_on: npt.NDArray[np.int64]
    postcode_table: Mapping[str, tuple[float, float]]

    @classmethod
    def build(
        cls,
        volunteers: Sequence[Volunteer],
        households: Sequence[Household] = (),
        postcode_table: Mapping[str, tuple[float, float]] | None = None,
        *,
        interest_frequencies: InterestFrequencies | None = None,
    ) -> VolunteerPool:
        """Precompute every array the matcher needs.

        ``households`` only feed the TF-IDF fit (interest rarity is judged over volunteers and
        households together, so an interest everyone lists counts for little); pass the
        municipality's waiting households when they are at hand. ``interest_frequencies``
        replaces that fit when the volunteers are only some of the people it should be judged
        on (the candidates for one household): then ``households`` must be empty.
        ``postcode_table`` defaults to the bundled GeoNames centroids.
        """
        vols = tuple(volunteers)
        refs = [v.ref for v in vols]
        index = {ref: i for i, ref in enumerate(refs)}
        if len(index) != len(refs):
            raise ValueError("volunteer refs must be unique")
        table = load_postcodes() if postcode_table is None else postcode_table
        n = len(vols)

        ref_rank = np.empty(n, dtype=np.intp)
        ref_rank[np.argsort(np.array(refs, dtype=object), kind="stable")] = np.arange(n)

        # Columns and codes only for what the volunteers have: a household asking for anything
        # else finds nobody, exactly as it would against an empty column.
        gender_codes = {g: i + 1 for i, g in enumerate(sorted({v.gender for v in vols if v.gender}))}

        level_maps = [best_levels_by_group(v.languages) for v in vols]
        groups = sorted({g for levels in level_maps for g in levels})
        group_column = {g: i for i, g in enumerate(groups)}
        languages = np.zeros((len(groups), n), dtype=np.uint8)
        for i, levels in enumerate(level_maps):
            for group, rank in levels.items():
                languages[group_column[group], i] = rank

        if interest_frequencies is None:
            interest_frequencies = InterestFrequencies.of(
                [v.interests for v in vols] + [h.interests for h in households]
            )
        elif households:
            raise ValueError("pass households or interest_frequencies, not both")
        # Sorted, so a pool of a few candidates and the pool of everybody share their columns.
        vocabulary = sorted(set(interest_frequencies.counts).union(*(v.interests for v in vols)))
        interest_column = {x: i for i, x in enumerate(vocabulary)}
        counts = _interest_counts([v.interests for v in vols], interest_column)
        documents = interest_frequencies.documents
        frequency = np.array([interest_frequencies.counts.get(x, 0) for x in vocabulary], dtype=np.int64)
        if documents == 0:
            # Nobody to judge rarity on: every interest weighs the same (one person listing all).
            documents, frequency = 1, np.ones(len(vocabulary), dtype=np.int64)
        idf = smooth_idf(frequency, documents)

        slots = sorted({slot for v in vols for slot in v.availability})
        if len(slots) > 64:
            raise ValueError("more than 64 distinct availability codes")
        availability_bit = {slot: 1 << i for i, slot in enumerate(slots)}

        postcodes = [normalise_postcode(v.postcode) for v in vols]
        unique_postcodes = list(dict.fromkeys(postcodes))
        postcode_pos = {p: i for i, p in enumerate(unique_postcodes)}
        lat, lon = coordinates(unique_postcodes, table)

        return cls(
            volunteers=vols,
            index=index,
            ref_rank=ref_rank,
            approved=np.array([v.status == "approved" for v in vols], dtype=bool),
            free_capacity=np.array([max(v.capacity - v.active_matches, 0) for v in vols], dtype=np.int64),
            gender=np.array([gender_codes.get(v.gender or "", 0) for v in vols], dtype=np.int8),
            gender_codes=gender_codes,
            schemes=np.array([bitmask(v.schemes, SCHEME_BIT) for v in vols], dtype=np.uint8),
            language_groups=tuple(groups),
            group_column=group_column,
            languages=languages,
            interest_vocabulary=tuple(vocabulary),
            interest_column=interest_column,
            interest_idf=idf,
            interests=_tfidf_rows(counts, idf) if n and vocabulary else counts,
            unseen_interest_idf=float(np.log1p(documents) + 1.0),  # smooth idf, df = 0
            availability=np.array([bitmask(v.availability, availability_bit) for v in vols], dtype=np.uint64),
            availability_bit=availability_bit,
            skills=np.array([bitmask(v.skills, SKILL_BIT) for v in vols], dtype=np.uint32),
            postcodes=tuple(unique_postcodes),
            postcode_index=np.array([postcode_pos[p] for p in postcodes], dtype=np.int32),
            postcode_lat=lat,
            postcode_lon=lon,
            certificate_on=np.array([_ordinal(v.child_certificate_on) for v in vols], dtype=np.int64),
            postcode_table=table,
        )

    def __len__(self) -> int:
        return len(self.volunteers)

    def encode_household(self, household: Household) -> HouseholdFeatures:
        """The household's features on this pool's columns (languages, interests, place)."""
        levels = best_levels_by_group(household.languages)
        known = [(self.group_column[g], r) for g, r in levels.items() if g in self.group_column]
        columns = np.array([c for c, _ in known], dtype=np.intp)
        ranks = np.array([r for _, r in known], dtype=np.uint8)
        # Same as ``_tfidf_rows`` for one binary row, without its per-call validation (which
        # dominated planning time): tf-idf weights, then l2 normalisation.
        row = np.zeros(len(self.interest_vocabulary), dtype=np.float64)
        listed = [c for x in household.interests if (c := self.interest_column.get(x)) is not None]
        row[listed] = self.interest_idf[listed]
        # An interest the pool never saw is shared with nobody, but it still makes the listed
        # ones a smaller part of what the household likes: it counts in the norm, at the IDF
        # of an interest nobody listed.
        unseen = len(set(household.interests) - set(self.interest_column))
        norm = float(np.sqrt(row @ row + unseen * self.unseen_interest_idf**2))
        if norm > 0:
            row /= norm
        lat, lon = coordinates([normalise_postcode(household.postcode)], self.postcode_table)
        km = haversine_km(lat[0], lon[0], self.postcode_lat, self.postcode_lon)
        wanted = household.volunteer_gender or ""
        return HouseholdFeatures(
            household=household,
            language_columns=columns,
            language_levels=ranks,
            interests=row,
            availability=bitmask(household.availability, self.availability_bit),
            availability_wanted=len(set(household.availability)),
            lat=float(lat[0]),
            lon=float(lon[0]),
            km_by_postcode=km,
            gender=self.gender_codes.get(wanted, -1) if wanted else 0,
        )

    def excluded_indices(self, household_ref: str, scheme: str, exclusions: Exclusions) -> IntArray:
        """Pool rows of the volunteers rule 7 excludes for this household and scheme."""
        rows = [
            self.index[v] for h, v, s in exclusions if h == household_ref and s == scheme and v in self.index
        ]
        return np.array(rows, dtype=np.intp)


def exclusion_index(pool: VolunteerPool, exclusions: Exclusions) -> dict[tuple[str, str], IntArray]:
    """Rule-7 exclusions grouped by (household_ref, scheme), for planning many requests."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for h, v, s in exclusions:
        row = pool.index.get(v)
        if row is not None:
            grouped.setdefault((h, s), []).append(row)
    return {key: np.array(rows, dtype=np.intp) for key, rows in grouped.items()}


def _interest_counts(rows: Sequence[Collection[str]], column: Mapping[str, int]) -> sparse.csr_array:
    """Binary person x interest matrix (an interest listed twice still counts once)."""
    indptr = [0]
    indices: list[int] = []
    for items in rows:
        cols = sorted({column[x] for x in items if x in column})
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_array(
        (data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
        shape=(len(rows), len(column)),
    )


def _tfidf_rows(counts: sparse.csr_array, idf: FloatArray) -> sparse.csr_array:
    """l2-normalised TF-IDF rows: what scikit-learn's ``TfidfTransformer.transform`` computes."""
    weighted = counts.copy()
    weighted.data *= idf[weighted.indices]
    return sparse.csr_array(normalize(weighted, norm="l2", copy=False))


def _ordinal(day: date | None) -> int:
    return NO_CERTIFICATE if day is None else day.toordinal()
