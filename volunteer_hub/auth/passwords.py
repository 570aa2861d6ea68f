"""What a new password must be: long enough, not one of the most common, not trivially repetitive.

The list of common passwords ships with the code (volunteer_hub/data/common_passwords.txt, see the
README there for its source and licence): the check never goes to the network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
_TRAILING = "0123456789!#$%&*+-.?@_ "


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_repetitive(password: str) -> bool:
    """``aaaaaaaaaaaa``, ``abcabcabcabc``, ``123456789012``, ``abcdefghijkl``: one short pattern."""
    lowered = password.lower()
    if len(set(lowered)) <= 3:
        return True
    for size in range(1, len(lowered) // 2 + 1):
        unit = lowered[:size]
        if (unit * (len(lowered) // size + 1))[: len(lowered)] == lowered:
            return True
    steps = {ord(b) - ord(a) for a, b in zip(lowered, lowered[1:], strict=False)}
    return steps <= {1, -9} or steps <= {-1, 9}  # a run such as 1234567890 or zyxwvu...


def password_problem(password: str) -> str | None:
    """Why ``password`` may not be chosen (a translated sentence), or None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("The password must be at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    lowered = password.lower()
    common = common_passwords()
    # Also a common word padded with digits or punctuation ("qwerty123456"), if a word is left.
    cores = {lowered, lowered.rstrip(_TRAILING), lowered.strip(_TRAILING)}
    if any(core in common for core in cores if len(core) >= 4):
        return str(_l("This password is one of the most common ones. Choose one that is harder to guess."))
    if _is_repetitive(password):
        return str(_l("This password repeats a short pattern. Choose one that is harder to guess."))
    return None
