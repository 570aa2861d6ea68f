"""``flask outbox run``: the worker that sends queued e-mail."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup

from volunteer_hub.notifications.services import send_due_messages

outbox_cli = AppGroup("outbox", help="Send queued e-mail.")


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=50, show_default=True, help="Messages per poll.")
def run_outbox(once: bool, interval: float, batch: int) -> None:
    """Send due messages over SMTP, retrying failures with backoff."""
    while True:
        counts = send_due_messages(limit=batch)
        if any(counts.values()):
            click.echo(f"sent={counts['sent']} retry={counts['retry']} failed={counts['failed']}")
        if once:
            return
        time.sleep(interval)


def register_cli(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
