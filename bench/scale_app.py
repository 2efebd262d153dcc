"""Scale bench: 200,000 answers load, classify and serve every page; filter changes time in a browser.

    .venv/bin/python bench/scale_app.py                  # 200,000 answers, 10 filter changes per page
    .venv/bin/python bench/scale_app.py --rows 20000 --changes 4     # a quick run

Steps: generate answers (scripts/generate_demo_responses.py) into a temp folder, ingest and save them
into a fresh store (timed), start `streamlit run app.py` on that store, open the dataset's link
(?ds=<id>) in headless Debian chromium, visit every page (the first Overview load reads the dataset
and classifies all answers for its headline themes: timed), then on each page add and remove a
locality in the sidebar N times and time each change from the key press to the last message of the
rerun it caused (bench._common.rerun_outcome). Reports median and p95 per page against the target
(< 1 s median after the first load) and the streamlit process's peak memory (VmHWM). Writes
bench/out/scale_app.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._browser import (
    add_option,
    exceptions_on_page,
    install_observer,
    nav_link,
    remove_last_option,
    timed_rerun,
)
from bench._common import (
    PAGES,
    generate_answers,
    machine_note,
    markdown_table,
    median,
    peak_rss_mb,
    percentile,
    write_report,
)

TARGET_MEDIAN_S = 1.0


def generate(rows: int, out: Path) -> float:
    """Write `rows` generated answers to `out`; return seconds taken."""
    return generate_answers(rows, out)


def ingest_and_save(
    csv_path: Path, db_path: Path, name: str
) -> tuple[int, float, float, list[str]]:
    """Ingest the CSV and save it in the store at db_path; return (id, ingest s, save s, localities)."""
    os.environ["FEEDBACK_DB_PATH"] = str(db_path)
    os.environ.pop("DATABASE_URL", None)
    from analysis import store
    from analysis.ingest.exports import load_responses

    t = time.perf_counter()
    df, report = load_responses(csv_path)
    t_ingest = time.perf_counter() - t
    t = time.perf_counter()
    dataset_id = store.save_dataset(
        name,
        df,
        report=report.to_dict(),
        mapping=report.mapping,
        source_filename=csv_path.name,
    )
    t_save = time.perf_counter() - t
    localities = df["locality"].dropna().astype(str).value_counts().index.tolist()
    store.get_engine().dispose()
    return dataset_id, t_ingest, t_save, localities


def run_browser(
    url: str, dataset_id: int, localities: list[str], changes: int, pid: int, tab_changes: int = 2
) -> dict:
    """Visit every page and change a filter `changes` times on it; then open each of its other tabs
    and change the filter `tab_changes` times there; return the timings."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app

    first_load: dict[str, float] = {}
    per_page: dict[str, list[float]] = {}
    per_tab: dict[str, tuple[float | None, list[float]]] = {}
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        install_observer(context)
        page = context.new_page()
        page.set_default_timeout(600_000)
        t = time.perf_counter()
        page.goto(f"{url}/?ds={dataset_id}")
        wait_for_app(page, timeout=900_000)
        first_load["Overview"] = time.perf_counter() - t
        for path, title in PAGES:
            if path:  # Overview is already open
                seconds = timed_rerun(
                    page, lambda p=path: nav_link(page, url, p).click(), timeout=900
                )
                first_load[title] = float("nan") if seconds is None else seconds
            print(
                f"  first load of {title}: {first_load[title]:.2f} s (peak RSS {peak_rss_mb(pid):.0f} MiB)",
                flush=True,
            )
            per_page[title] = filter_changes(page, title, changes, localities, errors)
            print(
                f"  {title}: median {median(per_page[title]):.2f} s, p95 {percentile(per_page[title], 95):.2f} s",
                flush=True,
            )
            # Pages run only their open tab: open each other tab (timed) and change the filter there too.
            tabs = page.locator("[data-testid='stMain'] [role='tab']")
            for k in range(1, tabs.count() if tab_changes else 0):
                label = tabs.nth(k).inner_text().strip()
                opened = timed_rerun(page, lambda k=k, t=tabs: t.nth(k).click(), timeout=900)
                where = f"{title} / {label}"
                per_tab[where] = (
                    opened,
                    filter_changes(page, where, tab_changes, localities, errors),
                )
                print(
                    f"  {where}: opened in {opened or float('nan'):.2f} s, filter median "
                    f"{median(per_tab[where][1]):.2f} s",
                    flush=True,
                )
            if tabs.count() > 1 and tab_changes:
                timed_rerun(page, lambda t=tabs: t.nth(0).click(), timeout=900)
        browser.close()
    return {"first_load": first_load, "per_page": per_page, "per_tab": per_tab, "errors": errors}


