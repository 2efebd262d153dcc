"""Pure edits of a Codebook: add, rename, merge, split, retire/restore, edit seeds and descriptions.

Every operation returns a new, validated Codebook (through analysis.themes.codebook) and never changes
its input, so a page can show a preview and only save when the user confirms. Errors are
CodebookError with a message a user can act on. The version number is not changed here: the
store gives each saved codebook its version (analysis.themes.codebook_store).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.core import config
from analysis.themes.codebook import (
    Codebook,
    CodebookError,
    Theme,
    codebook_from_dict,
    codebook_to_dict,
)


def copy_codebook(cb: Codebook) -> Codebook:
    """A deep, validated copy of a codebook."""
    return codebook_from_dict(codebook_to_dict(cb))


def _validated(cb: Codebook) -> Codebook:
    # Round-trip through the file form: the one place every rule (ids, seeds, parents) is checked.
    return codebook_from_dict(codebook_to_dict(cb))


def _find(cb: Codebook, theme_id: str) -> Theme:
    for t in cb.themes:
        if t.id == theme_id:
            return t
    raise CodebookError(f"There is no theme with id '{theme_id}' in the codebook.")


def clean_seeds(seeds: Iterable[str] | str) -> list[str]:
    """Seed phrases from a list or from text with one phrase per line (blank lines and repeats dropped)."""
    items = seeds.splitlines() if isinstance(seeds, str) else list(seeds)
    out: list[str] = []
    seen: set[str] = set()
    for s in items:
        s = " ".join(str(s).split())
        if s and s.lower() not in seen:
            seen.add(s.lower())
            out.append(s)
    return out


def new_theme_id(cb: Codebook, label: str) -> str:
    """A unique theme id made from a label ("Waiting times" -> "waiting_times", then _2, _3...)."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = f"theme_{base}".rstrip("_")
    base = base[:44].rstrip("_")
    taken = {t.id for t in cb.themes} | set(config.SPECIAL_THEME_IDS)
    candidate, i = base, 2
    while candidate in taken:
        candidate = f"{base}_{i}"
        i += 1
    return candidate


def add_theme(
    cb: Codebook,
    label: str,
    seeds: Iterable[str] | str,
    *,
    description: str = "",
    theme_id: str | None = None,
    parent: str | None = None,
    plan_area: str | None = None,
) -> Codebook:
    """A new codebook with one more theme (id made from the label unless given)."""
    label = " ".join(str(label).split())
    if not label:
        raise CodebookError("Give the new theme a name.")
    seed_list = clean_seeds(seeds)
    if not seed_list:
        raise CodebookError(f"Give the theme '{label}' at least one seed phrase.")
    out = copy_codebook(cb)
    if any(t.label.lower() == label.lower() and not t.retired for t in out.themes):
        raise CodebookError(
            f"A theme called '{label}' already exists; choose another name or merge."
        )
    tid = theme_id or new_theme_id(out, label)
    if any(t.id == tid for t in out.themes):
        raise CodebookError(f"The theme id '{tid}' is already used.")
    out.themes.append(
        Theme(tid, label, description.strip(), seed_list, parent or None, plan_area or None)
    )
    return _validated(out)


def rename_theme(cb: Codebook, theme_id: str, label: str) -> Codebook:
    """A new codebook with the theme's label changed (its id, and so its history, stays)."""
    label = " ".join(str(label).split())
    if not label:
        raise CodebookError("A theme's name cannot be empty.")
    out = copy_codebook(cb)
    if any(
        t.label.lower() == label.lower() and t.id != theme_id and not t.retired for t in out.themes
    ):
        raise CodebookError(f"Another theme is already called '{label}'.")
    _find(out, theme_id).label = label
    return _validated(out)


def set_description(cb: Codebook, theme_id: str, description: str) -> Codebook:
    """A new codebook with the theme's description replaced."""
    out = copy_codebook(cb)
    _find(out, theme_id).description = str(description).strip()
    return _validated(out)


def set_seeds(cb: Codebook, theme_id: str, seeds: Iterable[str] | str) -> Codebook:
    """A new codebook with the theme's seed phrases replaced (a list, or one phrase per line)."""
    seed_list = clean_seeds(seeds)
    if not seed_list:
        raise CodebookError(
            "A theme needs at least one seed phrase; retire it instead of emptying it."
        )
    out = copy_codebook(cb)
    _find(out, theme_id).seeds = seed_list
    return _validated(out)


def set_plan_area(cb: Codebook, theme_id: str, plan_area: str | None) -> Codebook:
    """A new codebook with the Improvement Plan area of a theme changed (None for none)."""
    out = copy_codebook(cb)
    _find(out, theme_id).plan_area = plan_area or None
    return _validated(out)


def retire_theme(cb: Codebook, theme_id: str) -> Codebook:
    """A new codebook with the theme retired (kept for history, no longer used to classify)."""
    out = copy_codebook(cb)
    theme = _find(out, theme_id)
    if theme.retired:
        raise CodebookError(f"The theme '{theme.label}' is already retired.")
    theme.retired = True
    if not out.active_themes:
        raise CodebookError("This is the last active theme; a codebook needs at least one.")
    return _validated(out)


