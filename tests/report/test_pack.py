"""The meeting pack (analysis.report.pack): self-contained, complete, redacted, suppressed and escaped."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from analysis.core import config
from analysis.core.schema import conform_responses
from analysis.report.pack import build_meeting_pack
from analysis.themes.codebook import default_codebook
from analysis.voices import participation
from tests import report_fixtures as fx

PLOTLY_JS = re.compile(r'<script id="plotly-js">.*?</script>', re.DOTALL)
FIGURE_SCRIPT = re.compile(r"<script type=\"text/javascript\">.*?</script>", re.DOTALL)


def _without_plotly_js(doc: str) -> str:
    """The document minus the inlined plotly.js library (whose licence comments name web sites)."""
    out, n = PLOTLY_JS.subn("", doc)
    assert n == 1, "plotly.js must be inlined exactly once"
    return out


def _markup(doc: str) -> str:
    """Only the HTML markup: plotly.js and the figures' data scripts removed."""
    return FIGURE_SCRIPT.sub("", _without_plotly_js(doc))


def _build(frame: pd.DataFrame, result=None, **kw) -> str:
    args = dict(
        codebook=default_codebook(),
        theme_result=result,
        filters_description="no filters (everyone)",
        dataset_name="Test survey <2025>",
        data_version="abc123def456",
        generated_at=fx.GENERATED_AT,
    )
    args.update(kw)
    return build_meeting_pack(frame, **args)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    return fx.demo_plan(f"sqlite:///{tmp_path_factory.mktemp('plan') / 'store.sqlite'}")


@pytest.fixture(scope="module")
def doc(plan) -> str:
    frame = fx.responses()
    milestones, history = plan
    return _build(
        frame,
        fx.theme_result(frame),
        milestones=milestones,
        history=history,
        benchmark=participation.load_benchmark(),
    )


