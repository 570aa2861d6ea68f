"""``flask users create-admin --municipality CODE --email EMAIL [--name NAME]``.

The municipality's first administrator, made from the command line without a password on it:
the command prints a one-time, time-limited link to choose one (the same link is e-mailed).
In production the first sign-in then asks the administrator to enrol the second factor.
"""

from __future__ import annotations

import secrets

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app, url_for
from flask.cli import AppGroup

from volunteer_hub.audit.services import record
from volunteer_hub.auth.services import create_user, find_user_by_email, issue_password_link
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.services import get_municipality_by_code

users_cli = AppGroup("users", help="Accounts made from the command line.")


def _refuse(message: str) -> click.ClickException:
    db.session.rollback()
    return click.ClickException(message)


@users_cli.command("create-admin")
@click.option("--municipality", "code", required=True, help="The municipality's kommunekode, e.g. 0161.")
@click.option("--email", required=True, help="The administrator's e-mail address (their sign-in).")
@click.option("--name", default="", help="The administrator's name (default: the e-mail's local part).")
def create_admin_command(code: str, email: str, name: str) -> None:
    """Create an administrator and print a one-time link to choose a password."""
    municipality = get_municipality_by_code(code.strip())
    if municipality is None:
        raise _refuse(f"no municipality with code {code}; create it first: flask municipality create")
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise _refuse(f"{email!r} is not an e-mail address") from exc
    if find_user_by_email(address) is not None:
        raise _refuse(f"an account with {address} already exists; nothing changed")
    name = " ".join(name.split()) or address.split("@")[0]
    user = create_user(
        municipality_id=municipality.id,
        email=address,
        name=name[:120],
        password=secrets.token_urlsafe(32),  # unusable: the administrator chooses their own
        role=Role.ADMIN,
    )
    record("user.admin_created", actor=None, municipality_id=municipality.id, obj=user, source="cli")
    links: list[str] = []

    def link_for(token: str) -> str:
        with current_app.test_request_context():
            links.append(current_app.config["PUBLIC_BASE_URL"] + url_for("auth.reset_password", token=token))
        return links[-1]

    issue_password_link(user, link_for, "account_invitation")
    db.session.commit()
    minutes = current_app.config["PASSWORD_RESET_VALID_SECONDS"] // 60
    click.echo(f"Created administrator {address} for {municipality.code} {municipality.name}.")
    click.echo(f"Open this link within {minutes} minutes to choose the password (it works once):")
    click.echo(links[-1])
    if current_app.config.get("STAFF_TWO_FACTOR_REQUIRED"):
        click.echo("The first sign-in then asks for an authenticator app (second factor).")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
