"""Stored classification results: the themes and sentiment of each distinct answer text, kept in the
store and keyed by (model key, text key), so a restart or a second app server reads them back instead
of classifying again.

The model key names the codebook (its classification fingerprint), the model kind, the answers the
model was fitted on and the corrections it was retrained with (see analysis.jobs.classify.model_key);
the text key is the sha1 of the normalised text (analysis.themes.pipeline.text_key). One row holds
what one answer's classification gives, in the same fields as the pipeline's in-process cache.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis.store.database import METADATA, get_engine

theme_results = sa.Table(
    "theme_results",
    METADATA,
    sa.Column("model_key", sa.String(64), primary_key=True),
    sa.Column("text_key", sa.String(40), primary_key=True),
    sa.Column("themes", sa.Text, nullable=False),  # theme ids joined by "|"
    sa.Column("scores", sa.Text, nullable=False),  # JSON list of floats, one per theme
    sa.Column("evidence", sa.Text, nullable=False),  # JSON list of strings, one per theme
    sa.Column("theme_sentiment", sa.Text, nullable=False),  # JSON list of floats, one per theme
    sa.Column("sentiment", sa.Float, nullable=False),
    sa.Column("sentiment_label", sa.String(20), nullable=False),
)

Entry = tuple  # (themes, scores, evidence, theme_sentiment, sentiment, sentiment_label), as tuples
_BATCH = 5000  # rows per statement: SQLite allows 32,766 bound parameters, 8 per row


def _row(model_key: str, text_key: str, e: Entry) -> dict:
    themes, scores, evidence, tsent, whole, label = e
    return {
        "model_key": model_key,
        "text_key": text_key,
        "themes": "|".join(themes),
        # json writes floats with repr: they read back exactly.
        "scores": json.dumps(list(scores)),
        "evidence": json.dumps(list(evidence)),
        "theme_sentiment": json.dumps(list(tsent)),
        "sentiment": float(whole),
        "sentiment_label": label,
    }


def _entry(r: Sequence) -> Entry:
    _, themes, scores, evidence, tsent, whole, label = r
    return (
        tuple(themes.split("|")),
        tuple(json.loads(scores)),
        tuple(json.loads(evidence)),
        tuple(json.loads(tsent)),
        float(whole),
        label,
    )


def save_entries(
    conn: sa.Connection, model_key: str, keys: Sequence[str], entries: Sequence[Entry]
) -> int:
    """Store entries for model_key in the caller's transaction, skipping texts already stored.

    Two workers storing the same text (which the job claim prevents, but a retried chunk could)
    write the same result, so a text already there is left as it is. Returns rows written.
    """
    have = set(stored_keys(conn, model_key, keys))
    rows = [_row(model_key, k, e) for k, e in zip(keys, entries) if k not in have]
    seen: set[str] = set()
    rows = [r for r in rows if not (r["text_key"] in seen or seen.add(r["text_key"]))]
    for lo in range(0, len(rows), _BATCH):
        conn.execute(sa.insert(theme_results), rows[lo : lo + _BATCH])
    return len(rows)


def stored_keys(conn: sa.Connection, model_key: str, keys: Iterable[str]) -> list[str]:
    """The text keys among `keys` that have a stored result for model_key."""
    keys = list(dict.fromkeys(keys))
    out: list[str] = []
    t = theme_results.c
    for lo in range(0, len(keys), 20_000):
        part = keys[lo : lo + 20_000]
        out.extend(
            r[0]
            for r in conn.execute(
                sa.select(t.text_key).where(t.model_key == model_key, t.text_key.in_(part))
            )
        )
    return out


def load_entries(model_key: str, engine: Engine | None = None) -> dict[str, Entry]:
    """Every stored result of model_key: text key -> entry."""
    engine = engine or get_engine()
    t = theme_results.c
    query = sa.select(
        t.text_key,
        t.themes,
        t.scores,
        t.evidence,
        t.theme_sentiment,
        t.sentiment,
        t.sentiment_label,
    ).where(t.model_key == model_key)
    with engine.connect() as conn:
        return {r[0]: _entry(r) for r in conn.execute(query)}


def count_entries(model_key: str, engine: Engine | None = None) -> int:
    """How many texts have a stored result for model_key."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(theme_results)
                .where(theme_results.c.model_key == model_key)
            ).scalar_one()
        )
