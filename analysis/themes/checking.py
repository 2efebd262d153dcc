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
from analysis.themes.review import doubt_margins, judged_quality, pick_for_review

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
    from analysis.themes.pipeline import zero_shot_model

    judgements, _ = split_corrections(judgements)
    if judgements is None or judgements.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    frame = pd.DataFrame(
        {
            "response_id": responses["response_id"].astype(str).to_numpy(),
            "text": responses["text"].fillna("").astype(str).to_numpy(),
        }
    )
    matched = match_judgements(frame, _with_text(judgements))
    matched = matched[~matched["response_id"].str.startswith("judged:")]
    if matched.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    base = zero_shot_model(frame["text"].tolist(), codebook)
    ids = list(base.theme_ids_)
    _, texts, y = judgement_matrix(matched, ids)
    assigned = base.classify(texts, explain_model=False).assigned
    rows = []
    for tid, q in judged_quality(assigned, y, ids).items():
        n = int((y[:, ids.index(tid)] >= 0).sum())
        if not n:
            continue
        p, r = q["precision"], q["recall"]
        rows.append(
            [
                labels.get(tid, tid),
                n,
                _pct(p.value),
                _interval(p),
                _pct(r.value),
                _interval(r),
                max(p.more_for_half_width, r.more_for_half_width),
            ]  # fmt: skip
        )
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


def _pct(value: float | None) -> str:
    return "not yet" if value is None else f"{100 * value:.0f}%"


def _interval(est: object) -> str:
    if est.value is None:
        return "-"
    return f"{100 * est.low:.0f}% to {100 * est.high:.0f}% (n={est.n})"
