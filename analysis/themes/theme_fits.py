"""Fitting the zero-shot model's per-theme linear models on weak labels, the codebook's own documents
and people's judgements (analysis.themes.zero_shot; analysis.themes.retrain continues them)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier

from analysis.core import config

# Weight of an answer only the starter raised, as a weak label of a theme people judged: the starter
# learnt from other services, so it counts less than a seed match here (teaching curve, bench/).
STARTER_WEIGHT = 0.3


def _make_lr(alpha: float, random_state: int) -> SGDClassifier:
    """The per-theme model: L2 logistic regression fitted by SGD (decisions match liblinear/lbfgs on
    this problem within a few answers in a thousand, at ~40x the speed: fitting is 3 x K models).
    Averaged, so heavily weighted people's corrections do not leave it on one noisy last step."""
    return SGDClassifier(
        loss="log_loss", alpha=alpha, max_iter=15, tol=None, random_state=random_state, average=True
    )


def _theme_data(
    k: int, parts: tuple, unmatched_weight: float, seeded_other: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows to fit on, 0/1 labels, weights) of theme k over [answers, codebook documents, judged]."""
    _, yc, _, ys, _, yl, label_weight = parts
    y = np.concatenate([np.minimum(yc[:, k], 1), ys[:, k], yl[:, k]]).astype(np.int8)
    w = np.concatenate(
        [
            # 2: the starter's answer (no seed): a weaker label than a seed match.
            np.select([yc[:, k] == 1, yc[:, k] == 2], [1.0, STARTER_WEIGHT], unmatched_weight),
            np.ones(len(ys)),
            np.where(yl[:, k] >= 0, label_weight, 0.0),
        ]
    )
    # Answers that match *another* theme's seeds are clearer negatives than unmatched ones.
    w[: len(yc)][seeded_other & (yc[:, k] == 0)] = 1.0
    y = np.where(y < 0, 0, y)
    keep = w > 0
    if y[keep].min() != y[keep].max():
        pos = float((y[keep] * w[keep]).sum())
        neg = float(((1 - y[keep]) * w[keep]).sum())
        # Balance classes by weight, so rare themes are not drowned by the rest.
        w = np.where(y == 1, w * (neg / max(pos, 1e-9)) ** 0.5, w)
    return keep, y, w


def fit_per_theme(
    parts: tuple,
    *,
    alpha: float,
    random_state: int,
    unmatched_weight: float,
    themes: Sequence[int] | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per theme (or only `themes`, the rest left 0); returns
    (coef K x F float32, intercept K).

    parts: (Xc, yc, Xs, ys, Xl, yl, label_weight): the answers' features and weak labels (yc: 1 a
    seed match, 2 the starter's answer of a judged theme, 0 neither), the codebook's own documents,
    people's judgements (1/0/-1) and their weight. start: (coef, intercept) of a model fitted on
    the same answers without judgements; each theme continues from it for config.RETRAIN_EPOCHS
    passes instead of starting from zero (the judgements move a model that already fits the rest).
    """
    Xc, yc, Xs, ys, Xl, yl, label_weight = parts
    X = sp.vstack([Xc, Xs, Xl]).tocsr()
    K = yc.shape[1]
    coef = np.zeros((K, X.shape[1]), dtype=np.float64)
    icpt = np.zeros(K, dtype=np.float64)
    jobs: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
    # Another theme's seed match (1), not its starter label (2), makes a clearer negative: so a
    # theme nobody judged is fitted exactly as before anyone judged anything (retrain reuses it).
    seeded_other = (yc == 1).sum(axis=1) > 0
    for k in range(K) if themes is None else themes:
        keep, y, w = _theme_data(k, parts, unmatched_weight, seeded_other)
        if y[keep].min() == y[keep].max():
            icpt[k] = -10.0 if y[keep].max() == 0 else 10.0
        else:
            jobs.append((k, keep, y, w))

    def fit_one(job):  # noqa: ANN001, ANN202
        k, keep, y, w = job
        model = _make_lr(alpha, random_state)
        if start is None:
            model.fit(X[keep], y[keep], sample_weight=w[keep])
        else:
            model.set_params(max_iter=config.RETRAIN_EPOCHS)
            model.fit(
                X[keep], y[keep], sample_weight=w[keep],
                coef_init=start[0][k : k + 1].astype(np.float64),
                intercept_init=start[1][k : k + 1],
            )  # fmt: skip
        return k, model.coef_[0], model.intercept_[0]

    # The themes are independent and SGD's inner loop releases the GIL, so threads fit them
    # side by side; each model has its own seed, so the result does not depend on the order.
    workers = min(config.FIT_THREADS, len(jobs))
    if workers > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(fit_one, jobs))
    else:
        done = [fit_one(j) for j in jobs]
    for k, c, b in done:
        coef[k] = c
        icpt[k] = b
    return coef.astype(np.float32), icpt