def restore_theme(cb: Codebook, theme_id: str) -> Codebook:
    """A new codebook with a retired theme active again."""
    out = copy_codebook(cb)
    theme = _find(out, theme_id)
    if not theme.retired:
        raise CodebookError(f"The theme '{theme.label}' is not retired.")
    theme.retired = False
    return _validated(out)


def merge_themes(cb: Codebook, source_id: str, target_id: str, *, remove: bool = False) -> Codebook:
    """Merge theme `source_id` into `target_id`: seeds unioned into the target; source retired.

    With remove=True the source is deleted instead of retired. Children of the source move to the
    target, so no parent link dangles.
    """
    if source_id == target_id:
        raise CodebookError("Choose two different themes to merge.")
    out = copy_codebook(cb)
    source, target = _find(out, source_id), _find(out, target_id)
    if target.retired:
        raise CodebookError(f"'{target.label}' is retired; restore it before merging into it.")
    target.seeds = clean_seeds(list(target.seeds) + list(source.seeds))
    if len(target.seeds) > config.CODEBOOK_MAX_SEEDS_PER_THEME:
        raise CodebookError(
            f"Merged, '{target.label}' would have more than {config.CODEBOOK_MAX_SEEDS_PER_THEME} seeds."
        )
    for t in out.themes:
        if t.parent == source_id:
            t.parent = target_id if t.id != target_id else target.parent
    if target.parent == source_id:
        target.parent = source.parent if source.parent != target_id else None
    if remove:
        out.themes = [t for t in out.themes if t.id != source_id]
    else:
        source.retired = True
    return _validated(out)


def split_theme(
    cb: Codebook,
    theme_id: str,
    new_label: str,
    moved_seeds: Iterable[str] | str,
    *,
    new_id: str | None = None,
    description: str = "",
) -> Codebook:
    """Split a theme in two: `moved_seeds` go to a new theme `new_label`; the rest stay.

    Both themes must keep at least one seed. The new theme shares the original's parent and
    Improvement Plan area.
    """
    out = copy_codebook(cb)
    original = _find(out, theme_id)
    moved = clean_seeds(moved_seeds)
    if not moved:
        raise CodebookError("Choose at least one seed phrase to move to the new theme.")
    lower_orig = {s.lower() for s in original.seeds}
    unknown = [s for s in moved if s.lower() not in lower_orig]
    if unknown:
        raise CodebookError(f"'{unknown[0]}' is not a seed of '{original.label}'.")
    moved_lower = {s.lower() for s in moved}
    kept = [s for s in original.seeds if s.lower() not in moved_lower]
    if not kept:
        raise CodebookError(
            f"Leave at least one seed in '{original.label}' (or rename it instead)."
        )
    split = add_theme(
        out,
        new_label,
        [s for s in original.seeds if s.lower() in moved_lower],
        description=description,
        theme_id=new_id,
        parent=original.parent,
        plan_area=original.plan_area,
    )
    _find(split, theme_id).seeds = kept
    return _validated(split)


def adopt_theme(cb: Codebook, theme: Theme) -> Codebook:
    """Add a theme built elsewhere (e.g. DiscoveredTheme.to_theme()), renaming its id if taken."""
    tid = theme.id if theme.id not in {t.id for t in cb.themes} else new_theme_id(cb, theme.label)
    return add_theme(
        cb,
        theme.label,
        theme.seeds,
        description=theme.description or "",
        theme_id=tid if re.match(r"^[a-z][a-z0-9_]{0,49}$", tid) else None,
        parent=theme.parent if theme.parent in {t.id for t in cb.themes} else None,
        plan_area=theme.plan_area,
    )


def describe_changes(old: Codebook, new: Codebook) -> list[str]:
    """What changed between two codebooks, in words (used as the default note of a save)."""
    before = {t.id: t for t in old.themes}
    after = {t.id: t for t in new.themes}
    changes: list[str] = []
    for tid, t in after.items():
        if tid not in before:
            changes.append(f"added '{t.label}'")
            continue
        b = before[tid]
        if b.label != t.label:
            changes.append(f"renamed '{b.label}' to '{t.label}'")
        if b.retired != t.retired:
            changes.append(f"{'retired' if t.retired else 'restored'} '{t.label}'")
        if [s.lower() for s in b.seeds] != [s.lower() for s in t.seeds]:
            added = len({s.lower() for s in t.seeds} - {s.lower() for s in b.seeds})
            removed = len({s.lower() for s in b.seeds} - {s.lower() for s in t.seeds})
            changes.append(f"seeds of '{t.label}': +{added} / -{removed}")
        if b.description != t.description:
            changes.append(f"description of '{t.label}' edited")
        if b.plan_area != t.plan_area or b.parent != t.parent:
            changes.append(f"links of '{t.label}' edited")
    for tid, b in before.items():
        if tid not in after:
            changes.append(f"removed '{b.label}'")
    return changes
