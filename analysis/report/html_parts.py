"""HTML building blocks of the meeting pack: the self-contained page, escaped tables, inlined figures.

Everything here escapes what it is given: callers pass plain text (never HTML) and get HTML back.
The page fetches nothing: plotly.js is inlined once, figures carry their data inline, and a strict
Content-Security-Policy forbids any network request even if something slipped through.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from analysis.core import config
from analysis.core.words import plain_name

# default-src 'none' covers connect/font/frame/media/object; base-uri and form-action are not
# covered by default-src, so they are closed explicitly.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
PLOTLY_CONFIG = {"displaylogo": False, "responsive": False}
FIGURE_WIDTH = 680  # CSS pixels: inside A4's printable width (190 mm is about 718 px) at any zoom
DASH = "\u2014"  # shown for an empty or not-applicable cell (a suppressed count shows the mark)
# Characters plotly reads as pseudo-HTML in labels (<a href>, <b>...): swapped for look-alikes in
# label values from uploads and the plan, so a label can never become a link in a chart.
_LABEL_SWAP = str.maketrans({"<": "\u2039", ">": "\u203a"})
_TAG_RE = re.compile(r"<[^>]*>")
_NUMBER_TEXT = re.compile(r"^-?[\d,]+(\.\d+)?%?$")

CSS = f"""
:root {{ --nhs-blue: {config.NHS_BLUE}; --nhs-dark-blue: {config.NHS_DARK_BLUE}; --grey: {config.NHS_DARK_GREY}; }}
* {{ box-sizing: border-box; }}
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 19px; line-height: 1.5; color: #212B32;
  margin: 0; background: #F0F4F5; }}
