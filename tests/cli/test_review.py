"""`review` writes the answers most worth judging (redacted); `classify --corrections` obeys judgements."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.__main__ import main
from tests.cli.test_themes import ROWS, _err


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "in.csv"
    texts = [r[0] for r in ROWS] + ["Ring Sarah Jones on 07700 900123 about the waiting list"]
    ids = [f"id{i}" for i in range(len(texts))]
    pd.DataFrame({"comment_id": ids, "answer": texts}).to_csv(path, index=False)
    return path


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_review_writes_distinct_redacted_answers_with_ids_and_suggestions(csv, tmp_path, capsys):
    out = tmp_path / "review.csv"
    args = ["review", "--input", str(csv), "--text-column", "answer", "--id-column", "comment_id",
            "--count", "6", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    got = _read(out)
    assert list(got.columns) == ["comment_id", "text", "suggested_themes", "why", "judge_themes"]
    assert 1 <= len(got) <= 6 and got["text"].is_unique
    assert "n/a" not in set(got["text"])
    assert all(t for t in got["judge_themes"])
    written = out.read_text(encoding="utf-8-sig")
    assert "07700" not in written and "Sarah" not in written
    assert "to review" in capsys.readouterr().out


def test_review_skips_answers_already_judged(csv, tmp_path):
    first = tmp_path / "r1.csv"
    base = ["review", "--input", str(csv), "--text-column", "answer", "--id-column", "comment_id",
            "--count", "3"]  # fmt: skip
    assert main([*base, "--out", str(first)]) == 0
    judged = _read(first)
    j = tmp_path / "j.csv"
    pd.DataFrame({"response_id": judged["comment_id"], "text": "", "theme_id": "access",
                  "present": 0}).to_csv(j, index=False)  # fmt: skip
    second = tmp_path / "r2.csv"
    assert main([*base, "--corrections", str(j), "--out", str(second)]) == 0
    assert not set(_read(second)["comment_id"]) & set(judged["comment_id"])


def test_classify_with_corrections_takes_the_judged_themes(csv, tmp_path):
    j = tmp_path / "j.csv"
    # id0 "waited months for a referral" is not about access; id4 "the nurses were rude" is.
    pd.DataFrame({"response_id": ["id0", "id4"], "text": ["", ""], "theme_id": ["access", "access"],
                  "present": [0, 1]}).to_csv(j, index=False)  # fmt: skip
    out = tmp_path / "out.csv"
    args = ["classify", "--input", str(csv), "--text-column", "answer", "--id-column", "comment_id",
            "--corrections", str(j), "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    got = _read(out).set_index("comment_id")["themes"]
    assert "access" not in got["id0"].split("|")
    assert "access" in got["id4"].split("|")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"response_id": ["id0"], "theme_id": ["access"]}, "need the columns"),
        (
            {"response_id": ["id0"], "text": [""], "theme_id": ["nope"], "present": [1]},
            "does not have",
        ),
        (
            {"response_id": ["id0"], "text": [""], "theme_id": ["access"], "present": ["?"]},
            "1 or 0",
        ),
    ],
)
def test_bad_judgements_file_is_one_line_exit_2(csv, tmp_path, capsys, rows, message):
    j = tmp_path / "j.csv"
    pd.DataFrame(rows).to_csv(j, index=False)
    args = ["classify", "--input", str(csv), "--text-column", "answer", "--corrections", str(j),
            "--out", str(tmp_path / "o.csv")]  # fmt: skip
    assert main(args) == 2
    assert message in _err(capsys)


def test_an_empty_judgements_file_is_named_in_the_message(csv, tmp_path, capsys):
    j = tmp_path / "judged.csv"
    j.write_bytes(b"")
    args = ["review", "--input", str(csv), "--text-column", "answer", "--corrections", str(j),
            "--out", str(tmp_path / "o.csv")]  # fmt: skip
    assert main(args) == 2
    assert "judged.csv" in _err(capsys)


def test_review_count_must_be_positive(csv, tmp_path, capsys):
    args = ["review", "--input", str(csv), "--text-column", "answer", "--count", "0",
            "--out", str(tmp_path / "o.csv")]  # fmt: skip
    assert main(args) == 2
    assert "--count" in _err(capsys)


def test_review_refuses_a_second_text_column_rather_than_read_one(csv, tmp_path, capsys):
    # A second --text-column used to replace the first without a word.
    args = ["review", "--input", str(csv), "--text-column", "answer", "--text-column", "answer",
            "--out", str(tmp_path / "o.csv")]  # fmt: skip
    assert main(args) == 2
    err = _err(capsys)
    assert "one --text-column" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_train_and_evaluate_refuse_a_second_text_column(command, csv, tmp_path, capsys):
    args = [command, "--input", str(csv), "--text-column", "answer", "--text-column", "answer",
            "--label-column", "answer"]  # fmt: skip
    if command == "train":
        args += ["--out", str(tmp_path / "m.zip")]
    assert main(args) == 2
    assert f"{command} reads one --text-column" in _err(capsys)
