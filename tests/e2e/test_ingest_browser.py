"""Browser: the FFT export uploaded with the suggested mapping unchanged gives honest answer counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis.ingest import read_path, suggest_for, to_responses
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

FFT = Path(__file__).resolve().parents[2].parent / "shared" / "survey-exports" / "fft_export.csv"
CASES = FFT.parent / "cases.json"


@pytest.mark.skipif(not FFT.exists(), reason="../shared/survey-exports/ is not on this machine")
def test_fft_export_with_the_suggested_mapping(page, app_server) -> None:
    app_url, log_path = app_server
    case = next(c for c in json.loads(CASES.read_text()) if c["file"] == FFT.name)
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(FFT))
    page.get_by_text("Validation report").wait_for(timeout=60_000)
    wait_for_app(page)
    # The suggestion is taken as it is: the answer column alone, the ids as ids.
    main = page.locator("[data-testid='stMain']")
    chosen = main.locator("[data-testid='stMultiSelect']").first.inner_text()
    assert "FFT answer" in chosen and "Comment ID" not in chosen
    assert page.get_by_text('"Comment ID" holds unique codes or ids').first.is_visible()
    name_box = page.get_by_label("Dataset name")
    name_box.fill("FFT e2e")
    name_box.press("Tab")
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("answers as dataset").first.wait_for(timeout=60_000)
    saved = page.get_by_text("answers as dataset").first.inner_text()
    n = int(re.search(r"Saved ([\d,]+) answers", saved).group(1).replace(",", ""))
    assert case["answers_min"] <= n <= case["answers_max"]
    wait_for_app(page)

    page.get_by_role("link", name="Overview").click()
    wait_for_app(page)
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Answers").first
    metric.wait_for(timeout=120_000)
    shown = int(metric.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))
    assert shown == n
    page_text = page.locator("[data-testid='stMain']").inner_text()
    assert not re.search(r"PTS \d+ - Q1", page_text)

    # What the app stored as answers: the FFT answers, never a comment id or a placeholder.
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{log_path.parent / 'store.sqlite'}")
    with engine.connect() as conn:
        texts = [
            r[0]
            for r in conn.execute(
                sa.text(
                    "SELECT text FROM responses JOIN datasets USING (dataset_id) "
                    "WHERE name = 'FFT e2e' AND no_content IS NULL"
                )
            )
        ]
    engine.dispose()
    assert len(texts) == n
    ids = set(read_path(FFT).frame["Comment ID"])
    assert not ids & set(texts)
    assert not {"Did not answer", "N/A", "-", ""} & set(texts)
    _, report = to_responses(read_path(FFT), suggest_for(read_path(FFT)).mapping)
    assert report.answers == n
