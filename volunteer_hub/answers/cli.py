"""``flask answers remind``: the daily 14-day reminder to families (see ``reminders``)."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from volunteer_hub.answers.reminders import send_reminders
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db

answers_cli = AppGroup("answers", help="The family's answers on its private link.")


@answers_cli.command("remind")
@with_appcontext
def remind() -> None:
    """Remind each family 14 days after approval when nobody has confirmed contact (run daily).

    Prints {"email": n, "paper": n}. The e-mails go through the outbox (``flask outbox run``).
    """
    sent = send_reminders(today=local_today())
    db.session.commit()
    click.echo(json.dumps(sent))


def register_cli(app: Flask) -> None:
    app.cli.add_command(answers_cli)
