"""Scale bench: 200,000 answers load, classify and serve every page; filter changes time in a browser.

    .venv/bin/python bench/scale_app.py                  # 200,000 answers, 10 filter changes per page
    .venv/bin/python bench/scale_app.py --rows 20000 --changes 4     # a quick run

Steps: generate answers (scripts/generate_demo_responses.py) into a temp folder, ingest and save them
into a fresh store (timed), start `streamlit run app.py` on that store, open the dataset's link
(?ds=<id>) in headless Debian chromium, visit every page (the first Themes visit classifies all
answers: timed), then on each page add and remove a locality in the sidebar N times and time each
change from the key press to the app being idle. Reports median and p95 per page against the target
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

from bench._browser import (  # noqa: E402
    add_option,
    exceptions_on_page,
    install_observer,
    nav_link,
    remove_last_option,
    timed_rerun,
)
from bench._common import (  # noqa: E402
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
    from analysis.ingest import load_responses

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
    url: str, dataset_id: int, localities: list[str], changes: int, pid: int
) -> dict:
    """Visit every page, then change a filter `changes` times per page; return the timings."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app

    first_load: dict[str, float] = {}
    per_page: dict[str, list[float]] = {}
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
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
                first_load[title] = timed_rerun(
                    page, lambda p=path: nav_link(page, url, p).click(), timeout=900
                )
            print(
                f"  first load of {title}: {first_load[title]:.2f} s (peak RSS {peak_rss_mb(pid):.0f} MiB)",
                flush=True,
            )
            times: list[float] = []
            for i in range(changes):
                value = localities[(i // 2) % len(localities)]
                if i % 2 == 0:
                    times.append(
                        timed_rerun(
                            page, lambda v=value: add_option(page, "Locality", v)
                        )
                    )
                    if f"locality={value.replace(' ', '+')}" not in page.url:
                        errors.append(
                            f"{title}: the link does not show locality {value} after choosing it"
                        )
                else:
                    times.append(
                        timed_rerun(page, lambda: remove_last_option(page, "Locality"))
                    )
            if exceptions_on_page(page):
                errors.append(f"{title}: an exception is shown")
            per_page[title] = times
            print(
                f"  {title}: median {median(times):.2f} s, p95 {percentile(times, 95):.2f} s",
                flush=True,
            )
        browser.close()
    return {"first_load": first_load, "per_page": per_page, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write bench/out/scale_app.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument(
        "--changes", type=int, default=10, help="filter changes per page (default 10)"
    )
    parser.add_argument(
        "--csv", type=Path, default=None, help="reuse an already generated CSV"
    )
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
        res = run_browser(url, dataset_id, localities, args.changes, proc.pid)
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
    text = "\n".join(
        [
            f"# Scale: {args.rows:,} answers in the app",
            "",
            f"Command: `.venv/bin/python bench/scale_app.py --rows {args.rows} --changes {args.changes}`",
            f"Machine: {machine_note()} (at the end of the run)",
            "",
            f"- generate {t_gen:.1f} s; ingest (analysis.ingest.load_responses) {t_ingest:.1f} s; "
            f"save (analysis.store.save_dataset) {t_save:.1f} s",
            f"- first Themes visit (classifies all {args.rows:,} answers): {res['first_load'].get('Themes', float('nan')):.1f} s",
            f"- filter change (add/remove a locality), all pages: median {median(all_times):.2f} s, "
            f"p95 {percentile(all_times, 95):.2f} s (target: median < {TARGET_MEDIAN_S:g} s after the first load)",
            f"- peak RSS of the streamlit process (VmHWM, with children): {peak:.0f} MiB",
            "",
            table,
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
