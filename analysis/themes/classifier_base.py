"""What every theme classifier shares: the batch of decisions it returns and the estimator base.

The zero-shot classifier (analysis/themes/zero_shot.py) and the trained one (analysis/themes/trained.py)
both return a ClassifiedBatch from `classify`, and get `predict` from ThemeClassifierBase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator

from analysis.core import config


@dataclass
class ClassifiedBatch:
    """Theme decisions for a batch of answers.

    assigned: n x K bool; scores: n x K float (0..1); evidence[i][k]: phrases that raised theme k;
    no_content: n bool (blank / contentless answers, never given a theme).
    """

    theme_ids: list[str]
    assigned: np.ndarray
    scores: np.ndarray
    evidence: list[dict[int, list[str]]]
    no_content: np.ndarray
    extra: dict = field(default_factory=dict)

    def labels(self) -> list[list[str]]:
        """Theme ids per answer; ["no_content"] or ["unassigned"] when no real theme."""
        n = len(self.no_content)
        out: list[list[str]] = [[] for _ in range(n)]
        ids = self.theme_ids
        rows, cols = np.nonzero(self.assigned)  # row-major: each row's themes in codebook order
        for i, k in zip(rows.tolist(), cols.tolist()):
            out[i].append(ids[k])
        for i, nc in enumerate(self.no_content.tolist()):
            if nc:
                out[i] = [config.NO_CONTENT]
            elif not out[i]:
                out[i] = [config.UNASSIGNED]
        return out


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, clipped so large margins cannot overflow."""
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def as_texts(texts: Sequence[object]) -> list[str]:
    """Answers as strings, with None and NaN as empty text."""
    return ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]


class ThemeClassifierBase(BaseEstimator):
    """The shared estimator surface: `classify` returns a ClassifiedBatch; `predict` its labels."""

    def classify(self, texts: Sequence[object], *, explain_model: bool = True) -> ClassifiedBatch:
        """Theme decisions, scores and evidence for each answer."""
        raise NotImplementedError

    def predict(self, texts: Sequence[object]) -> list[list[str]]:
        """Theme ids per answer (["no_content"] / ["unassigned"] when no real theme)."""
        return self.classify(texts, explain_model=False).labels()
