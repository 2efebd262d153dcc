"""Dependency audit (`make lint`, `make test`, `make audit`): known vulnerabilities in what is installed.

pip-audit needs a vulnerability feed; it has no offline database. It asks PyPI's per-version JSON API
(the default), or OSV (api.osv.dev, or PIP_AUDIT_OSV_URL for a mirror). Two of its behaviours would
mislead a build, so this wrapper reads its JSON report instead of its exit code:

- when PyPI answers "not found" for every package (a registry proxy that serves packages but not that
  API, as on this project's machines), pip-audit reports "No known vulnerabilities found" and exits 0
  although it audited nothing: here that is "NOT AUDITED";
- when OSV cannot be reached it exits 1, the same code as for a vulnerability: here that is also
  "NOT AUDITED".

Exit codes: 1 when any package has a known vulnerability (the build fails); 0 when none was found, or
when no feed answered (said loudly, not a failure, unless --require-feed: then 2).

    python scripts/audit_dependencies.py                  # the installed environment (this venv)
    python scripts/audit_dependencies.py -r requirements.txt  # a pinned requirements file
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SERVICES = ("pypi", "osv")


def run_pip_audit(service: str, requirements: list[str]) -> tuple[dict | None, str]:
    """One pip-audit run; (its JSON report or None when it produced none, the last line of stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        target = (
            [arg for r in requirements for arg in ("-r", r)] + ["--no-deps", "--disable-pip"]
            if requirements
            else ["--local"]
        )
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip_audit",
                *target,
                "--vulnerability-service",
                service,
                "--format",
                "json",
                "--output",
                str(out),
                "--progress-spinner",
                "off",
                "--timeout",
                "20",
            ],  # fmt: skip
            capture_output=True,
            text=True,
        )
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        last = lines[-1] if lines else f"exit code {proc.returncode}"
        if not out.exists() or not out.read_text().strip():
            return None, last
        return json.loads(out.read_text()), last


def summarise(report: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """(audited, vulnerable, skipped) dependencies of a pip-audit JSON report."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    return audited, vulnerable, skipped


def describe(dep: dict) -> str:
    """One line per vulnerable package: name, version, advisory ids and the versions that fix it."""
    parts = []
    for v in dep["vulns"]:
        fixes = ", ".join(v.get("fix_versions") or []) or "no fix yet"
        ids = " / ".join([v["id"], *sorted(v.get("aliases", []))])
        parts.append(f"{ids} (fixed in {fixes})")
    return f"  {dep['name']} {dep['version']}: " + "; ".join(parts)


def audit(requirements: list[str], services: tuple[str, ...], require_feed: bool) -> int:
    """Try each feed in turn; the first that audits anything decides. Returns the exit code."""
    notes = []
    for service in services:
        report, last = run_pip_audit(service, requirements)
        if report is None:
            notes.append(f"{service}: no answer ({last[:200]})")
            continue
        audited, vulnerable, skipped = summarise(report)
        if not audited:
            notes.append(f"{service}: answered for none of {len(skipped)} packages")
            continue
        if vulnerable:
            sys.stdout.write(
                f"Dependency audit ({service}): {len(vulnerable)} of {len(audited)} packages have "
                "known vulnerabilities. Upgrade them (and their pins):\n"
            )
            sys.stdout.write("\n".join(describe(d) for d in vulnerable) + "\n")
            return 1
        sys.stdout.write(
            f"Dependency audit ({service}): no known vulnerabilities in {len(audited)} packages"
            + (f" ({len(skipped)} could not be checked)" if skipped else "")
            + ".\n"
        )
        return 0
    sys.stdout.write(
        "Dependency audit NOT DONE: no vulnerability feed answered ("
        + "; ".join(notes)
        + "). pip-audit has no offline database; run `make audit` where PyPI's JSON API or OSV "
        "(or a mirror in PIP_AUDIT_OSV_URL) can be reached.\n"
    )
    return 2 if require_feed else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the audit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-r", "--requirement", action="append", default=[],
                        help="audit this pinned requirements file (repeatable) instead of the venv")  # fmt: skip
    parser.add_argument("--service", choices=SERVICES, action="append",
                        help="feed(s) to try, in order (default: pypi, then osv)")  # fmt: skip
    parser.add_argument("--require-feed", action="store_true",
                        help="exit 2 when no feed answers (for a build that has the internet)")  # fmt: skip
    args = parser.parse_args(argv)
    return audit(args.requirement, tuple(args.service or SERVICES), args.require_feed)


if __name__ == "__main__":
    raise SystemExit(main())
