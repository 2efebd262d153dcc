"""The answer frames are shared between sessions (st.cache_resource): no page may change them in place.

Every page runs with a filter chosen (so the filtered frame is shared too), then the cached frames are
compared with what the store returns and what the filters select from it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis import store
from analysis.core.filters import Filters, apply_filters

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "themes", "codebook", "voices", "improvement_plan", "data")


def test_pages_leave_the_shared_answer_frames_as_the_store_has_them(fresh_store: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240).run()
    assert not at.exception, at.exception
    locality = at.sidebar.multiselect(key="f_localities").options[0]
    at.sidebar.multiselect(key="f_localities").select(locality).run()
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)

    from ui import cache

    meta = store.list_datasets().iloc[0]
    dataset_id, content = int(meta["dataset_id"]), str(meta["content_hash"])
    expected = store.load_dataset(dataset_id)
    shared = cache.responses_for(dataset_id, content)
    pd.testing.assert_frame_equal(shared, expected)

    filters = Filters(localities=(locality,))
    shared_filtered = cache.filtered_responses(dataset_id, content, filters)
    assert len(shared_filtered) < len(expected)  # the filter really selected a part
    assert set(shared_filtered["locality"]) == {locality}
    pd.testing.assert_frame_equal(shared_filtered, apply_filters(expected, filters))
