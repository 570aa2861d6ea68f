"""Who may call each route, enforced in one place.

Every view declares a policy with one of the decorators below. ``enforce_route_policy``
runs before every request and refuses any endpoint that declared nothing (fail closed),
so a forgotten decorator is a 500 in development and a failing test, never an open door.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from volunteer_hub.core.api.problems import is_api_request
from volunteer_hub.core.roles import Role

F = TypeVar("F", bound=Callable[..., Any])

POLICY_ATTR = "_vh_access_policy"


@dataclass(frozen=True)
class AccessPolicy:
    """``public``: anyone; otherwise a signed-in user with one of ``roles`` (empty: any role)."""

    public: bool
    roles: frozenset[Role] = frozenset()

    def describe(self) -> str:
        if self.public:
            return "public"
        if not self.roles:
            return "signed-in"
        return "roles: " + ", ".join(sorted(role.value for role in self.roles))


def _declare(policy: AccessPolicy) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        setattr(view, POLICY_ATTR, policy)
        return view

    return decorator


def public(view: F) -> F:
    """Anyone, signed in or not, may call this route."""
    return _declare(AccessPolicy(public=True))(view)


def signed_in(view: F) -> F:
    """Any signed-in user may call this route (object checks still apply)."""
    return _declare(AccessPolicy(public=False))(view)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Only signed-in users with one of ``roles`` may call this route."""
    if not roles:
        raise ValueError("roles_required needs at least one role; use signed_in for any role")
    return _declare(AccessPolicy(public=False, roles=frozenset(roles)))


STAFF = (Role.PARTNER_COORDINATOR, Role.MUNICIPAL_COORDINATOR, Role.ADMIN)
MUNICIPAL_STAFF = (Role.MUNICIPAL_COORDINATOR, Role.ADMIN)


def policy_of(view: Callable[..., Any] | None) -> AccessPolicy | None:
    """The policy a view declared, or None."""
    return getattr(view, POLICY_ATTR, None)


def declare_builtin_policies(app: Flask) -> None:
    """Flask's own static route serves public files only."""
    if "static" in app.view_functions:
        setattr(app.view_functions["static"], POLICY_ATTR, AccessPolicy(public=True))


def enforce_route_policy() -> Any:
    """before_request hook: refuse the request unless the route's policy admits the user."""
    if request.endpoint is None:  # 404 and 405 are answered by Flask itself
        return None
    policy = policy_of(current_app.view_functions.get(request.endpoint))
    if policy is None:
        current_app.logger.error("route %s declares no access policy", request.endpoint)
        abort(500)
    if policy.public:
        return None
    if not current_user.is_authenticated:
        if request.method == "GET" and not is_api_request():
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    if policy.roles and current_user.role not in policy.roles:
        abort(403)
    return None


def has_role(user: Any, roles: Iterable[Role]) -> bool:
    """True when ``user`` is signed in with one of ``roles``."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in set(roles)
