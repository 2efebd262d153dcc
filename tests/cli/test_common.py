"""The checks every command makes of --out."""

from __future__ import annotations

import pytest

from analysis.cli.common import CliError, out_path


def test_out_path_refuses_a_folder_a_missing_folder_and_the_input_itself(tmp_path):
    data = tmp_path / "answers.csv"
    data.write_text("text\nhello\n", encoding="utf-8")
    with pytest.raises(CliError, match="is a folder"):
        out_path(str(tmp_path))
    with pytest.raises(CliError, match="folder for --out does not exist"):
        out_path(str(tmp_path / "nowhere" / "out.csv"))
    with pytest.raises(CliError, match="must not be the input"):
        out_path(str(data), str(data))
    assert out_path(str(tmp_path / "out.csv"), str(data)) == tmp_path / "out.csv"


@pytest.mark.parametrize("command", ["classify", "review", "discover"])
def test_a_command_never_overwrites_its_input(command, tmp_path, capsys):
    from analysis.__main__ import main

    data = tmp_path / "answers.csv"
    data.write_text("id,text\n1,waited weeks\n", encoding="utf-8")
    argv = [command, "--input", str(data), "--text-column", "text", "--out", str(data)]
    if command == "review":
        argv += ["--count", "5"]
    assert main(argv) == 2
    assert "must not be the input" in capsys.readouterr().err
    assert data.read_text(encoding="utf-8") == "id,text\n1,waited weeks\n"
