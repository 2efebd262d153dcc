"""classify / train / evaluate commands: outputs and error paths (exit 2, one line)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.__main__ import main

ROWS = [
    ("waited months for a referral", "1", "0"),
    ("nobody rang me back for weeks", "1", "0"),
    ("the waiting list is endless", "1", "0"),
    ("still waiting for therapy", "1", "0"),
    ("the nurses were rude", "0", "1"),
    ("staff were kind and caring", "0", "1"),
    ("my doctor was dismissive", "0", "1"),
    ("lovely staff on the ward", "0", "1"),
    ("rude staff and a long wait", "1", "1"),
    ("n/a", "0", "0"),
    ("=cmd|' /C calc'!A0", "0", "0"),
] * 3


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "in.csv"
    pd.DataFrame(ROWS, columns=["answer", "access", "staff_behaviour"]).to_csv(path, index=False)
    return path


def _err(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1
    return err


def test_classify_writes_input_columns_plus_themes(csv, tmp_path):
    out = tmp_path / "out.csv"
    assert (
        main(
            [
                "classify",
                "--input",
                str(csv),
                "--text-column",
                "answer",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    got = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(got.columns) == [
        "answer",
        "access",
        "staff_behaviour",
        "themes",
        "sentiment",
        "sentiment_label",
    ]
    assert len(got) == len(ROWS)
    assert "access" in got.loc[0, "themes"].split("|")
    assert got.loc[9, "themes"] == ""  # n/a: no theme
    assert got.loc[10, "answer"].startswith("'=")  # formula neutralised
    assert set(got.sentiment_label) <= {"negative", "neutral", "positive", "mixed"}


def test_train_then_classify_and_evaluate(csv, tmp_path, capsys):
    model = tmp_path / "m.zip"
    assert (
        main(
            [
                "train",
                "--input",
                str(csv),
                "--text-column",
                "answer",
                "--label-column",
                "access",
                "--label-column",
                "staff_behaviour",
                "--out",
                str(model),
            ]
        )
        == 0
    )
    out = tmp_path / "out.csv"
    assert (
        main(
            [
                "classify",
                "--input",
                str(csv),
                "--text-column",
                "answer",
                "--model",
                str(model),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    got = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert "staff_behaviour" in got.loc[4, "themes"]
    capsys.readouterr()
    assert (
        main(
            [
                "evaluate",
                "--input",
                str(csv),
                "--text-column",
                "answer",
                "--label-column",
                "access",
                "--label-column",
                "staff_behaviour",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "macro F1" in text and "micro F1" in text and "precision" in text
    assert (
        main(
            [
                "evaluate",
                "--input",
                str(csv),
                "--text-column",
                "answer",
                "--label-column",
                "access",
                "--label-column",
                "staff_behaviour",
                "--codebook",
                "data/codebook.yaml",
            ]
        )
        == 0
    )
    assert "zero-shot" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["classify", "--text-column", "nope", "--out", "{tmp}/o.csv"],
            "no column 'nope' in in.csv; columns are:",
        ),
        (
            [
                "classify",
                "--text-column",
                "answer",
                "--out",
                "{tmp}/o.csv",
                "--model",
                "{tmp}/missing.zip",
            ],
            "no such file",
        ),
        (
            [
                "classify",
                "--text-column",
                "answer",
                "--out",
                "{tmp}/o.csv",
                "--model",
                "{tmp}/bad.zip",
            ],
            "model:",
        ),
        (
            [
                "classify",
                "--text-column",
                "answer",
                "--out",
                "{tmp}/o.csv",
                "--codebook",
                "{tmp}/bad.yaml",
            ],
            "codebook:",
        ),
        (
            ["classify", "--text-column", "answer", "--out", "{tmp}/nodir/o.csv"],
            "does not exist",
        ),
        (
            [
                "train",
                "--text-column",
                "answer",
                "--label-column",
                "zzz",
                "--out",
                "{tmp}/m.zip",
            ],
            "no column 'zzz'",
        ),
        (
            [
                "train",
                "--text-column",
                "answer",
                "--label-column",
                "access",
                "--label-column",
                "answer",
                "--out",
                "{tmp}/m.zip",
            ],
            "not 0/1",
        ),
        (
            [
                "evaluate",
                "--text-column",
                "answer",
                "--label-column",
                "access",
                "--codebook",
                "data/codebook.yaml",
                "--label-column",
                "staff",
            ],
            "not theme ids",
        ),
    ],
)
def test_error_paths_exit_2_with_one_line(csv, tmp_path, capsys, argv, message):
    (tmp_path / "bad.zip").write_bytes(b"\x80\x04not a model")
    (tmp_path / "bad.yaml").write_text("themes: [{id: Bad Id, label: x, seeds: [a]}]\n")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    argv = [argv[0], "--input", str(csv), *argv[1:]]
    if "staff" in argv and "evaluate" in argv:
        pd.DataFrame(ROWS, columns=["answer", "access", "staff"]).to_csv(csv, index=False)
    assert main(argv) == 2
    assert message in _err(capsys)


def test_missing_input_file(tmp_path, capsys):
    assert (
        main(
            [
                "classify",
                "--input",
                str(tmp_path / "x.csv"),
                "--text-column",
                "a",
                "--out",
                str(tmp_path / "o.csv"),
            ]
        )
        == 2
    )
    assert "no such file" in _err(capsys)
