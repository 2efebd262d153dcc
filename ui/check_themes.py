"""The "Check themes" view (Codebook page): judge the product's least sure answers, one theme at a time.

Keys: Y = yes, N = no, S = skip the answer. Buttons below correct the answer's sentiment (saved at
once, with who). An answer's judgements are saved (with who and when) when
its last theme is judged; the page then re-classifies with them, so the answer's themes change at once
and the next queue is picked by the taught model. Only parameters (ids, theme ids, 1/0) live in
session state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from streamlit.errors import StreamlitAPIException

from analysis.themes import checking, corrections_store
from analysis.themes.corrections_store import CorrectionError
from ui import auth
from ui import themes as tu
from ui.context import can_edit

if TYPE_CHECKING:
    from ui.context import PageContext

QUEUE_SIZE = 10
KEY_QUEUE = "chk_queue"  # [(response_id, [theme ids asked], [theme ids suggested]), ...]
KEY_POS = "chk_pos"  # (answer index, theme index)
KEY_DONE = "chk_done"  # judgements of the current answer: {theme_id: 1/0}
KEY_SAVED = "chk_saved"  # how many answers judged in this session
KEY_LAST = "chk_last"  # the id of the answer judged last
KEY_FOR = "chk_for"  # the dataset and filters the queue was picked from
FEELINGS = ("positive", "neutral", "negative", "mixed")  # sentiment labels a person can give


@st.cache_data(max_entries=8, show_spinner="Choosing the answers the product is least sure of…")
def _queue(view_key: str, sel_key: str, _ctx: PageContext, _view: tu.ThemeView) -> list[tuple]:
    judged = corrections_store.corrections_for_classifier(_ctx.dataset_id)
    found = checking.review_queue(_ctx.responses, _view.codebook, judged, QUEUE_SIZE)
    return [(c.response_id, list(c.themes), list(c.suggested)) for c in found]


@st.cache_data(max_entries=8, show_spinner=False)
def _quality(view_key: str, _ctx: PageContext, _view: tu.ThemeView):  # noqa: ANN202
    judged = corrections_store.corrections_for_classifier(_ctx.dataset_id)
    return checking.quality_table(_ctx.all_responses, _view.codebook, judged, _view.labels)


@st.cache_data(max_entries=8, show_spinner=False)
def _theme_quality(view_key: str, _ctx: PageContext, _view: tu.ThemeView) -> dict:
    judged = corrections_store.corrections_for_classifier(_ctx.dataset_id)
    return checking.theme_quality(_ctx.all_responses, _view.codebook, judged)


def theme_quality(ctx: PageContext, view: tu.ThemeView) -> dict[str, checking.ThemeQuality]:
    """Each judged theme's precision and recall so far ({} when nothing is judged)."""
    return _theme_quality(view.key, ctx, view)


def check_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """The queue of answers to judge (editors), then each theme's precision and recall so far."""
    st.caption(
        "The answers whose themes the product is least sure of, across all themes. Answer yes or "
        "no for each theme (keys Y and N; A agrees with the product on the questions left; S skips "
        "the answer). Your judgements are kept with your name, count for more than the seeds, and "
        "always decide the themes of the answers you judge."
    )
    if can_edit("correct"):
        _judge(ctx, view)
    _quality_section(ctx, view)


