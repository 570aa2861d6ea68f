"""Case services: P1–P8, P12 and P14 as a coordinator's changes show them, with audit and locking."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import adult, household_data, make_household, make_municipality
from volunteer_hub.audit.services import list_events_for
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import DeadlineKind, DeadlineState
from volunteer_hub.families.locking import StaleCaseError, saving_case
from volunteer_hub.families.models import (
    ArrivalRoute,
    HealthCheckStatus,
    HousingSector,
    HousingStatus,
    InternshipStatus,
    MemberKind,
    ReceptionStepKind,
    WorkSector,
)
from volunteer_hub.families.queries import case_deadlines, case_warnings
from volunteer_hub.families.services.households import CaseError, add_member, update_household
from volunteer_hub.families.services.housing import (
    HousingData,
    housed_before_arrival_figure,
    update_housing,
)
from volunteer_hub.families.services.members import (
    ChildDetailsData,
    DanishClassData,
    InternshipData,
    update_adult,
    update_child,
)
from volunteer_hub.families.services.reception import (
    StepData,
    accept_health_check,
    complete_health_check,
    decline_health_check,
    offer_health_check,
    update_reception_checklist,
)
from volunteer_hub.families.services.registers import (
    SharedUnitData,
    WorkplaceData,
    save_shared_unit,
    save_workplace,
    set_shared_unit_flag,
)
from volunteer_hub.families.warnings import WarningKind

D = dt.date
TODAY = D(2026, 11, 27)


# Every test here calls the services directly, inside one app context.
pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def coordinator(ctx, glostrup):
    """Glostrup's coordinator, loaded in the test's app context."""
    return glostrup.coordinator


def _by_kind(household, kind):
    return [d for d in case_deadlines(household) if d.kind == kind]


def test_registering_gives_refs_and_records_members_languages_and_an_audit_event(glostrup, coordinator):
    municipality = glostrup.municipality
    first = make_household(municipality, adults=2, children_birth_years=(2019, 2022), actor=coordinator)
    second = make_household(municipality, name="Ahmadi family", actor=coordinator)
    db.session.commit()
    assert (first.ref, second.ref) == ("F0001", "F0002")
    assert [m.kind for m in first.members] == [MemberKind.ADULT] * 2 + [MemberKind.CHILD] * 2
    assert first.language_levels == {"ti": "native", "ar": "conversational"}
    assert first.letter_language == "ti"  # the household's best language by default
    assert first.children_ages(TODAY) == [4, 7]
    events = list_events_for("household", first.id)
    assert [e.action for e in events] == ["family.created"]
    assert events[0].details == {"adults": 2, "children": 2}


def test_a_reference_is_unique_within_the_municipality_only(glostrup):
    make_household(glostrup.municipality, ref="F0100")
    with pytest.raises(CaseError) as error:
        make_household(glostrup.municipality, ref="F0100")
    assert error.value.field_name == "ref"
    other = make_municipality("0165", "Albertslund Kommune")
    assert make_household(other, ref="F0100").ref == "F0100"


def test_a_household_needs_an_adult(glostrup):
    from tests.factories import child
    from volunteer_hub.families.services.households import create_household

    with pytest.raises(CaseError):
        create_household(
            glostrup.municipality_id, household_data(), [child("Yara", D(2026, 11, 1), 2015)], actor=None
        )


def test_editing_languages_and_schemes_updates_rows_in_place(glostrup, coordinator):
    household = make_household(glostrup.municipality)
    db.session.commit()
    data = household_data(
        languages=[("ar", "fluent"), ("ti", "native"), ("da", "basic")],
        schemes=["family_buddy", "leisure_intro"],
        letter_language="ar",
    )
    changed = update_household(household, data, expected_version=household.version_id, actor=coordinator)
    db.session.commit()
    assert set(changed) >= {"languages", "schemes", "letter_language"}
    assert list(household.language_levels) == ["ar", "ti", "da"]
    assert household.best_language == "ti"
    assert household.scheme_codes == ["family_buddy", "leisure_intro"]


def test_a_stale_version_is_refused_before_anything_changes(glostrup, coordinator):
    household = make_household(glostrup.municipality)
    db.session.commit()
    old_version = household.version_id
    update_household(
        household, household_data(name="Haile-Tesfay family"), expected_version=old_version, actor=coordinator
    )
    db.session.commit()
    assert household.version_id == old_version + 1
    with pytest.raises(StaleCaseError):
        with saving_case():
            update_household(
                household, household_data(name="Overwritten"), expected_version=old_version, actor=coordinator
            )
    db.session.expire_all()
    assert household.name == "Haile-Tesfay family"


def test_p1_p2_p8_a_family_reunified_adult_gets_own_internship_deadline_but_no_new_letter(
    glostrup, coordinator
):
    household = make_household(glostrup.municipality, arrival=D(2026, 9, 1))
    db.session.commit()
    add_member(
        household,
        adult("Yonas Haile", D(2026, 11, 20), route=ArrivalRoute.FAMILY_REUNIFICATION),
        expected_version=household.version_id,
        actor=coordinator,
    )
    db.session.commit()
    letters = _by_kind(household, DeadlineKind.WELCOME_LETTER)
    assert [d.due_on for d in letters] == [D(2026, 9, 15)]
    internships = {d.member_id: d.due_on for d in _by_kind(household, DeadlineKind.INTERNSHIP)}
    reunified = household.members[1]
    assert reunified.arrival_route == ArrivalRoute.FAMILY_REUNIFICATION
    assert internships == {household.members[0].id: D(2026, 9, 15), reunified.id: D(2026, 12, 4)}


def test_p2_p3_p4_checklist_records_who_did_what_when_and_the_letter_completes_its_deadline(
    glostrup, coordinator
):
    household = make_household(glostrup.municipality, arrival=D(2026, 11, 10))
    db.session.commit()
    (letter,) = _by_kind(household, DeadlineKind.WELCOME_LETTER)
    assert letter.state(TODAY) == DeadlineState.OVERDUE
    update_reception_checklist(
        household,
        {
            ReceptionStepKind.WELCOME_LETTER: StepData(D(2026, 11, 26), "Borgmesterens sekretariat"),
            ReceptionStepKind.GUIDED_TOUR: StepData(D(2026, 11, 27), "Frivillig fra Røde Kors"),
            ReceptionStepKind.NETWORK_INTRO: StepData(D(2026, 11, 20), "Røde Kors' netværkscafé"),
        },
        expected_version=household.version_id,
        actor=coordinator,
    )
    db.session.commit()
    (letter,) = _by_kind(household, DeadlineKind.WELCOME_LETTER)
    assert letter.state(TODAY) == DeadlineState.DONE
    assert letter.done_on == D(2026, 11, 26)
    tour = next(s for s in household.reception_steps if s.kind == ReceptionStepKind.GUIDED_TOUR)
    assert (tour.done_on, tour.done_by, tour.recorded_by_user_id) == (
        D(2026, 11, 27),
        "Frivillig fra Røde Kors",
        coordinator.id,
    )
    event = list_events_for("household", household.id)[0]
    assert event.action == "family.reception_updated"
    assert event.details == {"steps": ["guided_tour", "network_intro", "welcome_letter"]}  # codes, no names
    update_reception_checklist(  # an item entered by mistake is cleared
        household,
        {ReceptionStepKind.NETWORK_INTRO: None},
        expected_version=household.version_id,
        actor=coordinator,
    )
    db.session.commit()
    assert {s.kind for s in household.reception_steps} == {
        ReceptionStepKind.WELCOME_LETTER,
        ReceptionStepKind.GUIDED_TOUR,
    }


def test_p5_health_check_moves_only_along_its_states_and_stores_only_status_and_dates(glostrup, coordinator):
    household = make_household(glostrup.municipality)
    db.session.commit()

    def step(move, on):
        move(household, on, expected_version=household.version_id, actor=coordinator)
        db.session.commit()

    with pytest.raises(CaseError):
        step(complete_health_check, D(2026, 11, 2))  # cannot be done before it is offered
    db.session.rollback()
    step(offer_health_check, D(2026, 11, 2))
    step(accept_health_check, D(2026, 11, 4))
    step(complete_health_check, D(2026, 11, 20))
    check = household.health_check
    assert (check.status, check.offered_on, check.accepted_on, check.done_on) == (
        HealthCheckStatus.DONE,
        D(2026, 11, 2),
        D(2026, 11, 4),
        D(2026, 11, 20),
    )
    with pytest.raises(CaseError):
        step(decline_health_check, D(2026, 11, 21))  # done is final
    db.session.rollback()
    columns = set(type(check).__table__.columns.keys())
    assert columns == {"id", "household_id", "status", "offered_on", "accepted_on", "done_on", "declined_on"}


def test_p6_housed_before_arrival_figure_per_household_and_overall(glostrup, coordinator):
    early = make_household(glostrup.municipality, arrival=D(2026, 10, 1))
    late = make_household(glostrup.municipality, arrival=D(2026, 10, 1))
    searching = make_household(glostrup.municipality, arrival=D(2026, 10, 1))
    db.session.commit()
    update_housing(
        early,
        HousingData(HousingStatus.PERMANENT, HousingSector.PUBLIC_ACUTE_LIST, "A 1", D(2026, 9, 20)),
        expected_version=early.version_id,
        actor=coordinator,
    )
    update_housing(
        late,
        HousingData(HousingStatus.PERMANENT, HousingSector.PRIVATE_ROOM, "B 2", D(2026, 10, 5)),
        expected_version=late.version_id,
        actor=coordinator,
    )
    update_housing(
        searching,
        HousingData(HousingStatus.SEARCHING),
        expected_version=searching.version_id,
        actor=coordinator,
    )
    db.session.commit()
    figure = housed_before_arrival_figure([early, late, searching])
    assert (figure.housed_before_arrival, figure.households, figure.percent) == (1, 3, 33)


def test_housing_found_date_must_match_the_status(glostrup, coordinator):
    household = make_household(glostrup.municipality)
    db.session.commit()
    with pytest.raises(CaseError) as error:
        update_housing(
            household,
            HousingData(HousingStatus.PERMANENT),
            expected_version=household.version_id,
            actor=coordinator,
        )
    assert error.value.field_name == "found_on"


def test_p7_children_in_hotel_warning_is_raised_and_cleared(glostrup, coordinator):
    household = make_household(glostrup.municipality, children_birth_years=(2018,))
    db.session.commit()
    update_housing(
        household,
        HousingData(HousingStatus.TEMPORARY, HousingSector.HOTEL, "Hotel", D(2026, 11, 1)),
        expected_version=household.version_id,
        actor=coordinator,
    )
    db.session.commit()
    assert [w.kind for w in case_warnings(household, TODAY)] == [WarningKind.CHILDREN_IN_TEMPORARY_HOUSING]
    update_housing(
        household,
        HousingData(HousingStatus.PERMANENT, HousingSector.PUBLIC_ACUTE_LIST, "Vej 1", D(2026, 11, 20)),
        expected_version=household.version_id,
        actor=coordinator,
    )
    db.session.commit()
    assert case_warnings(household, TODAY) == []


def test_p7_flagged_shared_unit_warns_each_occupant_until_cleared(glostrup, coordinator):
    unit = save_shared_unit(
        None,
        SharedUnitData("Bofællesskabet", "Nordre Alle 22"),
        municipality_id=glostrup.municipality_id,
        actor=coordinator,
    )
    occupants = [make_household(glostrup.municipality, name=f"Single {n}") for n in range(2)]
    db.session.commit()
    for household in occupants:
        update_housing(
            household,
            HousingData(
                HousingStatus.PERMANENT,
                HousingSector.SHARED_HOUSING,
                unit.address,
                D(2026, 10, 1),
                shared_unit_id=unit.id,
            ),
            expected_version=household.version_id,
            actor=coordinator,
        )
    set_shared_unit_flag(unit, True, today=TODAY, actor=coordinator)
    db.session.commit()
    db.session.expire_all()
    assert {h.ref for h in (o.household for o in unit.occupancies)} == {o.ref for o in occupants}
    for household in occupants:
        assert [w.kind for w in case_warnings(household, TODAY)] == [WarningKind.SHARED_UNIT_FLAGGED]
    set_shared_unit_flag(unit, False, today=TODAY, actor=coordinator)
    db.session.commit()
    db.session.expire_all()
    assert all(case_warnings(h, TODAY) == [] for h in occupants)
    assert [e.action for e in list_events_for("shared_unit", unit.id)][:2] == [
        "shared_unit.unflagged",
        "shared_unit.flagged",
    ]


def _save_adult(household, member, coordinator, *, employed=False, internship=None, danish=None):
    update_adult(
        household,
        member,
        adult(member.name, member.arrival_on, employed=employed),
        internship=internship,
        danish=danish,
        expected_version=household.version_id,
        actor=coordinator,
    )
    db.session.commit()


def test_p8_internship_offer_completes_the_adults_deadline_and_register_is_used(glostrup, coordinator):
    place = save_workplace(
        None,
        WorkplaceData("Plejecenter Glostrup", WorkSector.CARE, 2, True),
        municipality_id=glostrup.municipality_id,
        actor=coordinator,
    )
    household = make_household(glostrup.municipality, arrival=D(2026, 11, 15))
    db.session.commit()
    member = household.adults[0]
    (deadline,) = _by_kind(household, DeadlineKind.INTERNSHIP)
    assert (deadline.due_on, deadline.state(TODAY)) == (D(2026, 11, 29), DeadlineState.DUE_SOON)
    offer = InternshipData(
        "", WorkSector.CARE, D(2026, 11, 20), workplace_id=place.id, starts_on=D(2026, 12, 1)
    )
    _save_adult(household, member, coordinator, internship=offer)
    (deadline,) = _by_kind(household, DeadlineKind.INTERNSHIP)
    assert deadline.state(TODAY) == DeadlineState.DONE
    assert member.internship.workplace_name == "Plejecenter Glostrup"


def test_p8_an_employed_adult_has_no_internship_deadline(glostrup, coordinator):
    household = make_household(glostrup.municipality, arrival=D(2026, 11, 10))
    db.session.commit()
    _save_adult(household, household.adults[0], coordinator, employed=True)
    assert _by_kind(household, DeadlineKind.INTERNSHIP) == []


def test_p14_danish_classes_without_work_warn_until_an_internship_is_accepted(glostrup, coordinator):
    household = make_household(glostrup.municipality, arrival=D(2026, 9, 1))
    db.session.commit()
    member = household.adults[0]
    danish = DanishClassData("Sprogcenter Vestegnen", 2, 1, start_on=D(2026, 10, 1), schedule="Man, ons 9-12")
    offered = InternshipData("Logistikcenter", WorkSector.TRANSPORT_LOGISTICS, D(2026, 9, 10))
    _save_adult(household, member, coordinator, internship=offered, danish=danish)
    assert [w.kind for w in case_warnings(household, TODAY)] == [WarningKind.DANISH_WITHOUT_WORK]
    accepted = InternshipData(
        "Logistikcenter", WorkSector.TRANSPORT_LOGISTICS, D(2026, 9, 10), status=InternshipStatus.ACCEPTED
    )
    _save_adult(household, member, coordinator, internship=accepted, danish=danish)
    assert case_warnings(household, TODAY) == []
    event = list_events_for("household", household.id)[0]
    assert event.details["internship_status"] == "accepted"
    assert event.details["danish_programme"] == 2


def test_p12_child_school_and_contacts_are_saved(glostrup, coordinator):
    household = make_household(glostrup.municipality, children_birth_years=(2016,))
    db.session.commit()
    child = household.children[0]
    from tests.factories import child as child_data

    update_child(
        household,
        child,
        child_data("Yara Haile", child.arrival_on, 2016),
        ChildDetailsData("Nordvangskolen", "4.b", True, "", "PPR: Hanne, 4323 0000", "Familieafsnittet: Bo"),
        expected_version=household.version_id,
        actor=coordinator,
    )
    db.session.commit()
    details = child.child_details
    assert (child.name, details.school, details.school_class, details.reception_class) == (
        "Yara Haile",
        "Nordvangskolen",
        "4.b",
        True,
    )
    assert details.ppr_contact.startswith("PPR")
