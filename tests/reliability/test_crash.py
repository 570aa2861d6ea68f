"""Crash safety: gunicorn workers killed with SIGKILL under write load lose and half-write nothing.

Three gunicorn workers serve coordinators approving proposed matches (each approval writes the
match, its check-ins, its ``match.approved`` audit event, the volunteer's e-mail in the outbox
and the household's contact-card link in one transaction). Meanwhile a worker is SIGKILLed
every fraction of a second and gunicorn starts a new one. Afterwards every approval that got its
success answer is in the database, and every match is either fully approved (event, e-mail,
link and check-ins) or still proposed with none of them: nothing half-finished.
"""

from __future__ import annotations

import http.client
import itertools
import os
import queue
import random
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, make_municipality, make_user
from tests.matching.factories import household, volunteer
from tests.reliability.support import VENV_BIN, AppProcess, app_environment, free_port, wait_until
from tests.reliability.test_two_instances import Browser
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.letters.models import FamilyLink
from volunteer_hub.matching import cards, workflow
from volunteer_hub.matching.models import CheckIn, Match, MatchSource, MatchStatus
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers.models import Volunteer

pytestmark = pytest.mark.pg_only

MATCHES = 240
CLIENTS = 4
LOAD_SECONDS = 20
KILL_EVERY = (1.0, 1.8)  # seconds between SIGKILLs, at random (a new worker takes ~2 s to boot here)
KILL_SHARE = 0.15  # ... or sooner, once this share of the approvals has been answered since the last


@pytest.fixture
def server(pg_app, tmp_path: Path) -> Iterator[tuple[str, AppProcess]]:
    env = app_environment(pg_app.config["SQLALCHEMY_DATABASE_URI"], MAIL_PORT=str(free_port()))
    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    process = AppProcess(command, env, tmp_path / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _ready(base, process), 30, "gunicorn to answer")
        yield base, process
    finally:
        process.stop()  # SIGKILL to the whole group: a graceful stop is not what this test is about


def _ready(base: str, process: AppProcess) -> bool:
    if not process.alive():
        pytest.fail(f"gunicorn exited:\n{process.output()[-3000:]}")
    try:
        return Browser("127.0.0.1").get(base, "/readyz")[0] == 200
    except OSError:
        return False


