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

from flask import Response, current_app, g, render_template, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict

from volunteer_hub.extensions import db

_KEEP_ON_ERROR = "_vh_keep_writes_on_error"


def keep_writes_on_error() -> None:
    """Commit this request's writes even though its answer is an error (status 400 or above).

    Only for bookkeeping the answer reports on (a counted failed attempt, an audited read of the
    page shown): roll back the refused change first, since everything the session holds when the
    view returns is committed. An exception still rolls everything back.
    """
    setattr(g, _KEEP_ON_ERROR, True)


def commit_hook_bookkeeping() -> None:
    """Commit what a ``before_request`` hook wrote as bookkeeping of its own, before the view runs.

    Only the API's bearer-token check uses it, for the token's "last used" time: that write must
    stay whether the view then succeeds or answers an error, and must not ride on the view's
    transaction, whose single commit (``finish_request``) stays the view's.
    """
    db.session.commit()


def finish_request(response: Response) -> Response:
    """Commit a success or redirect, roll back an error answer (the ``after_request`` hook).

    A commit refused by a constraint answers 409 instead of the success the view had prepared;
    any other failure raises, so Flask answers 500 (the error handlers roll back). A streamed
    body runs after this hook, so it must not write.
    """
    if response.status_code < 400 or g.pop(_KEEP_ON_ERROR, False):
        try:
            db.session.commit()
        except IntegrityError:  # the same thing written at the same moment by another request
            return conflict_answer()
        except Exception:
            db.session.rollback()
            raise
    else:
        db.session.rollback()
    return response


def conflict_answer(_error: Exception | None = None) -> Response:
    """409 for a write a database constraint refused (also the error handler of IntegrityError).

    The same form sent twice at once, or two people creating the same thing: the second write
    is refused by a unique constraint. Nothing of it is kept, the visitor is told so instead of
    seeing a server error, and the log names the route only: the error's text would carry what
    was being written (the engine hides bound values as well, see web.py).
    """
    from volunteer_hub.core.api.problems import is_api_request, problem_for_exception

    db.session.rollback()
    current_app.logger.warning("%s %s conflicted with a simultaneous write", request.method, request.endpoint)
    error = Conflict()
    if is_api_request():
        return problem_for_exception(error)
    return Response(render_template("errors/error.html", code=409, error=error), status=409)
