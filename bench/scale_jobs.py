"""Background classification at scale: the job's throughput against the command line's, and the
first page after a restart once the job is done (target < 5 s at 200,000 answers), with the app's
peak memory (target < 1.5 GB at 200,000).

    .venv/bin/python bench/scale_jobs.py                         # 200,000 answers
    FEEDBACK_MAX_UPLOAD_MB=1024 .venv/bin/python bench/scale_jobs.py --rows 1000000 --no-browser
    (the 1,000,000-answer file is 265 MB, over the default upload limit of 200 MB)
    .venv/bin/python bench/scale_jobs.py --csv answers.csv       # reuse a generated file

Steps: generate answers (scripts/generate_demo_responses.py), ingest and save them in a fresh SQLite
store; start a worker (`python -m analysis worker`), queue the dataset's job and time it until done
(the worker's peak memory, VmHWM, with its forked classifiers); time `python -m analysis classify` on
the same file; then start a fresh server on that store as `make run` does (scripts/app_server.py: a
restart, nothing in memory), open the dataset's Overview in headless chromium once the server's
start-up work is done (--at-once: as soon as it answers) and time it until the page is idle with its
themes shown, then the Themes page (three restarts by default, --restarts; the last also opens every other page); report
the server's peak memory with every page open. Writes bench/out/scale_jobs.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ROOT,
    generate_answers,
    machine_note,
    markdown_table,
    peak_rss_mb,
    write_report,
)
from bench.classify_1m import classify as cli_classify
from bench.scale_app import ingest_and_save


def background_job(db_path: Path, dataset_id: int) -> tuple[float, float, int, str]:
    """Queue the dataset's job for a fresh worker; return (seconds, worker peak MiB, distinct, state)."""
    from analysis import store
    from analysis.jobs import request_classification
    from analysis.jobs.queue import queue_for
    from analysis.store import jobs

    url = f"sqlite:///{db_path}"
    engine = store.get_engine(url)
    worker = subprocess.Popen(
        [sys.executable, "-m", "analysis", "worker", "--url", url, "--poll", "0.2"], cwd=ROOT
    )
    peak = 0.0
    try:
        t = time.perf_counter()
        req = request_classification(dataset_id, engine=engine, enqueue=queue_for(url).enqueue)
        while True:
            job = jobs.get_job(req.job.job_id, engine)
            # the worker and its forked classifiers, shared pages counted in each (an upper bound)
            peak = max(peak, peak_rss_mb(worker.pid))
            if job.state in (jobs.DONE, jobs.FAILED):
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - t
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return (
        seconds,
        peak,
        job.total,
        job.state if job.state == jobs.DONE else f"{job.state}: {job.error}",
    )


# The server as `make run` starts it (scripts/serve.py runs this, plus a worker the done job does not
# need): the app's modules are imported and the likely datasets read while the server waits
# (ui/preload.py).
APP_SERVER = ["scripts/app_server.py", "run", "app.py"]
PREPARED = "datasets prepared for a first visitor"  # the last line of the server's start-up work


def start_server(work: Path, at_once: bool) -> tuple:
    """A fresh server on the store: (process, url, seconds from its start to being ready). Unless
    `at_once`, ready is when its start-up work is done (a visitor arriving several seconds after a
    restart); with `at_once`, as soon as it answers its health check (a visitor whose open tab
    reconnects the moment it is back)."""
    from tests.e2e.conftest import start_app

    t = time.perf_counter()
    proc, url, log = start_app(
        store_dir=work, env_extra={"FEEDBACK_CLASSIFY": "background"}, launcher=APP_SERVER
    )
    deadline = time.monotonic() + 120
    while not at_once and PREPARED not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    return proc, url, time.perf_counter() - t


def done_at(page, t_ms: float) -> float:
    """Seconds from `t_ms` (epoch ms, taken just before opening the link) to the last message of the
    page's run: when the page was complete. Polling for idle notices it up to 0.75 s later
    (wait_for_app wants three quiet looks), which the README's figures before this one included."""
    origin, last = page.evaluate("() => [performance.timeOrigin, window.__rel.msgAt]")
    return (origin + last - t_ms) / 1000


