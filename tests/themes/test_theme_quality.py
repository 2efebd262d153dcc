"""Each theme's precision and recall from people's judgements, in plain words (Codebook page)."""

from __future__ import annotations

import pandas as pd

from analysis.themes import checking
from analysis.themes import codebook as cb
from analysis.themes.pipeline import clear_cache

BOOK = cb.Codebook(
    name="t",
    version=1,
    themes=[
        cb.Theme(id="parking", label="Parking", seeds=["car park"]),
        cb.Theme(id="staff", label="Staff", seeds=["rude"]),
    ],
)
ANSWERS = pd.DataFrame(
    {
        "response_id": [str(i) for i in range(6)],
        "text": ["the car park was full", "car park fine, no problem", "rude receptionist",
                 "nowhere to leave my bike", "fine", "kind nurse"],
    }
)  # fmt: skip


def test_precision_and_recall_compare_judgements_with_the_untaught_product():
    clear_cache()
    judged = pd.DataFrame(
        {"response_id": ["0", "1", "3"], "theme_id": ["parking"] * 3, "present": [True, False, True],}
    )  # fmt: skip
    got = checking.theme_quality(ANSWERS, BOOK, judged)
    assert set(got) == {"parking"}
    q = got["parking"]
    assert q.n == 3
    assert q.precision.value == 0.5  # raised on 0 and 1 (seed), people said yes to 0 only
    assert q.recall.value == 0.5  # people said yes to 0 and 3; the seeds found 0 only
    assert q.precision.low < 0.5 < q.precision.high and q.more > 0
    said = checking.quality_sentence("Parking", q)
    assert "on the 3 answers people judged" in said and "precision 50%" in said
    assert "more judgements would narrow" in said


def test_an_unjudged_theme_says_how_to_get_its_figures():
    said = checking.quality_sentence("Staff", None)
    assert "No answer has been judged on Staff yet" in said and "About 97 judgements" in said
    assert checking.theme_quality(ANSWERS, BOOK, None) == {}
    only_sentiment = pd.DataFrame(
        {"response_id": ["0"], "theme_id": ["sentiment:negative"], "present": [True]}
    )
    assert checking.theme_quality(ANSWERS, BOOK, only_sentiment) == {}
