"""The reception checklist (P2–P4) and the health-check status machine (P5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from volunteer_hub.audit.services import record
from volunteer_hub.extensions import db
from volunteer_hub.families.locking import check_version, touch
from volunteer_hub.families.models import (
    HealthCheck,
    HealthCheckStatus,
    Household,
    ReceptionStep,
    ReceptionStepKind,
)
from volunteer_hub.families.services.checks import CaseError, check_done_on


@dataclass
class StepData:
    done_on: dt.date
    done_by: str = ""


def step_of(household: Household, kind: ReceptionStepKind) -> ReceptionStep | None:
    return next((s for s in household.reception_steps if s.kind == kind), None)


def update_reception_checklist(
    household: Household,
    steps: dict[ReceptionStepKind, StepData | None],
    *,
    expected_version: int | None,
    actor: Any,
) -> list[str]:
    """Record (or clear, with None) when each checklist item was done and by whom."""
    check_version(household, expected_version)
    for kind, data in steps.items():
        if data is not None:
            check_done_on(data.done_on, household.first_arrival_on, field=f"{kind.value}_on")
    changed = []
    for kind, data in steps.items():
        step = step_of(household, kind)
        if data is None:
            if step is not None:
                household.reception_steps.remove(step)
                changed.append(kind.value)
            continue
        if step is None:
            step = ReceptionStep(kind=kind, done_on=data.done_on, done_by=data.done_by)
            household.reception_steps.append(step)
            changed.append(kind.value)
        elif (step.done_on, step.done_by) != (data.done_on, data.done_by):
            step.done_on, step.done_by = data.done_on, data.done_by
            changed.append(kind.value)
        step.recorded_by_user_id = getattr(actor, "id", None)
    touch(household)
    db.session.flush()
    record(
        "family.reception_updated",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        steps=sorted(changed),
    )
    return changed


# P5 as a state machine: a declined check can be offered again; a done check is final.
HEALTH_TRANSITIONS: dict[HealthCheckStatus, frozenset[HealthCheckStatus]] = {
    HealthCheckStatus.NOT_OFFERED: frozenset({HealthCheckStatus.OFFERED}),
    HealthCheckStatus.OFFERED: frozenset({HealthCheckStatus.ACCEPTED, HealthCheckStatus.DECLINED}),
    HealthCheckStatus.ACCEPTED: frozenset({HealthCheckStatus.DONE, HealthCheckStatus.DECLINED}),
    HealthCheckStatus.DECLINED: frozenset({HealthCheckStatus.OFFERED}),
    HealthCheckStatus.DONE: frozenset(),
}

_DATE_FIELD = {
    HealthCheckStatus.OFFERED: "offered_on",
    HealthCheckStatus.ACCEPTED: "accepted_on",
    HealthCheckStatus.DONE: "done_on",
    HealthCheckStatus.DECLINED: "declined_on",
}


def health_status(household: Household) -> HealthCheckStatus:
    return household.health_check.status if household.health_check else HealthCheckStatus.NOT_OFFERED


def allowed_health_steps(household: Household) -> list[HealthCheckStatus]:
    """The statuses the health check may move to next, in a stable order."""
    allowed = HEALTH_TRANSITIONS[health_status(household)]
    return [status for status in HealthCheckStatus if status in allowed]


def change_health_check(
    household: Household,
    to_status: HealthCheckStatus,
    on: dt.date,
    *,
    expected_version: int | None,
    actor: Any,
) -> HealthCheck:
    """Move the health check to ``to_status`` on ``on``; refuses moves P5's machine forbids.

    Only the status and its date are stored: never what the check found.
    """
    check_version(household, expected_version)
    current = health_status(household)
    if to_status not in HEALTH_TRANSITIONS[current]:
        raise CaseError("status", _l("The health check cannot go from this status to the one chosen."))
    check_done_on(on, household.first_arrival_on, field="on")
    check = household.health_check or HealthCheck(status=HealthCheckStatus.NOT_OFFERED)
    if check.offered_on is not None and on < check.offered_on and to_status != HealthCheckStatus.OFFERED:
        raise CaseError("on", _l("The date cannot be before the day the health check was offered."))
    if to_status == HealthCheckStatus.OFFERED:
        check.accepted_on = check.done_on = check.declined_on = None
    setattr(check, _DATE_FIELD[to_status], on)
    check.status = to_status
    household.health_check = check
    touch(household)
    db.session.flush()
    record(
        "family.health_check_changed",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        from_status=current.value,
        to_status=to_status.value,
    )
    return check


def offer_health_check(household: Household, on: dt.date, **kwargs: Any) -> HealthCheck:
    return change_health_check(household, HealthCheckStatus.OFFERED, on, **kwargs)


def accept_health_check(household: Household, on: dt.date, **kwargs: Any) -> HealthCheck:
    return change_health_check(household, HealthCheckStatus.ACCEPTED, on, **kwargs)


def complete_health_check(household: Household, on: dt.date, **kwargs: Any) -> HealthCheck:
    return change_health_check(household, HealthCheckStatus.DONE, on, **kwargs)


def decline_health_check(household: Household, on: dt.date, **kwargs: Any) -> HealthCheck:
    return change_health_check(household, HealthCheckStatus.DECLINED, on, **kwargs)
