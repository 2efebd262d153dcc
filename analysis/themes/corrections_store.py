"""People's corrections to theme assignments, and how agreement with them changed over time.

A correction says "answer R does (present=True) or does not (present=False) raise theme T". They are
kept per dataset, never overwritten: the latest one for a (response, theme) wins, so the history of
who changed their mind is kept. `corrections_for_classifier` gives the table
pipeline.classify_responses(corrections=...) expects.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis import store
from analysis.core.errors import InputError
from analysis.core.roles import editor_name

log = logging.getLogger(__name__)

theme_corrections = sa.Table(
    "theme_corrections",
    store.METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset_id", sa.Integer, nullable=False, index=True),
    sa.Column("response_id", sa.String(200), nullable=False),
    sa.Column("theme_id", sa.String(100), nullable=False),
    sa.Column("present", sa.Boolean, nullable=False),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

agreement_history = sa.Table(
    "theme_agreement_history",
    store.METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset_id", sa.Integer, nullable=False, index=True),
    sa.Column("codebook_version", sa.Integer),
    sa.Column("n_corrections", sa.Integer, nullable=False),
    sa.Column("before", sa.Float),
    sa.Column("after", sa.Float),
    sa.Column("detail_json", sa.Text, nullable=False, default="{}"),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

CORRECTION_COLUMNS = ["response_id", "theme_id", "present", "who", "at"]
AGREEMENT_COLUMNS = ["at", "who", "codebook_version", "n_corrections", "before", "after", "change"]
AGREEMENT_WORDS = {  # the agreement history's columns as a page shows them
    "at": "When",
    "who": "By",
    "codebook_version": "Codebook version",
    "n_corrections": "Corrections",
    "before": "Agreement before learning",
    "after": "Agreement after learning",
    "change": "Change",
}


class CorrectionError(InputError):
    """A correction that cannot be saved; the message says why."""


def save_corrections(
    dataset_id: int,
    corrections: Iterable[Mapping] | pd.DataFrame,
    *,
    who: str,
    engine: Engine | None = None,
) -> int:
    """Save corrections (response_id, theme_id, present) for a dataset in one transaction; return how many."""
    rows = (
        corrections.to_dict("records")
        if isinstance(corrections, pd.DataFrame)
        else list(corrections)
    )
    who = editor_name(who)
    when = store.now_utc()
    values = []
    for i, r in enumerate(rows):
        rid, tid, present = r.get("response_id"), r.get("theme_id"), r.get("present")
        if rid is None or pd.isna(rid) or not str(rid).strip():
            raise CorrectionError(f"Correction #{i + 1} has no answer id.")
        if tid is None or pd.isna(tid) or not str(tid).strip():
            raise CorrectionError(f"Correction #{i + 1} has no theme.")
        if not isinstance(present, bool):
            try:
                present = bool(present) if not pd.isna(present) else None
            except (TypeError, ValueError):
                present = None
        if present is None:
            raise CorrectionError(
                f"Correction #{i + 1}: say whether the theme is present (true/false)."
            )
        values.append(
            {
                "dataset_id": int(dataset_id),
                "response_id": str(rid)[:200],
                "theme_id": str(tid)[:100],
                "present": present,
                "who": who,
                "at": when,
            }
        )
    if not values:
        return 0
    engine = engine or store.get_engine()
    store.run_in_store(_write, engine, values)
    log.info("saved %d correction(s) for dataset %s", len(values), dataset_id)
    return len(values)


def save_sentiment_correction(
    dataset_id: int, response_id: str, label: str, *, who: str, engine: Engine | None = None
) -> int:
    """Save a person's sentiment of one answer ("positive", "neutral", "negative" or "mixed") with
    who and when, beside the theme corrections (analysis.text.sentiment_teach says how); the
    latest for an answer wins. Returns 1."""
    from analysis.text.sentiment_teach import theme_id_for

    try:
        tid = theme_id_for(label)
    except ValueError as exc:
        raise CorrectionError(str(exc)) from None
    row = {"response_id": response_id, "theme_id": tid, "present": True}
    return save_corrections(dataset_id, [row], who=who, engine=engine)


def _write(engine: Engine, values: list[dict]) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(theme_corrections), values)


def list_corrections(
    dataset_id: int, *, latest_only: bool = True, engine: Engine | None = None
) -> pd.DataFrame:
    """Corrections for a dataset, oldest first; with latest_only one row per (response, theme)."""
    engine = engine or store.get_engine()
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(theme_corrections)
                .where(theme_corrections.c.dataset_id == int(dataset_id))
                .order_by(theme_corrections.c.id)
            )
            .mappings()
            .all()
        )
    frame = pd.DataFrame(
        [{c: r[c] for c in CORRECTION_COLUMNS} for r in rows], columns=CORRECTION_COLUMNS
    )
    frame["present"] = frame["present"].astype(bool)
    if latest_only and len(frame):
        frame = frame.drop_duplicates(["response_id", "theme_id"], keep="last")
    return frame.reset_index(drop=True)


def corrections_for_classifier(
    dataset_id: int, engine: Engine | None = None
) -> pd.DataFrame | None:
    """The latest corrections as classify_responses(corrections=...) wants them, or None when there are none."""
    frame = list_corrections(dataset_id, engine=engine)
    if frame.empty:
        return None
    return frame[["response_id", "theme_id", "present"]].reset_index(drop=True)


def _number(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def agreement_figures(agreement: Mapping | None) -> tuple[float | None, float | None]:
    """(before, after) from ThemeResult.agreement, tolerating a flat or nested dict."""
    if not agreement:
        return None, None
    before, after = agreement.get("before"), agreement.get("after")
    if isinstance(before, Mapping):
        before = before.get("agreement", before.get("accuracy", before.get("f1")))
    if isinstance(after, Mapping):
        after = after.get("agreement", after.get("accuracy", after.get("f1")))
    return _number(before), _number(after)


def record_agreement(
    dataset_id: int,
    agreement: Mapping | None,
    *,
    n_corrections: int,
    who: str,
    codebook_version: int | None = None,
    engine: Engine | None = None,
) -> bool:
    """Keep the before/after agreement of one re-classification; False when there was none to keep."""
    if not agreement:
        return False
    before, after = agreement_figures(agreement)
    engine = engine or store.get_engine()
    with engine.begin() as conn:
        conn.execute(
            sa.insert(agreement_history).values(
                dataset_id=int(dataset_id),
                codebook_version=codebook_version,
                n_corrections=int(n_corrections),
                before=before,
                after=after,
                detail_json=json.dumps(dict(agreement), default=str),
                who=editor_name(who),
                at=store.now_utc(),
            )
        )
    return True


def list_agreement(dataset_id: int, engine: Engine | None = None) -> pd.DataFrame:
    """Agreement history for a dataset, oldest first (see AGREEMENT_COLUMNS)."""
    engine = engine or store.get_engine()
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(agreement_history)
                .where(agreement_history.c.dataset_id == int(dataset_id))
                .order_by(agreement_history.c.id)
            )
            .mappings()
            .all()
        )
    frame = pd.DataFrame([dict(r) for r in rows])
    if frame.empty:
        return pd.DataFrame(columns=AGREEMENT_COLUMNS)
    frame["change"] = (frame["after"] - frame["before"]).round(3)
    return frame[AGREEMENT_COLUMNS]


def corrections_for_people(saved: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Saved corrections as people read them: what was corrected in words (a theme's label, or the
    answer's sentiment), whether the answer raises it, who and when; no codes or column names."""
    from analysis.text.sentiment_teach import PREFIX

    tid = saved["theme_id"].astype(str)
    is_sentiment = tid.str.startswith(PREFIX)
    what = [
        f"Sentiment: {t[len(PREFIX) :]}" if s else labels.get(t, t)
        for t, s in zip(tid, is_sentiment, strict=True)
    ]
    verdict = np.where(
        is_sentiment,
        "the answer reads so",
        np.where(saved["present"], "raises it", "does not raise it"),
    )
    return pd.DataFrame(
        {
            "Answer id": saved["response_id"].astype(str).to_numpy(),
            "Corrected": what,
            "Verdict": verdict,
            "By": saved["who"].to_numpy(),
            "When": saved["at"].to_numpy(),
        }
    )