def observed_page(playwright) -> tuple:
    """A new headless chromium (nothing cached) and a page in it whose messages are recorded."""
    from bench._browser import install_observer
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    install_observer(context)
    return browser, context.new_page()


def first_page_after_restart(
    work: Path, dataset_id: int, restarts: int = 3, at_once: bool = False
) -> dict:
    """Start a server on the store 1 + `restarts` times (the first start also seeds the demo data and
    the codebook): for each start, seconds to an idle Overview with themes, then to the Themes page;
    after the last, every other page too, and the server's peak memory (VmHWM) with all pages open."""
    from playwright.sync_api import sync_playwright

    from bench._browser import nav_link, timed_rerun
    from bench._common import PAGES
    from tests.e2e.conftest import stop_app, wait_for_app

    out: dict = {}
    starts = ["first start", *[f"restart {i + 1}" for i in range(restarts)]]
    for start in starts:
        proc, url, ready = start_server(work, at_once)
        try:
            with sync_playwright() as p:
                browser, page = observed_page(p)
                t, t_ms = time.perf_counter(), time.time() * 1000
                page.goto(f"{url}/?ds={dataset_id}")
                wait_for_app(page, timeout=600_000)
                page.get_by_text("What people raised most").wait_for(timeout=600_000)
                polled = time.perf_counter() - t
                seconds = done_at(page, t_ms)
                progress = page.locator("[data-testid='stProgress']").count() > 0
                themes = timed_rerun(
                    page, lambda page=page, url=url: nav_link(page, url, "themes").click()
                )
                others = {}
                if start == starts[-1]:  # every page once, for the app's peak memory
                    for path, title in PAGES[2:]:
                        others[title] = timed_rerun(
                            page,
                            lambda page=page, url=url, path=path: nav_link(page, url, path).click(),
                        )
                browser.close()
            out[start] = {
                "ready_s": ready,
                "overview_s": seconds,
                "overview_polled_s": polled,
                "progress_shown": progress,
                "themes_s": themes,
                "other_pages_s": others,
                "peak_mib": peak_rss_mb(proc.pid),
            }
            print(f"  {start}: {out[start]}", flush=True)
        finally:
            stop_app(proc)
    return out


def each_page_after_restart(work: Path, dataset_id: int, at_once: bool) -> dict[str, float]:
    """For each page, a fresh server on the store and that page opened first: seconds from opening
    its link to the end of its first run (the last message of the run, the page idle)."""
    from playwright.sync_api import sync_playwright

    from bench._common import PAGES
    from tests.e2e.conftest import stop_app, wait_for_app

    out: dict[str, float] = {}
    for path, title in PAGES:
        proc, url, _ = start_server(work, at_once)
        try:
            with sync_playwright() as p:
                browser, page = observed_page(p)
                t_ms = time.time() * 1000
                page.goto(f"{url}/{path}?ds={dataset_id}")
                wait_for_app(page, timeout=600_000)
                out[title] = done_at(page, t_ms)
                assert page.locator("[data-testid='stException']").count() == 0, title
                browser.close()
            print(f"  first open of {title} after a restart: {out[title]:.2f} s", flush=True)
        finally:
            stop_app(proc)
    return out


def each_page_lines(seconds: dict[str, float]) -> list[str]:
    """The report's lines for each_page_after_restart's result."""
    listed = ", ".join(f"{title} {s:.2f} s" for title, s in seconds.items())
    return ["", f"Each page opened first after its own restart (target < 5 s): {listed}; "
            f"{machine_note()}."]  # fmt: skip


def arrival_line(at_once: bool) -> str:
    """When the timed visitor opens the page, in words."""
    if at_once:
        return "The page is opened the moment the restarted server answers its health check."
    return (
        "The page is opened once the restarted server's start-up work is done (the app's modules "
        "imported, the likely datasets read: ui/preload.py)."
    )


