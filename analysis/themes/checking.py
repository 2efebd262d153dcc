"""What the "Check themes" view needs: the answers to ask about, and how right the product was.

The queue comes from the model as taught by the judgements so far (analysis.themes.judgements), so a
new queue never asks what people have already settled; each answer comes with the themes to ask
about: the ones the product suggests, then the ones it is most in doubt about. The quality figures
compare people's judgements with what the product raises before it learns from them (the seeds and
the model fitted on the answers), so they say how far the product can be trusted untaught.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.text.sentiment_teach import split_corrections
from analysis.themes.codebook import Codebook
from analysis.themes.judgements import fit_with_judgements, judgement_matrix, match_judgements
from analysis.themes.review import (
    Estimate,
    doubt_margins,
    estimate,
    judged_quality,
    pick_for_review,
)

MAX_THEMES_ASKED = 4
QUALITY_COLUMNS = [
    "theme",
    "judged answers",
    "precision",
    "precision 95% interval",
    "recall",
    "recall 95% interval",
    "more judgements for ±10 points",
]


@dataclass(frozen=True)
class ToCheck:
    """One answer to ask about: its id and the theme ids to ask, suggested ones first."""

    response_id: str
    themes: tuple[str, ...]
    suggested: tuple[str, ...]


def review_queue(
    responses: pd.DataFrame,
    codebook: Codebook,
    judgements: pd.DataFrame | None,
    count: int,
) -> list[ToCheck]:
    """The `count` answers (response_id, text) most worth judging, not judged yet, with themes to ask.

    judgements: the saved ones (response_id, theme_id, present); the model learns from them first.
    """
    frame = pd.DataFrame(
        {
            "response_id": responses["response_id"].astype(str).to_numpy(),
            "text": responses["text"].fillna("").astype(str).to_numpy(),
        }
    )
    judgements, _ = split_corrections(judgements)  # sentiment corrections judge no theme
    matched = None
    if judgements is not None and not judgements.empty:
        matched = match_judgements(frame, _with_text(judgements))
    from analysis.themes.pipeline import zero_shot_model

    texts = frame["text"].tolist()
    # The model the pages already fitted for these answers, retrained with the judgements (seconds).
    model = fit_with_judgements(texts, codebook, matched, base=zero_shot_model(texts, codebook))
    judged = set(judgements["response_id"].astype(str)) if judgements is not None else set()
    exclude = [i for i, r in enumerate(frame["response_id"]) if r in judged]
    picked = pick_for_review(model, frame["text"].tolist(), count, exclude=exclude)
    if not picked:
        return []
    texts = [frame["text"].iloc[i] for i in picked]
    assigned = model.classify(texts, explain_model=False).assigned
    margins = doubt_margins(model, texts)
    ids = list(model.theme_ids_)
    out = []
    for j, i in enumerate(picked):
        suggested = [ids[k] for k in np.flatnonzero(assigned[j])]
        doubtful = [
            ids[k] for k in np.argsort(margins[j], kind="stable") if ids[k] not in suggested
        ]
        asked = (suggested + doubtful)[: max(MAX_THEMES_ASKED, len(suggested))]
        out.append(ToCheck(frame["response_id"].iloc[i], tuple(asked), tuple(suggested)))
    return out


def _with_text(judgements: pd.DataFrame) -> pd.DataFrame:
    out = judgements[["response_id", "theme_id", "present"]].copy()
    out["response_id"] = out["response_id"].astype(str)
    out["text"] = ""
    out["present"] = out["present"].astype(bool).astype(int)
    return out


@dataclass(frozen=True)
class ThemeQuality:
    """One theme's precision and recall on the answers judged on it (n of them)."""

    n: int
    precision: Estimate
    recall: Estimate

    @property
    def more(self) -> int:
        """More judgements for both intervals to be within +/-10 points (0: already)."""
        return max(self.precision.more_for_half_width, self.recall.more_for_half_width)


def theme_quality(
    responses: pd.DataFrame, codebook: Codebook, judgements: pd.DataFrame | None
) -> dict[str, ThemeQuality]:
    """Each judged theme's precision and recall, of the product before it learns from the
    judgements, on the answers people judged (response_id, theme_id, present). {} when none."""
    from analysis.themes.pipeline import zero_shot_model

    judgements, _ = split_corrections(judgements)
    if judgements is None or judgements.empty:
        return {}
    frame = pd.DataFrame(
        {
            "response_id": responses["response_id"].astype(str).to_numpy(),
            "text": responses["text"].fillna("").astype(str).to_numpy(),
        }
    )
    matched = match_judgements(frame, _with_text(judgements))
    matched = matched[~matched["response_id"].str.startswith("judged:")]
    if matched.empty:
        return {}
    base = zero_shot_model(frame["text"].tolist(), codebook)
    ids = list(base.theme_ids_)
    _, texts, y = judgement_matrix(matched, ids)
    assigned = base.classify(texts, explain_model=False).assigned
    out = {}
    for tid, q in judged_quality(assigned, y, ids).items():
        n = int((y[:, ids.index(tid)] >= 0).sum())
        if n:
            out[tid] = ThemeQuality(n, q["precision"], q["recall"])
    return out


def quality_table(
    responses: pd.DataFrame,
    codebook: Codebook,
    judgements: pd.DataFrame | None,
    labels: dict[str, str],
) -> pd.DataFrame:
    """Each theme's precision and recall on the judged answers, with 95% intervals (QUALITY_COLUMNS).

    responses: every answer of the dataset (response_id, text); judgements: response_id, theme_id,
    present. Empty when nothing is judged.
    """
    rows = [
        [labels.get(tid, tid), q.n, _pct(q.precision.value), _interval(q.precision),
         _pct(q.recall.value), _interval(q.recall), q.more]
        for tid, q in theme_quality(responses, codebook, judgements).items()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


def quality_sentence(label: str, quality: ThemeQuality | None) -> str:
    """One theme's judged precision and recall in plain words, or how to get them."""
    if quality is None:
        need = estimate(0, 0).more_for_half_width
        return (
            f"No answer has been judged on {label} yet (Check themes, below). About {need} "
            "judgements would tell its precision to within 10 points either way."
        )
    p, r = quality.precision, quality.recall
    said = [
        f"{name} {_pct(e.value)} (95% interval {100 * e.low:.0f}% to {100 * e.high:.0f}%)"
        if e.value is not None
        else f"{name} not yet known"
        for name, e in (("precision", p), ("recall", r))
    ]
    n = quality.n
    text = f"{label}, on the {n} answer{'' if n == 1 else 's'} people judged: {said[0]}; {said[1]}."
    if quality.more:
        text += f" About {quality.more} more judgements would narrow both to 10 points either way."
    return text


def _pct(value: float | None) -> str:
    return "not yet" if value is None else f"{100 * value:.0f}%"


def _interval(est: object) -> str:
    if est.value is None:
        return "-"
    return f"{100 * est.low:.0f}% to {100 * est.high:.0f}% (n={est.n})"
