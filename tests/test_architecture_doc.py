"""docs/architecture.md stays true: every package described, imports only where allowed, caches listed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")

# The arrows of the picture: which packages of analysis/ each package may import.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "text": {"core"},
    "privacy": {"core"},
    "ingest": {"core"},
    # the upload flow shows redacted example values
    "store": {"core", "ingest", "privacy"},
    "themes": {"core", "text", "store", "privacy"},
    "jobs": {"core", "text", "store", "themes"},
    "findings": {"core", "text", "privacy"},
    # voices reads findings' group tables: the one sideways arrow
    "voices": {"core", "ingest", "privacy", "store", "findings"},
    "plan": {"core", "ingest", "privacy", "store"},
    "charts": {"core", "findings", "voices", "privacy"},
    "report": {"core", "charts", "findings", "plan", "privacy", "themes", "voices", "text"},
    "cli": {
        "core",
        "text",
        "privacy",
        "ingest",
        "store",
        "themes",
        "jobs",
        "findings",
        "voices",
        "plan",
        "charts",
        "report",
    },
}
CACHE_USE = re.compile(r"st\.cache_(data|resource)|FrameMemo\(|lru_cache|\bcache\(|def clear_cache")


def _packages() -> list[str]:
    return sorted(p.name for p in (ROOT / "analysis").iterdir() if (p / "__init__.py").is_file())


def _imported_packages(path: Path) -> set[str]:
    """The analysis packages a module imports (from analysis import x counts as package x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "analysis":
                names = [f"analysis.{a.name}" for a in node.names]
            else:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "analysis" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_package_has_a_paragraph_and_an_entry_in_the_allowed_imports() -> None:
    for package in _packages():
        assert f"### `analysis/{package}/`" in DOC, (
            f"docs/architecture.md misses analysis/{package}/"
        )
        assert package in ALLOWED, f"analysis/{package}/ has no allowed imports declared"


def test_packages_import_only_what_the_picture_allows() -> None:
    wrong: list[str] = []
    for package in _packages():
        for path in sorted((ROOT / "analysis" / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for other in _imported_packages(path) - {package}:
                if other in ALLOWED and other not in ALLOWED[package]:
                    wrong.append(f"{path.relative_to(ROOT)} imports analysis.{other}")
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(wrong)


def test_every_module_that_caches_is_in_the_caching_table() -> None:
    caching = DOC.split("## Caching", 1)[1]
    missing = []
    for folder in ("ui", "analysis"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            source = path.read_text(encoding="utf-8")
            uses = [
                m for m in CACHE_USE.finditer(source) if "import" not in _line(source, m.start())
            ]
            if uses and rel not in caching and rel != "analysis/core/memo.py":
                missing.append(rel)
    assert not missing, "modules that cache but are not in the caching table: " + ", ".join(missing)


def _line(source: str, at: int) -> str:
    start = source.rfind("\n", 0, at) + 1
    end = source.find("\n", at)
    return source[start : end if end >= 0 else None]
