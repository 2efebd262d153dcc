"""Bare first names (analysis.privacy.first_names), through redact_text as every quote uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.privacy import redact_text
from analysis.privacy.first_names import EXTRA_NAMES, ambiguous_names, first_names

TEST_SET = Path(__file__).parent / "data" / "bare_names.tsv"


def _cases() -> list[tuple[list[str], str]]:
    rows = []
    for line in TEST_SET.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "names\t")) or not line.strip():
            continue
        names, sentence = line.split("\t", 1)
        rows.append(([n for n in names.split("|") if n], sentence))
    return rows


def test_the_test_set_is_large_and_balanced() -> None:
    cases = _cases()
    assert len(cases) >= 150
    assert sum(1 for names, _ in cases if names) >= 75
    assert sum(1 for names, _ in cases if not names) >= 75


def test_recall_and_false_redactions_on_the_test_set() -> None:
    found = expected = false = clean = 0
    missed = []
    for names, sentence in _cases():
        out = redact_text(sentence).text
        left = out.replace("[NAME]", " ")
        expected += len(names)
        for name in names:
            if name in left:
                missed.append(sentence)
            else:
                found += 1
        if not names:
            clean += 1
            false += "[NAME]" in out
    assert found / expected >= 0.95, missed
    assert false / clean <= 0.03


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sarah said the nurse would ring.", "[NAME] said the nurse would ring."),
        ("Tian was very kind", "[NAME] was very kind"),
        ("Will was brilliant with my son.", "[NAME] was brilliant with my son."),
        ("I told Will that I felt unsafe.", "I told [NAME] that I felt unsafe."),
        ("Thanks to May for the calls.", "Thanks to [NAME] for the calls."),
        ("Hope from the recovery college helped.", "[NAME] from the recovery college helped."),
        ("thanks to jess for everything", "thanks to [NAME] for everything"),
        ("a lady called maria answered", "a lady called [NAME] answered"),
        ("Emma Wilson was lovely.", "[NAME] was lovely."),
        ("Kate's advice helped.", "[NAME]'s advice helped."),
        ("My son Jack is still waiting.", "My son [NAME] is still waiting."),
        ("We were supported by Grace and Tom.", "We were supported by [NAME] and [NAME]."),
        ("Zoë listened to me.", "[NAME] listened to me."),
    ],
)
def test_names_are_redacted(text: str, expected: str) -> None:
    assert redact_text(text).text == expected
    assert redact_text(text).counts["name"] >= 1


@pytest.mark.parametrize(
    "text",
    [
        "Will they ever call me back?",
        "I hope the new service will help.",
        "Hope is what kept me going.",
        "My mood rose to a seven after the new medication.",
        "Please mark the form as urgent.",
        "The bill for parking is too high.",
        "In May I was discharged without a plan.",
        "Grace and dignity were missing from my care.",
        "Joy was not something I felt on that ward.",
        "To be frank, the ward was dirty.",
        "Sue them if they get it wrong again.",
        "Pat on the back for reception.",
        "Dawn till dusk I waited for a call.",
        "I stayed on Rowan Ward for six weeks.",
        "Victoria station is too far from the clinic.",
        "Christmas Eve on the ward was lonely.",
        "August was the worst month for waiting lists.",
        "THE NURSE WAS KIND",
    ],
)
def test_ordinary_words_that_are_also_names_are_kept(text: str) -> None:
    assert redact_text(text).text == text


def test_redaction_stays_idempotent_with_bare_names() -> None:
    for _names, sentence in _cases():
        once = redact_text(sentence).text
        assert redact_text(once).text == once


def test_the_name_list_is_a_small_frozenset_from_the_installed_package() -> None:
    names = first_names()
    assert isinstance(names, frozenset) and 5_000 < len(names) < 20_000
    assert {"sarah", "mohammed", "siobhan", "agnieszka", "kwame"} <= names
    assert EXTRA_NAMES <= names
    assert {"will", "hope", "may", "rose", "mark", "bill", "grace", "faith", "joy"} <= (
        ambiguous_names()
    )
    assert all(n == n.lower() for n in names)
