"""Seed matching: whole words, stems only where asked, order and proximity, negation, context."""

from __future__ import annotations

import pytest

from analysis.themes.codebook import Codebook, Theme, default_codebook
from analysis.themes.seed_match import SeedMatcher, seed_phrase, split_seed, word_form


def _matcher(*seeds: str) -> SeedMatcher:
    return SeedMatcher(Codebook("t", 1, [Theme("t", "T", seeds=list(seeds))]))


def _hits(m: SeedMatcher, text: str) -> set[str]:
    return {x.seed for x in m.match(text)}


def test_whole_words_not_shared_stems():
    m = _matcher("medication", "section 136")
    assert _hits(m, "my medication was changed") == {"medication"}
    assert _hits(m, "the medics were excellent") == set()  # "medic" shares a stem, not a word
    assert _hits(m, "better signs to find the section") == set()


def test_regular_forms_of_a_word_match():
    assert word_form("waited") == word_form("waiting") == word_form("wait")
    assert word_form("referred") == word_form("refer")
    assert word_form("tablets") == "tablet" and word_form("discharged") == word_form("discharge")
    assert _hits(_matcher("waited ages"), "I had to wait ages") == {"waited ages"}


def test_star_asks_for_a_stem():
    m = _matcher("medicat*")
    assert _hits(m, "the medications made me sleepy") == {"medicat*"}
    assert _hits(m, "the medics were kind") == set()
    assert seed_phrase("medicat* review (near: gp)") == "medicat review"


def test_order_and_proximity():
    m = _matcher("waited months")
    assert _hits(m, "waited for many months") == {"waited months"}
    assert _hits(m, "months later I waited") == set()
    assert _hits(m, "waited for the bus, the appointment took months") == set()


def test_negation_flips_plain_seeds_and_is_required_by_negative_ones():
    m = _matcher("helpful", "not enough staff")
    assert _hits(m, "staff were helpful") == {"helpful"}
    assert _hits(m, "staff were not helpful") == set()
    assert _hits(m, "there were not enough staff at night") == {"not enough staff"}
    assert _hits(m, "staff couldn't do enough for me") == set()
    assert _hits(m, "enough staff were around") == set()


def test_negation_stays_in_its_clause_and_stops_at_better():
    m = _matcher("no treatment", "helpful")
    # A lack of treatment needs its negation in the same clause, bearing on the word.
    assert _hits(m, "there was no treatment for my pain") == {"no treatment"}
    assert _hits(m, "Absolutely nothing. Very good treatment.") == set()
    assert _hits(m, "Couldn't have had better treatment") == set()
    assert _hits(m, "no better treatment anywhere") == set()
    # A plain seed after a full stop is not negated by the sentence before it.
    assert _hits(m, "Nothing. Staff were helpful") == {"helpful"}
    assert _hits(m, "Nothing, but very helpful") == {"helpful"}
    assert _hits(m, "Staff were not helpful") == set()


def test_context_words_gate_ambiguous_seeds():
    m = _matcher("111 (near: call*, rang, phon*)", "lunch (near: ward, food, served)")
    assert split_seed("111 (near: call*, rang)") == ("111", ["call*", "rang"])
    assert _hits(m, "I rang 111 twice and nobody helped") == {"111 (near: call*, rang, phon*)"}
    assert _hits(m, "I was in for 111 days") == set()
    assert _hits(m, "lunch on the ward was served cold") == {"lunch (near: ward, food, served)"}
    assert _hits(m, "I had lunch with my friend") == set()


