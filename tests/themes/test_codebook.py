"""Codebook file format, validation errors and the shipped default codebook."""

from __future__ import annotations

import pytest

from analysis.core import config
from analysis.themes.codebook import (
    Codebook,
    CodebookError,
    Theme,
    ancestors,
    codebook_from_dict,
    codebook_to_dict,
    default_codebook,
    dump_codebook,
    load_codebook,
    parse_codebook_text,
)


def _cb(*themes: dict) -> dict:
    return {"format_version": 1, "name": "t", "version": 1, "themes": list(themes)}


def _t(tid: str = "access", **kw) -> dict:
    d = {"id": tid, "label": tid.title(), "seeds": ["waited months"]}
    d.update(kw)
    return d


def test_default_codebook_has_core_themes_with_many_seeds():
    cb = default_codebook()
    ids = [t.id for t in cb.themes]
    for tid in config.CORE_THEME_IDS:
        assert tid in ids
    for t in cb.themes:
        assert t.label and t.description
        assert len(t.seeds) >= 25, t.id
        assert t.plan_area in (None, *config.PLAN_AREAS)
    assert cb.get("waiting_times").parent == "access"


def test_round_trip_yaml_and_json(tmp_path):
    cb = default_codebook()
    for name in ("cb.yaml", "cb.json"):
        path = tmp_path / name
        dump_codebook(cb, path)
        again = load_codebook(path)
        assert codebook_to_dict(again) == codebook_to_dict(cb)
    assert codebook_to_dict(cb)["format_version"] == config.CODEBOOK_FORMAT_VERSION


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_cb(_t(), _t()), "used more than once"),
        (_cb(_t("Bad Id")), "lowercase letters"),
        (_cb(_t("9lives")), "lowercase letters"),
        (_cb(_t(parent="nowhere")), "not in the codebook"),
        (_cb(_t("a", parent="b"), _t("b", parent="a")), "cycle"),
        (_cb(_t(parent="access")), "its own parent"),
        (_cb(_t(plan_area="Finance")), "not an Improvement Plan area"),
        (_cb(_t(seeds=[])), "no seed phrases"),
        (_cb(_t(seeds="waiting")), "must be a list"),
        (_cb(_t(seeds=["ok", ""])), "must not be empty"),
        (_cb(_t(config.UNASSIGNED)), "reserved"),
        (_cb(_t(config.NO_CONTENT)), "reserved"),
        (_cb(_t(label=5)), "must be text"),
        (_cb(_t(retired="yes")), "true or false"),
        (_cb(_t(colour="red")), "unknown field"),
        (_cb(), "no themes"),
        ({"name": "x", "themes": "nope"}, "must be a list"),
        ({**_cb(_t()), "format_version": 99}, "not supported"),
        (["not", "a", "mapping"], "must be a mapping"),
        (_cb(_t(seeds=["x" * (config.CODEBOOK_MAX_SEED_CHARS + 1)])), "longer than"),
        (_cb(_t(retired=True)), "retired"),
    ],
)
def test_invalid_codebooks_raise_clear_errors(data, message):
    with pytest.raises(CodebookError, match=message):
        codebook_from_dict(data)


def test_too_many_themes_refused():
    themes = [_t(f"t{i}") for i in range(config.CODEBOOK_MAX_THEMES + 1)]
    with pytest.raises(CodebookError, match="more than"):
        codebook_from_dict(_cb(*themes))


def test_malformed_yaml_and_json_give_codebook_errors(tmp_path):
    with pytest.raises(CodebookError, match="not valid YAML"):
        parse_codebook_text("themes: [unclosed\n  - x: :")
    with pytest.raises(CodebookError, match="not valid JSON"):
        parse_codebook_text("{bad json", fmt="json")
    with pytest.raises(CodebookError, match="no codebook file"):
        load_codebook(tmp_path / "missing.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(CodebookError, match="not UTF-8"):
        load_codebook(bad)


def test_yaml_python_tags_are_not_executed():
    with pytest.raises(CodebookError):
        parse_codebook_text("!!python/object/apply:os.system ['echo hi']")


def test_numeric_seeds_are_text_and_duplicates_dropped():
    cb = codebook_from_dict(_cb(_t(seeds=[111, "Waited months", "waited months"])))
    assert cb.themes[0].seeds == ["111", "Waited months"]


def test_ancestors_and_fingerprint():
    cb = Codebook("x", 1, [Theme("a", "A", seeds=["s"]), Theme("b", "B", seeds=["s"], parent="a")])
    assert ancestors(cb, "b") == ["a"]
    fp = cb.fingerprint()
    cb.themes[1].seeds.append("new seed")
    assert cb.fingerprint() != fp


def test_default_codebook_returns_a_copy():
    cb = default_codebook()
    cb.themes[0].seeds.clear()
    assert default_codebook().themes[0].seeds
