"""What the security suite covered in this run; printed at the end of the session."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()

# The order and wording of the summary lines (keys not listed are printed after these).
LABELS = {
    "routes": "routes in app.url_map",
    "api routes": "of them API routes",
    "roles": "roles, each also tested against anonymous visitors",
    "access checks": "role x route x record checks of the access matrix",
    "canary checks": "responses searched for canaries",
    "canaries": "canary values in the world",
    "mass-assignment submissions": "form and API writes with extra fields",
    "xss submissions": "form and API writes with XSS payloads",
    "csrf checks": "state-changing page requests without a valid CSRF token",
    "schemathesis cases": "schemathesis cases against the OpenAPI document",
    "form fuzz cases": "Hypothesis cases fed to forms",
    "query fuzz cases": "hostile query strings sent to pages",
    "bandit files": "Python files scanned by bandit",
}
