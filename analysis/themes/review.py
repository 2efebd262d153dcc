"""Which answers are most worth a person's judgement, and how sure the judged sample makes us.

The product is least sure of a theme on an answer where the model's probability is closest to the
theme's threshold (in log-odds): a small change would flip the decision. That covers both doubts a
reviewer can settle: a seed match the model does not believe ("the medics were excellent" raising
medication) and a theme the model nearly raised without a seed. Picking is across themes, not one
theme at a time: themes take turns, each taking its most doubtful answer not yet picked, so a rare
theme (discharge, about 1 answer in 80) gets as many judgements as a common one, and an answer in
doubt on several themes is picked early. Duplicates and no-content answers are never picked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.text.normalise import is_contentless, normalise, tokenise
from analysis.themes.classifier_base import as_texts
from analysis.themes.features import stem_documents, transform
from analysis.themes.zero_shot import MODEL_MIN_FEATURES

_EPS = 1e-4


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


# Measure doubt against what decides a zero-shot model's themes (seeds, the starter, the model
# alone), not the model's probability alone (bench/teaching_curve.py --plain-margins compares).
DECISION_MARGINS = True


def doubt_margins(model: object, texts: Sequence[object]) -> np.ndarray:
    """n x K distance (log-odds) of each theme's decision from flipping; small = in doubt.

    For a zero-shot model, the distance to the boundary of what decides (_decision_margins); for
    others, of the probability (predict_proba, n x K) from its threshold (thresholds_, else 0.5).
    """
    values = as_texts(texts)
    proba = np.asarray(model.predict_proba(values), dtype=np.float64)
    thresholds = np.asarray(getattr(model, "thresholds_", np.full(proba.shape[1], 0.5)))
    alone = np.abs(_logit(proba) - _logit(thresholds)[None, :])
    if DECISION_MARGINS and hasattr(model, "matcher_") and hasattr(model, "starter_pairs_"):
        return _decision_margins(model, values, proba, alone)
    return alone


def _decision_margins(model, texts: list[str], proba: np.ndarray, alone: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """A zero-shot theme is raised when any of three gates is open: a seed match the model does
    not doubt (probability >= seed_proba), the starter (its own threshold), or the model alone
    (its threshold; shut for the starter's themes until a person says "yes" to one,
    zero_shot.alone_shut). A raised theme flips only if every open gate shuts: its margin is the
    largest of theirs; a theme not raised flips if any gate opens: the smallest. Each gate's
    margin is in log-odds from its own boundary."""
    n, K = proba.shape
    lp = _logit(proba)
    big = np.full((n, K), np.inf)
    seeded = np.zeros((n, K), dtype=bool)
    for i, t in enumerate(texts):
        for m in model.matcher_.match(t):
            seeded[i, [m.theme_index, *model.parents_[m.theme_index]]] = True
    seed_p = lp - _logit(np.array(model.seed_proba))
    gates = [
        (seeded & (seed_p >= 0), np.where(seeded, np.abs(seed_p), big)),  # (open, margin)
        (lp >= _logit(model.thresholds_)[None, :], alone.copy()),
    ]
    # The model alone never raises a theme on an answer it knows fewer than MODEL_MIN_FEATURES words
    # of (zero_shot.classify): for those answers its gate is shut and no judgement would open it.
    X = transform(model.vectorizer_, stem_documents(texts))
    few = np.diff(X.tocsr().indptr) < MODEL_MIN_FEATURES
    gates[1][0][few, :], gates[1][1][few, :] = False, np.inf
    starter = getattr(model, "starter_", None)
    if starter is not None and model.starter_pairs_:
        Xs = starter.features(texts)
        Ps = starter.proba(Xs)
        raised = starter.raise_from(Xs, Ps)
        s_open, s_margin = np.zeros((n, K), dtype=bool), big.copy()
        for k, j in model.starter_pairs_:
            s_open[:, k] = raised[:, j]
            s_margin[:, k] = np.abs(_logit(Ps[:, j]) - _logit(np.array(starter.thresholds[j])))
        gates.append((s_open, s_margin))
    # Themes the model alone cannot raise yet (zero_shot.alone_shut): no judgement of this
    # answer's doubt would open that gate, as classify keeps it shut.
    shut = model.alone_shut() if hasattr(model, "alone_shut") else []
    gates[1][0][:, shut], gates[1][1][:, shut] = False, np.inf
    opened = np.stack([g[0] for g in gates])
    margins = np.stack([g[1] for g in gates])
    on = opened.any(axis=0)
    keep_open = np.where(opened, margins, -np.inf).max(axis=0)
    to_open = np.where(~opened, margins, np.inf).min(axis=0)
    out = np.where(on, keep_open, to_open)
    return np.where(np.isfinite(out), out, 50.0)


def pick_for_review(
    model: object,
    texts: Sequence[object],
    count: int,
    *,
    exclude: Sequence[int] = (),
) -> list[int]:
    """Positions of up to `count` answers most worth judging, in the order to show them.

    Args:
        model: a fitted theme classifier (predict_proba; thresholds_ when it has them).
        texts: the answers to choose from.
        count: how many to pick.
        exclude: positions already judged (never picked again).
    """
    values = as_texts(texts)
    if count <= 0 or not values:
        return []
    margins = doubt_margins(model, values)
    seen: set[str] = set()
    usable = np.zeros(len(values), dtype=bool)
    skip = set(int(i) for i in exclude)
    for i, t in enumerate(values):
        key = " ".join(tokenise(normalise(t)))  # "Waited months!" repeats "waited months"
        if i in skip or not key or key in seen or is_contentless(t):
            continue
        seen.add(key)
        usable[i] = True
    candidates = np.flatnonzero(usable)
    if not len(candidates):
        return []
    # Each theme's candidates, most doubtful first (ties: the answer in doubt on more themes first).
    total = margins[candidates].sum(axis=1)
    orders = [
        candidates[np.lexsort((total, margins[candidates, k]))] for k in range(margins.shape[1])
    ]
    # Themes take turns, the theme with the most doubtful answer first in every round.
    turn = np.argsort([margins[o[0], k] for k, o in enumerate(orders)], kind="stable")
    picked: list[int] = []
    chosen: set[int] = set()
    cursor = [0] * len(orders)
    limit = min(count, len(candidates))
    while len(picked) < limit:
        for k in turn:
            order = orders[k]
            while cursor[k] < len(order) and int(order[cursor[k]]) in chosen:
                cursor[k] += 1
            if cursor[k] < len(order):
                i = int(order[cursor[k]])
                chosen.add(i)
                picked.append(i)
                if len(picked) >= limit:
                    break
    return picked


def doubtful_themes(margins_row: np.ndarray, theme_ids: Sequence[str], top: int = 3) -> list[str]:
    """The themes one answer is most in doubt about, most doubtful first."""
    order = np.argsort(margins_row, kind="stable")[:top]
    return [theme_ids[k] for k in order]


@dataclass(frozen=True)
class Estimate:
    """A share estimated from a judged sample: value, 95% Wilson interval, and sample size."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    more_for_half_width: int  # more judgements needed for a +/- `target` interval (0: already)


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (good at small n and near 0 or 1)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate(successes: int, n: int, *, target: float = 0.1) -> Estimate:
    """A share with its interval and how many more judged cases would narrow it to +/- target.

    The number needed assumes the share stays where it is (0.5 when nothing is judged yet).
    """
    p = successes / n if n else 0.5
    needed = math.ceil(1.96**2 * max(p * (1 - p), 0.01) / target**2)
    if n == 0:
        return Estimate(None, None, None, 0, needed)
    low, high = wilson(successes, n)
    more = 0 if (high - low) / 2 <= target else max(needed - n, 1)
    return Estimate(p, low, high, n, more)


def judged_quality(
    assigned: np.ndarray, judged: np.ndarray, theme_ids: Sequence[str], *, target: float = 0.1
) -> dict[str, dict[str, Estimate]]:
    """Each theme's precision and recall estimated on the judged answers.

    Args:
        assigned: m x K bool, what the product raised on the judged answers (before judgements).
        judged: m x K 1 present / 0 absent / -1 not judged.
        theme_ids: the K theme ids.
        target: the interval half-width "how many more" aims at.

    Precision: of judged cells the product raised, the share people said yes to. Recall: of judged
    cells people said yes to, the share the product raised. Answers picked for review are the
    doubtful ones, so these estimates are for the doubtful zone, lower than over all answers.
    """
    out: dict[str, dict[str, Estimate]] = {}
    for k, tid in enumerate(theme_ids):
        col = judged[:, k]
        seen = col >= 0
        raised = assigned[:, k].astype(bool) & seen
        yes = (col == 1) & seen
        out[tid] = {
            "precision": estimate(int((raised & yes).sum()), int(raised.sum()), target=target),
            "recall": estimate(int((raised & yes).sum()), int(yes.sum()), target=target),
        }
    return out
