"""The pure matching engine: hard rules, scores with reasons, and the exact global plan.

Everything here takes plain dataclasses (``types.py``) and an explicit ``as_of`` date, and
imports neither Flask, the database nor anything of the app outside this package (an
import-linter contract keeps it so). Codes and their labels belong to ``volunteer_hub.vocab``:
the engine names only the codes its rules use (the schemes it weighs, the skills it needs, the
language levels and groups), and ``matching/services.py`` passes the words its sentences use in
``MatchingConfig.names``.
"""

from volunteer_hub.matching.engine.config import (
    DEFAULT_CONFIG,
    DEFAULT_WEIGHTS,
    FACTORS,
    MatchingConfig,
)
from volunteer_hub.matching.engine.features import VolunteerPool
from volunteer_hub.matching.engine.plan import (
    PLAN_BEST_FIT,
    PLAN_NOBODY_WAITS_TOO_LONG,
    plan,
    waiting_requests,
)
from volunteer_hub.matching.engine.rules import RULES, WAIVABLE_RULES, eligibility
from volunteer_hub.matching.engine.scorer import explain_ineligibility, is_eligible, suggest
from volunteer_hub.matching.engine.solver import min_cost_assignment
from volunteer_hub.matching.engine.types import (
    Assignment,
    Household,
    Plan,
    Reason,
    Request,
    RuleFailure,
    Suggestion,
    Unassigned,
    Volunteer,
)

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "PLAN_BEST_FIT",
    "PLAN_NOBODY_WAITS_TOO_LONG",
    "RULES",
    "WAIVABLE_RULES",
    "Assignment",
    "Household",
    "MatchingConfig",
    "Plan",
    "Reason",
    "Request",
    "RuleFailure",
    "Suggestion",
    "Unassigned",
    "Volunteer",
    "VolunteerPool",
    "eligibility",
    "explain_ineligibility",
    "is_eligible",
    "min_cost_assignment",
    "plan",
    "suggest",
    "waiting_requests",
]