@pytest.mark.parametrize(
    ("text", "theme", "present"),
    [
        ("The medics were excellent", "medication", False),
        ("Better signs to find the section", "crisis_care", False),
        ("I was sectioned and taken to hospital", "crisis_care", True),
        ("Called 111 and they sent me to A&E", "crisis_care", True),
        ("I had lunch with my friend before the appointment", "food_activities", False),
        ("There were not enough staff", "staffing", True),
        ("Staff couldn't do enough for me", "staffing", False),
        ("I get on well with my psychiatrist and social worker", "partnership_working", False),
        ("My social worker never told my GP", "partnership_working", True),
        ("The team is very consistent and supportive", "continuity_of_care", True),
        ("Consistently good service", "continuity_of_care", False),
        ("Just continue what you're doing", "continuity_of_care", False),
        ("Absolutely nothing. Very good treatment.", "limited_interventions", False),
        # A wait on the ward is not a wait to be seen (the codebook's description of the theme).
        ("Had to wait ages for the buzzer to be answered", "waiting_times", False),
        ("Kept waiting for my tablets on the ward", "waiting_times", False),
        ("Waited a long time for my first appointment", "waiting_times", True),
        ("I was kept waiting for months after my referral", "waiting_times", True),
        # Leaving hospital counts as discharge when the answer says something about it.
        ("So glad to be leaving the ward.", "discharge_planning", False),
        ("We feel better when we leave the hospital", "discharge_planning", False),
        ("After leaving hospital the support was very poor", "discharge_planning", True),
        ("Ready to go home but waited all day for my tablets", "discharge_planning", True),
        # A handover, aftercare or a follow-up appointment counts when it is between services or
        # after leaving, not between shifts, after an operation or between appointments.
        (
            "Things get missed in handovers and I had to ask for my meds",
            "discharge_planning",
            False,
        ),
        (
            "A problem when staff handover, leaving service users with no support",
            "discharge_planning",
            False,
        ),  # fmt: skip
        ("The handover from the crisis team to the CMHT was poor", "discharge_planning", True),
        (
            "The operation itself and aftercare, I cannot thank the staff enough",
            "discharge_planning",
            False,
        ),  # fmt: skip
        ("Someone to give advice about aftercare before leaving", "discharge_planning", True),
        (
            "Telephone follow up between appointments to check my exercises",
            "discharge_planning",
            False,
        ),  # fmt: skip
        ("No follow up appointment was made after I left hospital", "discharge_planning", True),
        # Home visits are about access when the answer asks for, lacks or weighs them, not in thanks.
        ("Thank you for the care you gave me while I needed home visits", "access", False),
        ("Having the same staff with every home visit was so helpful", "access", False),
        ("With covid, not enough home visits", "access", True),
        ("A home visit would have been easier, she can't walk far", "access", True),
        # Going home counts as discharge when the answer weighs how or when it happens, not when
        # it is only glad of it or means getting home from a day appointment.
        ("Let me go home quicker.", "discharge_planning", True),
        (
            "I am very worried about going home and will speak to my nurse",
            "discharge_planning",
            True,
        ),
        ("Sometimes there is a rush to get people home", "discharge_planning", True),
        ("I did feel like I was being rushed home", "discharge_planning", True),
        ("I am being sent home in pain", "discharge_planning", True),
        ("Staff were excellent but it was lovely to go home", "discharge_planning", False),
        (
            "I'm happy to be going home, grateful to the staff for all they have done",
            "discharge_planning",
            False,
        ),
        ("I can't wait to go home", "discharge_planning", False),
        ("Always on time with chemo, as we worry about getting home", "discharge_planning", False),
        # Mental-health services' own words for being turned away, a narrow offer, a distant bed
        # and services that do not work together.
        ("They said I wasn't unwell enough for the CMHT", "access", True),
        ("I was ill enough to need help and got it", "access", False),
        ("Could never get hold of my care coordinator", "access", True),
        ("I was never offered anything other than medication", "limited_interventions", True),
        ("I was moved to a bed 80 miles away from my family", "discharge_planning", True),
        ("I live miles away from the clinic", "discharge_planning", False),
        ("There was no coordination between the services", "partnership_working", True),
    ],
)
def test_default_codebook_on_the_reported_cases(text, theme, present):
    m = SeedMatcher(default_codebook())
    ids = m.theme_ids
    assert (theme in {ids[x.theme_index] for x in m.match(text)}) is present
