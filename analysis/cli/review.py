"""`python -m analysis review --input F --text-column C [--codebook CB] [--corrections J.csv]
--count N --out R.csv`.

Writes the N answers whose themes the product is least sure of (analysis.themes.review), each with
its id, its redacted text, the themes suggested and why, and the themes most worth a yes or no.
A person's answers go in a judgements file (response_id,text,theme_id,present) that `review` and
`classify` take with --corrections; answers already judged there are not picked again.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pandas as pd

from analysis.cli._themes_io import check_columns, load_codebook_arg, read_table
from analysis.cli.common import (
    CliError,
    ProgressBar,
    add_one_text_column,
    one_text_column,
    out_path,
    require_file,
)

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `review` command."""
    p = subparsers.add_parser(
        "review",
        help="write the answers whose themes most need a person's judgement",
        description="Pick the answers the product is least sure of across themes and write them "
        "with suggested themes, why, and the themes to judge (text redacted).",
    )
    p.add_argument("--input", required=True, help="CSV, TSV or XLSX export")
    add_one_text_column(p, "one: judgements name answers by its rows")
    add_id_and_judgement_args(p)
    p.add_argument(
        "--codebook", help="codebook YAML/JSON (default: the project's default codebook)"
    )
    p.add_argument("--count", type=int, default=50, help="how many answers to pick (default 50)")
    p.add_argument("--out", required=True, help="CSV file to write")
    p.set_defaults(func=run)


def add_id_and_judgement_args(p: argparse.ArgumentParser) -> None:
    """--id-column and --corrections, shared with `classify`."""
    p.add_argument(
        "--id-column",
        help="the column holding each answer's id (default: response_id when there is one, "
        "else the row number from 1)",
    )
    p.add_argument(
        "--corrections",
        help="judgements CSV with columns response_id,text,theme_id,present (1 or 0): they train "
        "the model and always decide the themes of the answers they judge",
    )


def answer_ids(frame: pd.DataFrame, id_column: str | None, path: str) -> pd.Series:
    """Each row's id as text: from --id-column, a response_id column, or the row number from 1."""
    if id_column:
        check_columns(list(frame.columns), [id_column], path)
        ids = frame[id_column]
    elif "response_id" in frame.columns:
        ids = frame["response_id"]
    else:
        return pd.Series([str(i + 1) for i in range(len(frame))], index=frame.index)
    if isinstance(ids, pd.DataFrame):
        ids = ids.iloc[:, 0]
    return ids.astype(object).where(ids.notna(), "").map(lambda v: str(v).strip())


def load_judgements(path: str | None, codebook: object) -> pd.DataFrame | None:
    """The checked judgements file, or None without --corrections; CliError when unusable."""
    if not path:
        return None
    from analysis.themes.judgements import JudgementError, read_judgements, with_parents

    try:
        frame = read_table(str(require_file(path)))
    except CliError as exc:  # say which file: --input is read too
        raise CliError(f"{Path(path).name}: {exc}") from None
    try:
        return with_parents(read_judgements(frame, codebook), codebook)
    except JudgementError as exc:
        raise CliError(f"{Path(path).name}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    """Pick the answers to review and write them to --out."""
    from analysis.privacy import redact_series, safe_csv_bytes
    from analysis.themes.judgements import fit_with_judgements, match_judgements

    require_file(args.input)
    # Judgements name an answer by its row's id; with several answer columns a row holds several
    # answers, so review (like classify --corrections) reads one column at a time.
    args.text_column = one_text_column(args, "review")
    if args.count < 1:
        raise CliError("--count must be at least 1")
    out = out_path(args.out, args.input)
    codebook = load_codebook_arg(args.codebook)
    judgements = load_judgements(args.corrections, codebook)
    frame = read_table(args.input)
    check_columns(list(frame.columns), [args.text_column], args.input)
    texts = frame[args.text_column]
    if isinstance(texts, pd.DataFrame):
        texts = texts.iloc[:, 0]
    texts = texts.astype(object).where(texts.notna(), "").map(str).reset_index(drop=True)
    ids = answer_ids(frame, args.id_column, args.input).reset_index(drop=True)
    bar = ProgressBar(100, "review")
    responses = pd.DataFrame({"response_id": ids, "text": texts})
    matched = match_judgements(responses, judgements) if judgements is not None else None
    model = fit_with_judgements(texts.tolist(), codebook, matched)
    bar.update(60)
    table = review_table(model, responses, matched, args.count)
    table["text"] = redact_series(table["text"]).fillna("")
    table = table.rename(columns={"response_id": args.id_column or "response_id"})
    try:
        out.write_bytes(safe_csv_bytes(table))
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    bar.update(100)
    bar.close()
    print(f"{len(table):,} answers of {len(texts):,} to review -> {out}")
    return 0


def review_table(
    model: object, responses: pd.DataFrame, judgements: pd.DataFrame | None, count: int
) -> pd.DataFrame:
    """response_id, text, suggested_themes, why, judge_themes for the answers picked (unredacted)."""
    from analysis.privacy import redact_text
    from analysis.themes.review import doubt_margins, doubtful_themes, pick_for_review

    texts = responses["text"].tolist()
    judged_ids = set(judgements["response_id"]) if judgements is not None else set()
    exclude = [i for i, r in enumerate(responses["response_id"]) if r in judged_ids]
    picked = pick_for_review(model, texts, count, exclude=exclude)
    chosen = [texts[i] for i in picked]
    batch = model.classify(chosen) if chosen else None
    margins = doubt_margins(model, chosen) if chosen else None
    ids = list(model.theme_ids_)
    rows = []
    for j, i in enumerate(picked):
        raised = [k for k in range(len(ids)) if batch.assigned[j, k]]
        why = [
            f"{ids[k]}: {', '.join(redact_text(e).text for e in batch.evidence[j].get(k, []))}"
            for k in raised
        ]
        rows.append(
            {
                "response_id": responses["response_id"].iloc[i],
                "text": texts[i],
                "suggested_themes": "|".join(ids[k] for k in raised),
                "why": "; ".join(why),
                "judge_themes": "|".join(doubtful_themes(margins[j], ids)),
            }
        )
    columns = ["response_id", "text", "suggested_themes", "why", "judge_themes"]
    return pd.DataFrame(rows, columns=columns)
