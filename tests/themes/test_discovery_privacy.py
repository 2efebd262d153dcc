"""Emerging themes say nothing personal: names, phrases, seeds and examples come from redacted text,
and a cluster is named by distinctive words, not generic ones."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from analysis.themes import codebook, discovery, discovery_names
from tests.themes.test_discovery import FOOD, NOISE, PARKING, WIFI

# A cluster of answers about one named nurse: in title case (the redaction rules find it) and in
# lower case (they do not), with phone numbers and e-mail addresses.
NAMED = [
    "Sarah Jones on the ward was so kind to me",
    "I said to sarah jones that the ward was kind",
    "sarah jones was kind and caring on the ward",
    "The nurse said sarah would ring me on 07700 900123",
    "Sarah Jones rang me on 07700 900123, so kind",
    "said sarah jones was the kindest nurse on the ward",
    "sarah jones kind caring nurse, email sarah.jones@example.org",
    "Sarah Jones made the ward feel safe and kind",
    "Nurse sarah jones kind to my mum on the ward",
    "Thanks to sarah jones, kind and caring nurse",
    "sarah jones always kind, the ward is lucky",
    "Please thank Sarah Jones, she was kind on the ward",
    "My key nurse sarah jones was kind and patient",
    "sarah jones caring nurse on the ward, very kind",
    "Ask for sarah jones on 07700 900123, kind nurse",
]
PERSONAL = ("sarah", "jones", "07700", "900123", "example.org")


def _corpus() -> list[str]:
    texts = PARKING + FOOD + WIFI + NAMED + NOISE
    random.Random(1).shuffle(texts)
    return texts


def _said(found: list[discovery.DiscoveredTheme]) -> str:
    """Everything discovery hands out, in one lower-case string."""
    parts: list[str] = []
    for d in found:
        parts += [d.name, *d.top_phrases, *d.collocations, *d.examples, *d.proposed_seeds]
        theme = d.to_theme()
        parts += [theme.label, theme.description, *theme.seeds]
    return " ".join(parts).lower()


def test_names_phrases_seeds_and_examples_hold_no_personal_data():
    found = discovery.discover_themes(_corpus())
    assert found, "the planted clusters are found"
    said = _said(found)
    for item in PERSONAL:
        assert item not in said, item
    # The named-nurse answers still form a theme, shown redacted.
    examples = " ".join(e for d in found for e in d.examples)
    assert "[NAME]" in examples or "[PHONE]" in examples


def test_discover_command_writes_no_personal_data(tmp_path, capsys):
    from analysis.__main__ import main

    path = tmp_path / "answers.csv"
    pd.DataFrame({"Answer": _corpus()}).to_csv(path, index=False)
    out = tmp_path / "clusters.csv"
    assert main(["discover", "--input", str(path), "--text-column", "Answer", "--all",
                 "--out", str(out)]) == 0  # fmt: skip
    written = out.read_text(encoding="utf-8-sig").lower()
    assert "kind" in written  # the named-nurse cluster is there
    for item in PERSONAL:
        assert item not in written, item


def test_placeholder_and_name_words_are_never_phrases():
    assert not discovery_names.is_usable_phrase("said sarah")
    assert not discovery_names.is_usable_phrase(discovery_names.REDACTED_TOKEN)
    assert discovery_names.is_usable_phrase("car park")
    # A first name that is also an ordinary word stays usable ("hope", "will").
    assert discovery_names.is_usable_phrase("hope")
    masked = discovery_names.mask_placeholders("said [NAME] never rang [PHONE]")
    assert "name" not in masked.lower().split() and "phone" not in masked.lower().split()


def test_a_contraction_typed_without_its_apostrophe_is_never_a_phrase():
    texts = [f"Im told {p.lower()}" for p in PARKING] + FOOD + WIFI
    found = discovery.discover_themes(texts)
    assert any("park" in d.name for d in found)
    assert not any("im" in d.top_phrases or d.name.startswith("im") for d in found)
    assert not discovery_names.naming_word("im") and discovery_names.naming_word("parking")


def test_contentless_answers_are_never_members():
    texts = pd.Series(_corpus() + ["N/A", "no comment", "-", "", "nothing"] * 6)
    found = discovery.discover_themes(texts)
    members = {i for d in found for i in d.member_index}
    assert members and not members & set(range(len(_corpus()), len(texts)))


def test_generic_words_never_name_a_cluster_alone():
    # Every parking answer also says generic things; the name says parking, not "people".
    texts = [f"{p}, people need better time" for p in PARKING] + FOOD + WIFI
    found = discovery.discover_themes(texts)
    assert any("park" in d.name for d in found)
    for d in found:
        for phrase in d.top_phrases:
            assert not discovery_names.is_generic_phrase(phrase), phrase


def test_a_cluster_of_generic_words_only_is_not_offered_as_a_theme():
    # Answers that share only generic words have no common subject: no "people / better / time".
    generic = [f"people need better time {w} and a better way" for w in range(15)]
    texts = PARKING + FOOD + generic
    found = discovery.discover_themes(texts)
    assert any("park" in d.name for d in found) and any("food" in d.name for d in found)
    offered = {i for d in found for i in d.member_index}
    assert not offered & set(range(len(PARKING) + len(FOOD), len(texts)))
    assert all(d.top_phrases and d.name == " / ".join(d.top_phrases[:3]) for d in found)
    assert [d.id for d in found] == [f"cluster_{i + 1}" for i in range(len(found))]


def test_a_cluster_that_repeats_a_codebook_theme_says_which():
    themes = [
        codebook.Theme(
            id="parking", label="Car parking", description="", seeds=["car park", "parking"]
        ),
        codebook.Theme(id="staff", label="Staff attitude", description="", seeds=["rude", "kind"]),
    ]
    found = discovery.discover_themes(PARKING + FOOD + WIFI + NOISE, themes=themes)
    by_topic = {("park" in d.name): d for d in found}
    assert by_topic[True].repeats is not None and by_topic[True].repeats.theme_id == "parking"
    assert all(d.repeats is None for d in found if "park" not in d.name)


def test_proposed_seeds_are_the_phrases_then_collocations():
    d = discovery.discover_themes(PARKING + FOOD + WIFI)[0]
    assert d.proposed_seeds[: len(d.top_phrases)] == d.top_phrases
    assert d.to_theme().seeds == d.proposed_seeds


def test_a_run_of_xs_is_a_removed_name_never_a_phrase():
    # Exports mark a removed name "XXXX" ("XXXX was lovely"); it must not name a cluster.
    assert not discovery_names.is_usable_word("xxxx") and not discovery_names.is_usable_word("xx")
    assert discovery_names.is_usable_word("taxi")
    texts = [f"XXXX sorted my parking permit, {p}" for p in PARKING] + FOOD
    for d in discovery.discover_themes(texts):
        assert not any("xx" in phrase for phrase in [*d.top_phrases, *d.collocations]), d.name


def test_examples_show_answers_that_hold_the_clusters_phrases_first():
    texts = ["Singing was very good", "Lovely stay", "My care was good", "Care was kind", "Nice"]
    order = np.arange(len(texts))  # most central first
    holds = {2, 3}
    examples, index = discovery._examples(order, texts, list(range(5)), lambda m: m in holds)
    assert examples == ["My care was good", "Care was kind", "Singing was very good"]
    assert index == [2, 3, 0]
    # Without a phrase test, the most central come first, as before.
    assert discovery._examples(order, texts, list(range(5)))[0] == texts[:3]


def test_a_phrase_never_spans_punctuation():
    # "NO, CARE WAS 100%" named a cluster "no care"; a comma or full stop ends a phrase.
    phrases = discovery_names.phrases_of(
        discovery_names.content_tokens("NO, CARE WAS 100%. Good staff - kind nurses (lovely ward)")
    )
    assert (
        "no care" not in phrases and "staff kind" not in phrases and "nurses lovely" not in phrases
    )
    assert {"good staff", "kind nurses", "lovely ward"} <= set(phrases)


def test_no_problems_is_a_verdict_not_a_subject():
    # "No problems" and "No complaints at all" say how things were, not what about.
    assert discovery_names.says_only_how_good("No complaints at all")
    assert discovery_names.says_only_how_good("No problems")
    assert not discovery_names.says_only_how_good("Problems with parking")
    assert discovery_names.is_generic_phrase("no problems")
    assert not discovery_names.is_generic_phrase("parking problems")
    assert not discovery_names.is_generic_phrase("more time")


def test_clusters_named_by_the_same_phrases_are_one_group(monkeypatch):
    # k-means may split one subject in two; a reader could not tell "car park" from "car park".
    texts = PARKING + PARKING + FOOD
    n_park, n_food = len(PARKING), len(FOOD)

    def split_parking(embedded, min_cluster_size, max_clusters, random_state):
        labels = np.array([0] * n_park + [1] * n_park + [2] * n_food)
        return labels, np.ones(len(labels)), [0, 1, 2], 3

    monkeypatch.setattr(discovery, "_cluster_labels", split_parking)
    found = discovery.discover_themes(texts)
    assert len({d.name for d in found}) == len(found) == 2
    parking = next(d for d in found if "park" in d.name)
    assert parking.size == 2 * n_park and sorted(parking.member_index) == list(range(2 * n_park))
    assert found[0] is parking and [d.id for d in found] == ["cluster_1", "cluster_2"]
