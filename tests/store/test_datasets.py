"""The store: one transaction per save, round trips that keep respondents' words, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import store
from analysis.core.schema import conform_responses


def _responses(n: int = 3) -> pd.DataFrame:
    return conform_responses(
        pd.DataFrame(
            {
                "response_id": [f"r{i}" for i in range(n)],
                "text": ["NA", "None", "waited 14 weeks, nobody rang back"][:n]
                + ["x"] * max(0, n - 3),
                "submitted": ["2024-01-05"] * n,
                "round": ["2024 Q1"] * n,
                "respondent_type": ["carer"] * n,
                "rating": [1, None, 5][:n] + [3] * max(0, n - 3),
            }
        )
    )


def test_round_trip_keeps_respondent_words_and_missing_values(any_store: str) -> None:
    engine = store.get_engine(any_store)
    dataset_id = store.save_dataset("Spring survey", _responses(), engine=engine)
    back = store.load_dataset(dataset_id, engine=engine)
    assert back["text"].tolist() == ["NA", "None", "waited 14 weeks, nobody rang back"]
    assert back["rating"].isna().tolist() == [False, True, False]
    assert back["locality"].isna().all()  # missing stays missing, not the string "None"
    assert back["submitted"].iloc[0] == pd.Timestamp("2024-01-05")
    listed = store.list_datasets(engine=engine)
    assert listed["name"].tolist() == ["Spring survey"]
    assert int(listed["n_answers"].iloc[0]) == 3


def test_no_content_rows_are_kept_but_never_loaded_as_answers(any_store: str) -> None:
    engine = store.get_engine(any_store)
    df = _responses()
    df["no_content"] = pd.array([pd.NA, pd.NA, "placeholder"], dtype="string")
    dataset_id = store.save_dataset("With placeholders", df, engine=engine)
    assert store.load_dataset(dataset_id, engine=engine)["response_id"].tolist() == ["r0", "r1"]
    everyone = store.load_dataset(dataset_id, engine=engine, with_no_content=True)
    assert everyone["no_content"].tolist() == [pd.NA, pd.NA, "placeholder"]
    assert int(store.list_datasets(engine=engine)["n_answers"].iloc[0]) == 2


def test_duplicate_name_is_refused_with_a_clear_message(any_store: str) -> None:
    engine = store.get_engine(any_store)
    store.save_dataset("Survey", _responses(), engine=engine)
    with pytest.raises(store.StoreError, match="already exists"):
        store.save_dataset("Survey", _responses(), engine=engine)
    assert len(store.list_datasets(engine=engine)) == 1


def test_a_save_that_fails_halfway_leaves_nothing(
    any_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = store.get_engine(any_store)
    real_rows = store.datasets._response_rows

    def broken_rows(df: pd.DataFrame) -> list[dict]:
        rows = real_rows(df)
        rows[-1]["row_no"] = (
            0  # the last chunk clashes with the first, after the dataset row was inserted
        )
        return rows

    monkeypatch.setattr(store.datasets, "_response_rows", broken_rows)
    with pytest.raises(store.StoreError, match="nothing was written"):
        store.save_dataset("Half", _responses(12000), engine=engine)
    assert store.list_datasets(engine=engine).empty
    with engine.connect() as conn:
        assert (
            conn.execute(
                store.database.sa.select(store.database.sa.func.count()).select_from(
                    store.datasets.responses
                )
            ).scalar()
            == 0
        )


def test_delete_removes_dataset_and_answers(any_store: str) -> None:
    engine = store.get_engine(any_store)
    dataset_id = store.save_dataset("Gone", _responses(), engine=engine)
    assert store.delete_dataset(dataset_id, engine=engine) is True
    assert store.list_datasets(engine=engine).empty
    with pytest.raises(store.StoreError, match="no longer exists"):
        store.load_dataset(dataset_id, engine=engine)
    assert store.delete_dataset(dataset_id, engine=engine) is False


def test_empty_name_is_refused(any_store: str) -> None:
    with pytest.raises(store.StoreError, match="name"):
        store.save_dataset("   ", _responses(), engine=store.get_engine(any_store))


def test_corrupt_store_file_gives_a_way_forward(tmp_path) -> None:
    bad = tmp_path / "corrupt.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(store.StoreError, match="damaged"):
        store.get_engine(f"sqlite:///{bad}")


def test_content_hash_changes_with_content() -> None:
    a = _responses()
    b = a.copy()
    b.loc[0, "text"] = "different"
    assert store.content_hash(a) == store.content_hash(a.copy())
    assert store.content_hash(a) != store.content_hash(b)
