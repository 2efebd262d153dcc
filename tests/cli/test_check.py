"""`python -m analysis check FILE [--json]`: exit codes, JSON contract, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.__main__ import main
from analysis.core.config import PROJECT_ROOT

GOOD = "ID,Borough,What could we do better?\n1,Bury,More staff\n2,Wigan,=1+1\n3,Bolton,a,b\n"


@pytest.fixture()
def good_csv(tmp_path):
    p = tmp_path / "good.csv"
    p.write_text(GOOD)
    return p


def test_json_report_of_a_usable_file(good_csv, capsys):
    assert main(["check", str(good_csv), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answers"] == 2
    assert out["rejected_rows"] == 1
    assert out["mapping"] == {
        "response_id": "ID",
        "locality": "Borough",
        "text": "What could we do better?",
    }
    assert any("rows 4" in p for p in out["problems"])
    assert out["usable"] is True


def test_text_report(good_csv, capsys):
    assert main(["check", str(good_csv)]) == 0
    out = capsys.readouterr().out
    assert "Answers that would load: 2" in out
    assert "Rejected rows: 1" in out


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"Borough,Count\nBury,3\n", "free-text"),
        (b"ID,Comment\n", "no answers"),
    ],
)
def test_unusable_files_exit_2_with_one_line(tmp_path, capsys, content, reason):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and reason in err and "Traceback" not in err


def test_unusable_file_json_still_one_object(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"")
    assert main(["check", str(p), "--json"]) == 2
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["answers"] == 0 and out["usable"] is False and out["problems"]
    assert set(out) >= {"answers", "rejected_rows", "problems", "mapping"}


def test_missing_file(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_terminal_control_characters_escaped(tmp_path, capsys):
    p = tmp_path / "evil.csv"
    p.write_text("ID,Comment \x1b[31mred\u202e\nr1,hello there\n")
    assert main(["check", str(p)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b" in out


def test_real_process_never_prints_a_traceback(tmp_path):
    p = tmp_path / "garbage.xlsx"
    p.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "check", str(p), "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert json.loads(proc.stdout)["usable"] is False


def test_check_reads_xlsx(tmp_path, capsys):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(["ID", "What could we do better?"])
    ws.append([1, "Answer the phone"])
    p = tmp_path / "export.xlsx"
    wb.save(p)
    assert main(["check", str(p), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answers"] == 1 and out["sheet"] == "Responses"
