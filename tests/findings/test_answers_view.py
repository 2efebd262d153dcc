"""The answers view: redacted text, evidence marked as plain text, sentiment and complex flags."""

from __future__ import annotations

from analysis.findings.answers_view import VIEW_COLUMNS, answers_table, mark_evidence
from tests.explorer_fixtures import make_tables


def test_mark_evidence_plain_text_whole_words() -> None:
    assert mark_evidence("I Waited and waiter rang  back", ["waited", "rang back"]) == (
        "I «Waited» and waiter «rang  back»"
    )
    assert mark_evidence("see [NAME] now", ["name"]) == "see [NAME] now"
    assert mark_evidence("x", []) == "x"


def test_answers_table_redacts_and_explains() -> None:
    responses, answers, assignments = make_tables(
        [
            (
                "r1",
                "2024 Q1",
                "carer",
                "I waited; call Dr Smith on 07700 900123",
                [("access", -0.5)],
            ),
            ("r2", "2024 Q1", "carer", "<img src=x onerror=alert(1)> fine", [("unassigned", 0.0)]),
        ]
    )
    view = answers_table(responses, answers, assignments, ["r2", "r1"], labels={"access": "Access"})
    assert list(view.columns) == VIEW_COLUMNS
    assert list(view["response_id"]) == ["r2", "r1"]
    r1 = view.set_index("response_id").loc["r1"]
    assert "Smith" not in r1["answer"] and "07700" not in r1["answer"]
    assert "«waited»" in r1["answer"] and r1["why"] == "waited, rang back"
    assert r1["themes"] == "Access" and r1["sentiment"] == -0.5
    # Markup is kept as literal text: the page shows it in st.dataframe, never rendered.
    assert view.set_index("response_id").loc["r2", "answer"].startswith("<img src=x")


def test_answers_table_limit_and_theme_filter() -> None:
    spec = [
        (f"r{i}", "2024 Q1", "carer", "waited", [("access", -0.5), ("staff", 0.1)])
        for i in range(5)
    ]
    responses, answers, assignments = make_tables(spec)
    view = answers_table(responses, answers, assignments, None, theme_id="staff", limit=3)
    assert len(view) == 3 and (view["why"] == "").all()
