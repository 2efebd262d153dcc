"""Search queries: parsing (including malformed and hostile input), evaluation, seeds."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core import config
from analysis.text.search import (
    And,
    Not,
    Or,
    QueryError,
    Term,
    matched_terms,
    parse_query,
    search,
    seeds_from_query,
)
from tests.property_budget import examples

TEXTS = pd.Series(
    [
        "I waited 10 weeks and nobody rang back",
        "Staff were kind and listened",
        "The crisis team never rang back. Waiting was awful",
        None,
        "Rang-back quickly, staff lovely",
        "NOT GREAT at all",
    ]
)


def hits(query: str) -> list[int]:
    result = search(TEXTS, query)
    return [i for i, v in result.items() if v]


def test_parse_shapes() -> None:
    assert parse_query("waiting") == Term("waiting")
    assert parse_query("waiting staff") == And((Term("waiting"), Term("staff")))
    assert parse_query('"rang back" OR crisis') == Or(
        (Term("rang back", phrase=True), Term("crisis"))
    )
    assert parse_query("a AND NOT b") == And((Term("a"), Not(Term("b"))))
    assert parse_query("a OR b c") == Or(
        (Term("a"), And((Term("b"), Term("c"))))
    )  # AND binds tighter
    assert parse_query("(a OR b) c") == And((Or((Term("a"), Term("b"))), Term("c")))
    assert parse_query("-staff") == Not(Term("staff"))


def test_case_insensitive_whole_words() -> None:
    assert hits("STAFF") == [1, 4]
    assert hits("wait") == []  # whole words only
    assert hits("wait*") == [0, 2]
    assert hits("great") == [5]


def test_phrases_and_operators() -> None:
    assert hits('"rang back"') == [0, 2, 4]  # punctuation between words still matches
    assert hits('"rang back" NOT crisis') == [0, 4]
    assert hits("crisis OR kind") == [1, 2]
    assert hits("(crisis OR kind) AND listened") == [1]
    assert hits("NOT staff") == [0, 2, 3, 5]  # a missing answer matches nothing positive


def test_lower_case_operators_are_words() -> None:
    assert parse_query("staff and kind") == And((Term("staff"), Term("and"), Term("kind")))
    assert hits("not great") == [5]


def test_curly_quotes_and_apostrophes() -> None:
    texts = pd.Series(["I couldn’t get through", "fine"])
    assert search(texts, "\u201ccouldn't get\u201d").tolist() == [True, False]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word"),
        ("   ", "Type a word"),
        ('"rang back', "quote is not closed"),
        ("(crisis OR kind", "not closed"),
        ("crisis)", "no opening bracket"),
        ("AND", "only operators"),
        ("a OR", "OR needs a word"),
        ("NOT", "only operators"),
        ("a AND OR b", "two operators in a row"),
        ("OR a", "needs a word or phrase before"),
        ("a (OR b)", "before"),
        ("()", "only operators"),
        ("(a) ()", "Empty brackets"),
        ("a AND )", "not a closing bracket"),
        ("x" * (config.MAX_SEARCH_QUERY_CHARS + 1), "too long"),
        (" ".join(f"w{i}" for i in range(config.MAX_SEARCH_TERMS + 1)), "at most"),
        ("(" * 50 + "a" + ")" * 50, "deep"),
        ("NOT " * 40 + "a", "deep"),
    ],
)
def test_malformed_queries_have_clear_messages(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


def test_non_string_query() -> None:
    with pytest.raises(QueryError):
        parse_query(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query", [".*", "a|b", "(?i)x", "[a-z]+", "\\", "$(rm -rf /)", "<img src=x onerror=alert(1)>"]
)
def test_regex_and_markup_are_literal(query: str) -> None:
    texts = pd.Series(["a|b here", ".* literal", "anything", "<img src=x onerror=alert(1)>"])
    try:
        result = search(texts, query)
    except QueryError:
        return
    assert result.dtype == bool and len(result) == len(texts)
    if query == "a|b":
        assert result.tolist() == [True, False, False, False]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_any_text_parses_or_raises_query_error(query: str) -> None:
    try:
        node = parse_query(query)
    except QueryError as exc:
        assert str(exc)
        return
    result = search(TEXTS, query)
    assert result.dtype == bool and list(result.index) == list(TEXTS.index)
    assert node is not None


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b", "AND", "OR", "NOT", "(", ")", '"', "x y", "-", "*"]), max_size=15
    )
)
def test_operator_soup_never_crashes(parts: list[str]) -> None:
    query = " ".join(parts)
    try:
        parse_query(query)
    except QueryError:
        pass


def test_seeds_from_query_skip_negated_terms() -> None:
    assert seeds_from_query('wait* "rang back" NOT staff OR -crisis') == ["wait", "rang back"]
    assert seeds_from_query("NOT (a OR NOT b)") == ["b"]  # double negation is positive
    with pytest.raises(QueryError):
        seeds_from_query('"open')


def test_matched_terms_explain_hits() -> None:
    why = matched_terms(TEXTS, '"rang back" OR kind')
    assert why.tolist() == ["rang back", "kind", "rang back", "", "rang back", ""]
