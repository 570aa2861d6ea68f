"""Several outbox workers, killed, cut off from the database and from SMTP: nothing is lost.

What the outbox guarantees, and what this test holds it to:

* every queued message is delivered (its Message-ID reaches the SMTP server), whatever
  happens to the workers, the SMTP server or the database connections;
* delivery is at least once, with a Message-ID fixed at queueing time. A second copy can
  only appear when a fault strikes between the SMTP server accepting a message and the
  worker committing "sent" (here: a worker SIGKILLed inside the DATA step, and database
  connections cut while workers wait for the server's "250"). The copy carries the same
  Message-ID, so the receiving side can recognise it. The test knows exactly which
  messages were exposed to such a fault and requires that those, and only those, arrive
  twice; every other message arrives exactly once.

Real ``flask --app wsgi outbox run`` processes against PostgreSQL and a real SMTP server.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality
from tests.reliability.support import (
    AppProcess,
    FaultySmtpSink,
    app_environment,
    cut_database_connections,
    flask_command,
    free_port,
    wait_until,
)
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.notifications.services import queue_email, send_due_messages

pytestmark = pytest.mark.pg_only

MESSAGES = 300


def _queue_messages(app, count: int = MESSAGES) -> list[str]:
    with app.app_context():
        municipality = make_municipality()
        ids = [
            queue_email(
                municipality_id=municipality.id,
                to=f"person{i}@example.dk",
                template="password_reset",
                language="da",
                context={"name": f"Person {i}", "url": f"http://127.0.0.1/r/{i}", "minutes": 60},
            ).message_id
            for i in range(count)
        ]
        db.session.commit()
        return ids


def _status_counts(app) -> Counter:
    with app.app_context():
        rows = db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
        ).all()
        db.session.rollback()
        return Counter({status: count for status, count in rows})


def _row_is_claimed(app, message_id: str) -> tuple[OutboxStatus, bool]:
    """The row's committed status, and whether some worker holds its lock right now."""
    with app.app_context():
        status = db.session.execute(
            sa.select(OutboxMessage.status).where(OutboxMessage.message_id == message_id)
        ).scalar_one()
        free = db.session.execute(
            sa.select(OutboxMessage.id)
            .where(OutboxMessage.message_id == message_id)
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        db.session.rollback()
        return status, free is None


def test_workers_deliver_every_message_through_kills_and_outages(pg_app, tmp_path):
    queued = set(_queue_messages(pg_app))
    sink = FaultySmtpSink(delay=0.03)  # senders spend a while inside DATA, so kills land there
    sink.start()
    database_url = pg_app.config["SQLALCHEMY_DATABASE_URI"]
    workers: dict[int, AppProcess] = {}

    def start_worker(number: int) -> None:
        env = app_environment(
            database_url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(sink.port),
            MAIL_TIMEOUT="30",  # longer than any hold below: a held send must not time out
            MAIL_SENDER=f"Worker {number} <outbox-{number}@volunteer-hub.local>",
            OUTBOX_BACKOFF_SECONDS="1",
            OUTBOX_MAX_ATTEMPTS="50",
        )
        command = flask_command("outbox", "run", "--interval", "0.2", "--batch", "20")
        workers[number] = AppProcess(command, env, tmp_path / f"worker{number}.log")

    def alive() -> list[int]:
        return [number for number, worker in workers.items() if worker.alive()]

    def all_alive_workers_inside_data() -> dict[str, str] | None:
        unanswered = sink.snapshot_unanswered()
        return unanswered if len(unanswered) == len(alive()) else None

    exposed: set[str] = set()  # messages a fault struck between SMTP acceptance and "sent"
    try:
        for number in (1, 2, 3):
            start_worker(number)
        wait_until(lambda: len(sink.received) >= 40, 20, "three workers sending")

        # 1. SIGKILL a worker in the middle of a send, in the middle of its batch.
        sink.holding = True
        inside = wait_until(all_alive_workers_inside_data, 10, "every worker inside DATA")
        message_id, sender = next(iter(inside.items()))
        victim = next(n for n in workers if f"outbox-{n}@" in sender)
        assert _row_is_claimed(pg_app, message_id) == (OutboxStatus.PENDING, True)
        assert _status_counts(pg_app)[OutboxStatus.PENDING] > 20  # its batch was far from done
        workers[victim].kill()
        exposed.add(message_id)
        sink.holding = False
        # The dead worker's lock went with its connection: the row is free and still pending.
        wait_until(lambda: _row_is_claimed(pg_app, message_id)[1] is False, 5, "the lock to go")
        start_worker(4)  # a replacement, as a supervisor would start

        # 2. Cut every database connection while the workers wait for the server's "250".
        wait_until(lambda: len(sink.received) >= 120, 20, "workers sending again")
        sink.holding = True
        inside = wait_until(all_alive_workers_inside_data, 10, "every worker inside DATA")
        assert cut_database_connections(pg_app) >= len(alive())
        with pg_app.app_context():  # this test's own checks are not under test: fresh connections
            db.engine.dispose()
        exposed |= set(inside)
        sink.holding = False

        # 3. The SMTP server goes down for a while and comes back.
        wait_until(lambda: len(sink.received) >= 200, 20, "workers recovering from the database cut")
        sink.go_down()
        down_at = len(sink.received)
        wait_until(lambda: _status_counts(pg_app)[OutboxStatus.PENDING], 5, "pending messages")
        time.sleep(1.0)
        assert len(sink.received) == down_at
        sink.start()

        wait_until(lambda: _status_counts(pg_app)[OutboxStatus.SENT] == MESSAGES, 40, "every message sent")
        assert set(alive()) == set(workers) - {victim}  # the faults killed no other worker
        # SIGTERM stops a worker cleanly (after the message in hand) and it exits with 0.
        for number in alive():
            assert workers[number].terminate() == 0, workers[number].output()
    finally:
        for worker in workers.values():
            worker.stop()
        sink.stop()

    copies = Counter(sink.message_ids())
    assert set(copies) == queued, "a queued message never reached the SMTP server"
    duplicated = {message_id for message_id, count in copies.items() if count > 1}
    assert duplicated == exposed, "only messages a fault struck mid-send may arrive twice"
    assert all(copies[message_id] == 2 for message_id in exposed)
    assert len(copies) == MESSAGES and sum(copies.values()) == MESSAGES + len(exposed)
    assert _status_counts(pg_app) == Counter({OutboxStatus.SENT: MESSAGES})
    senders = Counter(sender.split("<")[1].split("@")[0] for _, sender in sink.received)
    assert len(senders) == 4 and min(senders.values()) > 0  # the queue was shared, not serialised
    print(f"exposed to mid-send faults: {len(exposed)}; copies per worker: {dict(senders)}")


def test_a_worker_that_hangs_while_sending_loses_its_claim_on_the_message(pg_app):
    from aiosmtpd.controller import Controller

    answer = threading.Event()

    class StallingServer:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            while not answer.is_set():  # the worker waits here, holding its row lock
                await asyncio.sleep(0.01)
            return "250 OK"

    port = free_port()
    controller = Controller(StallingServer(), hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: pg_app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "OUTBOX_CLAIM_TIMEOUT_SECONDS")}
    pg_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, OUTBOX_CLAIM_TIMEOUT_SECONDS=1)
    outcome: dict[str, BaseException] = {}

    def hung_worker() -> None:
        with pg_app.app_context():
            try:
                send_due_messages(limit=1)
            except sa.exc.DBAPIError as exc:  # what `flask outbox run` catches, waits on and survives
                outcome["error"] = exc
            finally:
                db.session.remove()

    try:
        [message_id] = _queue_messages(pg_app, count=1)
        worker = threading.Thread(target=hung_worker)
        worker.start()
        wait_until(lambda: _row_is_claimed(pg_app, message_id)[1], 5, "the worker to claim the message")
        # PostgreSQL ends the silent worker's session, and with it the claim ...
        wait_until(lambda: not _row_is_claimed(pg_app, message_id)[1], 5, "the claim to lapse")
        assert _row_is_claimed(pg_app, message_id) == (OutboxStatus.PENDING, False)
        answer.set()
        worker.join(timeout=10)
        # ... so when it wakes up, its "sent" is refused and the message is still pending for the others.
        assert "IdleInTransactionSessionTimeout" in str(outcome.get("error"))
        assert _status_counts(pg_app) == Counter({OutboxStatus.PENDING: 1})
    finally:
        answer.set()
        controller.stop()
        pg_app.config.update(saved)
