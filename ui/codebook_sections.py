"""Rendering of the Codebook page: editor (saves new versions), versions with restore, corrections.

Edits start from a base version kept in session state (a number, not the codebook); a save names
that base, so a save after someone else's is refused with who and when instead of overwriting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis.core import config
from analysis.core.errors import ConflictError
from analysis.findings import theme_privacy
from analysis.themes import codebook_edit as ce
from analysis.themes import codebook_store, corrections_store
from analysis.themes.checking import ThemeQuality, quality_sentence
from analysis.themes.codebook import Codebook, CodebookError, Theme
from analysis.themes.corrections_store import CorrectionError
from analysis.themes.review import Estimate, estimate
from ui import auth
from ui import themes as tu
from ui.context import can_edit

if TYPE_CHECKING:
    from ui.context import PageContext

KEY_BASE = "cb_base"
KEY_FLASH = "cb_flash"
KEY_CLEAR = "_cb_clear"
EDIT_FIELDS = (
    "cb_add_label",
    "cb_add_desc",
    "cb_add_seeds",
    "cb_add_area",
    "cb_new_label",
    "cb_split_label",
    "cb_split_seeds",
    "cb_note",
    "cb_merge_remove",
    "_cb_seeds_for",
)
ACTIONS = {
    "add": "Add a theme",
    "rename": "Rename",
    "seeds": "Edit seeds and description",
    "merge": "Merge two themes",
    "split": "Split a theme",
    "retire": "Retire or restore",
}


def base_codebook() -> tuple[Codebook, int]:
    """The codebook edits start from (the version first seen in this session) and the latest version."""
    latest = codebook_store.latest_version()
    base = st.session_state.get(KEY_BASE)
    if not isinstance(base, int) or base > latest or base < 1:
        base = latest
        st.session_state[KEY_BASE] = base
    return codebook_store.load_version(base), latest


def header(cb: Codebook, latest: int) -> None:
    """Which version is being edited; a warning with a reload button when a newer one exists."""
    if flash := st.session_state.pop(KEY_FLASH, None):
        st.success(tu.plain(flash))
    versions = codebook_store.list_versions()
    row = versions.loc[versions["version"] == cb.version].iloc[0]
    st.text(f"Version {cb.version}, saved by {row['saved_by']} on {row['saved_at']:%d %b %Y %H:%M}")
    if latest > cb.version:
        newest = versions.iloc[0]
        st.warning(
            tu.plain(
                f"A newer version ({latest}) was saved by {newest['saved_by']} on "
                f"{newest['saved_at']:%d %b %Y %H:%M}. Load it before editing, or your save will be refused."
            )
        )
        if st.button("Load the newest version", key="cb_reload"):
            st.session_state[KEY_BASE] = latest
            st.rerun()


def themes_table(cb: Codebook, quality: dict[str, ThemeQuality] | None = None) -> pd.DataFrame:
    """The codebook as a table (one row per theme), with each theme's precision and recall on the
    answers people judged (Check themes) when there are any."""
    quality = quality or {}
    return pd.DataFrame(
        [
            {
                "id": t.id,
                "label": t.label,
                "description": t.description,
                "seeds": "; ".join(t.seeds),
                "n seeds": len(t.seeds),
                "plan area": t.plan_area or "",
                "parent": t.parent or "",
                "retired": t.retired,
                **_quality_cells(quality.get(t.id)),
            }
            for t in cb.themes
        ]
    )


def _quality_cells(q: ThemeQuality | None) -> dict[str, object]:
    """A theme's judged precision and recall as table cells (blank when nobody judged it)."""

    def cell(e: Estimate) -> str:
        if e.value is None:
            return "not yet"
        return f"{100 * e.value:.0f}% ({100 * e.low:.0f}% to {100 * e.high:.0f}%)"

    return {
        "answers judged": q.n if q else 0,
        "precision (95% interval)": cell(q.precision) if q else "",
        "recall (95% interval)": cell(q.recall) if q else "",
        "more judgements for ±10 points": q.more if q else estimate(0, 0).more_for_half_width,
    }


def _save(edited: Codebook, base: int, note: str) -> None:
    try:
        saved = tu.save_codebook(edited, base_version=base, note=note)
    except (ConflictError, CodebookError) as exc:
        st.error(tu.plain(exc))
        return
    st.session_state[KEY_BASE] = saved.version
    st.session_state[KEY_FLASH] = (
        f"Saved version {saved.version} ({note}). The answers are re-classified with it."
    )
    st.session_state[KEY_CLEAR] = True  # empty the edit fields on the next run (before they render)
    st.rerun()


def _reset_on_change(marker: str, current: str, values: dict) -> None:
    """Refill widgets prefilled from the chosen theme (or answer) when another one is chosen."""
    if st.session_state.get(marker) != current:
        st.session_state[marker] = current
        for key, value in values.items():
            st.session_state[key] = value


