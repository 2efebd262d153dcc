"""analysis.store.demo.ensure_demo_dataset: loads the demo file once, then finds it by name."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import store
from analysis.core import config
from analysis.store import demo


@pytest.fixture()
def engine(tmp_path):
    return store.get_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_demo_dataset_saved_once(tmp_path, monkeypatch, engine):
    csv = tmp_path / "demo.csv"
    csv.write_text(
        "response_id,respondent_id,submitted,round,respondent_type,service,locality,question,text\n"
        "a1,p1,2024-02-01,2024 Q1,service user,CMHT,Bolton,What could we do better?,More staff\n"
        "a2,p2,2024-05-01,,carer,Crisis,Wigan,What could we do better?,None\n"
    )
    monkeypatch.setattr(config, "DEMO_RESPONSES", csv)
    first = demo.ensure_demo_dataset(engine)
    assert demo.ensure_demo_dataset(engine) == first
    df = store.load_dataset(first, engine=engine)
    assert list(df["response_id"]) == ["a1", "a2"]
    assert list(df["round"]) == ["2024 Q1", "2024 Q2"]
    assert list(df["text"]) == ["More staff", "None"]
    meta = store.get_dataset_meta(first, engine=engine)
    assert meta["name"] == config.DEMO_DATASET_NAME
    assert meta["mapping"]["text"] == "text"
    assert len(store.list_datasets(engine=engine)) == 1


def test_shipped_demo_file_loads_cleanly(engine):
    dataset_id = demo.ensure_demo_dataset(engine)
    df = store.load_dataset(dataset_id, engine=engine)
    assert len(df) > 1000
    assert df["response_id"].is_unique
    assert set(df["respondent_type"].dropna()) <= set(config.RESPONDENT_TYPES)
    assert isinstance(df["submitted"].iloc[0], pd.Timestamp)
