"""AppTest: the Overview page's meeting-pack button, for an editor and for a viewer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.meeting_pack import file_name

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")  # through the router, as users reach the Overview page
TIMEOUT = 240  # preparing the pack classifies the demo answers once


def _downloads(at: AppTest) -> list:
    return list(at.get("download_button"))


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_the_pack_is_prepared_only_when_asked(
    fresh_store: str, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEEDBACK_LOCAL_ROLE", role)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert at.session_state["role"] == role
    assert not at.exception, at.exception
    assert not _downloads(at)  # nothing built until the user asks
    at.button(key="pack_prepare").click().run()
    assert not at.exception, at.exception
    buttons = _downloads(at)
    assert len(buttons) == 1
    assert buttons[0].proto.label == "Download meeting pack (HTML)"


def test_file_name_is_safe() -> None:
    when = datetime(2025, 6, 1, 9, 30)
    assert file_name("Demo: GM lived-experience survey 2024-25", when) == (
        "meeting-pack-demo-gm-lived-experience-survey-2024-25-2025-06-01.html"
    )
    assert file_name("../../etc/<passwd>", when) == "meeting-pack-etc-passwd-2025-06-01.html"
    assert file_name("***", when) == "meeting-pack-dataset-2025-06-01.html"


@pytest.mark.parametrize("localities", [("Tinytown",), ("Smallville", "Bigtown", "Midtown")])
def test_the_app_pack_of_a_withheld_selection_has_no_figure(fresh_store: str, localities) -> None:
    from analysis.core.filters import Filters
    from analysis.privacy import check_selection
    from tests.privacy_fixtures import attack_frame
    from ui.context import PageContext
    from ui.meeting_pack import _pack

    everything = attack_frame()
    filters = Filters(localities=localities)
    check = check_selection(everything, filters)
    assert check.withheld
    ctx = PageContext(dataset_id=1, dataset_name="Attack test", meta={}, all_responses=everything,
                      responses=everything.iloc[0:0], filters=filters, period_label="period not shown",
                      data_version="abc", selection=check)  # fmt: skip
    doc = _pack("none", "sel", "none", "none", "2025-06-01T09:30:00", ctx, None, (None, None), None)
    assert "nothing is shown to protect their privacy" in doc
    for figure in ("6 answers", "3 people", "146 answers", "73 people", "answers from"):
        assert figure not in doc
    assert 'id="themes"' not in doc and 'id="voices"' not in doc