@st.fragment
def _judge(ctx: PageContext, view: tu.ThemeView) -> None:
    """One question at a time. A fragment: a yes or no that saves nothing redraws only this part;
    saving an answer's judgements redraws the page (its figures change with them)."""
    if st.session_state.get(KEY_SAVED):
        n = st.session_state[KEY_SAVED]
        st.success(f"{n} answer{'' if n == 1 else 's'} judged in this session.")
        last = tu.answers(ctx, view, [st.session_state[KEY_LAST]], limit=1)
        if not last.empty:  # re-classified with the judgements just saved
            st.text(f"The answer judged last now raises: {last.iloc[0]['themes'] or 'no theme'}")
    picked_for = f"{ctx.dataset_id}|{tu.selection_key(ctx)}"
    if st.session_state.get(KEY_FOR) != picked_for:  # another dataset or filters: a new queue
        _reset()
        st.session_state[KEY_FOR] = picked_for
    queue = st.session_state.get(KEY_QUEUE)
    if not queue:
        if not st.button("Check themes: pick answers to judge", key="chk_start"):
            return
        queue = _queue(view.key, tu.selection_key(ctx), ctx, view)
        if not queue:
            st.info("No answers left to judge in this selection.")
            return
        st.session_state[KEY_QUEUE] = queue
        st.session_state[KEY_POS] = (0, 0)
        st.session_state[KEY_DONE] = {}
    answer_i, theme_i = st.session_state.get(KEY_POS, (0, 0))
    rid, asked, suggested = queue[answer_i]
    row = tu.answers(ctx, view, [rid], limit=1)
    if row.empty:  # the answer left the selection (filters changed): start again
        _reset()
        st.rerun()
    row = row.iloc[0]
    st.text(f"Answer {answer_i + 1} of {len(queue)}")
    st.text(str(row["answer"]))
    st.text(f"Themes now: {row['themes']}  ·  Why: {row['why'] or '-'}")
    theme = asked[theme_i]
    label = view.labels.get(theme, theme)
    hint = (
        "suggested by the product" if theme in suggested else "not suggested; the product is unsure"
    )
    st.text(f"Does this answer raise “{label}”? ({hint}; theme {theme_i + 1} of {len(asked)})")
    rest = asked[theme_i:]
    st.text(
        "The product's answers to the questions left: "
        + "; ".join(
            f"{'yes' if t in suggested else 'no'} to “{view.labels.get(t, t)}”" for t in rest
        )
    )
    yes, no, agree, skip = st.columns(4)
    if yes.button("Yes (Y)", key="chk_yes", shortcut="y", type="primary"):
        _record(ctx, {theme: 1})
    if no.button("No (N)", key="chk_no", shortcut="n"):
        _record(ctx, {theme: 0})
    if agree.button(
        "Agree with the rest (A)",
        key="chk_agree",
        shortcut="a",
        help="Yes to the themes the product suggests and no to the others, for the questions left",
    ):
        _record(ctx, {t: int(t in suggested) for t in rest})
    if skip.button("Skip answer (S)", key="chk_skip", shortcut="s"):
        _next_answer()
        _redraw_part()
    _feeling(ctx, rid, str(row.get("feeling") or "not scored"))


def _feeling(ctx: PageContext, rid: str, now: str) -> None:
    """Correct this answer's sentiment: saved at once with who made it, final for this answer, and
    training for the sentiment of the rest (analysis.text.sentiment_teach)."""
    st.text(f"Sentiment now: {now}. If that is wrong, say what it is:")
    for col, label in zip(st.columns(len(FEELINGS)), FEELINGS, strict=True):
        if col.button(label.capitalize(), key=f"chk_feel_{label}", disabled=label == now):
            try:
                corrections_store.save_sentiment_correction(
                    ctx.dataset_id, rid, label, who=auth.editor_name()
                )
            except CorrectionError as exc:
                st.error(tu.plain(exc))
                return
            st.rerun()  # the answers' sentiment changes with it: the whole page redraws


def _record(ctx: PageContext, judged: dict[str, int]) -> None:
    """Keep the yes/no of the next asked theme, or of all those left (in the order asked); after the
    answer's last theme, save them all and move on."""
    queue = st.session_state[KEY_QUEUE]
    answer_i, theme_i = st.session_state[KEY_POS]
    rid, asked, _ = queue[answer_i]
    done = dict(st.session_state.get(KEY_DONE, {}))
    done.update(judged)
    st.session_state[KEY_DONE] = done
    if theme_i + len(judged) < len(asked):
        st.session_state[KEY_POS] = (answer_i, theme_i + len(judged))
        _redraw_part()
    rows = [{"response_id": rid, "theme_id": t, "present": bool(p)} for t, p in done.items()]
    try:
        corrections_store.save_corrections(ctx.dataset_id, rows, who=auth.editor_name())
    except CorrectionError as exc:
        st.error(tu.plain(exc))
        return
    st.session_state[KEY_SAVED] = st.session_state.get(KEY_SAVED, 0) + 1
    st.session_state[KEY_LAST] = rid
    _next_answer()
    st.rerun()


def _redraw_part() -> None:
    """Rerun the fragment only; a full run (a page test, or before the first fragment run) reruns all."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def _next_answer() -> None:
    queue = st.session_state[KEY_QUEUE]
    answer_i, _ = st.session_state[KEY_POS]
    st.session_state[KEY_DONE] = {}
    if answer_i + 1 < len(queue):
        st.session_state[KEY_POS] = (answer_i + 1, 0)
    else:  # a new queue, picked by the model taught by these judgements
        _reset()


def _reset() -> None:
    for key in (KEY_QUEUE, KEY_POS, KEY_DONE):
        st.session_state.pop(key, None)


def _quality_section(ctx: PageContext, view: tu.ThemeView) -> None:
    table = _quality(view.key, ctx, view)
    if table.empty:
        st.caption(
            "No judgements yet: each theme's precision and recall appear here as people judge."
        )
        return
    st.subheader("How often the product was right, on the answers people judged")
    st.caption(
        "Precision: of the judged answers where the product raised a theme (before learning from "
        "judgements), the share people said yes to. Recall: of the answers people said raise a theme, "
        "the share the product raised. The answers judged are the ones it was least sure of, so these "
        "are harder cases than most; the interval narrows as more are judged."
    )
    st.dataframe(table, hide_index=True, key="chk_quality")
