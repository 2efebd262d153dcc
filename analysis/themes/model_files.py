"""Save and load theme models without pickle: one zip holding model.json (parameters, vocabularies,
label names, codebook) and arrays.npz (idf, coefficients, thresholds), read with allow_pickle=False.
Loading can therefore never run code; anything unexpected is refused with ModelFileError."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from analysis.core import config
from analysis.core.errors import InputError
from analysis.themes.codebook import CodebookError, codebook_from_dict, codebook_to_dict
from analysis.themes.features import vectorizer_from_state, vectorizer_state

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

MEMBERS = ("model.json", "arrays.npz")


class ModelFileError(InputError):
    """A model file that cannot be used (wrong kind, version, damaged or tampered with)."""


def _pack(meta: dict, arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    arr = io.BytesIO()
    np.savez_compressed(arr, **{k: np.asarray(v) for k, v in arrays.items()})
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("model.json", json.dumps(meta, ensure_ascii=False))
        zf.writestr("arrays.npz", arr.getvalue())
    return buf.getvalue()


def model_to_bytes(model: object) -> bytes:
    """Serialise a fitted ZeroShotThemeClassifier or TrainedThemeClassifier."""
    from analysis.themes.trained import TrainedThemeClassifier
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

    meta: dict = {
        "format": "feedback-theme-model",
        "format_version": config.MODEL_FORMAT_VERSION,
    }
    arrays: dict[str, np.ndarray] = {}
    if isinstance(model, ZeroShotThemeClassifier):
        params, vocab, idf = vectorizer_state(model.vectorizer_)
        meta.update(
            kind="zero_shot",
            params=model.get_params(),
            theme_ids=model.theme_ids_,
            codebook=codebook_to_dict(model.codebook_),
            word_vectorizer=params,
            word_vocab=vocab,
            n_fit_texts=int(model.n_fit_texts_),
        )
        arrays.update(
            word_idf=idf,
            coef=model.coef_,
            intercept=model.intercept_,
            thresholds=model.thresholds_,
            taught=np.asarray(
                getattr(model, "taught_", np.zeros(len(model.theme_ids_), bool)), np.int8
            ),
        )
    elif isinstance(model, TrainedThemeClassifier):
        params, vocab, idf = vectorizer_state(model.word_vectorizer_)
        meta.update(
            kind="trained",
            params=model.get_params(),
            label_names=model.label_names_,
            exclusive=bool(model.exclusive_),
            learned_contentless=bool(model.learned_contentless_),
            word_vectorizer=params,
            word_vocab=vocab,
            n_train=int(model.n_train_),
        )
        arrays.update(
            word_idf=idf,
            coef=model.coef_,
            intercept=model.intercept_,
            thresholds=model.thresholds_,
            platt_a=model.platt_a_,
            platt_b=model.platt_b_,
        )
        if model.char_vectorizer_ is not None:
            cparams, cvocab, cidf = vectorizer_state(model.char_vectorizer_)
            meta.update(char_vectorizer=cparams, char_vocab=cvocab)
            arrays["char_idf"] = cidf
    else:
        raise TypeError(f"cannot save a {type(model).__name__}")
    return _pack(meta, arrays)


def save_model(model: object, path: str | Path) -> None:
    """Write a fitted model to `path` (a zip of model.json + arrays.npz)."""
    Path(path).write_bytes(model_to_bytes(model))


def _read_zip(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    if len(data) > config.MODEL_MAX_BYTES:
        raise ModelFileError("the model file is too large")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ModelFileError(
            "not a model file (expected a zip with model.json and arrays.npz)"
        ) from None
    with zf:
        names = sorted(zf.namelist())
        if names != sorted(MEMBERS):
            raise ModelFileError(f"unexpected contents in the model file: {', '.join(names)[:200]}")
        if sum(i.file_size for i in zf.infolist()) > config.MODEL_MAX_BYTES:
            raise ModelFileError("the model file unpacks to more than the size limit")
        try:
            meta = json.loads(zf.read("model.json").decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ModelFileError("model.json is not valid JSON") from None
        raw = zf.read("arrays.npz")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except ValueError as exc:  # object arrays need pickle: refused
        raise ModelFileError(
            f"arrays.npz holds data that needs pickle; refused ({str(exc)[:80]})"
        ) from None
    except (OSError, zipfile.BadZipFile, EOFError):
        raise ModelFileError("arrays.npz is damaged") from None
    for k, v in arrays.items():
        if v.dtype.kind not in "fiub":
            raise ModelFileError(f"array '{k}' is not numeric")
    if not isinstance(meta, dict) or meta.get("format") != "feedback-theme-model":
        raise ModelFileError("not a theme model file")
    if meta.get("format_version") != config.MODEL_FORMAT_VERSION:
        raise ModelFileError(
            f"model format_version {meta.get('format_version')!r} is not supported"
        )
    return meta, arrays


def _need(arrays: dict, *names: str) -> None:
    missing = [n for n in names if n not in arrays]
    if missing:
        raise ModelFileError(f"the model file lacks arrays: {', '.join(missing)}")


def _zero_shot_from(meta: dict, arrays: dict, params: dict, wv: TfidfVectorizer):  # noqa: ANN202
    """The zero-shot half of model_from_bytes: the model before its coefficients are set."""
    from analysis.themes.seed_match import SeedMatcher
    from analysis.themes.zero_shot import ZeroShotThemeClassifier, _parent_matrix

    _need(arrays, "coef", "intercept", "thresholds")
    m = ZeroShotThemeClassifier(**params)
    m.codebook_ = codebook_from_dict(meta["codebook"])
    m.theme_ids_ = list(m.codebook_.theme_ids)
    if m.theme_ids_ != list(meta["theme_ids"]):
        raise ModelFileError("theme ids do not match the saved codebook")
    m.parents_ = _parent_matrix(m.codebook_)
    m.matcher_ = SeedMatcher(m.codebook_)
    m._attach_starter()
    m.vectorizer_ = wv
    m.n_fit_texts_ = int(meta.get("n_fit_texts", 0))
    m.seed_match_rate_ = float("nan")
    m.taught_ = np.asarray(arrays.get("taught", np.zeros(len(m.theme_ids_))), bool)
    if m.taught_.shape != (len(m.theme_ids_),):
        raise ModelFileError("the model's taught themes do not match its labels")
    return m


def _trained_from(meta: dict, arrays: dict, params: dict, wv: TfidfVectorizer):  # noqa: ANN202
    """The trained half of model_from_bytes: the model before its coefficients are set."""
    from analysis.themes.trained import TrainedThemeClassifier

    _need(arrays, "coef", "intercept", "thresholds", "platt_a", "platt_b")
    m = TrainedThemeClassifier(**params)
    m.label_names_ = [str(x) for x in meta["label_names"]]
    m.theme_ids_ = m.label_names_
    m.exclusive_ = bool(meta["exclusive"])
    m.learned_contentless_ = bool(meta.get("learned_contentless", False))
    m.word_vectorizer_ = wv
    m.char_vectorizer_ = None
    if "char_vectorizer" in meta:
        _need(arrays, "char_idf")
        m.char_vectorizer_ = vectorizer_from_state(
            meta["char_vectorizer"], meta["char_vocab"], arrays["char_idf"]
        )
    m.platt_a_ = arrays["platt_a"].astype(np.float64)
    m.platt_b_ = arrays["platt_b"].astype(np.float64)
    m.n_train_ = int(meta.get("n_train", 0))
    return m


def model_from_bytes(data: bytes):  # noqa: ANN201
    """Rebuild a model from model_to_bytes() output; ModelFileError when malformed."""
    meta, arrays = _read_zip(data)
    kind = meta.get("kind")
    try:
        wv = vectorizer_from_state(meta["word_vectorizer"], meta["word_vocab"], arrays["word_idf"])
        params = dict(meta.get("params") or {})
        if kind == "zero_shot":
            m = _zero_shot_from(meta, arrays, params, wv)
            names = m.theme_ids_
        elif kind == "trained":
            m = _trained_from(meta, arrays, params, wv)
            names = m.label_names_
        else:
            raise ModelFileError(f"unknown model kind {kind!r}")
    except (KeyError, TypeError) as exc:
        raise ModelFileError(f"the model file is incomplete ({exc})") from None
    except CodebookError as exc:
        raise ModelFileError(f"the model's codebook is invalid: {exc}") from None
    except ValueError as exc:
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(f"the model file is inconsistent: {exc}") from None
    m.coef_ = arrays["coef"].astype(np.float32)
    m.intercept_ = arrays["intercept"].astype(np.float64)
    m.thresholds_ = arrays["thresholds"].astype(np.float64)
    n_feat = len(wv.vocabulary_) + (
        len(m.char_vectorizer_.vocabulary_)
        if kind == "trained" and m.char_vectorizer_ is not None
        else 0
    )
    L = len(names)
    if m.coef_.shape != (L, n_feat) or m.intercept_.shape != (L,) or m.thresholds_.shape != (L,):
        raise ModelFileError("the model's arrays do not match its vocabulary and labels")
    return m


def load_model(path: str | Path):  # noqa: ANN201
    """Read a model saved by save_model(); ModelFileError when missing or malformed."""
    p = Path(path)
    if not p.is_file():
        raise ModelFileError(f"no model file at {p}")
    if p.stat().st_size > config.MODEL_MAX_BYTES:
        raise ModelFileError("the model file is too large")
    return model_from_bytes(p.read_bytes())
