"""``flask seed-demo`` and ``flask seed-scale``: both refuse to run in production."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import text

from volunteer_hub.demo import DEMO_PASSWORD, seed_demo
from volunteer_hub.demo.scale import seed_scale
from volunteer_hub.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the Glostrup demo data (safe to run again)."""
    if current_app.config.get("SESSION_COOKIE_SECURE") and not current_app.config.get("ALLOW_DEMO"):
        raise click.ClickException("seed-demo is for development; it refuses to run in production")
    logins = seed_demo()
    db.session.commit()
    click.echo("Demo data loaded. Sign in at http://127.0.0.1:5000/login with:")
    for role, email in logins:
        click.echo(f"  {role:<24} {email:<34} password: {DEMO_PASSWORD}")


@click.command("seed-scale")
@click.option("--municipality", "code", default="9999", show_default=True, help="Kommunekode to fill.")
@click.option("--volunteers", default=20_000, show_default=True)
@click.option("--households", default=10_000, show_default=True)
@click.option("--matches", default=50_000, show_default=True)
@click.option(
    "--views", default=2_000_000, show_default=True, help="Case pages read (audit events) over two years."
)
@click.option("--seed", default=1, show_default=True)
@with_appcontext
def seed_scale_command(
    code: str, volunteers: int, households: int, matches: int, views: int, seed: int
) -> None:
    """Synthetic national-scale data for benchmarks (refused in production)."""
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        raise click.ClickException("seed-scale is for benchmarks; it refuses to run in production")
    counts = seed_scale(code, volunteers, households, matches, seed, views=views)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Bulk-loaded tables have no planner statistics until autovacuum gets to them; a
        # benchmark run straight after would measure plans made blind.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    click.echo(", ".join(f"{name}={count}" for name, count in counts.items()))


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_scale_command)
