"""``flask letters forget-expired-links``: data minimisation for private links (run it daily)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from volunteer_hub.extensions import db
from volunteer_hub.letters.links import forget_expired_links

letters_cli = AppGroup("letters", help="Letters to families and their private links.")


@letters_cli.command("forget-expired-links")
def forget_expired_links_command() -> None:
    """Empty the contact cards frozen in expired links; the links keep only their dates and counts."""
    count = forget_expired_links()
    db.session.commit()
    click.echo(f"forgotten={count}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(letters_cli)
