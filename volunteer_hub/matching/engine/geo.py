"""Danish postcode centroids and great-circle distances between them.

Postcode data © GeoNames, www.geonames.org, licensed CC BY (see volunteer_hub/data/README.md).
Coordinates are approximate centroids of each postcode area, good to the few kilometres the
distance factor cares about; an unknown postcode gives no distance rather than an error.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

POSTCODES_CSV: Path = Path(__file__).resolve().parents[2] / "data" / "dk_postcodes.csv"
"""The bundled GeoNames extract: header ``postcode,name,latitude,longitude``."""

EARTH_RADIUS_KM: float = 6371.0088
"""Mean Earth radius (IUGG); the haversine error this implies is far below postcode precision."""


def normalise_postcode(postcode: str | int | None) -> str | None:
    """Four-digit string form of a postcode (``800`` -> ``"0800"``), None when empty."""
    if postcode is None:
        return None
    text = str(postcode).strip()
    if not text:
        return None
    return text.zfill(4) if text.isdigit() else text


@lru_cache(maxsize=4)
def load_postcodes(path: Path | None = None) -> Mapping[str, tuple[float, float]]:
    """Postcode -> (latitude, longitude) in degrees, read once per path and cached.

    Postcode data © GeoNames, www.geonames.org (CC BY).
    """
    source = path or POSTCODES_CSV
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        return {
            row["postcode"].strip().zfill(4): (float(row["latitude"]), float(row["longitude"]))
            for row in rows
        }


def coordinates(
    postcodes: list[str | None], table: Mapping[str, tuple[float, float]]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Latitudes and longitudes in radians for ``postcodes``; NaN where the postcode is unknown."""
    lat = np.full(len(postcodes), np.nan)
    lon = np.full(len(postcodes), np.nan)
    for i, postcode in enumerate(postcodes):
        point = table.get(postcode) if postcode is not None else None
        if point is not None:
            lat[i], lon[i] = point
    return np.radians(lat), np.radians(lon)


def haversine_km(
    lat1: float | npt.NDArray[np.float64],
    lon1: float | npt.NDArray[np.float64],
    lat2: float | npt.NDArray[np.float64],
    lon2: float | npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km between points given in radians (broadcasts; NaN stays NaN)."""
    half_dlat = np.sin((np.asarray(lat2) - lat1) * 0.5)
    half_dlon = np.sin((np.asarray(lon2) - lon1) * 0.5)
    a = half_dlat * half_dlat + np.cos(lat1) * np.cos(lat2) * half_dlon * half_dlon
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
