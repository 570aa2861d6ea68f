"""The municipality's registers: internship workplaces (P8), shared housing units (P7) and
leisure offers (P9). Coordinators keep them; cases refer to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteer_hub.audit.services import record
from volunteer_hub.extensions import db
from volunteer_hub.families.models import (
    Housing,
    LeisureKind,
    LeisureOffer,
    SharedUnit,
    Workplace,
    WorkSector,
)


@dataclass
class WorkplaceData:
    name: str
    sector: WorkSector
    open_places: int = 0
    labour_shortage: bool = False
    address: str = ""
    contact: str = ""


@dataclass
class SharedUnitData:
    name: str
    address: str = ""


@dataclass
class LeisureOfferData:
    name: str
    kind: LeisureKind
    address: str = ""
    min_age: int | None = None
    max_age: int | None = None
    interests: list[str] = field(default_factory=list)
    leisure_pass: bool = False


def _save(obj: Any, data: Any, action: str, *, municipality_id: int, actor: Any) -> Any:
    for name, value in vars(data).items():
        setattr(obj, name, list(value) if isinstance(value, list) else value)
    if obj.id is None:
        obj.municipality_id = municipality_id
        db.session.add(obj)
    db.session.flush()
    record(action, actor=actor, municipality_id=municipality_id, obj=obj)
    return obj


def save_workplace(
    workplace: Workplace | None, data: WorkplaceData, *, municipality_id: int, actor: Any
) -> Workplace:
    """Create (``workplace`` None) or change a workplace in the register."""
    return _save(
        workplace or Workplace(), data, "workplace.saved", municipality_id=municipality_id, actor=actor
    )


def save_shared_unit(
    unit: SharedUnit | None, data: SharedUnitData, *, municipality_id: int, actor: Any
) -> SharedUnit:
    return _save(
        unit or SharedUnit(), data, "shared_unit.saved", municipality_id=municipality_id, actor=actor
    )


def save_leisure_offer(
    offer: LeisureOffer | None, data: LeisureOfferData, *, municipality_id: int, actor: Any
) -> LeisureOffer:
    return _save(
        offer or LeisureOffer(), data, "leisure_offer.saved", municipality_id=municipality_id, actor=actor
    )


def set_shared_unit_flag(unit: SharedUnit, flagged: bool, *, today: dt.date, actor: Any) -> None:
    """Flag (or clear) a shared unit whose mix of occupants needs attention (P7)."""
    if unit.mix_flagged == flagged:
        return
    unit.mix_flagged = flagged
    unit.flagged_on = today if flagged else None
    db.session.flush()
    record(
        "shared_unit.flagged" if flagged else "shared_unit.unflagged",
        actor=actor,
        municipality_id=unit.municipality_id,
        obj=unit,
    )


def list_workplaces(
    municipality_id: int,
    *,
    open_only: bool = False,
    shortage_only: bool = False,
    sector: str | None = None,
    sort: str = "name",
) -> list[Workplace]:
    """The workplace register, filtered; sorted by name, sector or open places (most first)."""
    query = select(Workplace).where(Workplace.municipality_id == municipality_id)
    if open_only:
        query = query.where(Workplace.open_places > 0)
    if shortage_only:
        query = query.where(Workplace.labour_shortage.is_(True))
    if sector:
        if sector not in WorkSector._value2member_map_:
            return []  # no workplace is in a sector that does not exist
        query = query.where(Workplace.sector == sector)
    order = {
        "sector": (Workplace.sector, Workplace.name),
        "open_places": (Workplace.open_places.desc(), Workplace.name),
    }.get(sort, (Workplace.name,))
    return list(db.session.execute(query.order_by(*order)).scalars())


def list_shared_units(municipality_id: int) -> list[SharedUnit]:
    """Shared units with their occupants' housing records (and households) loaded."""
    return list(
        db.session.execute(
            select(SharedUnit)
            .where(SharedUnit.municipality_id == municipality_id)
            .options(selectinload(SharedUnit.occupancies).selectinload(Housing.household))
            .order_by(SharedUnit.name)
        ).scalars()
    )


def list_leisure_offers(
    municipality_id: int, *, kind: str | None = None, interest: str | None = None, pass_only: bool = False
) -> list[LeisureOffer]:
    query = select(LeisureOffer).where(LeisureOffer.municipality_id == municipality_id)
    if kind:
        if kind not in LeisureKind._value2member_map_:
            return []  # no offer is of a kind that does not exist
        query = query.where(LeisureOffer.kind == kind)
    if pass_only:
        query = query.where(LeisureOffer.leisure_pass.is_(True))
    offers = list(db.session.execute(query.order_by(LeisureOffer.name)).scalars())
    if interest:
        offers = [o for o in offers if interest in (o.interests or [])]
    return offers


def get_in_municipality(model: type, object_id: int, municipality_id: int) -> Any | None:
    """A register entry of the given municipality, or None."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.municipality_id != municipality_id:
        return None
    return obj
