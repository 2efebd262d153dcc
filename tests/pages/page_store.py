"""A store of its own for one page-test module: set FEEDBACK_DB_PATH, clear Streamlit's caches, and put
both back afterwards, so a module's data never reaches another's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def own_store(folder: Path) -> Iterator[Path]:
    """Use `folder`/store.sqlite as the store while the block runs; yields its path."""
    import streamlit as st

    path = folder / "store.sqlite"
    old = os.environ.get("FEEDBACK_DB_PATH")
    os.environ["FEEDBACK_DB_PATH"] = str(path)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield path
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
        if old is None:
            os.environ.pop("FEEDBACK_DB_PATH", None)
        else:
            os.environ["FEEDBACK_DB_PATH"] = old