def restart_lines(pages: dict) -> list[str]:
    """The report's lines for first_page_after_restart's result: each start, then the median."""
    from bench._common import median

    lines = []
    for start, page in pages.items():
        others = ", ".join(
            f"{k} {v or float('nan'):.2f} s" for k, v in page["other_pages_s"].items()
        )
        lines += [
            "",
            f"{start}: ready {page['ready_s']:.1f} s after the server was started; "
            f"Overview complete with its themes in {page['overview_s']:.2f} s (seen idle by "
            f"polling at {page['overview_polled_s']:.2f} s; progress bar "
            f"shown: {page['progress_shown']}), then the Themes page in "
            f"{page['themes_s'] or float('nan'):.2f} s"
            + (f", then {others}" if others else "")
            + f"; the app's peak memory {page['peak_mib']:.0f} MiB.",
        ]
    restarts = [v["overview_s"] for k, v in pages.items() if k.startswith("restart")]
    if restarts:
        lines += [
            "",
            f"Median first Overview after a restart: {median(restarts):.2f} s over {len(restarts)} "
            f"restarts (target < 5 s); {machine_note()}.",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write bench/out/scale_jobs.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--csv", type=Path, default=None, help="reuse an already generated CSV")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line comparison")
    parser.add_argument("--no-browser", action="store_true", help="skip the first-page timing")
    parser.add_argument(
        "--store-dir", type=Path, help="a folder from an earlier run: time the pages only"
    )
    parser.add_argument("--restarts", type=int, default=3, help="restarts timed (default 3)")
    parser.add_argument(
        "--each-page", action="store_true", help="also open each page first after its own restart"
    )
    parser.add_argument(
        "--at-once",
        action="store_true",
        help="open the page the moment the server answers, not once its start-up imports are done",
    )
    args = parser.parse_args(argv)
    if args.store_dir:
        report = [f"# First page after a restart ({args.store_dir})", "", machine_note()]
        report += ["", arrival_line(args.at_once)]
        report += restart_lines(
            first_page_after_restart(args.store_dir, 1, args.restarts, args.at_once)
        )
        if args.each_page:
            report += each_page_lines(each_page_after_restart(args.store_dir, 1, args.at_once))
        print(write_report("scale_jobs_pages.md", "\n".join(report) + "\n"))
        return 0
    work = Path(tempfile.mkdtemp(prefix="feedback-jobs-"))
    csv_path = args.csv or work / f"answers_{args.rows}.csv"
    if args.csv is None:
        print(f"generating {args.rows:,} answers…", flush=True)
        generate_answers(args.rows, csv_path)
    print("ingesting and saving…", flush=True)
    dataset_id, t_ingest, t_save, _ = ingest_and_save(csv_path, work / "store.sqlite", "Jobs bench")
    print(f"  ingest {t_ingest:.1f} s, save {t_save:.1f} s", flush=True)
    rows = []
    job_s, job_peak, distinct, state = background_job(work / "store.sqlite", dataset_id)
    print(
        f"  background job: {job_s:.1f} s, {distinct:,} distinct answers, {state}, worker peak {job_peak:.0f} MiB",
        flush=True,
    )
    rows.append(
        ["background job (worker)", f"{job_s:.1f}", f"{args.rows / job_s:,.0f}", f"{job_peak:.0f}"]
    )
    if not args.no_cli:
        cli_s, cli_peak, code = cli_classify(csv_path, work / "classified.csv")
        print(f"  command line: {cli_s:.1f} s (exit {code}), peak {cli_peak:.0f} MiB", flush=True)
        rows.append(
            [
                "`python -m analysis classify`",
                f"{cli_s:.1f}",
                f"{args.rows / cli_s:,.0f}",
                f"{cli_peak:.0f}",
            ]
        )
    report = [
        f"# Background classification, {args.rows:,} answers ({distinct:,} distinct)",
        "",
        machine_note(),
        "",
        f"Ingest {t_ingest:.1f} s, save {t_save:.1f} s. Job state: {state}.",
        "",
        markdown_table(["what", "seconds", "answers/s", "peak MiB"], rows),
    ]
    if not args.no_browser:
        report += ["", arrival_line(args.at_once)]
        report += restart_lines(
            first_page_after_restart(work, dataset_id, args.restarts, args.at_once)
        )
        if args.each_page:
            report += each_page_lines(each_page_after_restart(work, dataset_id, args.at_once))
    path = write_report("scale_jobs.md", "\n".join(report) + "\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
