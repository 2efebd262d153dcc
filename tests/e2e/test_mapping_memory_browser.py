"""Browser: next quarter's export from the same tool, with a column added and the order changed, starts
from the mapping confirmed for the last one and says what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import start_app, stop_app, wait_for_app

pytestmark = pytest.mark.e2e
ROLES = ["Service user", "Carer", "Staff member"]


def _export(path: Path, headers: list[str], quarter: int) -> Path:
    rows = []
    for i in range(30):
        values = {
            "Ref": f"Q{quarter}-{i:03d}",
            "When": f"0{quarter}/0{quarter}/2024",
            "Who": ROLES[i % 3],
            "Notes": f"The nurse listened to me on visit {i}",
            "Ward": ["Oak", "Ash"][i % 2],
        }
        rows.append(",".join(values[h] for h in headers))
    path.write_text(",".join(headers) + "\n" + "\n".join(rows) + "\n")
    return path


def _upload(page, url: str, path: Path) -> None:
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text("Validation report").wait_for(timeout=60_000)
    wait_for_app(page)


def test_a_close_export_reuses_the_confirmed_mapping(page, tmp_path: Path) -> None:
    proc, url, _log = start_app(store_dir=tmp_path, env_extra={"FEEDBACK_CLASSIFY": "in-page"})
    try:
        first = _export(tmp_path / "q1.csv", ["Ref", "When", "Who", "Notes"], 1)
        _upload(page, url, first)
        main = page.locator("[data-testid='stMain']")
        assert "close to those of a file saved before" not in main.inner_text()
        name_box = page.get_by_label("Dataset name")
        name_box.fill("Quarter 1")
        name_box.press("Tab")
        page.get_by_role("button", name="Save dataset").click()
        page.get_by_text("answers as dataset").first.wait_for(timeout=60_000)

        nxt = _export(tmp_path / "q2.csv", ["When", "Ref", "Who", "Ward", "Notes"], 2)
        _upload(page, url, nxt)
        note = page.get_by_text("close to those of a file saved before")
        note.wait_for(timeout=30_000)
        said = note.inner_text()
        assert "new columns: Ward" in said and "no longer in the file" not in said
        chosen = main.locator("[data-testid='stMultiSelect']").first.inner_text()
        assert "Notes" in chosen
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        stop_app(proc)
