"""Load bench: 30 simultaneous browser sessions against one `streamlit run` on the demo data.

    .venv/bin/python bench/load_sessions.py                         # 30 sessions, 120 s
    .venv/bin/python bench/load_sessions.py --sessions 5 --seconds 30

One headless Debian chromium, one Playwright context per session (async API, asyncio.gather), all on
loopback. Each session chooses its own locality and respondent type, then loops over every page
(navigating from the sidebar) and on each page toggles its respondent type off and on, until the time
is up (bounded: at most --max-loops loops). On every page it checks: no exception element and no
traceback text; its own selection (and nobody else's) in the sidebar's multiselects and in the page's
link (query parameters, written from the server-side session; the address bar gets up to 10 s after
the run and the wait is reported). Streamlit's memory (VmRSS of the process and its children) is
sampled every second. Reports median and p95 page times (navigation and filter change, from the
click/key press to the last message of the rerun it caused; an action after which no rerun came within
a minute is counted as missed, never timed as zero), peak memory, and whether memory kept growing.
Writes bench/out/load_sessions.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    PAGES,
    PROBE_JS,
    START_TIMEOUT_S,
    STATE_OBSERVER_JS,
    machine_note,
    markdown_table,
    median,
    percentile,
    rerun_outcome,
    rss_mb,
    write_report,
)

_TAGS = """(label) => {
  const input = document.querySelector(`[data-testid='stSidebar'] input[aria-label='${label}']`);
  const box = input && input.closest("[data-testid='stMultiSelectTagsContainer']");
  if (!box) return null;
  return Array.from(box.querySelectorAll("span[data-tag]")).map(t => t.getAttribute("aria-label"));
}"""
ERROR_WORDS = (
    "Traceback (most recent call last)",
    "StreamlitAPIException",
    "KeyError",
    "AttributeError",
)


LINK_WAIT_S = 10.0  # how long the address bar may take to show a finished rerun's link


@dataclass
class SessionLog:
    """What one session measured and saw."""

    name: str
    locality: str
    rtype: str
    nav_times: dict[str, list[float]] = field(default_factory=dict)
    filter_times: list[float] = field(default_factory=list)
    missed: int = 0  # actions after which no rerun came within START_TIMEOUT_S
    link_lags: list[float] = field(
        default_factory=list
    )  # seconds the link took after the rerun ended
    problems: list[str] = field(default_factory=list)
    loops: int = 0

    def record(self, times: list[float], seconds: float | None) -> None:
        """Keep a timing, or count the action as missed (no rerun seen) instead of timing it as 0."""
        if seconds is None:
            self.missed += 1
        else:
            times.append(seconds)


async def timed(page, action, timeout: float = 300.0) -> float | None:
    """Await `action()`; seconds from the user's input to the end of its rerun, None if no rerun came.

    The same rule as bench/_browser.timed_rerun (bench._common.rerun_outcome).
    """
    msgs_before = await page.evaluate("() => window.__rel.msgs")
    t0 = await page.evaluate("() => performance.now()")
    await action()
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        state, seconds = rerun_outcome(
            msgs_before, t0, await page.evaluate(PROBE_JS), time.monotonic() - started
        )
        if state != "wait":
            return seconds
        await asyncio.sleep(0.05)
    raise TimeoutError("the app did not become idle")


async def choose(page, label: str, value: str) -> None:
    """Type `value` into the sidebar multiselect `label` and press Enter."""
    box = page.locator(f"[data-testid='stSidebar'] input[aria-label='{label}']")
    await box.click()
    await box.fill(value)
    await box.press("Enter")
    await box.press("Escape")


async def unchoose_last(page, label: str) -> None:
    """Remove the last chosen value of the multiselect `label`."""
    box = page.locator(f"[data-testid='stSidebar'] input[aria-label='{label}']")
    await box.click()
    await box.press("Backspace")
    await box.press("Escape")


async def check_page(
    page, log: SessionLog, where: str, others: set[tuple[str, str]], type_on: bool
) -> None:
    """No exception or traceback; the link and sidebar show this session's choice and nobody else's."""
    if await page.locator("[data-testid='stException']").count():
        log.problems.append(f"{where}: exception element")
    body = await page.locator("[data-testid='stMain']").inner_text()
    for word in ERROR_WORDS:
        if word in body:
            log.problems.append(f"{where}: '{word}' on the page")
    want_types = [log.rtype] if type_on else []

    def link_is_right() -> bool:
        params = parse_qs(urlparse(page.url).query)
        return params.get("locality", []) == [log.locality] and params.get("type", []) == want_types

    # The address bar is rewritten by the browser after the run's last message: allow it a moment and
    # measure how long it took, so a slow link and a wrong one are told apart.
    started = time.monotonic()
    while not link_is_right() and time.monotonic() - started < LINK_WAIT_S:
        await asyncio.sleep(0.05)
    if link_is_right():
        log.link_lags.append(time.monotonic() - started)
    else:
        params = parse_qs(urlparse(page.url).query)
        log.problems.append(
            f"{where}: after {LINK_WAIT_S:g} s the link shows locality={params.get('locality')} "
            f"type={params.get('type')}"
        )
    params = parse_qs(urlparse(page.url).query)
    for label, want in (("Locality", [log.locality]), ("Respondent type", want_types)):
        tags = await page.evaluate(_TAGS, label)
        if tags is not None and tags != want:
            log.problems.append(f"{where}: sidebar {label} shows {tags}, expected {want}")
    seen = {(loc, t) for loc in params.get("locality", []) for t in params.get("type", [])}
    if seen & others:
        log.problems.append(f"{where}: another session's selection {seen & others} appeared")


async def run_session(
    browser,
    url: str,
    log: SessionLog,
    seconds: float,
    max_loops: int,
    others: set[tuple[str, str]],
) -> None:
    """One user: open the app, choose a locality and type, then loop over pages toggling the type."""
    from tests.e2e.conftest import wait_for_app  # noqa: F401 - same idea, async here

    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(STATE_OBSERVER_JS)
    page = await context.new_page()
    page.set_default_timeout(300_000)
    try:
        log.record(
            log.nav_times.setdefault("first open", []), await timed(page, lambda: page.goto(url))
        )
        log.record(
            log.filter_times, await timed(page, lambda: choose(page, "Locality", log.locality))
        )
        log.record(
            log.filter_times, await timed(page, lambda: choose(page, "Respondent type", log.rtype))
        )
        type_on = True
        # The clock starts once the session has its selection, so a slow start still gets its loops.
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and log.loops < max_loops:
            for path, title in PAGES:
                if time.monotonic() >= deadline:
                    break
                link = page.locator(f"[data-testid='stSidebarNav'] a[href='{url}/{path}']")
                log.record(
                    log.nav_times.setdefault(title, []),
                    await timed(page, lambda lk=link: lk.click()),
                )
                await check_page(page, log, title, others, type_on)
                if type_on:
                    change = lambda: unchoose_last(page, "Respondent type")  # noqa: E731
                else:
                    change = lambda: choose(page, "Respondent type", log.rtype)  # noqa: E731
                log.record(log.filter_times, await timed(page, change))
                type_on = not type_on
                await check_page(page, log, f"{title} after filter change", others, type_on)
            log.loops += 1
    except Exception as exc:  # noqa: BLE001 - a session's failure is a finding, not a crash of the bench
        log.problems.append(f"session failed: {type(exc).__name__}: {str(exc)[:300]}")
    finally:
        await context.close()


async def sample_memory(pid: int, stop: asyncio.Event, samples: list[tuple[float, float]]) -> None:
    """Sample the app's resident memory once a second until `stop` is set."""
    t0 = time.monotonic()
    while not stop.is_set():
        samples.append((time.monotonic() - t0, rss_mb(pid)))
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except TimeoutError:
            pass


