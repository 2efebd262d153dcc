"""Column names in the words people use: every table a viewer sees (page, pack) goes through here.

Known names get a plain heading with the unit ("share_pct" -> "% of answers"); any other snake_case
name becomes words ("days_overdue" -> "Days overdue").
"""

from __future__ import annotations

import pandas as pd

PLAIN_COLUMNS: dict[str, str] = {
    "milestone_id": "Milestone",
    "theme_id": "Theme code",
    "response_id": "Answer id",
    "respondent_id": "Person id",
    "respondent_type": "Respondent type",
    "age_band": "Age band",
    "sexual_orientation": "Sexual orientation",
    "share_pct": "% of answers",
    "rest_share_pct": "% of everyone else's answers",
    "respondent_pct": "% of respondents",
    "population_pct": "% of population",
    "ratio": "Representation (1 = in line)",
    "ratio_low": "Lowest likely",
    "ratio_high": "Highest likely",
    "diff_pp": "Difference (points)",
    "change_pp": "Change (points)",
    "p_value": "Chance of a difference this size by luck",
    "q_value": "Chance by luck (allowing for many tests)",
    "lift": "Times more often together than by chance",
    "jaccard": "Overlap (0 to 1)",
    "label_a": "First theme",
    "label_b": "Second theme",
    "count_a": "Answers raising the first",
    "count_b": "Answers raising the second",
    "both": "Answers raising both",
    "mean_sentiment": "Mean feeling (-1 to 1)",
    "negative_pct": "% negative",
    "percent_complete": "% complete",
    "days_overdue": "Days overdue",
    "days_late": "Days late",
    "due_date": "Due",
    "completed_on": "Completed",
    "n": "Answers in round",
    "n_answers": "Answers",
    "changed_at": "Changed",
    "changed_by": "Changed by",
    "old_value": "Was",
    "new_value": "Now",
    "updated_by": "Updated by",
    "last_changed": "Last changed",
}


def plain_name(column: object) -> str:
    """One column name in words: the known heading, else a snake_case name as words, first letter capital.

    Names that are already words ("group", "Theme") are left as they are.
    """
    name = str(column)
    if name in PLAIN_COLUMNS:
        return PLAIN_COLUMNS[name]
    if "_" not in name:
        return name
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every column named in words (names that would collide are kept apart)."""
    names: dict[object, str] = {}
    used: set[str] = set()
    for col in frame.columns:
        name = plain_name(col)
        while name in used:
            name += " "
        used.add(name)
        names[col] = name
    return frame.rename(columns=names)
