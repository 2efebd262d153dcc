"""Judgements: read and checked, matched to answers, weighted in training, final for the judged answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.themes import codebook as cb
from analysis.themes import judgements
from analysis.themes.pipeline import classify_responses

CODEBOOK = cb.Codebook(
    name="t",
    version=1,
    themes=[
        cb.Theme(id="access", label="Access", seeds=["waiting list", "referral"]),
        cb.Theme(id="staff", label="Staff", seeds=["rude", "kind staff"]),
        cb.Theme(id="discharge", label="Discharge", seeds=["discharge plan"]),
    ],
)
ANSWERS = [
    "waited months on the waiting list",
    "the referral took ages",
    "rude receptionist",
    "kind staff on the ward",
    "sent home with no follow up after leaving the ward",
    "sent home with no support after leaving hospital",
    "left hospital and nobody followed up",
    "the food was fine",
    "parking was hard",
    "n/a",
] * 4


def test_read_checks_columns_values_and_themes():
    ok = pd.DataFrame(
        {"response_id": ["1", "1", "2"], "text": ["", "", "x"], "theme_id": ["access"] * 3,
         "present": ["1", "no", "yes"]}
    )  # fmt: skip
    got = judgements.read_judgements(ok, CODEBOOK)
    assert got[["response_id", "present"]].values.tolist() == [["1", 0], ["2", 1]]  # last wins
    with pytest.raises(judgements.JudgementError, match="present must be 1 or 0"):
        judgements.read_judgements(ok.assign(present=["maybe", "1", "1"]), CODEBOOK)
    with pytest.raises(judgements.JudgementError, match="does not have: nope"):
        judgements.read_judgements(ok.assign(theme_id="nope"), CODEBOOK)
    with pytest.raises(judgements.JudgementError, match="need the columns"):
        judgements.read_judgements(ok.drop(columns=["present"]), CODEBOOK)


def test_match_by_id_then_by_text():
    responses = pd.DataFrame({"response_id": ["a", "b", "c"], "text": ["one", "Two", "two"]})
    j = pd.DataFrame(
        {"response_id": ["a", "", "zz"], "text": ["", "two", "unseen answer"],
         "theme_id": ["access", "staff", "staff"], "present": [1, 0, 1]}
    )  # fmt: skip
    got = judgements.match_judgements(responses, j)
    assert got[["response_id", "theme_id"]].values.tolist() == [
        ["a", "access"], ["b", "staff"], ["c", "staff"], ["judged:zz", "staff"]
    ]  # fmt: skip


def test_judgements_teach_a_theme_no_seed_finds_and_always_win():
    responses = pd.DataFrame(
        {"response_id": [str(i) for i in range(len(ANSWERS))], "text": ANSWERS}
    )
    before = classify_responses(responses, CODEBOOK).answers
    assert not before["themes"].str.contains("discharge").any()
    taught = pd.DataFrame(
        {"response_id": ["4", "5", "2", "3"], "text": ["", "", "", ""],
         "theme_id": ["discharge", "discharge", "staff", "staff"], "present": [1, 1, 0, 1]}
    )  # fmt: skip
    fixes = judgements.match_judgements(responses, taught)
    model = judgements.fit_with_judgements(ANSWERS, CODEBOOK, fixes)
    after = classify_responses(responses, CODEBOOK, model=model, corrections=fixes).answers
    themes = dict(zip(after["response_id"], after["themes"]))
    assert "discharge" in themes["4"] and "discharge" in themes["5"]
    assert "staff" not in themes["2"]  # the judgement wins over the seed "rude"
    # Learned, not only overridden: an unjudged answer saying the same thing gets the theme.
    assert model.classify(["sent home after leaving hospital"]).labels() == [["discharge"]]


def test_judgements_weigh_more_than_seeds():
    taught = pd.DataFrame({"response_id": ["x"] * 2, "text": ["rude receptionist"] * 2,
                           "theme_id": ["staff", "access"], "present": [0, 1]})  # fmt: skip
    light = judgements.fit_with_judgements(ANSWERS, CODEBOOK, taught, weight=0.01)
    heavy = judgements.fit_with_judgements(ANSWERS, CODEBOOK, taught, weight=20.0)
    k = heavy.theme_ids_.index("staff")
    assert (
        heavy.predict_proba(["rude receptionist"])[0, k]
        < light.predict_proba(["rude receptionist"])[0, k]
    )


def test_a_sub_theme_judged_present_brings_its_parent_unless_the_parent_is_judged():
    book = cb.Codebook(
        name="t",
        version=1,
        themes=[
            cb.Theme(id="access", label="Access", seeds=["access"]),
            cb.Theme(id="waiting", label="Waiting", seeds=["wait"], parent="access"),
        ],
    )
    j = pd.DataFrame(
        {"response_id": ["1", "2", "2", "3"], "text": [""] * 4,
         "theme_id": ["waiting", "waiting", "access", "waiting"], "present": [1, 1, 0, 0]}
    )  # fmt: skip
    got = judgements.with_parents(j, book)
    pairs = set(zip(got["response_id"], got["theme_id"], got["present"], strict=True))
    assert ("1", "access", 1) in pairs  # added
    assert ("2", "access", 0) in pairs and ("2", "access", 1) not in pairs  # judged: kept
    assert not {p for p in pairs if p[0] == "3" and p[1] == "access"}  # absent child: nothing


# Theme ids the shipped starter model knows, with the codebook's own seeds.
STARTER_BOOK = cb.Codebook(
    name="t",
    version=1,
    themes=[
        t
        for t in cb.default_codebook().themes
        if t.id in {"access", "staff_behaviour", "environment_safety", "discharge_planning"}
    ],
)
PARKING = [
    "Hard to park",
    "Hard to park at the unit",
    "Parking was hard again",
    "the staff were rude",
    "waited months for a referral",
    "sent home with no plan",
    "lovely garden",
    "the car park is always full",
]


def _judge(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(rid, "", tid, present) for rid, tid, present in rows],
        columns=judgements.JUDGEMENT_COLUMNS,
    )


def test_judgements_add_to_the_starter_and_a_judged_answer_takes_exactly_its_themes():
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

    responses = pd.DataFrame({"response_id": [str(i) for i in range(8)], "text": PARKING})
    seeds_only = ZeroShotThemeClassifier(use_starter=False).fit(PARKING, STARTER_BOOK)
    assert not seeds_only.classify(["Hard to park at the unit"]).assigned.any()  # starter's own
    fixes = judgements.match_judgements(
        responses,
        _judge(
            [("4", "discharge_planning", 1)]  # unrelated: another answer, another theme
            + [("0", t, int(t == "access")) for t in STARTER_BOOK.theme_ids]
        ),
    )
    model = judgements.fit_with_judgements(PARKING, STARTER_BOOK, fixes)
    got = classify_responses(responses, STARTER_BOOK, model=model, corrections=fixes).answers
    themes = dict(zip(got["response_id"], got["themes"].str.split("|")))
    # The starter still raises it where no seed does, on an answer worded unlike the one judged
    # "no" ("Hard to park at the unit", nearly its words, may follow the judgement).
    assert "environment_safety" in themes["2"]
    assert "environment_safety" in themes["7"]  # and the seed "car park" still does
    assert themes["0"] == ["access"]  # judged on every theme: exactly what the person said
    assert "discharge_planning" in themes["4"]


def test_judgements_weigh_more_than_starter_data():
    k = STARTER_BOOK.theme_ids.index("environment_safety")
    said_no = _judge([("0", "environment_safety", 0), ("1", "environment_safety", 0)])
    said_no["text"] = PARKING[:2]
    light = judgements.fit_with_judgements(PARKING, STARTER_BOOK, said_no, weight=0.01)
    heavy = judgements.fit_with_judgements(PARKING, STARTER_BOOK, said_no)
    assert light.classify(PARKING[:2]).assigned[:, k].all()  # starter data outweighs light ones
    assert not heavy.classify(PARKING[:2]).assigned[:, k].any()  # the model itself, no override
    assert heavy.classify(["the car park is always full"]).assigned[0, k]  # other answers keep it


def test_a_no_never_makes_a_theme_raised_on_more_answers():
    """Where the starter knows a theme, the model learnt from seeds raises it alone only once a
    person has said yes to it: a "no" (here to access, on one answer) must not unlock it, or the
    theme would be raised on answers it was not raised on before (it was, on 4 of 1,500)."""
    from analysis.core import config
    from analysis.ingest.exports import load_responses

    texts = load_responses(config.DEMO_RESPONSES)[0]["text"].astype(str).tolist()[:1500]
    book = cb.default_codebook()
    before = judgements.fit_with_judgements(texts, book, None)
    said_no = pd.DataFrame([("0", texts[0], "access", 0)], columns=judgements.JUDGEMENT_COLUMNS)
    after = judgements.fit_with_judgements(texts, book, said_no)
    was, now = before.classify(texts).assigned, after.classify(texts).assigned
    starter_themes = [k for k, _ in before.starter_pairs_]
    assert starter_themes and before.theme_ids_.index("access") in starter_themes
    assert not (now[:, starter_themes] & ~was[:, starter_themes]).any()


def test_review_measures_doubt_with_the_gates_classify_uses():
    """After a "no" only, the model alone still may not raise access (classify keeps that gate shut),
    so review must not count it as a way access could be raised; after a "yes" it may."""
    from analysis.core import config
    from analysis.ingest.exports import load_responses
    from analysis.themes.review import _logit, doubt_margins

    texts = load_responses(config.DEMO_RESPONSES)[0]["text"].astype(str).tolist()[:800]
    book = cb.default_codebook()
    cols = judgements.JUDGEMENT_COLUMNS
    no = judgements.fit_with_judgements(
        texts, book, pd.DataFrame([("0", texts[0], "access", 0)], columns=cols)
    )
    yes = judgements.fit_with_judgements(
        texts, book, pd.DataFrame([("0", texts[0], "access", 1)], columns=cols)
    )
    k = no.theme_ids_.index("access")
    assert k in no.alone_shut() and k not in yes.alone_shut()
    # Answers access is raised on by nothing: after a "no", only the starter could raise it, so
    # the doubt is the starter's own margin; after a "yes" the model alone is a nearer way for some.
    quiet = [t for t, a in zip(texts, no.classify(texts).assigned[:, k], strict=True) if not a]
    quiet = [t for t in quiet if not any(k in (m.theme_index, *no.parents_[m.theme_index])
                                         for m in no.matcher_.match(t))]  # fmt: skip
    starter, j = no.starter_, dict(no.starter_pairs_)[k]
    own = np.abs(
        _logit(starter.proba(starter.features(quiet))[:, j]) - _logit(starter.thresholds[j])
    )
    after_no, after_yes = doubt_margins(no, quiet)[:, k], doubt_margins(yes, quiet)[:, k]
    np.testing.assert_allclose(after_no, own, rtol=1e-6)
    assert (after_yes < own - 1e-6).any()
