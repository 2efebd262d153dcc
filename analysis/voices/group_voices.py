"""What under-represented groups raise: their leading themes against everyone else's, and their
answers, redacted. The test is the Themes page's (analysis.findings.group_comparison); suppression as in participation.
"""

from __future__ import annotations

import pandas as pd

from analysis import privacy
from analysis.core import config
from analysis.voices.participation import (
    PeopleTable,
    count_people,
    dimension_label,
    withheld_notice,
)

GROUP_THEME_COLUMNS = [
    "theme",
    "raising",
    "share_pct",
    "rest_share_pct",
    "diff_pp",
    "test",
    "q_value",
    "finding",
]


def group_themes(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    dimension: str,
    group: str,
    *,
    labels: dict[str, str] | None = None,
    threshold: int | None = None,
    top: int = 8,
) -> PeopleTable:
    """A group's leading themes against everyone else's, with the Themes page's test (analysis.findings.group_comparison).

    Answers are the unit, as on the Themes page (two-proportion z or Fisher, Benjamini-Hochberg).
    Withheld when the group is suppressed. A theme raised in fewer than `threshold` of the group's
    answers keeps its finding but loses its numbers (they would point at a handful of people); a
    cell the comparison hides loses both.
    """
    from analysis.findings.group_comparison import (
        compare_groups,  # late: compare pulls in the theme tables
    )

    threshold = privacy.effective_threshold(threshold)
    title = f"What {group} ({dimension_label(dimension)}) raise, against everyone else"
    if count_people(responses) < threshold:
        return PeopleTable(title, None, [], threshold, notice=withheld_notice(threshold))
    comparison = compare_groups(
        responses, assignments, dimension, labels=labels, threshold=threshold
    )
    cells = comparison.cells
    cells = cells[(cells["group"] == group) & ~cells["theme_id"].isin(config.SPECIAL_THEME_IDS)]
    if cells.empty or group in comparison.suppressed_groups:
        return PeopleTable(
            title, None, [], threshold,
            notice=f"Too few people in {group} to show what they raise (fewer than {threshold}, or hidden "
            "so a small group cannot be worked out).",
        )  # fmt: skip
    cells = (
        cells.sort_values(["share_pct", "diff_pp"], ascending=False, kind="stable").head(top).copy()
    )
    # A cell the comparison hides (too few of the group raised the theme, or did not, or too few
    # of everyone else) keeps its row but no number and no finding.
    small = cells["suppressed"].astype(bool) | cells["raising"].astype(float).between(
        1, threshold - 1
    )
    for col in ("raising", "share_pct", "rest_share_pct", "diff_pp"):
        cells[col] = cells[col].astype(float).where(~small)
    cells["finding"] = cells["direction"].where(cells["direction"] != "", "no clear difference")
    cells.loc[cells["suppressed"].astype(bool), "finding"] = "hidden: too few people"
    table = cells.reindex(columns=GROUP_THEME_COLUMNS).reset_index(drop=True)
    table["q_value"] = table["q_value"].round(4)
    return PeopleTable(title, table, ["raising"], threshold, n_people=None)


def group_answers(
    responses: pd.DataFrame,
    answers: pd.DataFrame | None,
    dimension: str,
    group: str,
    *,
    threshold: int | None = None,
    limit: int = 100,
    labels: dict[str, str] | None = None,
) -> PeopleTable:
    """The group's answers, redacted (privacy.redact_series), with their themes; withheld if too few."""
    from analysis.core.frames import isin_many
    from analysis.findings.theme_tables import group_values, label_for

    threshold = privacy.effective_threshold(threshold)
    title = f"What {group} ({dimension_label(dimension)}) said (redacted)"
    chosen = responses[(group_values(responses, dimension) == group).to_numpy()]
    if count_people(chosen) < threshold:
        return PeopleTable(
            title, None, [], threshold,
            notice=f"Too few people in {group} to show their answers (fewer than {threshold}).",
        )  # fmt: skip
    chosen = chosen[chosen["text"].fillna("").str.strip() != ""].head(limit)
    out = pd.DataFrame({"round": chosen["round"].astype(object).to_numpy()})
    if answers is not None and len(answers):
        # Look up only the shown answers: `answers` covers the whole dataset.
        shown = answers.loc[
            isin_many(answers["response_id"], chosen["response_id"]), ["response_id", "themes"]
        ]
        theme_map = dict(
            zip(shown["response_id"].astype(str), shown["themes"].astype(str), strict=True)
        )
        out["themes"] = [
            ", ".join(label_for(t, labels) for t in theme_map.get(str(r), "").split("|") if t)
            for r in chosen["response_id"]
        ]
    out["answer"] = privacy.redact_series(chosen["text"].reset_index(drop=True)).to_numpy()
    return PeopleTable(title, out, [], threshold, n_people=None)
