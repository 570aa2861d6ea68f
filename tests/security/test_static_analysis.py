"""Static analysis: bandit finds nothing of medium or high severity, and every suppression says why."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.security.stats import COUNTS

ROOT = Path(__file__).resolve().parents[2]
BANDIT = Path(sys.executable).with_name("bandit")


def test_bandit_reports_no_medium_or_high_finding():
    result = subprocess.run(
        [str(BANDIT), "-q", "-r", "volunteer_hub", "-ll", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} ({r['issue_severity']}): {r['issue_text']}"
        for r in report["results"]
        if r["issue_severity"] in {"MEDIUM", "HIGH"}
    ]
    COUNTS["bandit files"] = len({name for name in report["metrics"] if name.endswith(".py")})
    assert not findings, "\n".join(findings)


NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")


def test_every_nosec_names_the_check_and_says_why():
    """A suppression must name the bandit test it silences and give a reason (B608 - ...)."""
    unexplained = []
    for path in sorted((ROOT / "volunteer_hub").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = NOSEC.search(line)
            if match and not re.match(r"\s*B\d{3}(,\s*B\d{3})*\s*[-:]\s*\S.{9,}", match.group("rest")):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unexplained, "Justify each suppression as '# nosec B123 - why it is safe':\n" + "\n".join(
        unexplained
    )
