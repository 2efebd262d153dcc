"""`python -m analysis participation`: the page's table on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.core import config


def _survey(tmp_path: Path, women: int, men: int, nonbinary: int = 0) -> Path:
    lines = ["response_id,text,gender,ethnicity"]
    rows = [("Woman", women), ("Man", men), ("Non-binary", nonbinary)]
    k = 0
    for gender, n in rows:
        for _ in range(n):
            k += 1
            lines.append(f"r{k},some answer {k},{gender},White British")
    path = tmp_path / "survey.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _benchmark(tmp_path: Path) -> Path:
    path = tmp_path / "bench.csv"
    path.write_text(
        "locality,dimension,group,population\nX,gender,Woman,500\nX,gender,Man,500\nX,gender,Non-binary,5\n",
        encoding="utf-8",
    )
    return path


def test_table_marks_suppressed_cells(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert (
        main(["participation", "--input", str(_survey(tmp_path, 40, 50, 3)), "--by", "gender"]) == 0
    )
    out = capsys.readouterr().out
    assert "Who took part, by gender" in out
    assert config.SUPPRESSED_MARK in out
    non_binary = next(line for line in out.splitlines() if "Non-binary" in line)
    assert config.SUPPRESSED_MARK in non_binary and " 3 " not in non_binary


def test_json_with_benchmark(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(
        ["participation", "--input", str(_survey(tmp_path, 20, 80)), "--by", "gender",
         "--benchmark", str(_benchmark(tmp_path)), "--json"]
    )  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["group"]: r for r in data["rows"]}
    assert rows["Woman"]["respondents"] == 20
    assert rows["Woman"]["finding"] == "under-represented"
    assert rows["Woman"]["ratio"] == pytest.approx(0.4, abs=0.01)
    assert data["summary"].startswith("Furthest below their population share: Woman")
    assert data["withheld"] is False


def test_too_few_people_prints_the_notice_and_no_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert (
        main(["participation", "--input", str(_survey(tmp_path, 2, 2)), "--by", "gender", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["withheld"] is True and data["rows"] == []
    assert "Fewer than 10 people" in data["notice"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "shoe_size"], "--by must be one of"),
        (["--by", "gender", "--threshold", "3"], "cannot be below 5"),
        (["--by", "service", "--benchmark", "B"], "a benchmark compares"),
        (["--by", "gender", "--benchmark", "missing.csv"], "no such file"),
    ],
)
def test_user_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    survey = _survey(tmp_path, 20, 20)
    args = [str(_benchmark(tmp_path)) if a == "B" else a for a in args]
    assert main(["participation", "--input", str(survey), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_input_and_bad_benchmark(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["participation", "--input", str(tmp_path / "nope.csv"), "--by", "gender"]) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("locality,dimension,group\nX,gender,Woman\n", encoding="utf-8")
    survey = _survey(tmp_path, 20, 20)
    assert (
        main(["participation", "--input", str(survey), "--by", "gender", "--benchmark", str(bad)])
        == 2
    )
    assert "missing: population" in capsys.readouterr().err


def test_people_who_left_the_answer_blank_or_a_placeholder_still_took_part(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "survey.csv"
    lines = ["response_id,text,gender"]
    lines += [f"a{i},kind staff {i},Woman" for i in range(12)]
    lines += [f"b{i},{'Did not answer' if i % 2 else ''},Man" for i in range(14)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["participation", "--input", str(path), "--by", "gender", "--json"]) == 0
    rows = {r["group"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["Man"]["respondents"] == 14 and rows["Woman"]["respondents"] == 12
