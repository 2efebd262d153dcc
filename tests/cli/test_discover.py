"""Tests for `python -m analysis discover`: happy paths, redaction, and one-line errors with exit 2."""

from __future__ import annotations

import csv
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.cli import discover as cli_discover
from analysis.themes.discovery import DiscoveredTheme
from tests.themes.test_discovery import FOOD, NOISE, PARKING, WIFI


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "Answer"])
        for i, text in enumerate(PARKING + FOOD + WIFI + NOISE):
            writer.writerow([i, text])
    return path


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_happy_path_all(small_csv, tmp_path, capsys):
    out = tmp_path / "clusters.csv"
    code, stdout, err = _run(
        [
            "discover",
            "--input",
            str(small_csv),
            "--text-column",
            "Answer",
            "--all",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    assert "3 clusters" in stdout
    # "42" and "zzz" say nothing: left out, and said so.
    assert "(2 left out: blank, no content, or only how good or bad things were)" in stdout
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert list(frame.columns) == cli_discover.OUTPUT_COLUMNS
    assert len(frame) == 3
    assert (frame["size"] >= 10).all()
    joined = " ".join(frame["name"]).lower()
    assert "park" in joined and "food" in joined and "wifi" in joined
    assert frame["example_1"].notna().all()


def test_unassigned_path_uses_the_pipeline_once(small_csv, tmp_path, capsys, monkeypatch):
    calls = []

    def classify_responses(responses, codebook, *, corrections=None, progress=None):
        calls.append(len(responses))
        # everything about food is "covered"; the rest is unassigned
        themes = [
            "environment_safety" if "food" in t.lower() or "meal" in t.lower() else "unassigned"
            for t in responses["text"]
        ]
        if progress:
            progress(1.0)
        return types.SimpleNamespace(
            answers=pd.DataFrame({"response_id": responses["response_id"], "themes": themes})
        )

    monkeypatch.setitem(
        sys.modules,
        "analysis.themes.pipeline",
        types.SimpleNamespace(classify_responses=classify_responses),
    )
    out = tmp_path / "clusters.csv"
    code, stdout, err = _run(
        ["discover", "--input", str(small_csv), "--text-column", "Answer", "--out", str(out)],
        capsys,
    )
    assert code == 0, err
    assert calls == [len(PARKING + FOOD + WIFI + NOISE)]
    frame = pd.read_csv(out, encoding="utf-8-sig")
    names = " ".join(frame["name"]).lower()
    assert "food" not in names and "park" in names and "wifi" in names
    assert "unassigned answers" in stdout


def test_examples_are_redacted():
    theme = DiscoveredTheme(
        id="cluster_1",
        name="car park",
        top_phrases=["car park"],
        size=12,
        member_index=[0],
        examples=["Ring me on 07700 900123 or jo@example.com about the car park"],
        sentiment=0.0,
    )
    frame = cli_discover.clusters_frame([theme])
    assert "07700" not in frame.loc[0, "example_1"]
    assert "jo@example.com" not in frame.loc[0, "example_1"]
    assert "[PHONE]" in frame.loc[0, "example_1"] and "[EMAIL]" in frame.loc[0, "example_1"]
    assert frame.loc[0, "example_2"] == ""


def test_too_few_answers_writes_header_only(tmp_path, capsys):
    path = tmp_path / "few.csv"
    path.write_text("Answer\nparking\nfood\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    code, stdout, _ = _run(
        ["discover", "--input", str(path), "--text-column", "Answer", "--all", "--out", str(out)],
        capsys,
    )
    assert code == 0
    assert "0 clusters" in stdout
    assert pd.read_csv(out, encoding="utf-8-sig").empty


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input", "{missing}", "--text-column", "Answer", "--all"], "no such file"),
        (["--input", "{csv}", "--text-column", "Nope", "--all"], "no column 'Nope'"),
        (["--input", "{empty}", "--text-column", "Answer", "--all"], "empty"),
        (["--input", "{binary}", "--text-column", "Answer", "--all"], "not a CSV"),
        (
            ["--input", "{csv}", "--text-column", "Answer", "--all", "--min-cluster-size", "2"],
            "at least 5",
        ),
        (["--input", "{csv}", "--text-column", "Answer", "--codebook", "{badcb}"], "codebook"),
        (
            ["--input", "{csv}", "--text-column", "Answer", "--codebook", "{missing}"],
            "no such file",
        ),
    ],
)
def test_error_paths_exit_2_with_one_line(args, message, small_csv, tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    badcb = tmp_path / "cb.yaml"
    badcb.write_text(
        "name: x\nversion: 1\nthemes:\n  - id: Bad Id\n    label: x\n    seeds: [a]\n",
        encoding="utf-8",
    )
    subs = {
        "{missing}": str(tmp_path / "nope.csv"),
        "{csv}": str(small_csv),
        "{empty}": str(empty),
        "{binary}": str(binary),
        "{badcb}": str(badcb),
    }
    argv = ["discover", *[subs.get(a, a) for a in args], "--out", str(tmp_path / "o.csv")]
    code, _, err = _run(argv, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert message.lower() in lines[0].lower()
    assert "Traceback" not in err


def test_out_folder_missing_is_an_error(small_csv, tmp_path, capsys):
    code, _, err = _run(
        [
            "discover",
            "--input",
            str(small_csv),
            "--text-column",
            "Answer",
            "--all",
            "--out",
            str(tmp_path / "no" / "such" / "c.csv"),
        ],
        capsys,
    )
    assert code == 2 and "does not exist" in err and len(err.strip().splitlines()) == 1


def test_several_answer_columns_are_all_read(tmp_path, capsys):
    # A form with two questions: parking answers in one column, food answers in the other. Both
    # columns named, or none (the suggested answer columns): every filled cell is an answer.
    path = tmp_path / "form.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ID", "What went well?", "What could we do better?"])
        for i, (park, food) in enumerate(zip(PARKING, FOOD, strict=True)):
            writer.writerow([i + 1, park, food])
    n = len(PARKING) + len(FOOD)
    for columns in (["What went well?", "What could we do better?"], []):
        out = tmp_path / f"c{len(columns)}.csv"
        argv = ["discover", "--input", str(path), "--all", "--out", str(out)]
        for c in columns:
            argv += ["--text-column", c]
        code, stdout, err = _run(argv, capsys)
        assert code == 0, err
        assert f"all answers of {n}" in stdout
        names = " ".join(pd.read_csv(out, encoding="utf-8-sig")["name"]).lower()
        assert "park" in names and "food" in names
