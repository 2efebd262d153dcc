"""The suppression threshold: configurable (default 10 people), never below the minimum (5).

Every rule that hides small groups asks `effective_threshold` for the number it applies, so a
setting below the minimum can never weaken any of them.
"""

from __future__ import annotations

import logging
import math

from analysis.core import config

logger = logging.getLogger(__name__)


def effective_threshold(value: int | None = None) -> int:
    """The threshold to apply: `value` (default config value), never below the minimum."""
    if value is None:
        value = config.SUPPRESSION_THRESHOLD
    if isinstance(value, bool):
        raise ValueError("suppression threshold must be a whole number, not True/False")
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"suppression threshold must be a whole number, got {value!r}") from None
    if math.isnan(as_float) or as_float != int(as_float):
        raise ValueError(f"suppression threshold must be a whole number, got {value!r}")
    threshold = int(as_float)
    if threshold < config.MIN_SUPPRESSION_THRESHOLD:
        logger.warning(
            "suppression threshold %s raised to the minimum %s",
            threshold,
            config.MIN_SUPPRESSION_THRESHOLD,
        )
        return config.MIN_SUPPRESSION_THRESHOLD
    return threshold


def check_group_size(n: int | float | None, threshold: int | None = None) -> bool:
    """True when a group of `n` people is big enough to show any breakdown of it."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return False
    return n >= effective_threshold(threshold)
