"""Browser check shared by the fit tests: is every chart label the element drawn at its own position?

A label that is clipped (outside the screen or its chart) or covered by another element fails
`document.elementFromPoint` at its centre. Plotly's invisible drag, hover and zoom layers sit over the axes
to catch the mouse; they draw nothing, so they are made transparent to the hit test first, and the labels
(drawn with pointer-events off) are made hittable.
"""

from __future__ import annotations

_LABELS = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext"
_PASS_THROUGH = ".draglayer, .draglayer *, .hoverlayer, .hoverlayer *, .zoomlayer *, .legendtoggle"

# The screen as it is (presentation mode: nothing scrolls, every label must be on screen now).
_ON_SCREEN = """
([labels, passThrough]) => {
  document.querySelectorAll(passThrough).forEach((el) => el.style.pointerEvents = 'none');
  const bad = [];
  const found = document.querySelectorAll(labels);
  found.forEach((el) => el.style.pointerEvents = 'all');
  for (const el of found) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const inside = r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
    const hit = inside ? document.elementFromPoint(x, y) : null;
    const own = hit && (hit === el || el.contains(hit) || hit.closest('text') === el);
    if (!own) bad.push(el.textContent + (inside ? ' (covered)' : ' (outside the screen)'));
  }
  return {n: found.length, bad};
}
"""

# A page that scrolls: each chart is brought into view, then its labels checked; a label of a chart
# taller than the screen is scrolled to on its own. A label must lie inside its own chart's box (Plotly
# clips what overflows its fixed height) and, on screen below the app's header, be the element drawn there.
_SCROLLED = """
([labels, passThrough]) => {
  document.querySelectorAll(passThrough).forEach((el) => el.style.pointerEvents = 'none');
  const header = document.querySelector('[data-testid="stHeader"]');
  const top = header ? header.getBoundingClientRect().bottom : 0;
  const onScreen = (r) => r.left >= 0 && r.right <= innerWidth && r.top >= top && r.bottom <= innerHeight;
  // What covers a label, named well enough to find it: its tag, test id and first class.
  const describe = (hit) => {
    if (!hit) return 'nothing';
    const owner = hit.closest('[data-testid]');
    const id = owner ? ' in ' + owner.getAttribute('data-testid') : '';
    const cls = typeof hit.className === 'string' && hit.className ? '.' + hit.className.split(' ')[0] : '';
    return hit.tagName + cls + id;
  };
  const bad = [];
  let n = 0;
  for (const fig of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    fig.scrollIntoView({block: 'center'});
    const found = fig.querySelectorAll(labels);
    found.forEach((el) => el.style.pointerEvents = 'all');
    for (const el of found) {
      let r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      n += 1;
      if (!onScreen(r)) {
        el.scrollIntoView({block: 'center', inline: 'center'});
        r = el.getBoundingClientRect();
      }
      const box = fig.getBoundingClientRect();
      const inChart = r.left >= box.left - 1 && r.right <= box.right + 1
        && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      const hit = onScreen(r) ? document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) : null;
      const own = hit && (hit === el || el.contains(hit) || hit.closest('text') === el);
      if (!inChart) bad.push(el.textContent + ' (outside its chart)');
      else if (!onScreen(r)) bad.push(el.textContent + ' (off the screen)');
      else if (!own) bad.push(el.textContent + ' (covered by ' + describe(hit) + ')');
    }
  }
  return {n, bad};
}
"""

# Plotly redraws a chart after the window is resized; the check waits until every chart's drawing is
# as wide as its box again.
_CHARTS_SETTLED = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every((fig) => {
  const svg = fig.querySelector('.main-svg');
  return svg && Math.abs(svg.getBoundingClientRect().width - fig.getBoundingClientRect().width) <= 2;
})
"""


def labels_on_screen(page) -> dict:
    """Every chart label on the screen as it is: {"n": labels found, "bad": those clipped or covered}."""
    return page.evaluate(_ON_SCREEN, [_LABELS, _PASS_THROUGH])


def labels_scrolled(page) -> dict:
    """Every chart label of a scrolling page, each chart scrolled into view in turn: {"n", "bad"}."""
    return page.evaluate(_SCROLLED, [_LABELS, _PASS_THROUGH])


def wait_for_charts(page, timeout: float = 30_000) -> None:
    """Wait until every chart on the page is drawn at its box's width (after a load or a resize)."""
    page.wait_for_function(_CHARTS_SETTLED, timeout=timeout)
    page.wait_for_timeout(200)  # Plotly lays out its labels just after the drawing is resized
