"""One place owns the transaction: a request's writes are committed once, after its view answered.

Views, their helpers and services change objects and flush; none of them commits. When the view
has returned, ``finish_request`` (an ``after_request`` hook) commits if the answer is a success or
a redirect (status below 400) and rolls back otherwise, so an approval, its audit event and its
outbox message are kept together or not at all. An exception rolls back as well: the error
handlers answer it, and that answer is an error. The answer is made before the commit, so pages
and JSON are rendered from loaded objects, never re-loaded after the commit expired them.

A rare view must keep its writes while it answers with an error: a failed sign-in counted against
the address (answered 400 or 429), a refused family link whose refusal is audited (410), a case
form shown again after a refused save, whose audited read is kept (400 or 409). Such a view calls
``keep_writes_on_error()`` after it has rolled back whatever else it changed.

CLI commands are their own edge: each commits once, at its end, where it also decides what a dry
run or a refused file rolls back. The outbox worker commits per message, so one message that fails
never loses the others.
"""

from __future__ import annotations

from flask import Response, g

from volunteer_hub.extensions import db

_KEEP_ON_ERROR = "_vh_keep_writes_on_error"


def keep_writes_on_error() -> None:
    """Commit this request's writes even though its answer is an error (status 400 or above).

    Only for bookkeeping the answer reports on (a counted failed attempt, an audited read of the
    page shown): roll back the refused change first, since everything the session holds when the
    view returns is committed. An exception still rolls everything back.
    """
    setattr(g, _KEEP_ON_ERROR, True)


def finish_request(response: Response) -> Response:
    """Commit a success or redirect, roll back an error answer (the ``after_request`` hook).

    A commit that fails raises, so Flask answers 500 (through the error handlers, which roll
    back) instead of the success the view had prepared. A streamed body runs after this hook, so
    it must not write.
    """
    if response.status_code < 400 or g.pop(_KEEP_ON_ERROR, False):
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    else:
        db.session.rollback()
    return response
