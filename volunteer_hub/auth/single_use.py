"""Spending a single-use token once, whatever races it: compare-and-set in the database.

Two requests with the same link at the same moment both find the token unused when they read it;
only the ``UPDATE ... WHERE used_at IS NULL`` that changes one row wins, and the other answers as
for a used link. The winner also spends every other unused token of the same owner, so an older
link sent to the same person stops working with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db


def spend_once(model: Any, row: Any, *, owner: Any) -> bool:
    """Use ``row`` (a ``model`` with ``used_at`` and ``expires_at``) up, and the owner's others:
    False when another request spent it first or it expired meanwhile. ``owner`` is the column
    naming the token's owner (``PasswordResetToken.user_id``)."""
    now = utcnow()
    spent = db.session.execute(
        update(model)
        .where(model.id == row.id, model.used_at.is_(None), model.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return False
    db.session.execute(
        update(model)
        .where(owner == getattr(row, owner.key), model.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return True