def _workers(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def _setup(pg_app) -> tuple[list[str], list[int]]:
    with pg_app.app_context():
        glostrup = make_municipality()
        emails = [f"coordinator{n}@glostrup.dk" for n in range(CLIENTS)]
        for email in emails:
            make_user(glostrup, Role.MUNICIPAL_COORDINATOR, email=email)
        actor = db.session.execute(select(User).where(User.email == emails[0])).scalar_one()
        matches = []
        for _ in range(MATCHES):
            v, h = volunteer(glostrup), household(glostrup)
            source = MatchSource.SUGGESTION
            matches.append(workflow.propose_match(h, v, "friend_buddy", actor=actor, source=source).id)
        db.session.commit()
    return emails, matches


def _signed_in(base: str, email: str, n: int) -> tuple[Browser, str]:
    """A coordinator's browser and CSRF token, retried while workers die under it."""
    for _ in range(40):
        browser = Browser(f"10.8.0.{n + 1}")
        try:
            status, _, _ = browser.post(base, "/login", {"email": email, "password": PASSWORD})
            if status == 302:
                _, _, page = browser.get(base, "/matching/")
                return browser, re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        except (OSError, AttributeError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    pytest.fail(f"{email} could not sign in")


def _client(signed_in, base: str, work: queue.Queue, stop: threading.Event, results: dict) -> None:
    browser, token = signed_in
    while not stop.is_set():
        try:
            match_id = work.get_nowait()
        except queue.Empty:
            return
        try:
            status, headers, _ = browser.request(
                base, "POST", f"/matching/{match_id}/godkend", {"csrf_token": token}
            )
            results[match_id] = "ok" if status == 302 and "/matching/" in headers["Location"] else status
        except (OSError, http.client.HTTPException) as error:
            # The worker died under the request (before its answer, or halfway through sending
            # it: IncompleteRead): no answer, outcome unknown.
            results[match_id] = type(error).__name__


def test_workers_killed_under_write_load_lose_nothing_and_leave_nothing_half_done(pg_app, server):
    base, process = server
    emails, matches = _setup(pg_app)
    work: queue.Queue[int] = queue.Queue()
    for match_id in matches:
        work.put(match_id)
    stop = threading.Event()
    results: dict[int, object] = {}
    sessions = [_signed_in(base, email, n) for n, email in enumerate(emails)]  # before the faults
    clients = [threading.Thread(target=_client, args=(s, base, work, stop, results)) for s in sessions]
    for thread in clients:
        thread.start()
    kills = 0
    rng = random.Random(9)
    deadline = time.monotonic() + LOAD_SECONDS
    next_kill = time.monotonic() + rng.uniform(*KILL_EVERY)
    answered_at_kill = 0
    while time.monotonic() < deadline and any(t.is_alive() for t in clients):
        time.sleep(0.02)
        # A kill every second or so, and at least every KILL_SHARE of the work: on a fast machine
        # the clients finish in a few seconds, and the kills must still land under load.
        if time.monotonic() < next_kill and len(results) - answered_at_kill < MATCHES * KILL_SHARE:
            continue
        workers = _workers(process.pid)
        if len(workers) >= 2:  # one worker at a time; the others keep serving
            try:
                os.kill(rng.choice(workers), signal.SIGKILL)
                kills += 1
            except ProcessLookupError:
                pass
            next_kill, answered_at_kill = time.monotonic() + rng.uniform(*KILL_EVERY), len(results)
    stop.set()
    for thread in clients:
        thread.join(30)
    assert process.alive(), "the gunicorn master died"
    assert kills >= 3, f"only {kills} workers were killed"

    succeeded = {m for m, outcome in results.items() if outcome == "ok"}
    unanswered = {m for m, outcome in results.items() if outcome != "ok"}
    assert len(succeeded) >= 20, f"too little got through: {len(succeeded)} ok, {len(unanswered)} not"
    assert all(not isinstance(outcome, int) for outcome in results.values()), {
        m: o for m, o in results.items() if isinstance(o, int)
    }  # an answer was either success or no answer at all (never a 4xx/5xx)

    with pg_app.app_context():

        def per_match(column, *where) -> dict[int, int]:
            rows = db.session.execute(select(column, func.count()).where(*where).group_by(column))
            return dict(rows.all())

        status = dict(db.session.execute(select(Match.id, Match.status)).all())
        events = per_match(AuditEvent.object_id, AuditEvent.action == "match.approved")
        links = per_match(FamilyLink.object_id, FamilyLink.object_type == "match")
        check_ins = per_match(CheckIn.match_id)
        email_of = dict(db.session.execute(select(Match.id, Volunteer.email).join(Match.volunteer)).all())
        mails = per_match(OutboxMessage.recipient, OutboxMessage.template == cards.VOLUNTEER_EMAIL)

    for match_id in succeeded:
        assert status[match_id] == MatchStatus.APPROVED, match_id  # every success answer is durable
    approved = {m for m, s in status.items() if s == MatchStatus.APPROVED}
    for match_id in matches:
        trail = (events.get(match_id, 0), links.get(match_id, 0), mails.get(email_of[match_id], 0))
        if match_id in approved:
            assert trail == (1, 1, 1) and check_ins.get(match_id) == 3, (match_id, trail)
        else:
            assert status[match_id] == MatchStatus.PROPOSED and trail == (0, 0, 0), (match_id, trail)
    assert approved >= succeeded and approved <= set(results)  # only what was asked for was approved
    assert len(list(itertools.chain(succeeded, unanswered))) == len(results)
