"""Tests for analysis.themes.discovery: clusters among uncovered answers, named, deterministic."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from analysis.themes import codebook, discovery

# Three planted topics of 15 answers each, plus unrelated noise.
PARKING = [
    "The car park is far too small and always full",
    "Parking at the hospital is a nightmare, the car park fills by nine",
    "Could not find a space in the car park so I missed my appointment",
    "Car park charges are too expensive for people visiting every day",
    "Parking is expensive and the car park is badly lit at night",
    "There is never any parking near the clinic, the car park is full",
    "Please make the car park bigger, parking takes ages",
    "Parking charges for carers should be free, the car park costs a fortune",
    "I drove round the car park for twenty minutes looking for parking",
    "Disabled parking spaces in the car park are always taken",
    "The car park barrier was broken and parking staff were nowhere",
    "More parking please, the car park is too small for the clinic",
    "Car park is full most days and parking on the street is hard",
    "The pay machine in the car park never works, parking is stressful",
    "Paying for parking in the car park adds to the stress of visiting",
]
FOOD = [
    "The food on the ward was cold and tasteless",
    "Hospital food is awful, meals arrive cold",
    "Better food please, the meals on the ward are bland",
    "Menu choice for meals is poor and the food portions tiny",
    "The food was cold by the time the meals reached the ward",
    "Vegetarian food options on the menu were limited, meals repetitive",
    "Meals were late and the food was overcooked",
    "I lost weight because the food on the ward was so poor, meals inedible",
    "Snacks and food between meals are not available at night",
    "The food menu never changes, the same meals every week",
    "Food was the worst part of the stay, meals were greasy",
    "Halal food was not available and meals were missed",
    "Hot food at tea time would help, evening meals are sandwiches",
    "Meals on the ward lack fresh fruit, food is processed",
    "The food trolley came late and the meals were cold",
]
WIFI = [
    "The wifi on the ward does not work so I cannot call my family",
    "No wifi signal in my room, phone signal is also poor",
    "Please fix the wifi, patients need internet access",
    "Wifi kept dropping and there was no phone signal",
    "Internet access and wifi on the unit are terrible",
    "Free wifi would help patients stay in touch, the internet was down",
    "The wifi password never worked and the internet was slow",
    "Patients should have wifi, without internet the days are long",
    "Wifi is only in the lounge, no internet in the bedrooms",
    "Mobile phone signal and wifi both poor on the ward",
    "I could not video call because the wifi was so slow",
    "Wifi connection cut out every evening, internet unusable",
    "Internet and wifi access should be a basic right on the ward",
    "The unit wifi blocks most websites and the internet is slow",
    "Better wifi please, the internet signal is weak upstairs",
]
NOISE = [
    "My cat likes the garden",
    "The weather was nice in June",
    "Football on the television",
    "asdf qwerty",
    "zzz",
    "The bus was green",
    "I read a book about trains",
    "Ceci n'est pas une pipe",
    "42",
    "lorem ipsum dolor sit amet",
]


def _corpus(seed: int = 0) -> list[str]:
    texts = PARKING + FOOD + WIFI + NOISE
    random.Random(seed).shuffle(texts)
    return texts


def _topic_of(names: str) -> str | None:
    for word in ("park", "food", "wifi"):
        if word in names:
            return word
    return None


def test_finds_the_three_planted_topics_named_by_their_words():
    found = discovery.discover_themes(_corpus())
    assert len(found) == 3
    topics = {_topic_of(d.name + " " + " ".join(d.top_phrases)) for d in found}
    assert topics == {"park", "food", "wifi"}
    for d in found:
        assert d.size >= 12
        assert d.size == len(d.member_index)
        assert 1 <= len(d.examples) <= 3 and len(d.examples) == len(d.example_index)
        assert -1 <= d.sentiment <= 1
        assert not set(d.member_index) & {i for i, t in enumerate(_corpus()) if t in NOISE}


def test_members_and_examples_use_the_callers_index():
    texts = pd.Series(_corpus(), index=[f"r{i}" for i in range(len(_corpus()))])
    found = discovery.discover_themes(texts)
    for d in found:
        assert all(texts[i] in PARKING + FOOD + WIFI for i in d.member_index)
        assert [texts[i] for i in d.example_index] == d.examples
        topic_list = {"park": PARKING, "food": FOOD, "wifi": WIFI}[
            _topic_of(d.name + " " + " ".join(d.top_phrases))
        ]
        assert all(texts[i] in topic_list for i in d.member_index)


def test_deterministic_across_runs():
    a = discovery.discover_themes(_corpus())
    b = discovery.discover_themes(_corpus())
    assert [(d.name, d.member_index, d.examples) for d in a] == [
        (d.name, d.member_index, d.examples) for d in b
    ]


@pytest.mark.parametrize(
    "texts", [[], ["parking"], ["car park full"] * 5, PARKING[:5], ["", None, "n/a"] * 10]
)
def test_tiny_or_empty_inputs_give_nothing(texts):
    assert discovery.discover_themes(texts) == []


def test_duplicates_junk_and_very_long_texts():
    texts = (
        ["The car park is always full"] * 30
        + ["\x00\u202e\U0001f600 ???"] * 10
        + ["qwertyuiop " * 3] * 5
        + [("wifi internet signal " * 5000)] * 2
        + _corpus()
    )
    found = discovery.discover_themes(texts)
    assert found
    for d in found:
        assert len(set(d.examples)) == len(d.examples)  # duplicates are not repeated as examples


def test_only_noise_gives_nothing_or_small():
    junk = [f"zx{i}q" for i in range(50)]
    assert discovery.discover_themes(junk) == []


def test_to_theme_is_adoptable():
    found = discovery.discover_themes(_corpus())
    theme = found[0].to_theme()
    assert isinstance(theme, codebook.Theme)
    assert codebook.THEME_ID_PATTERN.match(theme.id)
    assert theme.seeds and theme.label
    assert theme.description.startswith(f"Discovered from {found[0].size} answers")
    # round-trips through codebook validation
    cb = codebook.Codebook(name="t", version=1, themes=[theme])
    codebook.codebook_from_dict(codebook.codebook_to_dict(cb))
    assert found[0].to_theme(id="my_theme").id == "my_theme"
    with pytest.raises(ValueError):
        found[0].to_theme(id="Bad Id")


def test_slugify():
    assert discovery.slugify("Car park / parking") == "car_park_parking"
    assert discovery.slugify("42 things") == "discovered_42_things"
    assert discovery.slugify("unassigned") == "discovered_unassigned"
    assert len(discovery.slugify("word " * 40)) <= 50


def test_uncovered_mask_and_table():
    answers = pd.DataFrame(
        {"themes": ["unassigned", "access", "no_content", "access|unassigned", None]}
    )
    assert discovery.uncovered_mask(answers).tolist() == [True, False, False, False, False]
    table = discovery.discovered_table(discovery.discover_themes(_corpus()))
    assert list(table.columns) == [
        "cluster_id",
        "name",
        "size",
        "sentiment",
        "top_phrases",
        "collocations",
    ]
    assert len(table) == 3
    assert discovery.discovered_table([]).empty


def test_uncovered_texts_are_the_chosen_answers_left_unassigned_in_order():
    import pandas as pd

    from analysis.core import config
    from analysis.themes.discovery import uncovered_texts

    answers = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d"],
            "themes": [config.UNASSIGNED, "access", config.UNASSIGNED, f"{config.UNASSIGNED}|x"],
        }
    )
    responses = pd.DataFrame(
        {"response_id": ["c", "b", "a", "d"], "text": ["third", "second", "first", "fourth"]}
    )
    assert list(uncovered_texts(answers, responses)) == ["third", "first"]


# Answers that say only how good or bad things were: praise or "nothing to change", never a theme.
VERDICTS = [
    "Not much.", "Not much really", "Everything.", "Everything!", "Good as it is.",
    "Its good as is.", "Everything is fine as it is.", "Everything fine", "Perfect",
    "All perfect", "Very happy with everything", "Good service", "Great service, thank you",
    "Excellent experience", "Nothing really", "Im fine",
]  # fmt: skip


@pytest.mark.parametrize("text", VERDICTS)
def test_an_answer_that_says_only_how_good_things_were_is_set_aside(text):
    assert discovery.set_aside(text)


@pytest.mark.parametrize(
    "text", ["Staff.", "Ward is lovely", "Great teamwork", "More time", "Waited months", "The food"]
)
def test_an_answer_with_a_subject_is_kept(text):
    assert not discovery.set_aside(text)


def test_verdicts_never_form_a_cluster_of_their_own():
    texts = _corpus() + VERDICTS * 2  # 30 verdicts: enough for a cluster of their own before
    found = discovery.discover_themes(texts)
    verdicts = {i for i, t in enumerate(texts) if t in VERDICTS}
    assert {_topic_of(d.name + " " + " ".join(d.top_phrases)) for d in found} == {
        "park", "food", "wifi"
    }  # fmt: skip
    assert not any(set(d.member_index) & verdicts for d in found)
