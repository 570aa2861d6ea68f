"""Flask's signed-cookie sessions, with each process remembering the cookies it has verified.

Every signed-in request sends the same cookie until the session changes (at most every 30 s
for the idle timeout, see ``auth.session_guard``). Checking its signature and decoding it was
about 6% of the CPU of a kept staff page answered again, so a cookie verified once is
remembered, per process, with what it held and when it was signed:

- The key is the cookie's exact text together with the signing keys. Only a cookie whose
  signature was verified is ever remembered, so a forged or altered cookie is never found
  and is verified (and refused) as before.
- The age is checked on every request as itsdangerous checks it: a cookie older than
  ``PERMANENT_SESSION_LIFETIME`` is refused whether remembered or not.
- Each request gets its own session object. Only sessions holding plain values (text,
  numbers, true/false, nothing) are remembered, so no request can change what another
  request starts from; a session with anything else (pending messages, say) is decoded each
  time.
- At most ``REMEMBERED`` cookies per process; the oldest are forgotten first.

Nothing else changes: how sessions are signed and saved, and which cookies are accepted, is
Flask's own ``SecureCookieSessionInterface``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

REMEMBERED = 4096
_PLAIN = (str, int, float, bool, type(None))


class RememberingSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._verified: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or not app.secret_key:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), cookie)
        known = self._verified.get(key)
        if known is not None:
            signed_at, data = known
            if 0 <= int(time.time()) - signed_at <= max_age:  # itsdangerous's own test of the age
                return self.session_class(data)
        serializer = self.get_signing_serializer(app)
        assert serializer is not None  # there is a secret key
        try:
            data, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(type(value) in _PLAIN for value in data.values()):
            self._remember(key, (int(signed.timestamp()), dict(data)))
        return self.session_class(data)

    def _remember(self, key: tuple[Any, ...], entry: tuple[int, dict[str, Any]]) -> None:
        with self._lock:
            self._verified[key] = entry
            while len(self._verified) > REMEMBERED:
                del self._verified[next(iter(self._verified))]