def test_the_pack_fetches_nothing(doc: str) -> None:
    assert doc.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in doc
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', doc)
    assert csp and "default-src 'none'" in csp.group(1) and "img-src data:" in csp.group(1)
    assert "connect-src" not in csp.group(1)  # falls back to default-src 'none'
    rest = _without_plotly_js(doc)
    assert not re.search(r"<script[^>]*\bsrc\s*=", doc, re.IGNORECASE)
    assert not re.search(r"<link\b", rest, re.IGNORECASE)
    assert not re.search(r"<(iframe|object|embed|img|base|form)\b", rest, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?https?:", doc, re.IGNORECASE)
    assert "@import" not in rest
    # Every src/href attribute in the markup is absent, a data: URL or a place in the document.
    for value in re.findall(
        r"<[^>]+?\s(?:src|href)\s*=\s*[\"']?([^\"'\s>]*)", _markup(doc), re.IGNORECASE
    ):
        assert value.startswith(("data:", "#")), value
    # Outside plotly.js no web address appears except as escaped text from the data.
    for url in re.findall(r"https?://[^\s\"'<>]+", rest):
        assert "evil.example" in url, url


def test_the_pack_has_every_figure_with_a_finding_as_its_heading_and_a_table(doc: str) -> None:
    n_divs = doc.count('class="plotly-graph-div"')
    assert n_divs == _without_plotly_js(doc).count("Plotly.newPlot(") == 13
    assert (
        len(re.findall(r"<figure aria-labelledby=\"fig-\d+-title\"><h3 id=\"fig-\d+-title\">", doc))
        == n_divs
    )
    for title in (
        "Access to support is the most raised theme (50% of answers)",
        "Largest group by respondent type: service user (55% of respondents)",
        "milestones complete;",
        "milestones are overdue;",
    ):
        assert title in doc, title
    captions = re.findall(r"<caption>(.*?)</caption>", doc)
    # Long tables are in the appendix as "Table A<n>. <caption>", capped.
    captions = [re.sub(r"^Table A\d+\. ", "", c) for c in captions]
    assert any(c.startswith("Themes: answers raising each theme") for c in captions)
    assert any(c.startswith("Who took part, by respondent type") for c in captions)
    assert any(c.startswith("Milestones per area by status") for c in captions)
    assert any(c.startswith("Theme share by round") for c in captions)
    # Headings are in order: one h1, then h2 sections, h3 inside them.
    levels = [int(x) for x in re.findall(r"<h([1-6])\b", _markup(doc))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_the_pack_says_what_it_was_made_from_and_the_headlines(doc: str) -> None:
    assert "Meeting pack: Test survey &lt;2025&gt;" in doc
    assert "01 June 2025 at 12:00 UTC" in doc
    assert "no filters (everyone)" in doc
    assert "abc123def456" in doc
    assert "Default lived-experience codebook, version 1" in doc
    headlines = re.search(r'<ul class="findings">(.*?)</ul>', doc, re.DOTALL).group(1)
    assert "40 answers from 40 people" in headlines
    assert 3 <= headlines.count("<li>") <= 5  # a board summary: three to five findings
    assert (
        "Access to support was the most raised theme: 20 of 40 answers (50%), 2024 Q1 to 2024 Q2"
        in (headlines)
    )
    assert "within noise" in headlines or "beyond what chance" in headlines
    assert "Who is missing:" in headlines
    # The themes section opens with its own finding; the detail stays in the section.
    assert '<p class="lead">The most raised themes were Access to support (50% of answers)' in doc
    assert "The most negative theme was Access to support" in doc
    assert re.search(
        r"Improvement Plan: \d+ milestones \(\d+ complete, \d+ on track, \d+ at risk, \d+ off track",
        headlines,
    )
    assert "overdue as of 01 June 2025" in headlines


def test_planted_personal_data_is_absent_and_placeholders_present(doc: str) -> None:
    for value in (fx.NHS_NUMBER, fx.NHS_NUMBER.replace(" ", ""), fx.EMAIL, fx.PHONE, "900363"):
        assert value not in doc, value
    examples = re.search(r'<section id="examples".*?</section>', doc, re.DOTALL).group(0)
    for placeholder in ("[NHS NUMBER]", "[EMAIL]", "[PHONE]"):
        assert placeholder in examples, placeholder


def test_hostile_text_appears_only_escaped(doc: str) -> None:
    markup = _markup(doc)
    assert html.escape(fx.SCRIPT_TEXT) in markup
    assert html.escape(fx.IMG_TEXT) in markup
    assert "<script>alert(1)" not in doc
    assert not re.search(r"<img\b", doc.replace(PLOTLY_JS.search(doc).group(0), ""), re.IGNORECASE)
    assert not re.search(r"<b\s+onmouseover", doc, re.IGNORECASE)
    assert not re.search(
        r"<a\s+href=\"(?!#)", markup, re.IGNORECASE
    )  # only the contents' own links
    # In chart labels, < and > of upload values are swapped for look-alikes: never a plotly link.
    assert "\u2039a href" in doc


def _tables(markup: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(caption, headers, rows of cell texts) for every table in the markup."""
    out = []
    for body in re.findall(r"<table>(.*?)</table>", markup, re.DOTALL):
        caption = re.search(r"<caption>(.*?)</caption>", body).group(1)
        headers = re.findall(r"<th[^>]*>(.*?)</th>", body)
        rows = [
            re.findall(r"<td[^>]*>(.*?)</td>", r)
            for r in re.findall(r"<tr>(.*?)</tr>", body)
            if "<td" in r
        ]
        out.append((caption, headers, rows))
    return out


def test_a_group_of_three_people_is_suppressed_everywhere(doc: str) -> None:
    markup = _markup(doc)
    seen = 0
    for caption, headers, rows in _tables(markup):
        carer_cols = [i for i, hd in enumerate(headers) if hd.lower() == "carer"]
        for row in rows:
            cells = row if "carer" in row else [row[i] for i in carer_cols if i < len(row)]
            if not cells:
                continue
            seen += 1
            small = [c for c in cells if c.isdigit() and 0 < int(c) < 10]
            assert not small, (caption, row)
            if caption.startswith("Who took part, by respondent type"):
                assert config.SUPPRESSED_MARK in cells
    assert seen >= 3, "the carers appear (suppressed) in several tables"
    # Nor in a chart: the who-took-part bars leave the group out; it is only marked "hidden".
    scripts = FIGURE_SCRIPT.findall(_without_plotly_js(doc))
    who = next(s for s in scripts if '"People"' in s and '"orientation":"h"' in s)
    bars = who.split('"type":"bar"')[0]
    assert '"carer"' not in bars
    assert '"mode":"text"' in who and '"hidden"' in who


def test_too_few_people_gives_no_breakdowns(plan) -> None:
    frame = fx.responses().head(6)
    milestones, history = plan
    doc = _build(frame, fx.theme_result(frame), milestones=milestones, history=history)
    assert "This selection holds fewer than 10 people" in doc
    assert "fewer than 10 people" in doc
    assert "6 people" not in doc and "6 answers" not in doc
    assert 'id="themes"' not in doc and 'id="voices"' not in doc and 'id="examples"' not in doc
    assert "<blockquote>" not in doc and fx.NHS_NUMBER not in doc
    assert "Who took part" not in doc
    assert 'id="plan"' in doc  # the plan is not respondent data


def test_without_plan_or_benchmark_the_pack_says_so() -> None:
    frame = fx.responses()
    doc = _build(frame, fx.theme_result(frame))
    assert 'id="plan"' not in doc  # a dataset without a plan gets no plan section
    assert "No population benchmark was given" in doc
    assert doc.count('class="plotly-graph-div"') == 5


def test_with_no_figures_plotly_is_not_inlined() -> None:
    doc = _build(fx.responses().head(3), None)
    assert '<script id="plotly-js">' not in doc
    assert "<script" not in doc


def test_the_theme_result_is_made_when_not_given() -> None:
    frame = fx.responses()
    doc = _build(frame, None)
    assert doc.count('class="plotly-graph-div"') >= 3
    assert fx.EMAIL not in doc and fx.PHONE not in doc


def test_the_threshold_never_goes_below_the_minimum() -> None:
    frame = fx.responses()
    doc = _build(frame, fx.theme_result(frame), threshold=2)
    assert f"{config.MIN_SUPPRESSION_THRESHOLD} people" in doc
    carer_rows = re.findall(r"<tr><td>carer</td>(.*?)</tr>", _markup(doc))
    assert all(config.SUPPRESSED_MARK in row for row in carer_rows)


def test_answers_without_text_are_refused() -> None:
    with pytest.raises(ValueError, match="text"):
        _build(fx.responses().drop(columns=["text"]), None)


def test_the_pack_is_reproducible(plan) -> None:
    frame = fx.responses()
    milestones, history = plan
    a = _build(frame, fx.theme_result(frame), milestones=milestones, history=history)
    b = _build(frame, fx.theme_result(frame), milestones=milestones, history=history)
    assert a == b


@pytest.mark.parametrize("localities", [("Tinytown",), ("Smallville", "Bigtown", "Midtown")])
def test_a_withheld_selection_gives_the_reason_and_no_figure(plan, localities) -> None:
    from analysis.core.filters import Filters, apply_filters
    from analysis.privacy import check_selection
    from tests.privacy_fixtures import attack_frame

    everything = attack_frame()
    filters = Filters(localities=localities)
    check = check_selection(everything, filters)
    chosen = apply_filters(everything, filters)
    milestones, history = plan
    doc = _build(chosen, None, milestones=milestones, history=history, selection=check,
                 filters_description=filters.describe())  # fmt: skip
    markup = _markup(doc)
    assert check.message.split(",")[0] in html.unescape(markup)
    for figure in ("6 answers", "3 people", "146 answers", "73 people", "answers from"):
        assert figure not in markup
    assert 'id="themes"' not in doc and 'id="voices"' not in doc and 'id="examples"' not in doc
    assert "<blockquote>" not in doc
    assert 'id="plan"' in doc  # the plan does not depend on the selection


def test_the_pack_is_a_board_paper_that_prints_to_a4(doc: str) -> None:
    markup = _markup(doc)
    # Contents link to every section that follows, in order.
    contents = re.search(r'<ol class="contents">(.*?)</ol>', markup, re.DOTALL).group(1)
    targets = re.findall(r'href="#([\w-]+)"', contents)
    assert targets[:2] == ["summary", "themes"] and "appendix" in targets
    for target in targets:
        assert f'<section id="{target}"' in markup
    # Long tables sit in the appendix, capped, and the body points to them.
    appendix = markup[markup.index('<section id="appendix"') :]
    assert "Table A1." in appendix and 'href="#table-a' in markup
    for rows in re.findall(r"<tbody>(.*?)</tbody>", appendix, re.DOTALL):
        assert rows.count("<tr>") <= 40
    assert "rows are shown; the whole table is in the app" in appendix
    # Print: A4 pages, a page break before each section, no chart split; labels get room.
    assert "@page { size: A4;" in doc and "section { break-before: page; }" in doc
    assert ".chart, .js-plotly-plot { break-inside: avoid; }" in doc
    scripts = FIGURE_SCRIPT.findall(_without_plotly_js(doc))
    assert scripts and all('"automargin":true' in s and '"width":680' in s for s in scripts)


def test_a_theme_few_people_raised_is_marked_and_none_of_its_answers_is_quoted() -> None:
    texts = [
        "Discharge was rushed, the discharge plan was never explained and my GP was not told."
    ] * 3 + [
        "I waited fourteen weeks for an appointment and nobody rang back.",
        "Staff were kind and listened to me on the ward.",
    ] * 30
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(texts))],
            "round": "2024 Q1",
            "respondent_type": "service user",
            "text": texts,
        }
    )
    markup = _markup(_build(frame))
    table = next(t for t in _tables(markup) if t[0].startswith("Table A1. Themes: answers raising"))
    _caption, headers, rows = table
    discharge = next(r for r in rows if r[0] == "Transfer and discharge planning")
    answers = discharge[headers.index("Answers")]
    assert answers == config.SUPPRESSED_MARK
    for row in rows:  # no count of 1 to 9 answers anywhere in the table
        cell = row[headers.index("Answers")]
        assert not (cell.isdigit() and 0 < int(cell) < 10), row
    assert "rushed" not in markup


def _year_of_months() -> pd.DataFrame:
    """120 answers from 120 people, 10 in each month of 2025, rated 3 and 4 in turn by month."""
    from analysis.core.schema import conform_responses

    base = pd.concat([fx.responses()] * 3, ignore_index=True)
    months = [f"2025-{i // 10 + 1:02d}-15" for i in range(120)]
    frame = base.assign(
        response_id=[f"r{i:03d}" for i in range(120)],
        respondent_id=[f"p{i:03d}" for i in range(120)],
        submitted=pd.to_datetime(months),
        rating=[3.0 if (i // 10) % 2 == 0 else 4.0 for i in range(120)],
    )
    return conform_responses(frame)


def test_a_year_of_months_gets_process_control_charts_with_icons_and_rules_in_words() -> None:
    frame = _year_of_months()
    # fx.theme_result: the first 20 answers (January and February) raise access, no later one does.
    # Shares 100, 100, then ten 0s: mean 200/12 = 16.67; moving ranges one of 100: 100/11 = 9.09;
    # upper limit 16.67 + 2.66 x 9.09 = 40.85, so January and February are above it, and the ten
    # months below the mean are a shift that includes the latest point: special cause, low.
    doc = _build(frame, fx.theme_result(frame), threshold=10)
    body = html.unescape(_markup(doc))
    assert "Answers per month: common-cause variation only (no rule fired)" in body
    assert "Mean rating: common-cause variation only (no rule fired)" in body
    assert (
        "% of answers raising Access to support: special-cause variation" in body
        and "is above the upper process limit" in body
    )
    assert "A shift: 10 points in a row below the mean (2025-03 to 2025-12)." in body
    # The icons: drawn with a letter and named in words (role img), never colour alone.
    assert body.count('<svg role="img" aria-label="') == 3
    assert "Special cause variation, low: the latest point is unusual" in body
    assert "Common cause variation: no rule flags the latest point" in body
    assert "No assurance icon: no target has been set for this measure." in body


def test_two_rounds_say_why_the_rounds_are_compared_instead(doc: str) -> None:
    body = html.unescape(_markup(doc))
    assert "process limits need at least 12" in body and "tested instead" in body
    assert '<svg role="img"' not in body


def test_a_round_far_smaller_than_its_neighbours_is_named_under_the_trend() -> None:
    rounds = ["2024 Q1"] * 40 + ["2024 Q2"] * 6 + ["2024 Q3"] * 40
    frame = conform_responses(
        pd.DataFrame(
            {
                "response_id": [f"r{i}" for i in range(len(rounds))],
                "respondent_id": [f"p{i}" for i in range(len(rounds))],
                "round": rounds,
                "respondent_type": "service user",
                "text": "I waited months for an appointment and nobody rang me back.",
            }
        )
    )
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", _markup(_build(frame)), re.S)
    trend = [c for c in captions if "share of answers per round" in c]
    assert trend and "2024 Q2 holds far fewer answers than the rounds beside it" in trend[0]
    # Rounds of like size: no note.
    even = frame.assign(round=["2024 Q1"] * 43 + ["2024 Q2"] * 43)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", _markup(_build(even)), re.S)
    assert not any("far fewer answers" in c for c in captions)
