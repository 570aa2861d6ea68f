"""What every response must carry: CSP without inline code, nosniff, no framing, no caching."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule


def csp_problems(csp: str) -> list[str]:
    problems = []
    directives = {part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()}
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data: 'self' 'unsafe"):
        if unsafe in csp.split() or f" {unsafe}" in csp:
            problems.append(f"CSP allows {unsafe}")
    for needed in ("default-src", "script-src", "style-src", "object-src", "frame-ancestors", "base-uri"):
        if needed not in directives:
            problems.append(f"CSP lacks {needed}")
    if "frame-ancestors" in directives and directives["frame-ancestors"] not in (
        "frame-ancestors 'none'",
        "frame-ancestors 'self'",
    ):
        problems.append(f"CSP lets other sites frame the page: {directives['frame-ancestors']}")
    return problems


def header_problems(rule: Rule, response: Any) -> list[str]:
    """Missing or weak security headers on one response (static files may be cached)."""
    headers = response.headers
    problems = []
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.mimetype == "text/html":
        csp = headers.get("Content-Security-Policy")
        problems.extend(csp_problems(csp) if csp else ["no Content-Security-Policy"])
        if headers.get("Referrer-Policy") not in {
            "same-origin",
            "no-referrer",
            "strict-origin",
            "strict-origin-when-cross-origin",
        }:
            problems.append(f"weak Referrer-Policy: {headers.get('Referrer-Policy')}")
        if headers.get("X-Frame-Options") not in {"DENY", "SAMEORIGIN"}:
            problems.append("no X-Frame-Options")
    if rule.endpoint != "static" and "no-store" not in headers.get("Cache-Control", ""):
        problems.append("personal data may be cached: no Cache-Control: no-store")
    if rule.rule.startswith("/api/") and response.status_code >= 400:
        if response.mimetype != "application/problem+json":
            problems.append(f"API error as {response.mimetype}, not problem details")
        else:
            body = response.get_json()
            if (
                not {"type", "title", "status", "detail"} <= set(body)
                or body["status"] != response.status_code
            ):
                problems.append(f"malformed problem details: {body}")
    return problems
