"""The starter theme model: mapping, training, the pickle-free file, and its union with seeds."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.text.starter_file import read_starter_file, write_starter_file
from analysis.themes.codebook import default_codebook
from analysis.themes.starter import (
    MIN_EXAMPLES,
    SHORT_CONFIDENT,
    THRESHOLD_FLOORS,
    StarterThemes,
    codebook_texts,
    load_mapping,
    load_starter_themes,
    mapped_labels,
    train_starter_themes,
)
from analysis.themes.zero_shot import ZeroShotThemeClassifier

IDS = default_codebook().theme_ids


def test_shipped_mapping_names_only_codebook_themes():
    mapping = load_mapping()
    assert len(mapping) == 44
    assert set(mapping.values()) - {""} <= set(IDS)
    assert mapping["sl"] == "staffing" and mapping["cc"] == ""


def test_mapped_labels_roll_up_and_ignore_unknown(tmp_path):
    cb = default_codebook()
    path = tmp_path / "m.csv"
    path.write_text("code,theme_id\nwa,waiting_times\nzz,not_a_theme\ncc,\n", encoding="utf-8")
    y = mapped_labels(["wa", "zz", "cc", "??"], IDS, load_mapping(path), cb)
    assert y[0, IDS.index("waiting_times")] == 1 and y[0, IDS.index("access")] == 1
    assert y[1:].sum() == 0


def test_codebook_texts_say_their_theme():
    texts, y = codebook_texts(default_codebook(), IDS)
    i = texts.index("short staffed")
    assert y[i, IDS.index("staffing")] == 1 and y[i].sum() == 1


def _toy():
    staff = [f"the nurses on ward {i} were rude and the doctor shouted" for i in range(30)]
    food = [f"the food was cold and the meals on day {i} were awful" for i in range(30)]
    other = [f"my appointment letter {i} arrived on tuesday" for i in range(30)]
    texts = staff + food + other
    y = np.zeros((len(texts), len(IDS)), dtype=np.int8)
    y[:30, IDS.index("staff_behaviour")] = 1
    y[30:60, IDS.index("food_activities")] = 1
    y[30:60, IDS.index("environment_safety")] = 1
    y[60:61, IDS.index("medication")] = 1  # fewer than MIN_EXAMPLES
    return texts, y


@pytest.fixture(scope="module")
def toy_model():
    texts, y = _toy()
    return train_starter_themes(texts, y, default_codebook(), IDS)


def test_training_learns_mapped_themes_and_skips_thin_ones(toy_model):
    got = toy_model.decide(["a rude nurse shouted at me", "awful cold meals"])
    assert got[0, IDS.index("staff_behaviour")] and not got[0, IDS.index("food_activities")]
    assert got[1, IDS.index("food_activities")] and not got[1, IDS.index("staff_behaviour")]
    assert MIN_EXAMPLES > 1 and not np.isfinite(toy_model.thresholds[IDS.index("medication")])
    assert not toy_model.decide(["tablets made me drowsy"])[0, IDS.index("medication")]


def test_a_floor_raises_a_themes_threshold_and_leaves_the_others(toy_model):
    texts, y = _toy()
    floored = train_starter_themes(
        texts, y, default_codebook(), IDS, floors={"staff_behaviour": 0.9}
    )
    k, f = IDS.index("staff_behaviour"), IDS.index("food_activities")
    assert toy_model.thresholds[k] < 0.9 and floored.thresholds[k] == 0.9
    assert floored.thresholds[f] == toy_model.thresholds[f]


def test_the_shipped_starter_keeps_its_floors():
    model = load_starter_themes()
    assert THRESHOLD_FLOORS and set(THRESHOLD_FLOORS) <= set(IDS)
    for theme_id, floor in THRESHOLD_FLOORS.items():
        assert model.thresholds[IDS.index(theme_id)] >= floor


def test_file_round_trip_without_pickle(toy_model, tmp_path):
    meta, arrays = toy_model.to_file_parts()
    path = tmp_path / "starter.json"
    write_starter_file(path, meta, arrays)
    back = StarterThemes.from_file_parts(*read_starter_file(path))
    texts = ["a rude nurse shouted at me", "awful cold meals", "nothing in common"]
    np.testing.assert_allclose(
        back.proba(back.features(texts)), toy_model.proba(toy_model.features(texts)), atol=2e-3
    )
    assert (back.decide(texts) == toy_model.decide(texts)).all()
    with np.load(path.with_suffix(".npz"), allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)


def test_a_loaded_model_is_built_once_per_reading_of_its_file(toy_model, tmp_path):
    import os

    from analysis.themes.starter import load_starter_themes

    path = tmp_path / "starter.json"
    write_starter_file(path, *toy_model.to_file_parts())
    first = load_starter_themes(path)
    assert first is not None and load_starter_themes(path) is first
    write_starter_file(path, *toy_model.to_file_parts())
    later = path.stat().st_mtime + 5
    os.utime(path, (later, later))  # a rebuilt file is read again
    again = load_starter_themes(path)
    assert again is not first and again.theme_ids == first.theme_ids


def test_damaged_file_is_not_used(tmp_path):
    path = tmp_path / "starter.json"
    path.write_text("{not json", encoding="utf-8")
    np.savez(path.with_suffix(".npz"), a=np.zeros(2))
    assert read_starter_file(path) is None
    assert read_starter_file(tmp_path / "absent.json") is None


def test_shipped_starter_is_small_and_loads():
    from analysis.text.starter_file import STARTER_JSON

    model = load_starter_themes()
    assert model is not None and model.theme_ids == IDS
    size = STARTER_JSON.stat().st_size + STARTER_JSON.with_suffix(".npz").stat().st_size
    assert size < 5_000_000


def test_union_raises_starter_themes_and_says_why():
    cb = default_codebook()
    text = "Hard to park"
    with_starter = ZeroShotThemeClassifier().fit([text], cb).classify([text])
    without = ZeroShotThemeClassifier(use_starter=False).fit([text], cb).classify([text])
    k = IDS.index("environment_safety")  # the framework codes parking under facilities
    assert with_starter.assigned[0, k] and not without.assigned[0, k]
    assert "park" in " ".join(with_starter.evidence[0][k]).lower()


def test_contentless_answers_teach_the_starter_nothing():
    texts = ["Nothing"] * 30 + ["the nurses were rude"] * 30
    y = np.zeros((60, len(IDS)), dtype=np.int8)
    y[:30, IDS.index("positive_experience")] = 1
    y[30:, IDS.index("staff_behaviour")] = 1
    model = train_starter_themes(texts, y, default_codebook(), IDS)
    assert model.n_examples[IDS.index("positive_experience")] == 0
    assert not model.decide(["Nothing was good at all here"])[0, IDS.index("positive_experience")]


def test_a_short_answer_needs_two_words_for_a_theme_or_a_confident_starter(toy_model):
    k = IDS.index("staff_behaviour")
    model = StarterThemes(
        toy_model.theme_ids, toy_model.vectorizer, toy_model.coef.copy(),
        toy_model.intercept.copy(), toy_model.thresholds.copy(), toy_model.n_examples,
    )  # fmt: skip
    model.thresholds[k] = 0.01  # raise on anything the theme's words touch
    texts = ["rude and informative", "rude nurses shouted", "tuesday letter arrived rude"]
    X = model.features(texts)
    P = np.minimum(model.proba(X), 0.4)  # below SHORT_CONFIDENT: the words decide
    got = model.raise_from(X, P)[:, k]
    # One word for the theme in a short answer: not enough; two or more: raised.
    assert not got[0] and got[1]
    # The same short answer is raised when the starter is confident.
    assert model.raise_from(X, np.maximum(P, SHORT_CONFIDENT))[0, k]