def filter_changes(
    page, where: str, n: int, localities: list[str], errors: list[str]
) -> list[float]:
    """Add and remove a locality in the sidebar n times in all; the seconds each change took."""
    times: list[float] = []
    for i in range(n):
        value = localities[(i // 2) % len(localities)]
        if i % 2 == 0:
            seconds = timed_rerun(page, lambda v=value: add_option(page, "Locality", v))
            if f"locality={value.replace(' ', '+')}" not in page.url:
                errors.append(f"{where}: the link does not show locality {value} after choosing it")
        else:
            seconds = timed_rerun(page, lambda: remove_last_option(page, "Locality"))
        if seconds is None:
            errors.append(f"{where}: filter change {i + 1} started no rerun")
        else:
            times.append(seconds)
    if exceptions_on_page(page):
        errors.append(f"{where}: an exception is shown")
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write bench/out/scale_app.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument(
        "--changes", type=int, default=10, help="filter changes per page (default 10)"
    )
    parser.add_argument(
        "--tab-changes",
        type=int,
        default=2,
        help="filter changes on each further tab (default 2; 0 skips tabs)",
    )
    parser.add_argument("--csv", type=Path, default=None, help="reuse an already generated CSV")
    args = parser.parse_args(argv)

    from tests.e2e.conftest import start_app, stop_app

    work = Path(tempfile.mkdtemp(prefix="feedback-scale-"))
    csv_path = args.csv or work / f"answers_{args.rows}.csv"
    t_gen = 0.0
    if args.csv is None:
        print(f"generating {args.rows:,} answers…", flush=True)
        t_gen = generate(args.rows, csv_path)
    print("ingesting and saving…", flush=True)
    dataset_id, t_ingest, t_save, localities = ingest_and_save(
        csv_path, work / "store.sqlite", "Scale bench"
    )
    print(
        f"  ingest {t_ingest:.1f} s, save {t_save:.1f} s (dataset {dataset_id})",
        flush=True,
    )
    proc, url, log_path = start_app(store_dir=work)
    try:
        res = run_browser(url, dataset_id, localities, args.changes, proc.pid, args.tab_changes)
        peak = peak_rss_mb(proc.pid)
    finally:
        stop_app(proc)

    rows = []
    for _path, title in PAGES:
        times = res["per_page"].get(title, [])
        med = median(times)
        rows.append(
            [
                title,
                f"{res['first_load'].get(title, float('nan')):.2f}",
                len(times),
                f"{med:.2f}",
                f"{percentile(times, 95):.2f}",
                "yes" if med < TARGET_MEDIAN_S else "NO",
            ]
        )
    table = markdown_table(
        [
            "page",
            "first load (s)",
            "filter changes",
            "median (s)",
            "p95 (s)",
            f"median < {TARGET_MEDIAN_S:g} s",
        ],
        rows,
    )
    all_times = [t for ts in res["per_page"].values() for t in ts]
    tab_times = [t for _opened, ts in res["per_tab"].values() for t in ts]
    tab_table = markdown_table(
        ["page / tab", "open the tab (s)", "filter changes", "median (s)", "p95 (s)"],
        [
            [
                where,
                f"{opened if opened is not None else float('nan'):.2f}",
                len(ts),
                f"{median(ts):.2f}",
                f"{percentile(ts, 95):.2f}",
            ]
            for where, (opened, ts) in res["per_tab"].items()
        ],
    )
    text = "\n".join(
        [
            f"# Scale: {args.rows:,} answers in the app",
            "",
            f"Command: `.venv/bin/python bench/scale_app.py --rows {args.rows} --changes {args.changes} "
            f"--tab-changes {args.tab_changes}`",
            f"Machine: {machine_note()} (at the end of the run)",
            "",
            f"- generate {t_gen:.1f} s; ingest (analysis.ingest.exports.load_responses) {t_ingest:.1f} s; "
            f"save (analysis.store.datasets.save_dataset) {t_save:.1f} s",
            f"- first Overview load (reads the dataset and classifies all {args.rows:,} answers for its headline "
            f"themes): {res['first_load'].get('Overview', float('nan')):.1f} s",
            f"- filter change (add/remove a locality), each page's first tab: median {median(all_times):.2f} s, "
            f"p95 {percentile(all_times, 95):.2f} s (target: median < {TARGET_MEDIAN_S:g} s after the first load)",
            f"- filter change on the other tabs: median {median(tab_times):.2f} s, p95 {percentile(tab_times, 95):.2f} s"
            f" ({len(tab_times)} changes)",
            f"- peak RSS of the streamlit process (VmHWM, with children): {peak:.0f} MiB",
            "",
            table,
            "",
            "Other tabs (pages run only the open tab):",
            "",
            tab_table,
            "",
            "Problems seen: " + ("; ".join(res["errors"]) if res["errors"] else "none"),
            "",
        ]
    )
    print(text)
    print(f"wrote {write_report('scale_app.md', text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
