"""Model files: round trip without pickle; anything odd is refused."""

from __future__ import annotations

import io
import json
import pickle
import zipfile

import numpy as np
import pytest

from analysis.themes.codebook import default_codebook
from analysis.themes.model_files import (
    ModelFileError,
    load_model,
    model_from_bytes,
    model_to_bytes,
    save_model,
)
from analysis.themes.trained import TrainedThemeClassifier
from analysis.themes.zero_shot import ZeroShotThemeClassifier

TEXTS = [
    "waited months",
    "nurses were kind",
    "nobody rang back",
    "food was cold",
    "my dose was doubled",
    "staff were rude",
    "long waiting list",
    "tablets changed",
    "cold dinner",
    "great staff",
] * 2
Y = np.array([[1, 0], [0, 1], [1, 0], [0, 0], [0, 0], [0, 1], [1, 0], [0, 0], [0, 0], [0, 1]] * 2)


@pytest.fixture(scope="module")
def trained():
    return TrainedThemeClassifier().fit(TEXTS, Y, ["access", "staff"])


def test_round_trip_trained(tmp_path, trained):
    path = tmp_path / "m.zip"
    save_model(trained, path)
    again = load_model(path)
    assert again.predict(TEXTS) == trained.predict(TEXTS)
    assert np.allclose(again.predict_proba(TEXTS), trained.predict_proba(TEXTS))
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["arrays.npz", "model.json"]


def test_round_trip_zero_shot():
    z = ZeroShotThemeClassifier().fit(TEXTS, default_codebook())
    again = model_from_bytes(model_to_bytes(z))
    assert again.predict(TEXTS) == z.predict(TEXTS)


def test_round_trip_keeps_the_themes_people_taught():
    cb = default_codebook()
    y = np.full((1, len(cb.theme_ids)), -1, dtype=np.int8)
    y[0, cb.theme_ids.index("environment_safety")] = 0  # judged: not about the surroundings
    z = ZeroShotThemeClassifier().fit(
        TEXTS, cb, labels=y, label_texts=["the car park is always full"]
    )
    again = model_from_bytes(model_to_bytes(z))
    assert again.taught_.tolist() == z.taught_.tolist() and z.taught_.sum() == 1
    assert again.predict(TEXTS + ["hard to park"]) == z.predict(TEXTS + ["hard to park"])


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    return buf.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_a_pickle_is_refused(trained):
    with pytest.raises(ModelFileError, match="not a model file"):
        model_from_bytes(pickle.dumps(trained))


def test_a_pickle_inside_the_zip_is_refused(trained):
    m = _members(model_to_bytes(trained))
    buf = io.BytesIO()
    np.savez(buf, coef=np.array([object()], dtype=object))
    m["arrays.npz"] = buf.getvalue()
    with pytest.raises(ModelFileError, match="pickle"):
        model_from_bytes(_zip(m))
    m2 = _members(model_to_bytes(trained))
    m2["payload.pkl"] = pickle.dumps({"x": 1})
    with pytest.raises(ModelFileError, match="unexpected contents"):
        model_from_bytes(_zip(m2))


def test_malformed_files_are_refused(tmp_path, trained):
    m = _members(model_to_bytes(trained))
    bad_json = dict(m, **{"model.json": b"{not json"})
    with pytest.raises(ModelFileError, match="JSON"):
        model_from_bytes(_zip(bad_json))
    meta = json.loads(m["model.json"])
    meta["format_version"] = 999
    with pytest.raises(ModelFileError, match="not supported"):
        model_from_bytes(_zip(dict(m, **{"model.json": json.dumps(meta).encode()})))
    meta = json.loads(m["model.json"])
    meta["label_names"] = ["only_one"]
    with pytest.raises(ModelFileError, match="do not match"):
        model_from_bytes(_zip(dict(m, **{"model.json": json.dumps(meta).encode()})))
    meta = json.loads(m["model.json"])
    meta["kind"] = "evil"
    with pytest.raises(ModelFileError, match="unknown model kind"):
        model_from_bytes(_zip(dict(m, **{"model.json": json.dumps(meta).encode()})))
    with pytest.raises(ModelFileError, match="no model file"):
        load_model(tmp_path / "missing.zip")
    with pytest.raises(TypeError):
        model_to_bytes(object())
