"""Learning from people's corrections: retrain the zero-shot model with corrected answers
outweighing weak labels, and measure agreement before and after on held-out corrections."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.themes.codebook import Codebook
from analysis.themes.retrain import can_retrain, retrain
from analysis.themes.zero_shot import ZeroShotThemeClassifier

logger = logging.getLogger(__name__)

MIN_HELDOUT_ANSWERS = 3  # fewer corrected answers than this: measure in-sample and say so


def corrections_to_matrix(
    responses: pd.DataFrame, corrections: pd.DataFrame, theme_ids: Sequence[str]
) -> tuple[list[str], list[str], np.ndarray]:
    """(response ids, texts, m x K matrix of 1/0/-1) for the corrected answers; unknown themes dropped.

    corrections: columns theme_id, present and response_id (looked up in responses) or text.
    """
    if corrections is None or corrections.empty:
        return [], [], np.zeros((0, len(theme_ids)), dtype=np.int8)
    missing = {"theme_id", "present"} - set(corrections.columns)
    if missing:
        raise ValueError(
            f"corrections need columns theme_id and present (missing {', '.join(sorted(missing))})"
        )
    pos = {t: k for k, t in enumerate(theme_ids)}
    c = corrections[corrections["theme_id"].astype(str).isin(pos)].copy()
    if "response_id" in c.columns and "response_id" in responses.columns:
        lookup = dict(
            zip(
                responses["response_id"].astype(str),
                responses["text"].fillna("").astype(str),
            )
        )
        c["response_id"] = c["response_id"].astype(str)
        if "text" not in c.columns:
            c["text"] = c["response_id"].map(lookup)
        else:
            c["text"] = c["text"].where(c["text"].notna(), c["response_id"].map(lookup))
    elif "text" in c.columns:
        c["response_id"] = c["text"].astype(str)
    else:
        raise ValueError("corrections need a response_id or a text column")
    c = c[c["text"].notna()]
    ids = list(dict.fromkeys(c["response_id"]))
    row = {r: i for i, r in enumerate(ids)}
    y = np.full((len(ids), len(theme_ids)), -1, dtype=np.int8)
    texts = [""] * len(ids)
    for rid, text, tid, present in zip(c["response_id"], c["text"], c["theme_id"], c["present"]):
        i = row[rid]
        texts[i] = str(text)
        y[i, pos[str(tid)]] = 1 if _truthy(present) else 0  # a later correction wins
    return ids, texts, y


def _truthy(v: object) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "yes", "y", "present")
    return bool(v)


def agreement(decided: np.ndarray, y: np.ndarray) -> dict:
    """Agreement of decisions (m x K bool) with corrections (m x K 1/0/-1) on the corrected cells."""
    mask = y >= 0
    n = int(mask.sum())
    if n == 0:
        return {"n": 0, "accuracy": None, "f1": None, "precision": None, "recall": None}
    d = decided[mask].astype(bool)
    t = y[mask].astype(bool)
    tp = int((d & t).sum())
    fp = int((d & ~t).sum())
    fn = int((~d & t).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "n": n,
        "accuracy": float((d == t).mean()),
        "f1": float(f1),
        "precision": float(prec),
        "recall": float(rec),
    }


def _holdout_split(
    m: int, holdout_share: float, random_state: int
) -> tuple[np.ndarray, np.ndarray, bool]:
    """(train, test, heldout): a seeded split of m corrected answers; when too few to hold any
    out, both are all of them and heldout is False."""
    rng = np.random.default_rng(random_state)
    n_hold = int(round(holdout_share * m))
    heldout = n_hold >= MIN_HELDOUT_ANSWERS and m - n_hold >= 1
    order = rng.permutation(m)
    test = np.sort(order[:n_hold]) if heldout else np.arange(m)
    train = np.sort(order[n_hold:]) if heldout else np.arange(m)
    return train, test, heldout


def retrain_with_corrections(
    responses: pd.DataFrame,
    codebook: Codebook,
    corrections: pd.DataFrame,
    *,
    base: ZeroShotThemeClassifier | None = None,
    holdout_share: float = 0.3,
    correction_weight: float = config.CORRECTION_WEIGHT,
    random_state: int = config.RANDOM_SEED,
) -> tuple[ZeroShotThemeClassifier, dict]:
    """Retrain on the answers plus corrections (weighted above weak labels); report agreement.

    Returns (classifier trained on ALL corrections, report) where report has n_corrected answers,
    before/after agreement (accuracy, F1 on the corrected theme cells) measured on a seeded
    held-out share of the corrected answers, and `heldout` False when too few to hold any out.
    """
    texts = responses["text"].fillna("").astype(str).tolist()
    base = (
        base
        if base is not None
        else ZeroShotThemeClassifier(random_state=random_state).fit(texts, codebook)
    )
    ids, ctexts, y = corrections_to_matrix(responses, corrections, base.theme_ids_)
    m = len(ids)
    train, test, heldout = _holdout_split(m, holdout_share, random_state)
    before = agreement(
        base.classify([ctexts[i] for i in test], explain_model=False).assigned, y[test]
    )
    if heldout:
        probe = _taught(
            base, texts, codebook, y[train], [ctexts[i] for i in train], correction_weight
        )
        after = agreement(
            probe.classify([ctexts[i] for i in test], explain_model=False).assigned,
            y[test],
        )
    final = _taught(base, texts, codebook, y, ctexts, correction_weight)
    if not heldout:
        after = agreement(final.classify(ctexts, explain_model=False).assigned, y)
    report = {
        "n_corrected_answers": m,
        "n_corrected_cells": int((y >= 0).sum()),
        "n_heldout_answers": int(len(test)) if heldout else 0,
        "heldout": bool(heldout),
        "before": before,
        "after": after,
    }
    logger.info("corrections: %s", report)
    return final, report


def _taught(
    base: ZeroShotThemeClassifier,
    texts: list[str],
    codebook: Codebook,
    y: np.ndarray,
    label_texts: list[str],
    weight: float,
) -> ZeroShotThemeClassifier:
    """base taught by the corrections y: retrained (seconds) when base kept what it was fitted on,
    else fitted again from scratch with them."""
    if can_retrain(base):
        return retrain(base, y, label_texts, label_weight=weight)
    return ZeroShotThemeClassifier(**base.get_params()).fit(
        texts, codebook, labels=y, label_texts=label_texts, label_weight=weight
    )
