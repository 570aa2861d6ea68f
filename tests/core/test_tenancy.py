"""Every query is scoped to the signed-in user's municipality."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_municipality, make_organisation
from volunteer_hub.db import set_session_tenant
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Organisation


def test_queries_see_only_the_current_municipalitys_rows(ctx):
    glostrup = make_municipality("0161", "Glostrup Kommune")
    albertslund = make_municipality("0165", "Albertslund Kommune")
    make_organisation(glostrup, "Røde Kors Glostrup")
    make_organisation(albertslund, "Røde Kors Albertslund")
    db.session.commit()

    set_session_tenant(db.session(), glostrup.id)
    names = db.session.execute(sa.select(Organisation.name)).scalars().all()
    assert names == ["Røde Kors Glostrup"]
    # An explicit filter for another municipality still finds nothing.
    other = (
        db.session.execute(sa.select(Organisation).where(Organisation.municipality_id == albertslund.id))
        .scalars()
        .all()
    )
    assert other == []
    # Only code that asks for all tenants on purpose sees both.
    everything = (
        db.session.execute(sa.select(Organisation).execution_options(all_tenants=True)).scalars().all()
    )
    assert len(everything) == 2
    set_session_tenant(db.session(), None)
