"""People's judgements of themes: "answer R does (1) or does not (0) raise theme T".

A judgement is the same thing as a correction (analysis.themes.corrections_store keeps them per
dataset with who and when; the latest for an answer and theme wins). This module reads them from a
file (`response_id,text,theme_id,present`), finds the answers they are about, and fits a model that
learns from them:
  - the model keeps seeds and the starter model (union) and adds what the judgements teach;
  - each judged answer counts `weight` times as much as a weak label from seeds or starter data
    (for a judged theme the starter's answers are weak labels, and it is overruled where the
    judgements teach the model otherwise);
  - a judged answer always takes the judged themes (pipeline.classify_responses applies them last);
  - retraining refits one linear model per judged theme on the features the model without
    judgements already computed (analysis.themes.retrain): seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.core.errors import InputError
from analysis.text.normalise import normalise
from analysis.themes.codebook import Codebook

if TYPE_CHECKING:
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

JUDGEMENT_COLUMNS = ["response_id", "text", "theme_id", "present"]
_YES = frozenset({"1", "1.0", "true", "yes", "y", "present"})
_NO = frozenset({"0", "0.0", "false", "no", "n", "absent"})


class JudgementError(InputError):
    """A judgements file that cannot be used; the message says what to fix."""


def _present(value: object, row: int) -> int:
    text = str(value).strip().lower()
    if text in _YES:
        return 1
    if text in _NO:
        return 0
    raise JudgementError(f"judgement row {row}: present must be 1 or 0, not {str(value)[:20]!r}")


def read_judgements(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Checked judgements: columns response_id, text, theme_id, present (1/0); the last of repeats wins.

    Raises JudgementError when a column is missing, a present value is not 1/0 (yes/no), a theme id
    is not in the codebook, or a row has neither a response id nor a text.
    """
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in ("theme_id", "present") if c not in frame.columns]
    if missing or not {"response_id", "text"} & set(frame.columns):
        need = ", ".join(JUDGEMENT_COLUMNS)
        raise JudgementError(
            f"judgements need the columns {need} (missing {', '.join(missing) or 'response_id/text'})"
        )
    out = pd.DataFrame(
        {
            "response_id": _clean(frame.get("response_id"), len(frame)),
            "text": _clean(frame.get("text"), len(frame)),
            "theme_id": _clean(frame["theme_id"], len(frame)),
        }
    )
    out["present"] = [_present(v, i + 2) for i, v in enumerate(frame["present"])]
    known = set(codebook.theme_ids)
    unknown = sorted(set(out["theme_id"]) - known)
    if unknown:
        raise JudgementError(
            f"judgements name theme ids the codebook does not have: {', '.join(unknown[:5])}"
        )
    empty = (out["response_id"] == "") & (out["text"] == "")
    if empty.any():
        raise JudgementError(
            f"judgement row {int(np.flatnonzero(empty)[0]) + 2} has no response_id and no text"
        )
    key = out["response_id"].where(out["response_id"] != "", "text:" + out["text"].map(normalise))
    keep = ~pd.DataFrame({"key": key, "theme": out["theme_id"]}).duplicated(keep="last")
    return out[keep].reset_index(drop=True)


