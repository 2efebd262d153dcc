"""Browser accessibility: axe-core on every page (each tab, expanders open, and in presentation mode) with no
serious or critical violation, and the keyboard alone can change a filter and switch page with focus visible.

axe-core comes from the axe-playwright-python package (it bundles axe.min.js); rules run at axe's defaults
(WCAG 2.0/2.1 A and AA plus best practices). Moderate and minor findings are printed (run with -s), not failed:
the ones seen so far live in Streamlit's own components or in page heading levels.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe  # bundles axe-core; missing = fail, not skip

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

# (name, URL path as routed in app.py; the default page is the root URL)
PAGES = [
    ("overview", ""),
    ("themes", "themes"),
    ("codebook", "codebook"),
    ("voices", "voices"),
    ("improvement-plan", "improvement-plan"),
    ("data", "data"),
]
BLOCKING = {"serious", "critical"}
AXE = Axe()

# True when the focused element (or the widget box around it, for inputs drawn inside a styled container)
# shows a focus indicator: a real outline or a box-shadow ring.
FOCUS_VISIBLE_JS = """() => {
  const ring = (n) => { const s = getComputedStyle(n);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'transparent';
    return outline || (s.boxShadow && s.boxShadow !== 'none'); };
  let n = document.activeElement;
  for (let i = 0; n && n !== document.body && i < 6; i++, n = n.parentElement) { if (ring(n)) return true; }
  return false; }"""
ACTIVE_JS = """() => { const e = document.activeElement;
  return {tag: e.tagName, role: e.getAttribute('role') || '', label: e.getAttribute('aria-label') || '', text: (e.innerText || '').trim().slice(0, 60),
          testid: e.getAttribute('data-testid') || ''}; }"""


# axe does not check text inside plotly's SVG, so chart text is checked here: every visible label, title,
# tick and legend entry drawn on the white chart background must reach 4.5:1 (text inside bars
# and heatmap cells is skipped: its background is the mark, and plotly picks black or white for it).
SVG_TEXT_CONTRAST_JS = """() => {
  const lum = (c) => { const v = c / 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const bad = [];
  for (const t of document.querySelectorAll('.js-plotly-plot text')) {
    const cls = t.getAttribute('class') || '';
    if (cls.includes('bartext-inside') || t.closest('.heatmaplayer') || !t.textContent.trim()) continue;
    const s = getComputedStyle(t);
    if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.fillOpacity) === 0) continue;
    const m = s.fill.match(/[0-9.]+/g); if (!m) continue;
    const a = m.length > 3 ? parseFloat(m[3]) : 1;
    const [r, g, b] = m.slice(0, 3).map(x => a * parseFloat(x) + (1 - a) * 255);
    const L = 0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b);
    const ratio = 1.05 / (L + 0.05);
    if (ratio < 4.5) bad.push(`${cls || 'text'} '${t.textContent.slice(0, 40)}' ${s.fill} ${ratio.toFixed(2)}:1`);
  }
  return bad; }"""


def _url(app_url: str, path: str, present: bool) -> str:
    return f"{app_url}/{path}" + ("?present=1" if present else "")


def _open(page, app_url: str, path: str, present: bool) -> None:
    """Open the root first (the router's first run), then the page."""
    page.goto(app_url)
    wait_for_app(page)
    page.goto(_url(app_url, path, present))
    wait_for_app(page)


def _expand_all(page) -> None:
    """Open every visible, closed expander so axe sees the tables inside them."""
    for summary in page.locator(
        "[data-testid='stMain'] [data-testid='stExpander'] details:not([open]) > summary"
    ).all():
        if summary.is_visible():
            summary.click()
    wait_for_app(page)


def _scan(page, label: str) -> list[dict]:
    """Run axe on the page as shown; return its violations, each tagged with where it was seen."""
    violations = AXE.run(page).response["violations"]
    low_contrast_chart_text = page.evaluate(SVG_TEXT_CONTRAST_JS)
    if low_contrast_chart_text:
        violations.append(
            {
                "id": "chart-text-contrast",
                "impact": "serious",
                "help": "Chart text below 4.5:1",
                "nodes": [{"target": [t]} for t in low_contrast_chart_text],
            }
        )
    for v in violations:
        v["where"] = label
    return violations


def _views(page, name: str) -> list[dict]:
    """Scan the page, then each of its tabs in turn, with expanders open."""
    found = []
    _expand_all(page)
    found += _scan(page, name)
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        if not tab.is_visible():
            continue
        tab_label = tab.inner_text().strip()
        tab.click()
        wait_for_app(page)
        _expand_all(page)
        found += _scan(page, f"{name} / tab {tab_label!r}")
    return found


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"])[:120] for n in v["nodes"][:3])
        lines.append(
            f"[{v['impact']}] {v['id']} at {v['where']}: {v['help']} ({len(v['nodes'])} nodes: {targets})"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("present", [False, True], ids=["normal", "present"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_axe_violations(
    page, app_url: str, name: str, path: str, present: bool
) -> None:
    _open(page, app_url, path, present)
    assert page.locator("[data-testid='stMain'] h1").count() >= 1, (
        "the page did not render its title"
    )
    violations = _views(page, name + (" (presentation)" if present else ""))
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:
        print("\nNon-blocking axe findings:\n" + _describe(others))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "serious/critical axe violations:\n" + _describe(blocking)


def _tab_until(page, predicate, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; return its description."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(ACTIVE_JS)
        seen.append(active["label"] or active["text"] or active["tag"])
        if predicate(active):
            return active
    raise AssertionError(f"never reached the element with {key}; focus went through: {seen}")


def test_keyboard_changes_a_filter_and_switches_page(page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    sidebar_filter = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has_text="Respondent type"
    )
    sidebar_filter.wait_for()  # the sidebar can arrive a moment after the page's content
    caption_before = page.locator(
        "[data-testid='stMain'] [data-testid='stCaptionContainer']"
    ).first.inner_text()
    page.locator("body").focus()

    # Tab to the Respondent type filter; focus must be visible on the way and on it.
    _tab_until(page, lambda a: a["label"] == "Respondent type")
    assert page.evaluate(FOCUS_VISIBLE_JS), "no visible focus ring on the Respondent type filter"
    page.keyboard.press("ArrowDown")  # opens the list
    listbox = page.locator("[role='listbox']")
    listbox.wait_for()
    # The first entry may be Streamlit's "Select all"; move down to the first real option.
    for _ in range(3):
        if "select_all" not in (
            page.evaluate("() => document.activeElement.getAttribute('aria-activedescendant')")
            or ""
        ):
            break
        page.keyboard.press("ArrowDown")
    # The open option list is a popover outside the sidebar: it must pass axe too.
    blocking = [v for v in _scan(page, "respondent type list open") if v["impact"] in BLOCKING]
    assert not blocking, _describe(blocking)
    page.keyboard.press("Enter")  # chooses the highlighted (first) option
    page.keyboard.press("Escape")
    wait_for_app(page)
    sidebar_filter.locator("[data-tag]").first.wait_for()
    assert sidebar_filter.locator("[data-tag]").count() == 1, (
        "the keyboard did not choose an option"
    )
    caption_after = page.locator(
        "[data-testid='stMain'] [data-testid='stCaptionContainer']"
    ).first.inner_text()
    assert caption_after != caption_before  # the page now describes the filtered answers

    # Back up to the page navigation and open Themes with Enter.
    _tab_until(
        page,
        lambda a: a["testid"] == "stSidebarNavLink" and a["text"].endswith("Themes"),
        backwards=True,
    )
    assert page.evaluate(FOCUS_VISIBLE_JS), "no visible focus ring on the navigation link"
    page.keyboard.press("Enter")
    page.wait_for_url("**/themes**")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Themes").first.is_visible()
    # The filter chosen by keyboard still applies on the new page.
    assert sidebar_filter.locator("[data-tag]").count() == 1

    # Into the page: Tab reaches the first tab of the Themes page, and arrow keys move between tabs.
    page.locator(
        "[data-testid='stMain'] h1"
    ).first.click()  # a non-interactive start point inside main
    first_tab = _tab_until(page, lambda a: a["role"] == "tab" and a["text"] == "Themes")
    assert first_tab
    assert page.evaluate(FOCUS_VISIBLE_JS), "no visible focus ring on the page tabs"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    wait_for_app(page)
    selected = page.locator(
        "[data-testid='stMain'] [role='tab'][aria-selected='true']"
    ).first.inner_text()
    assert selected.strip() == "Trend"
