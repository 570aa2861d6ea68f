"""Time-based one-time passwords (RFC 6238, SHA-1, 6 digits, 30 s), as authenticator apps use.

Pure functions: the caller supplies the time, so tests need no clock tricks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """A random 160-bit secret in base32, the form authenticator apps accept."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def time_step(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code for one time step (RFC 4226 dynamic truncation)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def matching_step(secret: str, code: str, unix_time: float, last_used_step: int | None) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side for clock drift).

    A step at or before ``last_used_step`` never matches, so a code cannot be used twice.
    """
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = time_step(unix_time)
    for step in (now - 1, now, now + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "Volunteer Hub") -> str:
    """The otpauth:// address an authenticator app reads (typed in or scanned)."""
    label = quote(f"{issuer}:{account}")
    return (
        f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"
    )
