"""The one check for redirect targets a request supplies (``next``): only this site's own paths.

Every view that redirects to a target taken from the request (a query parameter, a form field,
the Referer) passes it through ``safe_target`` first. Browsers drop tabs and line breaks from a
``Location`` and read a backslash as a slash, so ``/\\t/evil.example`` would leave the site; such
characters are refused outright rather than cleaned, and so is anything with a scheme or a host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect
from werkzeug.wrappers import Response


def is_safe_target(target: str | None) -> bool:
    """True when ``target`` is a path on this site (``/...``), with nothing a browser could reread."""
    if not target or not target.startswith("/") or len(target) > 2000:
        return False
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target) or "\\" in target:
        return False
    if target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_target(target: str | None, fallback: str) -> str:
    """``target`` when it is a safe local path, else ``fallback`` (a path the caller built)."""
    return target if target is not None and is_safe_target(target) else fallback


def redirect_to_safe_target(target: str | None, fallback: str) -> Response:
    """A redirect to ``target`` if it is a safe local path, else to ``fallback``."""
    return redirect(safe_target(target, fallback))