def _add_change(cb: Codebook) -> tuple[Codebook | None, str]:
    """Fields for a new theme; the edited codebook and its note once a name and seeds are given."""
    label = st.text_input("Name", key="cb_add_label")
    desc = st.text_area("Description", key="cb_add_desc")
    seeds = st.text_area("Seed phrases (one per line)", key="cb_add_seeds")
    area = st.selectbox("Improvement Plan area", ["", *config.PLAN_AREAS], key="cb_add_area")
    if label.strip() and seeds.strip():
        return (
            ce.add_theme(cb, label, seeds, description=desc, plan_area=area or None),
            f"added {label.strip()}",
        )
    return None, ""


def _rename_change(cb: Codebook, theme: Theme) -> tuple[Codebook | None, str]:
    """A new name for `theme`."""
    new = st.text_input("New name", key="cb_new_label")
    if new.strip() and new.strip() != theme.label:
        return ce.rename_theme(cb, theme.id, new), f"renamed {theme.label} to {new.strip()}"
    return None, ""


def _seeds_change(cb: Codebook, theme: Theme) -> tuple[Codebook | None, str]:
    """`theme`'s seeds and description, prefilled from the theme."""
    _reset_on_change(
        "_cb_seeds_for",
        theme.id,
        {"cb_seeds": "\n".join(theme.seeds), "cb_desc": theme.description},
    )
    seeds = st.text_area("Seed phrases (one per line)", key="cb_seeds", height=240)
    desc = st.text_area("Description", key="cb_desc")
    edited = ce.set_description(ce.set_seeds(cb, theme.id, seeds), theme.id, desc)
    return edited, f"edited seeds/description of {theme.label}"


def _merge_change(
    cb: Codebook, theme: Theme, active: dict[str, str], labels: dict[str, str]
) -> tuple[Codebook | None, str]:
    """Merge `theme` into another active theme (retired, or deleted when asked)."""
    targets = [t for t in active if t != theme.id]
    target = st.selectbox(
        "Merge into", targets, format_func=lambda t: labels.get(t, t), key="cb_target"
    )
    remove = st.checkbox("Delete the merged theme instead of retiring it", key="cb_merge_remove")
    if target:
        edited = ce.merge_themes(cb, theme.id, target, remove=remove)
        return edited, f"merged {theme.label} into {labels[target]}"
    return None, ""


def _split_change(cb: Codebook, theme: Theme) -> tuple[Codebook | None, str]:
    """A new theme taking some of `theme`'s seeds."""
    new_label = st.text_input("Name of the new theme", key="cb_split_label")
    tu.keep_valid("cb_split_seeds", list(theme.seeds))
    moved = st.multiselect("Seeds that move to the new theme", theme.seeds, key="cb_split_seeds")
    if new_label.strip() and moved:
        edited = ce.split_theme(cb, theme.id, new_label, moved)
        return edited, f"split {new_label.strip()} from {theme.label}"
    return None, ""


def _retire_change(cb: Codebook, theme: Theme) -> tuple[Codebook | None, str]:
    """Retire `theme`, or restore it when it is retired."""
    if theme.retired:
        edited, note = ce.restore_theme(cb, theme.id), f"restored {theme.label}"
    else:
        edited, note = ce.retire_theme(cb, theme.id), f"retired {theme.label}"
    st.caption("Saving will " + ("restore" if theme.retired else "retire") + " this theme.")
    return edited, note


def _theme_change(
    cb: Codebook, action: str, quality: dict[str, ThemeQuality] | None = None
) -> tuple[Codebook | None, str]:
    """Choose a theme and make the `action` change to it; (None, "") until the change is complete.
    Says how right the product was on the theme, from people's judgements (quality)."""
    labels = {t.id: t.label + (" (retired)" if t.retired else "") for t in cb.themes}
    active = {t.id: t.label for t in cb.themes if not t.retired}
    pool = active if action in ("merge", "split") else labels
    theme_id = st.selectbox(
        "Theme", list(pool), format_func=lambda t: labels.get(t, t), key="cb_theme"
    )
    theme = cb.get(theme_id)
    st.text(quality_sentence(theme.label, (quality or {}).get(theme_id)))
    if action == "rename":
        return _rename_change(cb, theme)
    if action == "seeds":
        return _seeds_change(cb, theme)
    if action == "merge":
        return _merge_change(cb, theme, active, labels)
    if action == "split":
        return _split_change(cb, theme)
    if action == "retire":
        return _retire_change(cb, theme)
    return None, ""


def editor(cb: Codebook, quality: dict[str, ThemeQuality] | None = None) -> None:
    """Controls for one change at a time; "Save as new version" stores it with who and when.
    quality: each judged theme's precision and recall, shown with the theme chosen."""
    if st.session_state.pop(KEY_CLEAR, False):
        for key in EDIT_FIELDS:
            st.session_state.pop(key, None)
    action = st.radio(
        "Change", list(ACTIONS), format_func=ACTIONS.get, horizontal=True, key="cb_action"
    )
    edited: Codebook | None = None
    note = ""
    try:
        edited, note = _add_change(cb) if action == "add" else _theme_change(cb, action, quality)
    except CodebookError as exc:
        st.error(tu.plain(exc))
        edited = None
    auth.name_input("Your name (saved with the version)")
    extra = st.text_input("Note (optional)", key="cb_note")
    if edited is not None:
        changes = ce.describe_changes(cb, edited)
        st.text("Changes: " + ("; ".join(changes) if changes else "none"))
    if st.button("Save as new version", key="cb_save", type="primary", disabled=edited is None):
        if edited is not None:
            _save(
                edited, cb.version, (note + (f" - {extra.strip()}" if extra.strip() else ""))[:500]
            )


