"""The theme framework (codebook): dataclasses, YAML/JSON load and save, validation."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.core import config
from analysis.core.errors import InputError


class CodebookError(InputError):
    """A codebook that cannot be used; the message says what to fix."""


THEME_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_THEME_KEYS = {"id", "label", "description", "seeds", "parent", "plan_area", "retired"}
_TOP_KEYS = {"format_version", "name", "version", "themes", "description"}


@dataclass
class Theme:
    """One theme: id, label, description, seed phrases, optional parent and Improvement Plan area."""

    id: str
    label: str
    description: str = ""
    seeds: list[str] = field(default_factory=list)
    parent: str | None = None
    plan_area: str | None = None
    retired: bool = False


@dataclass
class Codebook:
    """A named, versioned list of themes."""

    name: str
    version: int
    themes: list[Theme]

    @property
    def active_themes(self) -> list[Theme]:
        """Themes that are not retired (the ones classification uses)."""
        return [t for t in self.themes if not t.retired]

    @property
    def theme_ids(self) -> list[str]:
        """Ids of the active themes, in codebook order."""
        return [t.id for t in self.active_themes]

    def get(self, theme_id: str) -> Theme:
        """The theme with this id; KeyError when absent."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def labels(self) -> dict[str, str]:
        """Theme id -> label, including the special ids (unassigned, no content)."""
        out = {t.id: t.label for t in self.themes}
        out.update(config.SPECIAL_THEME_LABELS)
        return out

    def fingerprint(self) -> str:
        """A short hash of what classification depends on (ids, seeds, parents, retired flags)."""
        payload = json.dumps(
            [[t.id, t.label, sorted(t.seeds), t.parent, t.retired] for t in self.themes],
            sort_keys=True,
        )
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def _need_str(value: Any, where: str, *, allow_empty: bool = False, max_chars: int = 10_000) -> str:
    if not isinstance(value, str):
        raise CodebookError(f"{where} must be text, not {type(value).__name__}")
    value = value.strip()
    if not value and not allow_empty:
        raise CodebookError(f"{where} must not be empty")
    if len(value) > max_chars:
        raise CodebookError(f"{where} is longer than {max_chars} characters")
    return value


