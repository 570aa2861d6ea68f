"""Each module here describes one domain to the security suite; they are found automatically.

A module may define:

``ROUTES``  list of ``Route`` entries, ONE PER ENDPOINT of the domain (pages and API). The
            suite fails while any endpoint in ``app.url_map`` has no entry, so every new
            route forces a decision about who may call it.
``PARAMS``  dict: URL variable name -> ``RecordParam(kind, visible)`` (or a constant), used
            by every route with that variable, e.g. ``{"volunteer_id": RecordParam("volunteer",
            organisation_staff)}``.
``seed(world)``  creates the domain's fixture records in both municipalities and their
            organisations (``world.add_record``) with a unique marker in every sensitive
            field (``world.marker("volunteer.phone")`` + ``world.add_canary(...)``, saying
            who may see it). Runs after the seeders with a lower ``ORDER`` (platform: 0).
``FORM_VALUES``  dict: endpoint -> {field: value}, for forms whose fields need a specific
            valid value to be accepted (the suite fills the rest plausibly).
``FLOWS``   set of endpoints whose forms are steps of a multi-step flow (a wizard): after
            a step is accepted, the tests that send forms follow it in the same session and
            send the next step's form too, to the end of the flow.

Adding a domain = adding one file here; the harness and the tests stay as they are.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tests.security.harness import RecordParam, Route, World


@dataclass
class Registry:
    routes: dict[str, Route] = field(default_factory=dict)
    params: dict[str, RecordParam | Any] = field(default_factory=dict)
    seeders: list[Callable[[World], None]] = field(default_factory=list)
    form_values: dict[str, dict[str, Any]] = field(default_factory=dict)
    flows: set[str] = field(default_factory=set)
    modules: list[str] = field(default_factory=list)


def _modules() -> list[ModuleType]:
    found = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted(found, key=lambda module: (getattr(module, "ORDER", 100), module.__name__))


def load() -> Registry:
    """Every domain's routes, parameters, seeders and form values, merged (duplicates refused)."""
    registry = Registry()
    for module in _modules():
        registry.modules.append(module.__name__.rsplit(".", 1)[-1])
        for route in getattr(module, "ROUTES", []):
            if route.endpoint in registry.routes:
                raise ValueError(f"{route.endpoint} is listed twice in the security matrix")
            registry.routes[route.endpoint] = route
        for name, spec in getattr(module, "PARAMS", {}).items():
            if name in registry.params:
                raise ValueError(f"URL variable <{name}> is described by two domains")
            registry.params[name] = spec
        if hasattr(module, "seed"):
            registry.seeders.append(module.seed)
        registry.form_values.update(getattr(module, "FORM_VALUES", {}))
        registry.flows.update(getattr(module, "FLOWS", set()))
    return registry


REGISTRY = load()
SECURITY_MATRIX = REGISTRY.routes
