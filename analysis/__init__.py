"""Lived-experience feedback analysis: the product's brain. Pure Python; never imports streamlit."""

import pandas as pd

# Text columns are Arrow-backed strings ("string" dtype, pyarrow storage; pandas 3 makes this the
# default). At 200,000 answers the per-rerun work a filter change causes is mostly missing-value
# checks, distinct values, group-bys and stripping on text columns, which Arrow does in C++:
# 2-40x faster than Python-object strings (measured in bench/bench_frames.py). Large membership
# tests go through analysis.core.frames.isin_many, since pandas 2.x builds Arrow value sets slowly.
pd.set_option("mode.string_storage", "pyarrow")
