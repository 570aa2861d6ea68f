"""Production from nothing, as an operator does it from README.md alone, on PostgreSQL.

The test reads README's "Production from nothing" section and runs its `flask` commands in
order against a fresh database with production settings (the long-running ones, gunicorn and
the outbox worker, are left out: the test client is the browser). Between `users create-admin`
and the import it does in the browser what the section says: follows the printed link, chooses
a password, enrols the second factor (codes computed here), signs in, creates an organisation;
then imports a volunteers file made from FORMATS.md and finds the volunteers listed.
"""

from __future__ import annotations

import re
import shlex
import time
from pathlib import Path

import pytest

from tests.conftest import _postgres_or_skip
from tests.support import fresh_postgres_database
from tests.tenancy.formats_file import write_volunteers_file
from volunteer_hub.auth import totp

README = Path(__file__).resolve().parents[2] / "README.md"
FLASK = ".venv/bin/flask --app wsgi "
BASE = "https://frivillig.example.dk"
PASSWORD = "a long and secret passphrase 2026"

pytestmark = pytest.mark.pg_only


def readme_blocks() -> list[list[str]]:
    """The shell blocks of README's production section, one list of lines each."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Production from nothing", 1)[1].split("\n## ", 1)[0]
    return [block.strip().splitlines() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def flask_commands(lines: list[str]) -> list[list[str]]:
    commands = []
    for line in lines:
        if line.startswith(FLASK):
            args = shlex.split(line[len(FLASK) :], comments=True)
            if args[:2] != ["outbox", "run"]:  # the worker runs until stopped
                commands.append(args)
    return commands


def exports(lines: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in lines:
        if line.startswith("export "):
            for pair in shlex.split(line[len("export ") :], comments=True):
                name, _, value = pair.partition("=")
                values[name] = value
    return values


def form_token(client, path: str) -> str:
    page = client.get(path, base_url=BASE).get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page
    )
    assert match, page[:2000]
    return match.group(1)


def post(client, path: str, data: dict, follow: str | None = None):
    page = follow or path
    token = form_token(client, page)
    # Over HTTPS, Flask-WTF also checks that the form was posted from this site's own page.
    headers = {"Referer": BASE + page}
    return client.post(path, data={"csrf_token": token, **data}, base_url=BASE, headers=headers)


def test_an_operator_starts_production_from_nothing_with_the_readme(monkeypatch, tmp_path):
    _postgres_or_skip()
    first, second = readme_blocks()
    settings = exports(first)
    assert settings["VOLUNTEER_HUB_ENV"] == "production"
    commands = flask_commands(first)
    expected = [["db", "upgrade"], ["municipality", "create"], ["users", "create-admin"]]
    assert [command[:2] for command in commands] == expected
    [import_command] = flask_commands(second)
    assert import_command[:2] == ["import", "volunteers"]
    email = commands[2][commands[2].index("--email") + 1]

    with fresh_postgres_database() as url:
        monkeypatch.setenv("VOLUNTEER_HUB_ENV", "production")
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("SECRET_KEY", "x" * 64)
        from volunteer_hub import create_app
        from volunteer_hub.extensions import db

        app = create_app()
        assert app.config["STAFF_TWO_FACTOR_REQUIRED"] and app.config["SESSION_COOKIE_SECURE"]
        try:
            _walk_through(app, commands, import_command, email, tmp_path)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def _walk_through(app, commands, import_command, email, tmp_path) -> None:
    runner = app.test_cli_runner()
    outputs = []
    for args in commands:
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    assert "Created municipality 0161 Glostrup" in outputs[1]
    link = re.search(r"https?://\S+(/password/reset/\S+)", outputs[2]).group(1)

    client = app.test_client()
    assert client.get("/dev/mail", base_url=BASE).status_code == 404  # development only
    chosen = post(client, link, {"password": PASSWORD, "confirm": PASSWORD})
    assert chosen.status_code == 302, chosen.get_data(as_text=True)[:2000]

    # The first sign-in asks for the second factor: enrol the authenticator app.
    signed = post(client, "/login", {"email": email, "password": PASSWORD})
    assert signed.headers["Location"].endswith("/login/setup-code")
    setup = client.get("/login/setup-code", base_url=BASE).get_data(as_text=True)
    secret = re.search(r'<code class="vh-ltr vh-secret">([A-Z2-7]+)</code>', setup).group(1)
    step = totp.time_step(time.time())
    enrolled = post(client, "/login/setup-code", {"code": totp.code_at(secret, step)})
    assert enrolled.status_code == 200  # the recovery codes, shown once; signed in

    # Sign out and in again, with the next code from the app.
    post(client, "/logout", {}, follow="/")
    signed = post(client, "/login", {"email": email, "password": PASSWORD})
    assert signed.headers["Location"].endswith("/login/code")
    second = post(client, "/login/code", {"code": totp.code_at(secret, step + 1)})
    assert second.status_code == 302, second.get_data(as_text=True)[:2000]
    overview = client.get("/", base_url=BASE).get_data(as_text=True)
    assert "Anne Admin" in overview and "Udfyld kommunens indstillinger" in overview

    created = post(client, "/organisationer", {"name": "Røde Kors Glostrup", "description": ""})
    assert created.status_code == 302

    path = write_volunteers_file(tmp_path / import_command[2], organisation="Røde Kors Glostrup")
    result = runner.invoke(args=[*import_command[:2], str(path), *import_command[3:]])
    assert result.exit_code == 0, result.output

    listed = client.get("/frivillige", base_url=BASE).get_data(as_text=True)
    assert "Frivillig1" in listed and "Frivillig2" in listed and "Røde Kors Glostrup" in listed
