"""`python -m analysis report`: the meeting pack from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.core import config

TEXTS = (
    "I waited months for an appointment and nobody rang me back.",
    "The staff were kind and listened to me every time.",
    "My care coordinator helped me plan my discharge from the ward.",
)


def _survey(tmp_path: Path, n: int = 30) -> Path:
    rows = ["response_id,respondent_id,round,respondent_type,service,text"]
    for i in range(n):
        kind = "service user" if i % 3 else "carer"
        rows.append(
            f'r{i},p{i},{"2024 Q1" if i % 2 else "2024 Q2"},{kind},Community,"{TEXTS[i % 3]} ({i})"'
        )
    path = tmp_path / "survey.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str]:
    code = main(["report", *argv])
    return code, capsys.readouterr().err


def test_writes_a_pack_from_a_csv(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "pack.html"
    code, err = _run(
        capsys,
        "--input",
        str(_survey(tmp_path)),
        "--out",
        str(out),
        "--codebook",
        str(config.DEFAULT_CODEBOOK),
    )
    assert code == 0, err
    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("<!DOCTYPE html>") and "Meeting pack: survey.csv" in doc
    assert doc.count('class="plotly-graph-div"') >= 3  # themes and voices
    # A file is not assumed to be the plan's: no plan section, and the log says why.
    assert '<section id="plan"' not in doc
    assert "no Improvement Plan attached" in err
    assert "30 answers from 30 people" in doc
    assert "no filters (everyone)" in doc
    assert "Writing the meeting pack" in err and f"Wrote {out}" in err
    assert not list(tmp_path.glob(".pack-*"))  # no temporary file left behind


def test_filters_and_a_small_selection(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "pack.html"
    code, err = _run(capsys, "--input", str(_survey(tmp_path, 24)), "--out", str(out), "--type", "carer",
                     "--no-plan", "--no-benchmark")  # fmt: skip
    assert code == 0, err
    doc = out.read_text(encoding="utf-8")
    assert "respondent type: carer" in doc
    assert "This selection holds fewer than 10 people" in doc
    assert 'id="themes"' not in doc


def test_a_saved_dataset_by_name(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from analysis import ingest, store

    responses, _ = ingest.load_responses(_survey(tmp_path))
    store.save_dataset("Spring survey", responses)
    out = tmp_path / "pack.html"
    code, err = _run(capsys, "--dataset", "Spring survey", "--out", str(out))
    assert code == 0, err
    doc = out.read_text(encoding="utf-8")
    assert "Meeting pack: Spring survey" in doc
    assert store.content_hash(responses)[:12] in doc


def test_a_file_gets_the_plan_only_when_asked(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "pack.html"
    code, err = _run(capsys, "--input", str(_survey(tmp_path)), "--out", str(out), "--plan",
                     "--no-benchmark")  # fmt: skip
    assert code == 0, err
    doc = out.read_text(encoding="utf-8")
    assert (
        '<section id="plan"' in doc and '<a href="#plan"' in doc
    )  # the section and its contents line
    assert "no Improvement Plan attached" not in err


def test_a_stored_dataset_gets_the_plan_only_when_linked_to_it(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from analysis import ingest, store
    from analysis.plan import plan_datasets

    responses, _ = ingest.load_responses(_survey(tmp_path))
    dataset_id = store.save_dataset("Spring survey", responses)
    out = tmp_path / "pack.html"
    code, err = _run(capsys, "--dataset", "Spring survey", "--out", str(out), "--no-benchmark")
    assert code == 0, err
    assert '<section id="plan"' not in out.read_text(encoding="utf-8")
    assert "does not use the Improvement Plan" in err
    # Asking for a plan the dataset does not use is refused, not quietly attached.
    code, err = _run(capsys, "--dataset", "Spring survey", "--out", str(out), "--plan")
    assert code == 2 and "link it on the Improvement Plan page" in err
    plan_datasets.set_uses_plan(dataset_id, True, by="test")
    code, err = _run(capsys, "--dataset", "Spring survey", "--out", str(out), "--no-benchmark")
    assert code == 0, err
    assert '<section id="plan"' in out.read_text(encoding="utf-8")
    code, err = _run(capsys, "--dataset", "Spring survey", "--out", str(out), "--no-plan")
    assert code == 0, err
    assert '<section id="plan"' not in out.read_text(encoding="utf-8")


def test_plan_and_no_plan_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            ["report", "--input", "a.csv", "--plan", "--no-plan", "--out", str(tmp_path / "p.html")]
        )
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--input", "{tmp}/missing.csv"], "no such file"),
        (["--dataset", "No such dataset"], 'no dataset called "No such dataset"'),
        (["--input", "{survey}", "--codebook", "{tmp}/bad.yaml"], "bad.yaml"),
        (["--input", "{survey}", "--threshold", "2"], "--threshold cannot be below"),
        (["--input", "{survey}", "--round-from", "1999 Q1"], "is not a round"),
        (["--input", "{survey}", "--benchmark", "{tmp}/missing.csv"], "no such file"),
        (["--input", "{tmp}/empty.csv"], "empty.csv"),
    ],
)
def test_user_errors_exit_2_with_one_line(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture, argv: list[str], message: str
) -> None:
    (tmp_path / "bad.yaml").write_text("themes: [this is not a codebook\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    survey = _survey(tmp_path)
    argv = [a.format(tmp=tmp_path, survey=survey) for a in argv]
    code, err = _run(capsys, *argv, "--out", str(tmp_path / "pack.html"))
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], err
    assert "Traceback" not in err
    assert not (tmp_path / "pack.html").exists()


def test_out_must_be_in_an_existing_folder(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code, err = _run(
        capsys, "--input", str(_survey(tmp_path)), "--out", str(tmp_path / "nope" / "pack.html")
    )
    assert code == 2 and "the folder for --out does not exist" in err


def test_input_and_dataset_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", "--input", "a.csv", "--dataset", "x", "--out", str(tmp_path / "p.html")])
    assert exc.value.code == 2


def test_a_selection_leaving_out_a_small_locality_is_withheld(
    fresh_store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from tests.privacy_fixtures import attack_frame

    source = tmp_path / "attack.csv"
    attack_frame().to_csv(source, index=False)
    out = tmp_path / "pack.html"
    code, err = _run(capsys, "--input", str(source), "--out", str(out), "--no-plan", "--no-benchmark",
                     "--locality", "Smallville", "--locality", "Bigtown", "--locality", "Midtown")  # fmt: skip
    assert code == 0, err
    doc = out.read_text(encoding="utf-8")
    assert "comparing it with a wider view" in doc and "withheld" in err
    said = err.replace(str(tmp_path), "<tmp>")  # pytest's own folder may be "pytest-146"
    for figure in ("146", "73 people", "answers from"):
        assert figure not in doc and figure not in said
    assert 'id="themes"' not in doc