def versions_section(base: int) -> None:
    """Every saved version; view one and restore it as a new version."""
    versions = codebook_store.list_versions()
    st.dataframe(versions, hide_index=True, key="cb_versions")
    chosen = st.selectbox("View a version", versions["version"].tolist(), key="cb_view_version")
    if chosen is None:
        return
    st.dataframe(
        themes_table(codebook_store.load_version(int(chosen))),
        hide_index=True,
        key="cb_version_themes",
    )
    if can_edit("edit_codebook") and int(chosen) != int(versions["version"].iloc[0]):
        if st.button("Restore this version", key="cb_restore"):
            try:
                saved = codebook_store.restore_version(
                    int(chosen), who=auth.editor_name(), base_version=base
                )
            except ConflictError as exc:
                st.error(tu.plain(exc))
                return
            st.session_state[KEY_BASE] = saved.version
            st.session_state[KEY_FLASH] = f"Restored version {chosen} as version {saved.version}."
            st.rerun()


def corrections_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Choose an answer, mark its themes right or wrong (add / remove), save; agreement history below."""
    active = {t.id: t.label for t in view.codebook.themes if not t.retired}
    filter_options = ["", *active, config.UNASSIGNED]
    theme_filter = st.selectbox(
        "Find answers raising",
        filter_options,
        format_func=lambda t: "any theme" if t == "" else view.labels.get(t, t),
        key="corr_filter",
    )
    ids = (
        tu.theme_response_ids(ctx, view, theme_filter)
        if theme_filter
        else ctx.responses["response_id"].head(1000).astype(str).tolist()  # only the ones offered
    )
    if not ids:
        st.info("No answers to correct in this selection.")
        return
    # A theme's answers are a narrowing of the selection: the small-group rule applies to them.
    check = theme_privacy.check_answers(ctx.responses, ids) if theme_filter else None
    if check is not None and check.withheld:
        st.info(theme_privacy.theme_message(check))
        return
    ids = ids[:1000]
    rid = st.selectbox("Answer", ids, key="corr_answer")
    row = tu.answers(ctx, view, [rid]).iloc[0]
    st.text(str(row["answer"]))
    st.text(f"Themes now: {row['themes']}  ·  Why: {row['why'] or '-'}")
    current = _current_themes(view, rid, active)
    _reset_on_change("_corr_for", rid, {"corr_themes": current})
    tu.keep_valid("corr_themes", list(active))
    chosen = st.multiselect(
        "Themes this answer really raises (remove wrong ones, add missing ones)",
        list(active),
        format_func=lambda t: active.get(t, t),
        key="corr_themes",
    )
    if can_edit("correct") and st.button("Save corrections", key="corr_save"):
        if not _save_corrections(ctx, rid, current, chosen):
            return
    _saved_corrections(ctx, view.labels)


def _current_themes(view: tu.ThemeView, rid: str, active: dict[str, str]) -> list[str]:
    """The active themes the classifier gave answer `rid`."""
    a = view.result.assignments
    return [
        str(t)
        for t in a.loc[(a["response_id"] == rid).to_numpy(dtype=bool), "theme_id"]
        if t in active
    ]


def _save_corrections(ctx: PageContext, rid: str, current: list[str], chosen: list[str]) -> bool:
    """Save the answer's themes as right or wrong and rerun; False (with the error shown) if refused."""
    rows = [
        {"response_id": rid, "theme_id": t, "present": t in chosen}
        for t in dict.fromkeys([*current, *chosen])
    ]
    try:
        n = corrections_store.save_corrections(ctx.dataset_id, rows, who=auth.editor_name())
    except CorrectionError as exc:
        st.error(tu.plain(exc))
        return False
    st.session_state[KEY_FLASH] = (
        f"Saved {n} correction(s). The answers are re-classified with them."
    )
    st.rerun()
    return True


def _saved_corrections(ctx: PageContext, labels: dict[str, str]) -> None:
    """The corrections saved for the dataset and the agreement with them over time."""
    saved = corrections_store.list_corrections(ctx.dataset_id)
    st.caption(f"{len(saved):,} corrections saved for this dataset.")
    if len(saved):
        shown = corrections_store.corrections_for_people(saved, labels)
        st.dataframe(shown, hide_index=True, key="corr_table")
    history = corrections_store.list_agreement(ctx.dataset_id)
    if len(history):
        last = history.iloc[-1]
        if pd.notna(last["before"]) and pd.notna(last["after"]):
            st.metric(
                "Agreement with people's corrections",
                f"{last['after']:.0%}",
                delta=f"{100 * (last['after'] - last['before']):+.0f} points after learning from corrections",
            )
        st.dataframe(
            history.rename(columns=corrections_store.AGREEMENT_WORDS),
            hide_index=True,
            key="corr_agreement",
        )
