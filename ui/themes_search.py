"""The Themes page's search and emerging-theme sections, and saving a theme made from either.

Respondent text is shown only through st.dataframe and st.text, never Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis import privacy, store
from analysis.core.errors import ConflictError
from analysis.text.search import QueryError, seeds_from_query
from analysis.themes.codebook import CodebookError
from analysis.themes.codebook_edit import add_theme, adopt_theme
from ui import auth
from ui import themes as tu
from ui.context import can_edit, can_view_unredacted
from ui.themes_answers import show_answers

if TYPE_CHECKING:
    from ui.context import PageContext

EMERGING_SHOWN = 8  # emerging themes drawn, largest first; the rest are in the caption's count


def _save_new(view: tu.ThemeView, edited, note: str) -> None:  # noqa: ANN001
    """Save the edited codebook as a new version and rerun (a conflict or bad codebook is shown)."""
    try:
        saved = tu.save_codebook(edited, base_version=view.codebook.version, note=note)
    except (ConflictError, CodebookError) as exc:
        st.error(tu.plain(exc))
        return
    st.session_state["th_flash"] = (
        f"Saved codebook version {saved.version}. Answers are re-classified now."
    )
    st.session_state["_th_clear"] = (
        True  # empty the new-theme fields on the next run, before they render
    )
    st.rerun()


def search_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Search box → matching answers → use the query's words as a new theme's seeds."""
    if st.session_state.pop("_th_clear", False):
        for key in ("search_theme_label", "search_theme_seeds"):
            st.session_state.pop(key, None)
    query = st.text_input(
        "Search answers",
        key="search_q",
        placeholder='e.g. wait* AND "rang back" NOT staff',
        help='Words, "phrases in quotes", AND / OR / NOT (capitals), brackets; wait* matches any ending.',
    )
    if not query.strip():
        return
    unredacted = can_view_unredacted()
    if unredacted:
        st.caption(
            "As an admin you search the original, unredacted answers; each search is recorded in the "
            "access log with its query. The answers below are still shown redacted."
        )
    try:
        table, result = tu.search_answers(ctx, view, query, unredacted=unredacted)
        seeds = seeds_from_query(query)
    except QueryError as exc:
        st.error(tu.plain(exc))
        return
    if unredacted:
        _log_unredacted_search(ctx, query)
    if result.check.withheld:
        st.info(_search_withheld(result.check))
        return
    total = result.total
    show_answers(table, total, key="search_answers", ctx=ctx)
    if not (can_edit("edit_codebook") and seeds and total):
        return
    st.header("Make a new theme from this search")
    label = st.text_input("Name of the new theme", key="search_theme_label")
    seed_text = st.text_area(
        "Seed phrases (one per line)", value="\n".join(seeds), key="search_theme_seeds"
    )
    if st.button(
        "Use as seeds of a new theme", key="search_make_theme", disabled=not label.strip()
    ):
        try:
            edited = add_theme(view.codebook, label, seed_text)
        except CodebookError as exc:
            st.error(tu.plain(exc))
            return
        _save_new(view, edited, "New theme from a search")


def _search_withheld(check: privacy.SelectionCheck) -> str:
    """Why a search shows nothing, without saying how many answers matched."""
    if check.reason == "small":
        return (
            f"The answers this search finds come from fewer than {check.threshold} people, so they are "
            "not listed or counted, to protect their privacy. Search for something broader."
        )
    return (
        "This search leaves out only a few people's answers: comparing it with everything chosen would "
        "reveal them, so nothing is listed or counted, to protect their privacy. Search for something "
        "narrower or broader."
    )


def _log_unredacted_search(ctx: PageContext, query: str) -> None:
    """Record an admin's search of the unredacted text once per dataset and query in this session."""
    done = st.session_state.setdefault("_searches_logged", [])
    key = f"{ctx.dataset_id}|{query}"
    if key in done:
        return
    store.log_access(auth.editor_name(), "search unredacted answers",
                     f"dataset {ctx.dataset_id}, query {query!r}")  # fmt: skip
    done.append(key)


def emerging_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Clusters of unassigned answers with phrases and redacted examples; adopt one into the codebook."""
    # Discovery takes seconds to tens of seconds: run it when asked, then keep it cached.
    if not st.session_state.get("em_on"):
        st.caption("Group the answers no theme covers into candidate new themes.")
        if st.button("Look for emerging themes", key="em_run"):
            st.session_state["em_on"] = True
            st.rerun()
        return
    found = tu.emerging_themes(ctx, view)
    if not found:
        st.info(
            "No emerging themes: the answers no theme covers are too few, or share nothing "
            "beyond general words (“feel”, “better”)."
        )
        return
    covered = sum(dt.size for dt in found)
    shown = f"; the {EMERGING_SHOWN} largest are shown" if len(found) > EMERGING_SHOWN else ""
    st.caption(
        f"{len(found)} groups of answers that no theme covers ({covered:,} answers), largest "
        f"first{shown}. Left out: answers that say only how good or bad things were (“Good as it "
        "is”, “Not much”) and groups whose answers share only general words (“feel”, “better”): "
        "neither names a theme."
    )
    for i, dt in enumerate(found[:EMERGING_SHOWN]):
        with st.container(border=True):
            # Discovery hands out redacted words only (analysis.themes.discovery_names).
            st.text(f"Emerging theme {i + 1}: {dt.name} ({dt.size:,} answers)")
            if dt.repeats is not None:
                st.text(f"Repeats the codebook theme “{dt.repeats.label}” "
                        f"(shares: {', '.join(dt.repeats.shared)}).")  # fmt: skip
            examples = pd.Series(dt.examples, dtype=object)
            st.dataframe(
                pd.DataFrame({"distinctive phrases": [", ".join(dt.top_phrases)],
                              "proposed seeds": [", ".join(dt.proposed_seeds)]}),
                hide_index=True, key=f"em_ph_{i}",
            )  # fmt: skip
            st.dataframe(
                pd.DataFrame({"example answers (redacted)": examples}),
                hide_index=True,
                key=f"em_ex_{i}",
            )
            if can_edit("edit_codebook") and st.button(
                "Adopt into the codebook", key=f"em_adopt_{i}"
            ):
                try:
                    edited = adopt_theme(view.codebook, dt.to_theme())
                except (CodebookError, ValueError) as exc:
                    st.error(tu.plain(exc))
                    continue
                _save_new(view, edited, f"Adopted emerging theme ({dt.size} answers)")
