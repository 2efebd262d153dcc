"""Every job test starts with no fitted model in memory.

The pipeline reuses a zero-shot model fitted on mostly the same answers (pipeline.zero_shot_model):
a model another test fitted on the whole demo file would otherwise be reused for a job on its first
400 answers, and the job would then differ from a full run that fits on those 400 alone.
"""

from __future__ import annotations

import pytest

from analysis.themes import pipeline


@pytest.fixture(autouse=True)
def no_model_in_memory():
    """Forget the pipeline's cached models and results before each test."""
    pipeline.clear_cache()
    yield