async def run_all(
    url: str,
    pid: int,
    n: int,
    seconds: float,
    max_loops: int,
    localities: list[str],
    types: list[str],
) -> tuple[list[SessionLog], list[tuple[float, float]], float]:
    """Warm the app with one session, then run n sessions at once; return logs, memory samples, wall."""
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    combos = [(loc, t) for t in types for loc in localities]
    logs = [SessionLog(f"s{i:02d}", *combos[i % len(combos)]) for i in range(n)]
    samples: list[tuple[float, float]] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, stop, samples))
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        # Warm-up: one visit of every page, so the demo data is classified once before the load.
        warm = SessionLog("warm-up", localities[0], types[0])
        await run_session(browser, url, warm, 1e9, 1, set())
        for problem in warm.problems[:10]:
            print("  warm-up:", problem, flush=True)
        print(
            f"warm-up done ({len(warm.problems)} problems); starting {n} sessions for {seconds:.0f} s",
            flush=True,
        )
        t = time.monotonic()
        await asyncio.gather(
            *[
                run_session(
                    browser,
                    url,
                    log,
                    seconds,
                    max_loops,
                    {
                        (lg.locality, lg.rtype)
                        for lg in logs
                        if (lg.locality, lg.rtype) != (log.locality, log.rtype)
                    },
                )
                for log in logs
            ]
        )
        wall = time.monotonic() - t
        await browser.close()
    stop.set()
    await sampler
    return logs, samples, wall


