"""A dataset's answers redacted once and kept (analysis.store.redacted_texts), keyed by content and rules."""

from __future__ import annotations

import pandas as pd

from analysis import privacy, store
from analysis.store import redacted_texts


def test_the_answers_are_kept_redacted_once_per_content(any_store: str) -> None:
    engine = store.get_engine(any_store)
    answers = pd.DataFrame(
        {"text": ["Call Sarah Jones on 07700 900123", "Fine", None, "Fine", "Email jo@example.org"]}
    )
    assert redacted_texts.load_redacted(1, "abc", engine) is None
    assert redacted_texts.snapshot_redacted(1, "abc", answers, engine)
    pairs = redacted_texts.load_redacted(1, "abc", engine)
    assert sorted(pairs["text"]) == [
        "Call Sarah Jones on 07700 900123",
        "Email jo@example.org",
        "Fine",
    ]
    for text, redacted in zip(pairs["text"], pairs["redacted"], strict=True):
        assert redacted == privacy.redact_text(text).text
    assert "07700" not in " ".join(pairs["redacted"]) and "jo@example" not in " ".join(
        pairs["redacted"]
    )
    assert not redacted_texts.snapshot_redacted(1, "abc", answers, engine)  # already kept
    assert redacted_texts.load_redacted(1, "other content", engine) is None
    assert redacted_texts.load_redacted(2, "abc", engine) is None


def test_other_redaction_rules_never_read_them(any_store: str, monkeypatch) -> None:
    engine = store.get_engine(any_store)
    redacted_texts.snapshot_redacted(1, "abc", pd.DataFrame({"text": ["Fine"]}), engine)
    monkeypatch.setattr(redacted_texts, "_fp", "rules-of-another-version")
    assert redacted_texts.load_redacted(1, "abc", engine) is None
