"""The registers coordinators keep: internship workplaces, shared units and leisure offers."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from volunteer_hub.core.access import MUNICIPAL_STAFF, roles_required
from volunteer_hub.core.clock import local_today
from volunteer_hub.families.access import record_case_read
from volunteer_hub.families.forms import LeisureOfferForm, SharedUnitForm, WorkplaceForm
from volunteer_hub.families.labels import enum_choices
from volunteer_hub.families.models import LeisureKind, LeisureOffer, SharedUnit, Workplace, WorkSector
from volunteer_hub.families.services import registers
from volunteer_hub.families.views import bp
from volunteer_hub.families.views.common import render_audited


def _entry_or_404(model: type, object_id: int | None) -> Any:
    if object_id is None:
        return None
    entry = registers.get_in_municipality(model, object_id, current_user.municipality_id)
    if entry is None:
        abort(404)
    return entry


@bp.route("/registre")
@roles_required(*MUNICIPAL_STAFF)
def registers_index() -> Any:
    return render_template("families/registers.html")


@bp.route("/praktikpladser")
@roles_required(*MUNICIPAL_STAFF)
def workplaces() -> Any:
    args = request.args
    entries = registers.list_workplaces(
        current_user.municipality_id,
        open_only=args.get("ledige") == "1",
        shortage_only=args.get("mangel") == "1",
        sector=args.get("sektor") or None,
        sort=args.get("sorter", "name"),
    )
    return render_template(
        "families/workplaces.html",
        entries=entries,
        args=args,
        sectors=enum_choices(WorkSector, blank=_("All sectors")),
    )


@bp.route("/praktikpladser/ny", methods=["GET", "POST"], defaults={"workplace_id": None})
@bp.route("/praktikpladser/<int:workplace_id>", methods=["GET", "POST"])
@roles_required(*MUNICIPAL_STAFF)
def workplace(workplace_id: int | None) -> Any:
    entry = _entry_or_404(Workplace, workplace_id)
    form = WorkplaceForm(obj=entry if request.method == "GET" else None)
    if form.validate_on_submit():
        registers.save_workplace(
            entry, form.data_object(), municipality_id=current_user.municipality_id, actor=current_user
        )
        flash(_("The workplace is saved."), "success")
        return redirect(url_for("families.workplaces"))
    status = 400 if request.method == "POST" else 200
    return render_template("families/workplace.html", form=form, entry=entry), status


@bp.route("/bofaellesskaber")
@roles_required(*MUNICIPAL_STAFF)
def shared_units() -> Any:
    entries = registers.list_shared_units(current_user.municipality_id)
    occupants = (housing.household_id for unit in entries for housing in unit.occupancies)
    record_case_read(*occupants, for_user=current_user)  # the page names each unit's households
    return render_audited("families/shared_units.html", entries=entries)


@bp.route("/bofaellesskaber/ny", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/bofaellesskaber/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*MUNICIPAL_STAFF)
def shared_unit(unit_id: int | None) -> Any:
    entry = _entry_or_404(SharedUnit, unit_id)
    form = SharedUnitForm(obj=entry if request.method == "GET" else None)
    if form.validate_on_submit():
        unit = registers.save_shared_unit(
            entry, form.data_object(), municipality_id=current_user.municipality_id, actor=current_user
        )
        registers.set_shared_unit_flag(
            unit, bool(form.mix_flagged.data), today=local_today(), actor=current_user
        )
        flash(_("The shared unit is saved."), "success")
        return redirect(url_for("families.shared_units"))
    status = 400 if request.method == "POST" else 200
    return render_template("families/shared_unit.html", form=form, entry=entry), status


@bp.route("/fritidstilbud")
@roles_required(*MUNICIPAL_STAFF)
def leisure_offers() -> Any:
    args = request.args
    entries = registers.list_leisure_offers(
        current_user.municipality_id,
        kind=args.get("type") or None,
        interest=args.get("interesse") or None,
        pass_only=args.get("fritidspas") == "1",
    )
    return render_template(
        "families/leisure_offers.html",
        entries=entries,
        args=args,
        kinds=enum_choices(LeisureKind, blank=_("All kinds")),
    )


@bp.route("/fritidstilbud/ny", methods=["GET", "POST"], defaults={"offer_id": None})
@bp.route("/fritidstilbud/<int:offer_id>", methods=["GET", "POST"])
@roles_required(*MUNICIPAL_STAFF)
def leisure_offer(offer_id: int | None) -> Any:
    entry = _entry_or_404(LeisureOffer, offer_id)
    form = LeisureOfferForm(obj=entry if request.method == "GET" else None)
    if form.validate_on_submit():
        registers.save_leisure_offer(
            entry, form.data_object(), municipality_id=current_user.municipality_id, actor=current_user
        )
        flash(_("The leisure offer is saved."), "success")
        return redirect(url_for("families.leisure_offers"))
    status = 400 if request.method == "POST" else 200
    return render_template("families/leisure_offer.html", form=form, entry=entry), status
