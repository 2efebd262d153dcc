"""The answers behind a selection, ready to show: redacted text, why (evidence), sentiment, complex flag.

Text is redacted through analysis.privacy before anything else touches it, and the words that led
to a theme are marked with plain «guillemets» (never HTML or Markdown), so the result is safe to
show in st.dataframe and to export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from analysis import privacy
from analysis.core import config
from analysis.core.frames import isin_many
from analysis.findings.theme_tables import label_for

VIEW_COLUMNS = [
    "response_id",
    "round",
    "respondent_type",
    "service",
    "question",
    "answer",
    "why",
    "themes",
    "sentiment",
    "feeling",
    "complex",
]
DEFAULT_LIMIT = 500
OPEN_MARK, CLOSE_MARK = "\u00ab", "\u00bb"


def mark_evidence(text: str, words: Iterable[str]) -> str:
    """`text` with each evidence word/phrase wrapped in «»; case-insensitive, whole words, placeholders untouched."""
    phrases = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not phrases or not text:
        return text
    body = "|".join(r"\W+".join(re.escape(p) for p in phrase.split()) for phrase in phrases)
    # Not inside a redaction placeholder such as [NAME]: the placeholder must stay readable.
    pattern = re.compile(rf"(?<![\w\[])(?:{body})(?![\w\]])", re.IGNORECASE)
    return pattern.sub(lambda m: f"{OPEN_MARK}{m.group(0)}{CLOSE_MARK}", text)


def _evidence_by_answer(
    assignments: pd.DataFrame, ids: set[str], theme_id: str | None
) -> dict[str, list[str]]:
    a = assignments[isin_many(assignments["response_id"], list(ids))]
    if theme_id is not None:
        a = a[a["theme_id"] == theme_id]
    out: dict[str, list[str]] = {}
    if "evidence" not in a:
        return out
    for rid, ev in zip(
        a["response_id"].astype(str), a["evidence"].astype("string").fillna(""), strict=True
    ):
        for word in str(ev).split("|"):
            word = word.strip()
            if word and word not in out.setdefault(rid, []):
                out[rid].append(word)
    return out


def _chosen_rows(
    responses: pd.DataFrame, response_ids: Iterable[str] | None, limit: int | None
) -> pd.DataFrame:
    """A copy of the chosen responses in the order given, capped at `limit` rows."""
    # Choose and cap the rows before copying anything: the tables cover the whole dataset.
    r = responses
    if response_ids is not None:
        order = {str(x): i for i, x in enumerate(response_ids)}
        rid = responses["response_id"].astype("string")
        keep = isin_many(rid, list(order))
        r = responses.loc[keep]
        r = r.iloc[rid[keep].map(order).argsort(kind="mergesort").to_numpy()]
    if limit is not None:
        r = r.head(limit)
    return r.copy()


def _answer_details(
    a: pd.DataFrame, rids: list[str], labels: Mapping[str, str] | None
) -> dict[str, object]:
    """Themes (as labels), sentiment, feeling and complexity for `rids` from the answers indexed by id."""
    themes = a["themes"].reindex(rids) if "themes" in a else pd.Series([""] * len(rids), index=rids)
    return {
        "themes": [
            ", ".join(label_for(t, labels) for t in str(v).split("|") if t) if pd.notna(v) else ""
            for v in themes
        ],
        "sentiment": (
            pd.to_numeric(a["sentiment"].reindex(rids), errors="coerce").round(2).to_numpy()
            if "sentiment" in a
            else float("nan")
        ),
        "feeling": (
            a["sentiment_label"].reindex(rids).to_numpy() if "sentiment_label" in a else pd.NA
        ),
        "complex": (
            a["complex"].reindex(rids).fillna(False).astype(bool).to_numpy()
            if "complex" in a
            else False
        ),
    }


def answers_table(
    responses: pd.DataFrame,
    answers: pd.DataFrame,
    assignments: pd.DataFrame,
    response_ids: Iterable[str] | None = None,
    *,
    theme_id: str | None = None,
    labels: Mapping[str, str] | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> pd.DataFrame:
    """The chosen answers (all when `response_ids` is None) as a display table (VIEW_COLUMNS).

    `theme_id` limits the "why" column to the evidence for that theme. `limit` caps the rows (the
    caller says how many there were in total).
    """
    r = _chosen_rows(responses, response_ids, limit)
    r["response_id"] = r["response_id"].astype("string")
    ids = set(r["response_id"])
    a = answers.loc[isin_many(answers["response_id"], list(ids))].copy()
    a["response_id"] = a["response_id"].astype("string")
    a = a.drop_duplicates("response_id").set_index("response_id")
    evidence = _evidence_by_answer(assignments, ids, theme_id)
    redacted = privacy.redact_series(r["text"].astype("string")).fillna("")
    out = pd.DataFrame(
        {
            "response_id": r["response_id"].to_numpy(),
            "round": r["round"].to_numpy() if "round" in r else pd.NA,
            "respondent_type": r["respondent_type"].to_numpy() if "respondent_type" in r else pd.NA,
            "service": r["service"].to_numpy() if "service" in r else pd.NA,
            "question": r["question"].to_numpy() if "question" in r else pd.NA,
        }
    )
    texts = redacted.astype(str).tolist()
    rids = out["response_id"].astype(str).tolist()
    out["answer"] = [
        mark_evidence(t, evidence.get(rid, [])) for t, rid in zip(texts, rids, strict=True)
    ]
    # Evidence is respondent text too: redacted like the answer itself.
    out["why"] = [
        ", ".join(privacy.redact_text(w).text for w in evidence.get(rid, [])) for rid in rids
    ]
    for col, values in _answer_details(a, rids, labels).items():
        out[col] = values
    for col in ("round", "respondent_type", "service", "question"):
        out[col] = out[col].astype("string").fillna(config.NOT_RECORDED)
    return out[VIEW_COLUMNS].reset_index(drop=True)


def export_frame(view: pd.DataFrame) -> pd.DataFrame:
    """An answers view ready for download (already redacted; formulas are neutralised by safe export)."""
    return view.rename(columns={"answer": "answer (redacted)", "why": "theme evidence"})
