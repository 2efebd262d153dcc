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

# Records every change of the app's run state and the last Enter/Backspace/click, with
# performance.now() timestamps, so a rerun is timed from the user's action to the app being idle.
STATE_OBSERVER_JS = """
(() => {
  window.__rel = {runs: 0, idleAt: 0, state: null, actionAt: 0};
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

IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning'][data-test-connection-state='CONNECTED']"


def generate_answers(rows: int, out: Path) -> float:
    """Write `rows` answers from the seeded demo generator to `out`; return seconds taken."""
    import subprocess
    import time

    t = time.perf_counter()
    generator = ROOT / "scripts" / "generate_demo_responses.py"
    subprocess.run([sys.executable, str(generator), "--rows", str(rows), "--out", str(out)], check=True)
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
