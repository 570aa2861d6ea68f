"""Two app instances (separate gunicorn processes) on one PostgreSQL behave as one.

No sticky routing: a browser's requests go to either instance, as behind a load balancer
(cookies are per host, not per port, so one cookie jar serves both). Sessions, logout,
password resets and sign-in throttling are in the database; request rate limits are in
Redis. Each test uses its own client address (X-Forwarded-For through PROXY_FIX_X_FOR=1),
so their rate-limit allowances do not mix.
"""

from __future__ import annotations

import http.client
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, make_municipality, make_user
from tests.reliability.support import (
    REDIS_URL,
    VENV_BIN,
    AppProcess,
    app_environment,
    free_port,
    redis_or_skip,
    wait_until,
)
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage

pytestmark = pytest.mark.pg_only

KEY_PREFIX = f"vh-test-{uuid.uuid4().hex[:8]}"
LOGIN_LIMIT = 10
RESET_LIMIT = 3


class Browser:
    """A cookie-keeping HTTP client that talks to whichever instance it is told to."""

    def __init__(self, client_address: str) -> None:
        self.client_address = client_address
        self.cookies: dict[str, str] = {}

    def copy(self) -> Browser:
        twin = Browser(self.client_address)
        twin.cookies = dict(self.cookies)
        return twin

    def request(self, base: str, method: str, path: str, form: dict[str, str] | None = None):
        parts = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        headers = {"X-Forwarded-For": self.client_address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def get(self, base: str, path: str):
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, form: dict[str, str], token_from: str | None = None):
        """POST with the CSRF token read from a page, as a browser submits a form."""
        _, _, page = self.get(base, token_from or path)
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
        assert token, f"no CSRF token on {token_from or path}"
        return self.request(base, "POST", path, {"csrf_token": token.group(1), **form})


@pytest.fixture(scope="module")
def instances(_session_pg_app, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Two gunicorn instances (two workers each) on the session's PostgreSQL database."""
    logs = tmp_path_factory.mktemp("instances")
    env = app_environment(
        _session_pg_app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=REDIS_URL,
        RATELIMIT_KEY_PREFIX=KEY_PREFIX,
        LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute",
        PASSWORD_RESET_RATE_LIMIT=f"{RESET_LIMIT} per minute",
        PROXY_FIX_X_FOR="1",
        MAIL_PORT=str(free_port()),  # mail is only queued here
    )
    processes, bases = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            command = [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ]
            processes.append(AppProcess(command, env, logs / f"gunicorn-{name}.log"))
            bases.append(f"http://127.0.0.1:{port}")
        for process, base in zip(processes, bases, strict=True):
            wait_until(lambda base=base, process=process: _ready(base, process), 30, f"gunicorn at {base}")
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
            process.stop()


def _ready(base: str, process: AppProcess) -> bool:
    if not process.alive():
        pytest.fail(f"gunicorn exited:\n{process.output()[-3000:]}")
    try:
        return Browser("127.0.0.1").get(base, "/readyz")[0] == 200
    except OSError:
        return False


def _coordinator(pg_app, email: str) -> None:
    with pg_app.app_context():
        make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email=email)
        db.session.commit()


def _signed_in(browser: Browser, base: str) -> bool:
    status, _, page = browser.get(base, "/")
    return status == 200 and "Log ud" in page


def test_a_session_started_on_one_instance_works_on_the_other_and_logout_ends_it_everywhere(
    pg_app, instances
):
    a, b = instances
    _coordinator(pg_app, "mette@glostrup.dk")
    browser = Browser("10.9.1.1")
    status, headers, _ = browser.post(a, "/login", {"email": "mette@glostrup.dk", "password": PASSWORD})
    assert (status, headers["Location"]) == (302, "/")
    assert _signed_in(browser, b)  # no sticky session needed
    assert _signed_in(browser, a)

    other_tab = browser.copy()  # the same session cookie, held elsewhere
    status, _, _ = browser.post(b, "/logout", {}, token_from="/")
    assert status == 302
    assert not _signed_in(other_tab, a)  # logout on B ended the session on A too
    assert not _signed_in(browser, a)


def test_a_password_reset_through_one_instance_takes_effect_on_the_other(pg_app, instances):
    a, b = instances
    _coordinator(pg_app, "lise@glostrup.dk")
    old_session = Browser("10.9.2.1")
    old_session.post(a, "/login", {"email": "lise@glostrup.dk", "password": PASSWORD})
    assert _signed_in(old_session, a)

    stranger = Browser("10.9.2.2")
    assert stranger.post(b, "/password/forgot", {"email": "lise@glostrup.dk"})[0] == 302
    with pg_app.app_context():
        body = db.session.execute(sa.select(OutboxMessage.body)).scalar_one()
    reset_path = urllib.parse.urlsplit(re.search(r"http\S+/password/reset/\S+", body).group(0)).path
    new_password = "a brand new passphrase"
    form = {"password": new_password, "confirm": new_password}
    status, _, page = stranger.post(a, reset_path, form)
    assert status == 302, page

    assert not _signed_in(old_session, b)  # the reset ended the old session everywhere
    fresh = Browser("10.9.2.3")
    status, _, page = fresh.post(b, "/login", {"email": "lise@glostrup.dk", "password": PASSWORD})
    assert status == 200 and "forkert" in page
    assert fresh.post(b, "/login", {"email": "lise@glostrup.dk", "password": new_password})[0] == 302
    assert _signed_in(fresh, a)


def test_sign_in_throttling_counts_failures_on_both_instances_together(pg_app, instances):
    a, b = instances
    _coordinator(pg_app, "ole@glostrup.dk")
    browser = Browser("10.9.3.1")
    for attempt in range(pg_app.config["LOGIN_MAX_FAILURES"]):
        status, _, _ = browser.post(
            (a, b)[attempt % 2], "/login", {"email": "ole@glostrup.dk", "password": "nope"}
        )
        assert status == 200
    status, _, page = browser.post(a, "/login", {"email": "ole@glostrup.dk", "password": PASSWORD})
    assert status == 429 and "Prøv igen om" in page  # even the right password waits now


def test_request_rate_limits_are_shared_through_redis(pg_app, instances):
    import redis

    redis_or_skip()
    a, b = instances
    browser = Browser("10.9.4.1")
    statuses = [
        browser.post((a, b)[n % 2], "/login", {"email": f"nobody{n}@example.dk", "password": "nope"})[0]
        for n in range(LOGIN_LIMIT)
    ]
    assert statuses == [200] * LOGIN_LIMIT
    for base in (a, b):  # the allowance is used up on both instances, not per instance
        status, headers, page = browser.post(base, "/login", {"email": "late@example.dk", "password": "nope"})
        assert status == 429 and "For mange forespørgsler" in page and int(headers["Retry-After"]) > 0
    assert Browser("10.9.4.2").post(b, "/login", {"email": "x@example.dk", "password": "nope"})[0] == 200

    asker = Browser("10.9.4.3")
    statuses = [asker.post((a, b)[n % 2], "/password/forgot", {"email": "x@example.dk"})[0] for n in range(4)]
    assert statuses == [302] * RESET_LIMIT + [429]
    # Counted in Redis, not in either process.
    with redis.Redis.from_url(REDIS_URL) as store:
        assert store.keys(f"LIMITS:LIMITER/{KEY_PREFIX}/10.9.4.1/auth.login/*")
