"""Link values are validated against allowed values: unknown or hostile ones are dropped, not echoed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import view_state as deeplink
from tests.property_budget import examples

BOROUGHS = ["Bolton", "Bury", "Wigan"]


def test_clean_values_keeps_allowed_in_order_without_repeats() -> None:
    kept, dropped = deeplink.clean_values(
        ["Wigan", "Bolton", "Wigan", "<script>", "Narnia"], BOROUGHS
    )
    assert kept == ["Wigan", "Bolton"]
    assert dropped == 3


def test_clean_single_and_int() -> None:
    assert deeplink.clean_single("Bury", BOROUGHS) == ("Bury", False)
    assert deeplink.clean_single("bury", BOROUGHS) == (None, True)  # exact values only
    assert deeplink.clean_single(None, BOROUGHS) == (None, False)
    assert deeplink.clean_int("3", [1, 2, 3]) == (3, False)
    assert deeplink.clean_int("4", [1, 2, 3]) == (None, True)
    assert deeplink.clean_int("1; DROP TABLE datasets", [1]) == (None, True)


def test_encode_params_leaves_out_empty_values() -> None:
    params = deeplink.encode_params(
        {
            "ds": 2,
            "type": ["carer", "staff"],
            "service": [],
            "present": True,
            "theme": None,
            "x": False,
        }
    )
    assert params == {"ds": "2", "type": ["carer", "staff"], "present": "1"}


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.text(max_size=300), max_size=80))
def test_nothing_outside_the_allowed_values_survives(values: list[str]) -> None:
    kept, dropped = deeplink.clean_values(values, BOROUGHS)
    assert set(kept) <= set(BOROUGHS)
    assert len(kept) + dropped == min(len(values), deeplink.MAX_VALUES)
