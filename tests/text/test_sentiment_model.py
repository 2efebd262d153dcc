"""The learned answer sentiment: training, the pickle-free file, and the lexicon fallback."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.text import sentiment
from analysis.text.sentiment_model import (
    SentimentModel,
    answer_scores,
    group_indicators,
    load_sentiment_model,
    train_sentiment,
)
from analysis.text.starter_file import read_starter_file, write_starter_file

GOOD = ["the staff were kind and helpful", "lovely caring nurses", "really helpful service"]
BAD = ["staff were rude and dismissive", "waited months and nobody rang back", "awful care"]


@pytest.fixture(scope="module")
def toy():
    texts = [f"{t} {i}" for i in range(5) for t in GOOD + BAD]
    crit = [3, 4, 3, -3, -4, -2] * 5
    return train_sentiment(texts, crit)


def test_learns_direction_and_stays_in_range(toy):
    s = toy.score(["kind and helpful staff", "rude dismissive staff, awful", ""])
    assert s[0] > 0 > s[1] and s[2] == 0.0
    assert np.all(np.abs(s) <= 1.0)


def test_round_trip_through_the_starter_file(toy, tmp_path):
    path = tmp_path / "starter.json"
    write_starter_file(path, *toy.to_file_parts())
    back = SentimentModel.from_file_parts(*read_starter_file(path))
    texts = ["kind and helpful staff", "rude dismissive staff"]
    np.testing.assert_allclose(back.score(texts), toy.score(texts), atol=1e-5)
    assert load_sentiment_model(path) is not None


def test_answer_scores_fall_back_to_the_lexicon(toy, tmp_path):
    texts = ["Staff were rude", "nothing", None]
    absent = answer_scores(texts, tmp_path / "absent.json")
    np.testing.assert_allclose(absent, sentiment.score_texts(texts))
    path = tmp_path / "starter.json"
    write_starter_file(path, *toy.to_file_parts())
    got = answer_scores(texts, path)
    assert got[0] == pytest.approx(toy.score(["Staff were rude"])[0])
    # "nothing" means praise or complaint depending on the question: the lexicon's neutral score.
    assert got[1] == sentiment.score_texts(["nothing"])[0] and got[2] == 0.0


def test_shipped_model_ranks_plain_praise_above_plain_complaint():
    got = answer_scores(["Staff were lovely and kind", "More staff, the food was cold"])
    assert got[0] > 0 > got[1]


def test_group_indicators_one_column_per_group():
    got = group_indicators(["B", "A", "B"], 3).toarray()
    np.testing.assert_array_equal(got, [[0, 1], [1, 0], [0, 1]])
    with pytest.raises(ValueError, match="one group per answer"):
        group_indicators(["A"], 2)


def _habits() -> tuple[list[str], list[int], list[str]]:
    # Two trusts score alike answers on different habits: "Lenient" 4 for praise and 0 for a
    # complaint, "Strict" 0 and -4; Lenient's answers are about a ward, Strict's about a clinic.
    texts, crit, groups = [], [], []
    for i in range(8):
        for place, trust, up, down in (("ward", "Lenient", 4, 0), ("clinic", "Strict", 0, -4)):
            texts += [
                f"kind helpful staff on the {place} {i}",
                f"rude dismissive staff on the {place} {i}",
            ]
            crit += [up, down]
            groups += [trust, trust]
    return texts, crit, groups


def test_an_offset_per_group_keeps_a_group_habit_out_of_the_words():
    texts, crit, groups = _habits()
    plain = train_sentiment(texts, crit)
    offsets = train_sentiment(texts, crit, groups=groups)
    # Without offsets "ward" learns the lenient trust's habit and "clinic" the strict one's.
    gap_plain = plain.score(["the ward"])[0] - plain.score(["the clinic"])[0]
    gap_offsets = offsets.score(["the ward"])[0] - offsets.score(["the clinic"])[0]
    assert gap_plain > 0.2 and abs(gap_offsets) < gap_plain / 2
    s = offsets.score(["kind helpful staff", "rude dismissive staff"])
    assert s[0] > 0 > s[1]