def _theme_from_dict(d: Any, index: int) -> Theme:
    where = f"theme #{index + 1}"
    if not isinstance(d, dict):
        raise CodebookError(f"{where} must be a mapping of id, label, description, seeds, ...")
    unknown = set(d) - _THEME_KEYS
    if unknown:
        raise CodebookError(f"{where} has unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    if "id" not in d:
        raise CodebookError(f"{where} has no id")
    tid = _need_str(d["id"], f"{where} id")
    where = f"theme '{tid}'"
    if not THEME_ID_PATTERN.fullmatch(tid):
        raise CodebookError(
            f"{where}: id must be lowercase letters, digits and underscores, starting with a letter"
            " (at most 50 characters)"
        )
    if tid in config.SPECIAL_THEME_IDS:
        raise CodebookError(f"{where}: '{tid}' is reserved for answers without a theme")
    label = _need_str(
        d.get("label", ""), f"{where} label", max_chars=config.CODEBOOK_MAX_LABEL_CHARS
    )
    description = d.get("description") or ""
    description = _need_str(
        description,
        f"{where} description",
        allow_empty=True,
        max_chars=config.CODEBOOK_MAX_DESCRIPTION_CHARS,
    )
    seeds_raw = d.get("seeds")
    if seeds_raw is None or (isinstance(seeds_raw, list) and not seeds_raw):
        raise CodebookError(f"{where} has no seed phrases (give at least one)")
    if not isinstance(seeds_raw, list):
        raise CodebookError(f"{where} seeds must be a list of phrases")
    if len(seeds_raw) > config.CODEBOOK_MAX_SEEDS_PER_THEME:
        raise CodebookError(f"{where} has more than {config.CODEBOOK_MAX_SEEDS_PER_THEME} seeds")
    seeds: list[str] = []
    seen: set[str] = set()
    for i, s in enumerate(seeds_raw):
        if isinstance(s, (int, float)) and not isinstance(s, bool):
            s = str(s)  # YAML turns a seed like 111 into a number
        seed = _need_str(s, f"{where} seed #{i + 1}", max_chars=config.CODEBOOK_MAX_SEED_CHARS)
        if seed.lower() not in seen:  # duplicates are harmless; drop them quietly
            seen.add(seed.lower())
            seeds.append(seed)
    parent = d.get("parent")
    if parent is not None:
        parent = _need_str(parent, f"{where} parent", allow_empty=True) or None
    plan_area = d.get("plan_area")
    if plan_area is not None:
        plan_area = _need_str(plan_area, f"{where} plan_area", allow_empty=True) or None
    if plan_area is not None and plan_area not in config.PLAN_AREAS:
        raise CodebookError(
            f"{where}: plan_area '{plan_area}' is not an Improvement Plan area; use one of: "
            + "; ".join(config.PLAN_AREAS)
            + " (or leave it empty)"
        )
    retired = d.get("retired", False)
    if not isinstance(retired, bool):
        raise CodebookError(f"{where}: retired must be true or false")
    return Theme(tid, label, description, seeds, parent, plan_area, retired)


def validate_codebook(cb: Codebook) -> Codebook:
    """Check ids are unique, parents exist and do not loop; return the codebook or raise CodebookError."""
    if not cb.themes:
        raise CodebookError("the codebook has no themes")
    if len(cb.themes) > config.CODEBOOK_MAX_THEMES:
        raise CodebookError(f"the codebook has more than {config.CODEBOOK_MAX_THEMES} themes")
    ids: dict[str, Theme] = {}
    for t in cb.themes:
        if t.id in ids:
            raise CodebookError(f"theme id '{t.id}' is used more than once")
        ids[t.id] = t
    for t in cb.themes:
        if t.parent is None:
            continue
        if t.parent == t.id:
            raise CodebookError(f"theme '{t.id}' cannot be its own parent")
        if t.parent not in ids:
            raise CodebookError(
                f"theme '{t.id}' has parent '{t.parent}', which is not in the codebook"
            )
    for t in cb.themes:  # walk up from every theme; a revisit means a cycle
        seen = [t.id]
        node = t
        while node.parent is not None:
            if node.parent in seen:
                loop = " -> ".join(seen[seen.index(node.parent) :] + [node.parent])
                raise CodebookError(f"theme parents form a cycle: {loop}")
            seen.append(node.parent)
            node = ids[node.parent]
    if not cb.active_themes:
        raise CodebookError("every theme in the codebook is retired")
    return cb


def codebook_from_dict(d: Any) -> Codebook:
    """Build and validate a Codebook from parsed YAML/JSON; raise CodebookError with a clear reason."""
    if not isinstance(d, dict):
        raise CodebookError("a codebook must be a mapping with 'name', 'version' and 'themes'")
    unknown = set(d) - _TOP_KEYS
    if unknown:
        raise CodebookError(
            f"the codebook has unknown field(s): {', '.join(sorted(map(str, unknown)))}"
        )
    fmt = d.get("format_version", config.CODEBOOK_FORMAT_VERSION)
    if not isinstance(fmt, int) or isinstance(fmt, bool):
        raise CodebookError("format_version must be a whole number")
    if fmt > config.CODEBOOK_FORMAT_VERSION or fmt < 1:
        raise CodebookError(
            f"codebook format_version {fmt} is not supported (this version reads up to "
            f"{config.CODEBOOK_FORMAT_VERSION})"
        )
    name = _need_str(d.get("name", "Codebook"), "name", max_chars=200)
    version = d.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise CodebookError("version must be a whole number (0 or more)")
    themes_raw = d.get("themes")
    if not isinstance(themes_raw, list):
        raise CodebookError("'themes' must be a list of themes")
    if len(themes_raw) > config.CODEBOOK_MAX_THEMES:
        raise CodebookError(f"the codebook has more than {config.CODEBOOK_MAX_THEMES} themes")
    themes = [_theme_from_dict(t, i) for i, t in enumerate(themes_raw)]
    return validate_codebook(Codebook(name=name, version=version, themes=themes))


def codebook_to_dict(cb: Codebook) -> dict:
    """The file form of a codebook (with format_version); omits empty optional fields."""
    themes = []
    for t in cb.themes:
        d: dict[str, Any] = {"id": t.id, "label": t.label, "description": t.description}
        if t.parent:
            d["parent"] = t.parent
        d["plan_area"] = t.plan_area or ""
        if t.retired:
            d["retired"] = True
        d["seeds"] = list(t.seeds)
        themes.append(d)
    return {
        "format_version": config.CODEBOOK_FORMAT_VERSION,
        "name": cb.name,
        "version": int(cb.version),
        "themes": themes,
    }


def parse_codebook_text(text: str, *, fmt: str = "yaml") -> Codebook:
    """Parse codebook YAML or JSON text (safe loaders only) into a validated Codebook."""
    if len(text.encode("utf-8", errors="ignore")) > config.CODEBOOK_MAX_BYTES:
        raise CodebookError(f"the codebook is larger than {config.CODEBOOK_MAX_BYTES // 1024} KB")
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise CodebookError(
            f"the codebook is not valid JSON: {exc.msg} (line {exc.lineno})"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise CodebookError(f"the codebook is not valid YAML: {problem}{where}") from None
    return codebook_from_dict(data)


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook from a .yaml/.yml/.json file; raise CodebookError when missing or invalid."""
    p = Path(path)
    if not p.is_file():
        raise CodebookError(f"no codebook file at {p}")
    if p.stat().st_size > config.CODEBOOK_MAX_BYTES:
        raise CodebookError(f"the codebook is larger than {config.CODEBOOK_MAX_BYTES // 1024} KB")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError(f"{p.name} is not UTF-8 text") from None
    return parse_codebook_text(text, fmt="json" if p.suffix.lower() == ".json" else "yaml")


def dump_codebook_text(cb: Codebook, *, fmt: str = "yaml") -> str:
    """The codebook as YAML (default) or JSON text."""
    d = codebook_to_dict(validate_codebook(cb))
    if fmt == "json":
        return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=100)


def dump_codebook(cb: Codebook, path: str | Path) -> None:
    """Write a codebook to .yaml/.yml or .json (by suffix)."""
    p = Path(path)
    fmt = "json" if p.suffix.lower() == ".json" else "yaml"
    p.write_text(dump_codebook_text(cb, fmt=fmt), encoding="utf-8")


_DEFAULT_CACHE: dict[str, tuple[float, Codebook]] = {}


def default_codebook() -> Codebook:
    """The shipped default codebook (data/codebook.yaml), re-read when the file changes."""
    p = config.DEFAULT_CODEBOOK
    mtime = p.stat().st_mtime if p.exists() else -1.0
    hit = _DEFAULT_CACHE.get(str(p))
    if hit is None or hit[0] != mtime:
        hit = (mtime, load_codebook(p))
        _DEFAULT_CACHE[str(p)] = hit
    # A copy, so callers that edit it never change the cached one.
    return codebook_from_dict(codebook_to_dict(hit[1]))


def ancestors(cb: Codebook, theme_id: str) -> list[str]:
    """Parent, grandparent, ... of a theme (nearest first)."""
    by_id = {t.id: t for t in cb.themes}
    out: list[str] = []
    node = by_id.get(theme_id)
    while node is not None and node.parent is not None and node.parent not in out:
        out.append(node.parent)
        node = by_id.get(node.parent)
    return out
