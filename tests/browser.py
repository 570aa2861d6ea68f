"""Browser-test helpers: run axe-core in a Playwright page and report what it finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page for WCAG 2.0/2.1 A and AA; return its violations."""
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} missing: run `make assets` (npm ci)")
    # Check the page as a visitor meets it: fully loaded, not half-way through a navigation.
    page.wait_for_load_state("load")
    # evaluate() runs through the DevTools protocol, so the page's CSP does not block it.
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return result["violations"]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"axe found {len(violations)} violations on {page.url}:\n" + "\n".join(summary)
