"""Profile the first open of a dataset's Overview in a fresh process (a server restart), in-process.

    .venv/bin/python bench/profile_first_open.py --store /tmp/feedback-jobs-XXXX/store.sqlite --ds 1
    .venv/bin/python bench/profile_first_open.py --store ... --ds 1 --runs 3 --no-profile   # timings only

Runs app.py with Streamlit's AppTest on the given store (whose job is done: bench/scale_jobs.py makes
one) with `?ds=<id>`, each run in a new Python process so nothing is cached in memory, and prints the
wall and CPU time of that first script run (imports of the app's modules included, as on a restarted server;
the browser's own rendering not included: bench/scale_jobs.py times that). With pyinstrument installed
(requirements-dev.txt) the first run's script thread is profiled and its tree printed (PROFILE_ALL=1:
with the frames of libraries too).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _one_run(store: Path, ds: int, profile: bool, page: str, preloaded: bool = False) -> None:
    """In this process: open the page once and print a JSON line with its seconds (and the profile).

    `preloaded`: the server's start-up work is done first, untimed, as scripts/app_server.py does
    while a restarted server waits for its first visitor (ui/preload.py: the app's modules imported,
    the warm-ups, the likely datasets read).
    """
    os.environ["FEEDBACK_DB_PATH"] = str(store)
    os.environ.pop("DATABASE_URL", None)
    os.environ["FEEDBACK_CLASSIFY"] = "background"
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler = None
    if profile:
        from pyinstrument import Profiler

        original = LocalScriptRunner._run_script_thread

        def profiled(self) -> None:  # the script thread, profiled in the thread it runs in
            nonlocal profiler
            profiler = Profiler(interval=0.005)
            profiler.start()
            try:
                original(self)
            finally:
                profiler.stop()

        LocalScriptRunner._run_script_thread = profiled
    if preloaded:
        from ui.preload import preload, prepare_datasets, warm_up

        preload()
        warm_up()
        prepare_datasets()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["ds"] = str(ds)
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    t, cpu = time.perf_counter(), time.process_time()
    at.run()
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    if profiler is not None:
        print(
            profiler.output_text(
                unicode=False, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))
            ),
            file=sys.stderr,
        )
    problems = [str(e.value)[:200] for e in at.exception]
    headers = [h.value for h in at.header]
    print(json.dumps({"seconds": seconds, "cpu": cpu, "exceptions": problems, "headers": headers}))


def main(argv: list[str] | None = None) -> int:
    """Time (and profile) the first open in `--runs` fresh processes; print each and the median."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store", type=Path, required=True, help="a SQLite store whose job is done"
    )
    parser.add_argument("--ds", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--page", default="overview", help="app_pages/<page>.py (default overview)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--preloaded",
        action="store_true",
        help="do the server's start-up work first (scripts/app_server.py, ui/preload.py)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _one_run(args.store, args.ds, not args.no_profile, args.page, args.preloaded)
        return 0
    times, cpus = [], []
    for i in range(args.runs):
        cmd = [
            sys.executable,
            __file__,
            "--child",
            "--store",
            str(args.store),
            "--ds",
            str(args.ds),
        ]
        cmd += ["--page", args.page] + (["--no-profile"] if args.no_profile or i else [])
        cmd += ["--preloaded"] if args.preloaded else []
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            return out.returncode
        if i == 0 and not args.no_profile:
            print(out.stderr[out.stderr.find("  _     ._   __/__") :])
        result = json.loads(out.stdout.strip().splitlines()[-1])
        times.append(result["seconds"])
        cpus.append(result["cpu"])
        print(f"run {i + 1}: {result['seconds']:.2f} s ({result['cpu']:.2f} s of CPU); exceptions "
              f"{result['exceptions']}; headers {result['headers']}", flush=True)  # fmt: skip
    print(
        f"median of {len(times)}: {statistics.median(times):.2f} s, {statistics.median(cpus):.2f} s "
        f"of CPU (load average {os.getloadavg()[0]:.1f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
