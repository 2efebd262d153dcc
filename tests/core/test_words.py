"""Column names in words: no snake_case or statistics jargon reaches a table a viewer sees."""

from __future__ import annotations

import pandas as pd

from analysis.core.words import plain_columns, plain_name


def test_known_names_get_plain_headings() -> None:
    assert plain_name("share_pct") == "% of answers"
    assert plain_name("q_value") == "Chance by luck (allowing for many tests)"
    assert plain_name("milestone_id") == "Milestone"
    assert "lift" not in plain_name("lift").lower()


def test_other_snake_case_becomes_words_and_words_stay() -> None:
    assert plain_name("answers_before") == "Answers before"
    assert plain_name("group") == "group"


def test_no_column_is_lost_when_two_names_read_the_same() -> None:
    frame = pd.DataFrame({"due_date": [1], "Due": [2]})
    out = plain_columns(frame)
    assert len(set(out.columns)) == 2 and not any("_" in c for c in out.columns)