header.masthead {{ background: var(--nhs-blue); color: #fff; padding: 24px 32px; }}
header.masthead h1 {{ margin: 0; font-size: 2rem; line-height: 1.2; }}
header.masthead p {{ margin: 4px 0 0; }}
main {{ max-width: 1200px; margin: 0 auto; padding: 16px 32px 48px; }}
section {{ background: #fff; margin: 24px 0; padding: 16px 28px 24px; border-top: 6px solid var(--nhs-blue); }}
h2 {{ color: var(--nhs-dark-blue); font-size: 1.6rem; margin: 8px 0 12px; }}
h3 {{ color: var(--nhs-dark-blue); font-size: 1.25rem; margin: 24px 0 8px; }}
dl.meta {{ display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; margin: 0; }}
dl.meta dt {{ font-weight: bold; }}
dl.meta dd {{ margin: 0; overflow-wrap: anywhere; }}
ul.findings li {{ margin: 8px 0; }}
.notice {{ border-left: 8px solid #FFB81C; background: #FFF9EC; padding: 12px 16px; margin: 12px 0; }}
figure {{ margin: 16px 0 8px; }}
figcaption {{ color: var(--grey); font-size: 0.95rem; margin-top: 4px; }}
.chart {{ min-height: 200px; }}
.table-wrap {{ overflow-x: auto; margin: 8px 0 16px; }}
table {{ border-collapse: collapse; font-size: 0.95rem; min-width: 50%; }}
caption {{ text-align: left; font-weight: bold; padding: 6px 0; color: var(--nhs-dark-blue); }}
th, td {{ border: 1px solid #AEB7BD; padding: 6px 10px; text-align: left; vertical-align: top; }}
th {{ background: #E8EDEE; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
blockquote {{ margin: 8px 0; padding: 8px 16px; border-left: 6px solid var(--nhs-blue); background: #F0F4F5; }}
blockquote p {{ margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }}
blockquote footer {{ color: var(--grey); font-size: 0.9rem; }}
footer.end {{ color: var(--grey); font-size: 0.9rem; }}
p.lead {{ font-size: 1.1rem; font-weight: bold; border-left: 6px solid var(--nhs-blue); padding-left: 12px; }}
ol.contents li {{ margin: 4px 0; }}
a {{ color: var(--nhs-dark-blue); }}
.chart {{ overflow: visible; }}
@page {{ size: A4; margin: 14mm 10mm; }}
@media print {{
  body {{ background: #fff; font-size: 11pt; }}
  section {{ break-before: page; }}
  section#about, section#contents {{ break-before: auto; }}
  .chart, .js-plotly-plot {{ break-inside: avoid; }}
  .table-wrap {{ overflow: visible; }}
  table {{ font-size: 8.5pt; width: 100%; }}
  th, td {{ padding: 3px 4px; overflow-wrap: anywhere; }}
  header.masthead {{ background: #fff; color: #000; border-bottom: 4px solid var(--nhs-blue); padding: 0 0 8px; }}
  main {{ max-width: none; padding: 0; }}
  section {{ border-top: 2px solid var(--nhs-blue); padding: 8px 0; margin: 12px 0; break-inside: auto; }}
  figure, table, blockquote {{ break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; }}
  .modebar-container {{ display: none !important; }}
}}
"""


def text(value: object) -> str:
    """Plain text made safe for HTML (quotes escaped too, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def plain_title(title: object) -> str:
    """A chart title as plain text: plotly's <br> become spaces, entities decoded, other tags dropped."""
    raw = re.sub(r"<br\s*/?>", " ", str(title or ""), flags=re.IGNORECASE)
    return " ".join(html.unescape(_TAG_RE.sub("", raw)).split())


def neutral_label(value: object) -> object:
    """A label value with < and > swapped for look-alikes (NA and non-strings unchanged)."""
    if isinstance(value, str):
        return value.translate(_LABEL_SWAP)
    return value


def neutralise_columns(frame: pd.DataFrame | None, columns: Iterable[str]) -> pd.DataFrame | None:
    """A copy of `frame` whose label columns can carry no chart markup (see neutral_label)."""
    if frame is None:
        return None
    out = frame.copy()
    for col in columns:
        if col in out and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(neutral_label, na_action="ignore").astype(out[col].dtype)
    return out


def _cell(value: object) -> tuple[str, bool]:
    """(escaped cell text, is a number) for one value."""
    if (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or value is pd.NA
        or value is pd.NaT
    ):
        return DASH, False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        return (
            f"{int(value):,}"
            if value.is_integer() and abs(value) < 1e15
            else f"{value:,.2f}".rstrip("0").rstrip(".")
        ), True
    if isinstance(value, pd.Timestamp):
        return text(
            value.strftime("%d %b %Y")
            if value == value.normalize()
            else value.strftime("%d %b %Y %H:%M")
        ), False
    try:
        if pd.isna(value):
            return DASH, False
    except (TypeError, ValueError):
        pass
    shown = str(value)
    # Counts that arrive as text (display tables) still line up as numbers; so does the mark.
    return text(shown), bool(_NUMBER_TEXT.match(shown)) or shown == config.SUPPRESSED_MARK


def header(column: object) -> str:
    """A column name for people: "percent_complete" -> "% complete" (analysis.core.words)."""
    name = plain_name(column)
    return name[:1].upper() + name[1:]


def table(
    frame: pd.DataFrame,
    caption: str,
    *,
    columns: Mapping[str, str] | None = None,
    max_rows: int = 200,
) -> str:
    """An accessible HTML table (caption, column headers) with every cell escaped."""
    if columns:
        frame = frame[[c for c in columns if c in frame.columns]].rename(columns=dict(columns))
    shown = frame.head(max_rows)
    head = "".join(f'<th scope="col">{text(header(c))}</th>' for c in shown.columns)
    rows = []
    for record in shown.itertuples(index=False, name=None):
        cells = []
        for value in record:
            body, numeric = _cell(value)
            cells.append(f'<td class="num">{body}</td>' if numeric else f"<td>{body}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if len(frame) > max_rows:
        more = f"<p>The first {max_rows:,} of {len(frame):,} rows are shown.</p>"
    return (
        f'<div class="table-wrap"><table><caption>{text(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{more}"
    )


def figure(fig: go.Figure, div_id: str, caption: str) -> str:
    """A plotly figure (data inline, no plotly.js) with a heading that states its finding."""
    title = plain_title(fig.layout.title.text if fig.layout.title else "")
    # The finding is the figure's heading (h3), so it is not drawn a second time inside the chart.
    fig = go.Figure(fig)
    top = fig.layout.margin.t if fig.layout.margin and fig.layout.margin.t is not None else 80
    # A fixed width that fits an A4 page, and margins that grow to fit long labels (never cut).
    fig.update_layout(title_text="", margin_t=min(top, 48), width=FIGURE_WIDTH, autosize=False)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    body = fig.to_html(include_plotlyjs=False, full_html=False, div_id=div_id, config=PLOTLY_CONFIG)
    return (
        f'<figure aria-labelledby="{div_id}-title">'
        f'<h3 id="{div_id}-title">{text(title)}</h3>'
        f'<div class="chart">{body}</div>'
        f"<figcaption>{text(caption)}</figcaption></figure>"
    )


def notice(message: str) -> str:
    """A highlighted paragraph of plain text."""
    return f'<p class="notice">{text(message)}</p>'


def paragraph(message: str) -> str:
    """A paragraph of plain text."""
    return f"<p>{text(message)}</p>"


def paragraph_link(message: str, label: str, anchor: str) -> str:
    """A paragraph of plain text ending in a link to a place in this document (never another host)."""
    return f'<p>{text(message)}<a href="#{text(anchor)}">{text(label)}</a>.</p>'


def lead(message: str) -> str:
    """The finding a section opens with."""
    return f'<p class="lead">{text(message)}</p>'


def contents(entries: Iterable[tuple[str, str]]) -> str:
    """A numbered list of links to the document's own sections: (id, heading) pairs."""
    items = "".join(f'<li><a href="#{text(i)}">{text(t)}</a></li>' for i, t in entries)
    return f'<nav aria-label="Contents"><ol class="contents">{items}</ol></nav>'


def bullet_list(items: Iterable[str], css_class: str = "") -> str:
    """An unordered list of plain-text items."""
    cls = f' class="{text(css_class)}"' if css_class else ""
    return f"<ul{cls}>" + "".join(f"<li>{text(i)}</li>" for i in items) + "</ul>"


def definition_list(pairs: Iterable[tuple[str, str]]) -> str:
    """A list of label: value pairs (plain text)."""
    return (
        '<dl class="meta">'
        + "".join(f"<dt>{text(k)}</dt><dd>{text(v)}</dd>" for k, v in pairs)
        + "</dl>"
    )


def section(section_id: str, heading: str, body: str) -> str:
    """A titled section (h2)."""
    return f'<section id="{text(section_id)}" aria-labelledby="{text(section_id)}-h"><h2 id="{text(section_id)}-h">{text(heading)}</h2>{body}</section>'


def plotly_script() -> str:
    """plotly.js inline, once; a "</script" inside it (there is none today) could not end the tag."""
    js = re.sub(r"<(/script|!--)", r"<\\\1", plotly.offline.get_plotlyjs(), flags=re.IGNORECASE)
    return f'<script id="plotly-js">{js}</script>'


def page(title: str, subtitle: str, body: str, *, with_plotly: bool = True) -> str:
    """The whole document: lang en-GB, strict CSP, inline CSS, plotly.js before the first figure."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{text(title)}</title><style>{CSS}</style>"
        f"{plotly_script() if with_plotly else ''}</head><body>"
        f'<header class="masthead"><h1>{text(title)}</h1><p>{text(subtitle)}</p></header>'
        f"<main>{body}</main></body></html>\n"
    )