def with_parents(judgements: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Judgements plus "present" for the parent of every sub-theme judged present, unless the same
    answer's parent is judged itself (an answer raising a sub-theme raises its parent)."""
    active = {t.id for t in codebook.active_themes}
    parents = {t.id: t.parent for t in codebook.active_themes if t.parent in active}
    if judgements.empty or not parents:
        return judgements
    key = judgements["response_id"].where(
        judgements["response_id"] != "", "text:" + judgements["text"]
    )
    judged = set(zip(key, judgements["theme_id"], strict=True))
    rows = []
    for k, (_, row) in zip(key, judgements.iterrows(), strict=True):
        parent = parents.get(row["theme_id"])
        if parent and row["present"] == 1 and (k, parent) not in judged:
            judged.add((k, parent))
            rows.append({**row.to_dict(), "theme_id": parent})
    if not rows:
        return judgements
    return pd.concat([judgements, pd.DataFrame(rows)], ignore_index=True)


def _clean(column: pd.Series | None, n: int) -> pd.Series:
    if column is None:
        return pd.Series([""] * n, dtype=object)
    return column.astype(object).where(column.notna(), "").map(lambda v: str(v).strip())


def match_judgements(responses: pd.DataFrame, judgements: pd.DataFrame) -> pd.DataFrame:
    """Judgements moved onto `responses` (response_id, text): by response id, else by the same text.

    Returns columns response_id (the responses' own), text, theme_id, present; a judgement that
    matches no answer is kept with its own text (it still teaches the model), and a judgement by text
    applies to every answer with that text.
    """
    rids = responses["response_id"].astype(str).tolist()
    texts = responses["text"].fillna("").astype(str).tolist()
    by_id = dict(zip(rids, texts))
    by_text: dict[str, list[str]] = {}
    for rid, text in zip(rids, texts):
        by_text.setdefault(normalise(text), []).append(rid)
    rows: list[tuple[str, str, str, int]] = []
    for rid, text, tid, present in judgements[JUDGEMENT_COLUMNS].itertuples(index=False):
        if rid and rid in by_id:
            rows.append((rid, by_id[rid], tid, present))
        elif text and normalise(text) in by_text:
            rows.extend((r, by_id[r], tid, present) for r in by_text[normalise(text)])
        elif text:
            rows.append((f"judged:{rid or normalise(text)}", text, tid, present))
    return pd.DataFrame(rows, columns=JUDGEMENT_COLUMNS)


def judgement_matrix(
    judgements: pd.DataFrame, theme_ids: Sequence[str]
) -> tuple[list[str], list[str], np.ndarray]:
    """(answer ids, texts, m x K matrix of 1 present / 0 absent / -1 not judged)."""
    pos = {t: k for k, t in enumerate(theme_ids)}
    ids = list(dict.fromkeys(judgements["response_id"].astype(str)))
    row = {r: i for i, r in enumerate(ids)}
    y = np.full((len(ids), len(theme_ids)), -1, dtype=np.int8)
    texts = [""] * len(ids)
    for rid, text, tid, present in judgements[JUDGEMENT_COLUMNS].itertuples(index=False):
        if tid in pos:
            texts[row[str(rid)]] = str(text)
            y[row[str(rid)], pos[tid]] = int(present)
    return ids, texts, y


def fit_with_judgements(
    texts: Sequence[object],
    codebook: Codebook,
    judgements: pd.DataFrame,
    *,
    weight: float = config.CORRECTION_WEIGHT,
    random_state: int = config.RANDOM_SEED,
    base: ZeroShotThemeClassifier | None = None,
) -> ZeroShotThemeClassifier:
    """A zero-shot model (seeds + starter) fitted on the answers with judgements counting `weight`
    times a weak label.

    judgements: as from match_judgements (response_id, text, theme_id, present).
    base: the model already fitted without judgements on these answers and this codebook (e.g.
    pipeline.zero_shot_model's); when given, it is retrained (analysis.themes.retrain: seconds at
    100,000 answers) instead of fitting from scratch, and returned as is when nothing is judged.
    """
    from analysis.themes.retrain import can_retrain, retrain
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

    reuse = base is not None and can_retrain(base)
    if judgements is None or judgements.empty:
        return (
            base
            if reuse
            else ZeroShotThemeClassifier(random_state=random_state).fit(texts, codebook)
        )
    ids = list(base.theme_ids_) if reuse else list(codebook.theme_ids)
    _, jtexts, y = judgement_matrix(judgements, ids)
    if reuse:
        return retrain(base, y, jtexts, label_weight=weight)
    model = ZeroShotThemeClassifier(random_state=random_state)
    return model.fit(texts, codebook, labels=y, label_texts=jtexts, label_weight=weight)
