"""``flask outbox run``: the worker that sends queued e-mail.

Run as many workers as you like, on any machine that reaches the database: they share
the queue through row locks. A worker survives the SMTP server and the database going
away (it retries), and SIGTERM or Ctrl-C stops it after the message it is sending.
"""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import send_due_messages

outbox_cli = AppGroup("outbox", help="Send queued e-mail.")


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    return stop


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls when idle.")
@click.option("--batch", default=50, show_default=True, help="Messages per poll.")
def run_outbox(once: bool, interval: float, batch: int) -> None:
    """Send due messages over SMTP, retrying failures with backoff."""
    stop = _stop_on_signals()
    while not stop.is_set():
        try:
            counts = send_due_messages(limit=batch, should_stop=stop.is_set)
        except SQLAlchemyError as exc:
            if once:
                raise
            # The database restarted or failed over: the open transaction is gone and the
            # message it held is still pending. Wait and carry on with a new connection.
            db.session.remove()
            click.echo(f"database error ({type(exc).__name__}); retrying in {interval:g}s", err=True)
            counts = None
        if counts and any(counts.values()):
            click.echo(f"sent={counts['sent']} retry={counts['retry']} failed={counts['failed']}")
        if once:
            return
        if counts and sum(counts.values()) >= batch:
            continue  # a full batch: more may be due right now
        stop.wait(interval)


def register_cli(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
