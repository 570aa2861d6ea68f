"""The pure matching engine: hard rules, scores with reasons, and the exact global plan.

Everything here takes plain dataclasses (``types.py``) and an explicit ``as_of`` date, and
imports neither Flask nor the database; ``services.py`` (written by the app) is the bridge.
"""

from volunteer_hub.matching.config import (
    DEFAULT_CONFIG,
    DEFAULT_WEIGHTS,
    FACTORS,
    MatchingConfig,
)
from volunteer_hub.matching.features import VolunteerPool
from volunteer_hub.matching.plan import (
    PLAN_BEST_FIT,
    PLAN_NOBODY_WAITS_TOO_LONG,
    plan,
    waiting_requests,
)
from volunteer_hub.matching.rules import RULES, WAIVABLE_RULES, eligibility
from volunteer_hub.matching.scorer import explain_ineligibility, is_eligible, suggest
from volunteer_hub.matching.solver import min_cost_assignment
from volunteer_hub.matching.types import (
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
