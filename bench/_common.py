"""Shared helpers for the reliability benches: process memory, timing a rerun in the browser, tables.

Benchmarks print figures; nothing here asserts on wall-clock time.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# (url path, title) of every page, in navigation order; "" is the default page (Overview).
PAGES = (
    ("", "Overview"),
    ("themes", "Themes"),
    ("codebook", "Codebook"),
    ("voices", "Voices"),
    ("improvement-plan", "Improvement Plan"),
    ("data", "Data"),
)

# Records, with performance.now() timestamps: every message the app's websocket receives (a rerun
# always sends some: script started, the page's elements, script finished), the app's run state, and the
# user's last Enter/Backspace/click. A rerun is timed from the user's action to the last message of the
# run. Messages, not the run-state attribute, are what prove a rerun happened: under load the front end
# can apply "running" and "not running" in one render, so the attribute alone may never show the run.
STATE_OBSERVER_JS = """
(() => {
  window.__rel = {runs: 0, idleAt: 0, state: null, actionAt: 0, msgs: 0, msgAt: 0};
  const Native = window.WebSocket;
  class Counted extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__rel.msgs += 1; window.__rel.msgAt = performance.now(); });
    }
  }
  window.WebSocket = Counted;
  const note = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) return;
    const s = app.getAttribute("data-test-script-state");
    if (s !== window.__rel.state) {
      window.__rel.state = s;
      if (s === "running") window.__rel.runs += 1;
      else window.__rel.idleAt = performance.now();
    }
  };
  new MutationObserver(note).observe(document, {subtree: true, attributes: true, childList: true,
                                                 attributeFilter: ["data-test-script-state"]});
  const mark = () => { window.__rel.actionAt = performance.now(); };
  document.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === "Backspace") mark(); }, true);
  document.addEventListener("click", mark, true);
})();
"""

# What the timing loop reads from the page: [messages, last message at, run state, action at, spinners,
# exception boxes, now, connected and idle].
PROBE_JS = """() => [window.__rel.msgs, window.__rel.msgAt, window.__rel.state, window.__rel.actionAt,
  document.querySelectorAll("[data-testid='stSpinner']").length,
  document.querySelectorAll("[data-testid='stException']").length, performance.now(),
  !!document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning'][data-test-connection-state='CONNECTED']")]"""

# How long the app must stay quiet (no message, not running) before a rerun counts as finished, and how
# long to wait for the first message before the action counts as a miss (no rerun seen).
SETTLE_S = 0.5
START_TIMEOUT_S = 60.0


def rerun_outcome(
    msgs_before: int, t0_ms: float, probe: list, waited_s: float
) -> tuple[str, float | None]:
    """Read one probe taken after an action: ("wait", None), ("done", seconds) or ("missed", None).

    Done when a message arrived after the action, the app is idle with no spinner, and nothing has
    arrived for SETTLE_S; the time runs from the user's input (or t0) to the last message. Missed when
    no message arrived within START_TIMEOUT_S: the action did not start a rerun, which is reported, not
    timed as zero.
    """
    msgs, msg_at, _state, action_at, spinners, _exc, now, idle = probe
    if msgs <= msgs_before:
        return ("missed", None) if waited_s > START_TIMEOUT_S else ("wait", None)
    if not idle or spinners or now - msg_at < SETTLE_S * 1000:
        return "wait", None
    start = action_at if action_at >= t0_ms else t0_ms
    return "done", max(msg_at - start, 0.0) / 1000


IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning'][data-test-connection-state='CONNECTED']"


def generate_answers(rows: int, out: Path) -> float:
    """Write `rows` answers from the seeded demo generator to `out`; return seconds taken."""
    import subprocess
    import time

    t = time.perf_counter()
    generator = ROOT / "scripts" / "generate_demo_responses.py"
    subprocess.run(
        [sys.executable, str(generator), "--rows", str(rows), "--out", str(out)], check=True
    )
    return time.perf_counter() - t


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return out


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process plus its children, in MiB."""
    return sum(_status_kb(p, "VmHWM") for p in tree_pids(pid)) / 1024


def rss_mb(pid: int) -> float:
    """Current resident memory (VmRSS) of a process plus its children, in MiB."""
    return sum(_status_kb(p, "VmRSS") for p in tree_pids(pid)) / 1024


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; NaN when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values: list[float]) -> float:
    """The median; NaN when empty."""
    return statistics.median(values) if values else float("nan")


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_note() -> str:
    """CPU count, memory and load average, so figures can be read against the machine."""
    import os

    try:
        mem_gb = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, IndexError, ValueError):
        mem_gb = float("nan")
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, {mem_gb:.0f} GiB RAM, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


def write_report(name: str, text: str) -> Path:
    """Write bench/out/<name> and return its path."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / name
    path.write_text(text, encoding="utf-8")
    return path