def _growth(samples: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean RSS of the first and last thirds of the samples (MiB)."""
    vals = [v for _, v in samples]
    k = max(len(vals) // 3, 1)
    return sum(vals[:k]) / k, sum(vals[-k:]) / k


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write bench/out/load_sessions.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument(
        "--max-loops",
        type=int,
        default=50,
        help="upper bound on page loops per session",
    )
    args = parser.parse_args(argv)

    import pandas as pd

    from analysis.core import config
    from tests.e2e.conftest import start_app, stop_app

    demo = pd.read_csv(config.DEMO_RESPONSES, usecols=["locality", "respondent_type"], dtype=str)
    localities = sorted(demo["locality"].dropna().unique())
    types = sorted(demo["respondent_type"].dropna().unique())
    proc, url, log_path = start_app()
    try:
        base = rss_mb(proc.pid)
        logs, samples, wall = asyncio.run(
            run_all(
                url,
                proc.pid,
                args.sessions,
                args.seconds,
                args.max_loops,
                localities,
                types,
            )
        )
        after = rss_mb(proc.pid)
    finally:
        stop_app(proc)

    nav_all = [t for lg in logs for ts in lg.nav_times.values() for t in ts]
    filt_all = [t for lg in logs for t in lg.filter_times]
    rows = []
    for title in ["first open", *(t for _p, t in PAGES)]:
        ts = [t for lg in logs for t in lg.nav_times.get(title, [])]
        rows.append(
            [
                title,
                len(ts),
                f"{median(ts):.2f}",
                f"{percentile(ts, 95):.2f}",
                f"{max(ts, default=float('nan')):.2f}",
            ]
        )
    rows.append(
        [
            "filter change (any page)",
            len(filt_all),
            f"{median(filt_all):.2f}",
            f"{percentile(filt_all, 95):.2f}",
            f"{max(filt_all, default=float('nan')):.2f}",
        ]
    )
    missed = sum(lg.missed for lg in logs)
    lags = [x for lg in logs for x in lg.link_lags]
    link_wrong = sum(1 for lg in logs for p in lg.problems if "the link shows" in p)
    peak = max((v for _, v in samples), default=float("nan"))
    first, last = _growth(samples)
    problems = [f"{lg.name}: {p}" for lg in logs for p in lg.problems]
    text = "\n".join(
        [
            f"# Load: {args.sessions} simultaneous browser sessions for {args.seconds:.0f} s",
            "",
            f"Command: `.venv/bin/python bench/load_sessions.py --sessions {args.sessions} --seconds {args.seconds:g}`",
            f"Machine: {machine_note()} (at the end of the run). One headless chromium, one context per session,"
            " against one `streamlit run app.py` on the demo data (warmed with one visit of every page first).",
            "",
            f"- wall time of the load phase: {wall:.0f} s; page loops completed: "
            f"{sum(lg.loops for lg in logs)} (per session min {min(lg.loops for lg in logs)}, max {max(lg.loops for lg in logs)})",
            f"- page navigations: {len(nav_all)}, median {median(nav_all):.2f} s, p95 {percentile(nav_all, 95):.2f} s",
            f"- filter changes: {len(filt_all)}, median {median(filt_all):.2f} s, p95 {percentile(filt_all, 95):.2f} s",
            f"- actions with no rerun seen within {START_TIMEOUT_S:g} s (not timed, not counted above): {missed}",
            f"- link in the address bar after a finished rerun: {len(lags)} checks right, of which "
            f"{sum(1 for x in lags if x > 0.05)} needed to wait (longest {max(lags, default=0):.2f} s); "
            f"wrong after {LINK_WAIT_S:g} s: {link_wrong}",
            f"- streamlit memory (VmRSS, sampled every second, {len(samples)} samples): before {base:.0f} MiB, "
            f"peak {peak:.0f} MiB, mean of first third {first:.0f} MiB, last third {last:.0f} MiB, at the end {after:.0f} MiB",
            f"- sessions with a problem: {len({p.split(':')[0] for p in problems})} of {args.sessions}; "
            f"problems: {len(problems)}",
            "",
            markdown_table(["page", "visits", "median (s)", "p95 (s)", "max (s)"], rows),
            "",
            "Problems (first 40):"
            if problems
            else "Problems: none (no exception, no traceback text, every session "
            "saw only its own selection in its link and sidebar).",
            *[f"- {p}" for p in problems[:40]],
            "",
        ]
    )
    print(text)
    print(f"wrote {write_report('load_sessions.md', text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
