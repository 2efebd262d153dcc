"""How many examples a property test draws: a quick budget by default, the full one in CI.

`HYPOTHESIS_PROFILE=thorough` (set by .ci/run) gives every property its full number of examples;
the default `quick` profile gives a tenth (at least 25), so a local `make test` stays fast while CI
still explores widely. The profiles themselves are registered in tests/conftest.py.
"""

from __future__ import annotations

import os

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")


def examples(thorough: int) -> int:
    """The number of examples for a property whose full budget is `thorough`."""
    return thorough if PROFILE == "thorough" else max(25, thorough // 10)
