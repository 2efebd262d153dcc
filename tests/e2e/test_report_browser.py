"""Browser test: the meeting pack opens offline in headless chromium with every chart drawn."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.report.pack import build_meeting_pack
from analysis.themes.codebook import default_codebook
from analysis.voices import participation
from tests import report_fixtures as fx

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pack_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    milestones, history = fx.demo_plan(f"sqlite:///{folder / 'store.sqlite'}")
    frame = fx.responses()
    doc = build_meeting_pack(
        frame,
        codebook=default_codebook(),
        theme_result=fx.theme_result(frame),
        milestones=milestones,
        history=history,
        benchmark=participation.load_benchmark(),
        filters_description="no filters (everyone)",
        dataset_name="Browser test survey",
        data_version="abc123def456",
        generated_at=fx.GENERATED_AT,
    )
    path = folder / "pack.html"
    path.write_text(doc, encoding="utf-8")
    return path


def test_the_pack_draws_every_chart_offline_without_errors(browser, pack_file: Path) -> None:
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    blocked: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}")
        if m.type in ("error", "warning")
        else None,
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        page.goto(pack_file.as_uri())
        ids = re.findall(
            r'<div id="(fig-\d+)" class="plotly-graph-div"', pack_file.read_text(encoding="utf-8")
        )
        assert len(ids) == 13
        for div_id in ids:
            page.locator(f"#{div_id} .main-svg").first.wait_for(state="attached", timeout=30_000)
            # Drawn means marks were plotted, not just an empty frame.
            assert page.locator(f"#{div_id} .main-svg").count() >= 2, div_id
        assert page.locator(".plotly-graph-div .main-svg").count() >= 2 * len(ids)
        # Hostile labels from the upload never became links or images in the charts.
        assert page.locator("svg a").count() == 0
        assert page.locator("img").count() == 0
        assert (
            page.get_by_role("heading", level=1)
            .inner_text()
            .startswith("Meeting pack: Browser test survey")
        )
        assert page.locator("table caption").count() >= 8
        assert blocked == []
        assert problems == []
    finally:
        context.close()


def test_the_pack_prints(browser, pack_file: Path) -> None:
    page = browser.new_page()
    try:
        page.goto(pack_file.as_uri())
        page.locator("#fig-1 .main-svg").first.wait_for(state="attached", timeout=30_000)
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    finally:
        page.close()


# Each chart label: the element drawn at its own centre once scrolled into view (plotly's invisible
# mouse layers made transparent, the labels hittable), and inside its chart's box (never cut).
PRINT_LABELS = """
() => {
  document.querySelectorAll('.draglayer, .draglayer *, .hoverlayer, .hoverlayer *, .legendtoggle')
    .forEach((el) => el.style.pointerEvents = 'none');
  const bad = [];
  for (const fig of document.querySelectorAll('.plotly-graph-div')) {
    fig.scrollIntoView({block: 'center'});
    const box = fig.getBoundingClientRect();
    const labels = fig.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext');
    labels.forEach((el) => el.style.pointerEvents = 'all');
    for (const el of labels) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const within = r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!within || !(hit === el || el.contains(hit))) bad.push(fig.id + ': ' + el.textContent);
    }
  }
  const sections = [...document.querySelectorAll('section')].map(
    (s) => [s.id, getComputedStyle(s).breakBefore]);
  const charts = [...document.querySelectorAll('.chart')].map((c) => getComputedStyle(c).breakInside);
  return {bad, sections, charts, width: document.documentElement.scrollWidth};
}
"""


def test_the_printed_pack_has_page_breaks_and_uncut_labels(browser, pack_file: Path) -> None:
    # A4 is 210 mm wide; with 10 mm margins the page is about 718 CSS pixels across.
    page = browser.new_page(viewport={"width": 718, "height": 1000})
    try:
        page.emulate_media(media="print")
        page.goto(pack_file.as_uri())
        page.locator("#fig-1 .main-svg").first.wait_for(state="attached", timeout=30_000)
        found = page.evaluate(PRINT_LABELS)
        assert not found["bad"], found["bad"]
        assert found["width"] <= 718, "nothing runs off the side of the page"
        breaks = dict(found["sections"])
        assert breaks["about"] != "page" and breaks["contents"] != "page"
        assert all(breaks[s] == "page" for s in ("summary", "themes", "voices", "plan", "appendix"))
        assert set(found["charts"]) == {"avoid"}
    finally:
        page.close()


def test_the_overview_page_downloads_the_pack(page, app_url: str, tmp_path: Path) -> None:
    from tests.e2e.conftest import wait_for_app

    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("button", name="Prepare meeting pack").click()
    button = page.get_by_role("button", name="Download meeting pack (HTML)")
    button.wait_for(timeout=180_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.startswith("meeting-pack-") and saved.suffix == ".html"
    doc = saved.read_text(encoding="utf-8")
    assert doc.startswith("<!DOCTYPE html>") and 'id="summary"' in doc
    assert doc.count('class="plotly-graph-div"') >= 10
