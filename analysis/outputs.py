"""Writing a run's outputs so that the same inputs give the same bytes, and showing them safely.

Tables are published as CSV (UTF-8, ``\n`` line ends, fixed float format,
rows in a stated order) so that two runs with the same inputs and seed can be
compared byte for byte. Figures are saved as PNG and SVG with metadata that
would otherwise change every run (dates, software versions) removed. Text
that comes from the corpus is HTML-escaped before it reaches a page.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

# Six significant digits: enough for probabilities and scores on the site,
# and stable across platforms where the last bits of a float may differ.
FLOAT_FORMAT = "%.6g"


def save_figure(fig, folder: Path, name: str) -> Path:
    """Save ``fig`` as PNG and SVG under ``folder`` and return the PNG path.

    Metadata that changes from run to run (creation date, software) is
    dropped, and SVG ids are fixed by a hash salt, so the files are stable.
    """
    import matplotlib

    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{name}.png"
    with matplotlib.rc_context({"svg.hashsalt": name}):
        fig.savefig(png, dpi=150, bbox_inches="tight", metadata={"Software": None})
        fig.savefig(folder / f"{name}.svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return png


def escape(text: object) -> str:
    """Return ``text`` HTML-escaped (quotes included) for safe display.

    >>> escape('<script>"x"</script>')
    '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


# Characters Markdown reads as markup (links, emphasis, headings, lists, citations) and HTML's specials.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~^$@&\"'=:")


def escape_markdown(text: object) -> str:
    """Return ``text`` safe to interpolate into Markdown: special characters as numeric entities.

    :func:`escape` stops raw HTML but not Markdown, so corpus text such as an
    outlet ``[x](javascript:...)`` would still become a link. Here every
    markup character is a character reference and whitespace is folded, so
    the rendered page shows the text exactly as it is.

    >>> escape_markdown("[x](y) <b>")
    '&#91;x&#93;&#40;y&#41; &#60;b&#62;'
    """
    folded = " ".join(("" if text is None else str(text)).split())
    return "".join(f"&#{ord(c)};" if c in _MARKDOWN_SPECIAL else c for c in folded)


def count_noun(count: int, noun: str) -> str:
    """Return "1 article" / "2 articles" / "1,200 articles" (regular English plurals only).

    >>> count_noun(1, "article"), count_noun(1200, "source")
    ('1 article', '1,200 sources')
    """
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def snippet(text: str, width: int = 160) -> str:
    """Return a short, whitespace-folded excerpt of ``text``, as plain text.

    Only short snippets of corpus text are ever published (news text is
    copyrighted). CSV downloads hold them as they are; pages escape them when
    they show them (:func:`html_table` escapes every cell).

    >>> snippet("a  <b>  " + "x" * 300, width=10)
    'a <b> xxx…'
    """
    folded = " ".join(str(text).split())
    if len(folded) > width:
        folded = folded[: width - 1].rstrip() + "…"
    return folded


# Pages show at most this many rows of a table; the full table is its CSV download.
# It keeps a page readable (and small) when the corpus has thousands of articles,
# and a table of snippets from running tens of thousands of pixels down the page.
MAX_SHOWN_ROWS = 50

# A text column whose longest value has more characters than this is "long": its
# cells wrap in a column of a readable width instead of widening the table. One of
# more than MID_TEXT characters ("mid": a frame's name) may wrap between words; shorter
# text (ids, codes, intervals such as "0.40 [0.21, 0.64]") never wraps.
LONG_TEXT = 40
MID_TEXT = 24

_RUN_FOLDERS = ("tables", "figures", "explorer", "downloads", "data")

# A table with long text that needs more width than its box has is shown as one card per
# row (each cell with its column's name) instead of scrolling its key text out of view.
# Its width need is estimated from the columns (rem); the box switches at the smallest
# of these widths that covers it (styles.css has one container query per width).
STACK_WIDTHS = (40, 56, 72, 88)
_NEED_REM = {"num": 5.0, "long": 16.0}


def _stack_class(df: pd.DataFrame, kinds: list[str]) -> str:
    """Return ``stack-<rem>`` for a table whose long text would not fit a box narrower than that, else "".

    A table of up to three columns with one long text column stays a table: that
    text wraps in place. Two long columns side by side do not fit a phone.
    """
    if "long" not in kinds or (len(kinds) <= 3 and kinds.count("long") < 2):
        return ""
    need = 0.0
    for name, kind in zip(df.columns, kinds):
        if kind in _NEED_REM:
            need += _NEED_REM[kind]
        else:
            longest = max([len(str(name))] + [len(str(v)) for v in df[name].dropna().head(200)])
            need += 1.0 + 0.55 * min(longest, 24)
    return f"stack-{next((w for w in STACK_WIDTHS if w >= need), STACK_WIDTHS[-1])}"


def _column_kinds(df: pd.DataFrame) -> list[str]:
    """Return each column's CSS class: ``num`` (right-aligned), ``long`` or ``mid`` (wrapping text) or ``text``."""
    kinds = []
    for name in df.columns:
        col = df[name]
        if pd.api.types.is_bool_dtype(col):
            kinds.append("text")
        elif pd.api.types.is_numeric_dtype(col):
            kinds.append("num")
        else:
            longest = int(col.dropna().astype(str).str.len().max()) if col.notna().any() else 0
            kinds.append("long" if longest > LONG_TEXT else "mid" if longest > MID_TEXT else "text")
    return kinds


def _cell(value) -> str:
    """Return a cell's text: missing values blank, floats as the CSV states them."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return FLOAT_FORMAT % value
    return str(value)


def html_table(df: pd.DataFrame, *, caption: str | None = None, max_rows: int | None = MAX_SHOWN_ROWS,
               csv: Path | None = None, n_rows: int | None = None) -> str:
    """Return ``df`` as an HTML table with every cell escaped, in a box that scrolls on narrow screens.

    Use it to show every table on the site: one place guarantees the
    escaping, the caption and the layout. Each header cell has the same
    class as the cells of its column (``num`` for numbers, right-aligned;
    ``long`` and ``mid`` for text that wraps; ``text``), so a header always stands over
    its column, aligned as its cells are. The first column is the row's key:
    it stays in view while a wide table scrolls sideways inside its box.
    At most ``max_rows`` rows are shown (``None``: all); the caption then says
    how many of how many, and that the download has all when there is one (a
    table that may grow with the corpus needs its ``csv``). ``csv`` is the table's download in a run folder
    (e.g. ``paths.csv("k_sweep")`` or ``paths.provenance``); the caption
    links to it, relative to the run's pages. ``n_rows`` is the table's
    length when ``df`` holds only its first rows (a table streamed to its file).

    >>> html = html_table(pd.DataFrame({"x": range(5)}), caption="X", max_rows=2, csv=Path("run/tables/x.csv"))
    >>> '<caption>X (first 2 of 5 rows; every row in <a href="tables/x.csv" download>x.csv</a>)</caption>' in html
    True
    >>> html.count("<td"), "(first 2 of 5 rows)</caption>" in html_table(pd.DataFrame({"x": range(5)}), max_rows=2)
    (2, True)
    >>> '<a href="tables/x.csv" download>x.csv</a>' in html_table(pd.DataFrame({"x": [1]}), csv=Path("run/tables/x.csv"))
    True
    >>> "(first 2 of 900 rows)" in html_table(pd.DataFrame({"x": range(5)}), max_rows=2, n_rows=900)
    True
    >>> '<th scope="col" class="num">n</th>' in html_table(pd.DataFrame({"n": [1]}))
    True
    """
    total = len(df) if n_rows is None else max(int(n_rows), len(df))
    truncated = max_rows is not None and total > max_rows
    shown = df.head(max_rows) if truncated else df
    if truncated and csv is None:
        caption = f"{caption or 'Table'} (first {min(max_rows, len(df)):,} of {total:,} rows)"
    text = escape(caption) if caption else ""
    if csv is not None:
        csv = Path(csv)
        # Pages sit in the run folder: its sub-folders are linked as such, its own files by name.
        href = escape(f"{csv.parent.name}/{csv.name}" if csv.parent.name in _RUN_FOLDERS else csv.name)
        link = f'<a href="{href}" download>{escape(csv.name)}</a>'
        # Only a table with a download says that the download has every row.
        note = (f"first {min(max_rows, len(df)):,} of {total:,} rows; every row in {link}" if truncated
                else f"download: {link}")
        text = f"{escape(caption or 'Table') if truncated else text} ({note})".strip()
    kinds = _column_kinds(shown)
    names = [escape(c) for c in shown.columns]
    head = "".join(f'<th scope="col" class="{k}">{c}</th>' for c, k in zip(names, kinds))
    # data-label: the column's name, shown beside each cell when the table is shown as cards.
    rows = "".join("<tr>" + "".join(f'<td class="{k}" data-label="{c}">{escape(_cell(v))}</td>'
                                    for v, k, c in zip(row, kinds, names)) + "</tr>\n"
                   for row in shown.itertuples(index=False, name=None))
    caption_html = f"<caption>{text}</caption>\n" if text else ""
    box = " ".join(filter(None, ("table-box", _stack_class(shown, kinds))))
    return (f'<div class="{box}">\n<table class="table table-sm table-striped analysis-table" '
            f'data-quarto-disable-processing="true">\n{caption_html}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{rows}</tbody>\n</table>\n</div>")


# A table or figure over time has one row or mark per date up to this many dates; beyond,
# one per month. Two years of daily news would otherwise be hundreds of rows that a
# page cuts at MAX_SHOWN_ROWS (a week or two of a topic's shares) and no reader follows.
MAX_DATES = 24

_MONTH = r"^(\d{4}-\d{2})"


def by_month(table: pd.DataFrame, *, date: str = "date", weight: str = "n_units", values=("prevalence",),
             keys=()) -> pd.DataFrame:
    """Return ``table`` pooled by month when it has more than :data:`MAX_DATES` dates, else as it is.

    A month's value is the mean of its dates' ``values`` weighted by their
    ``weight`` (for a share of units that is the month's own share), its
    weight their sum. Rows whose date names no year and month (``--08-03``)
    cannot be placed in time and are left out of the monthly table. Columns
    of the result: ``month``, ``keys``, ``values``, ``weight``, ordered by
    month then ``keys``; other columns (such as intervals) are dropped, as
    they cannot be pooled.

    >>> t = pd.DataFrame({"date": [f"2022-01-{d:02d}" for d in range(1, 26)] + ["2022-02-01"],
    ...                   "prevalence": [0.5] * 25 + [0.2], "n_units": [1] * 25 + [3]})
    >>> by_month(t).values.tolist()
    [['2022-01', 0.5, 25], ['2022-02', 0.2, 3]]
    >>> len(by_month(t.head(3)))  # few dates: one row per date
    3
    """
    keys, values = list(keys), list(values)
    dates = table[date].fillna("").astype(str)
    if dates[dates != ""].nunique() <= MAX_DATES:
        return table
    month = dates.str.extract(_MONTH, expand=False)
    rows = table.assign(month=month)[month.notna()]
    w = rows[weight].astype(float)
    weighted = rows[values].mul(w, axis=0).assign(_w=w, month=rows["month"], **{k: rows[k] for k in keys})
    sums = weighted.groupby(["month", *keys], sort=True)[[*values, "_w"]].sum()
    out = sums[values].div(sums["_w"].where(sums["_w"] > 0), axis=0).round(6)  # as the tables round
    out[weight] = sums["_w"].round().astype(int)
    return out.reset_index()[["month", *keys, *values, weight]]


def time_table(table: pd.DataFrame, *, caption: str, csv: Path | None = None, date: str = "date",
               weight: str = "n_units", values=("prevalence",), keys=(), noun: str = "units") -> str:
    """Return a table over time as :func:`html_table` HTML: per date, or per month beyond :data:`MAX_DATES` dates.

    The caption states the rule when it pools, and ``csv`` (the download) keeps
    every date. With one key (``topic``) and one value the page shows one row
    per date or month and one column per key.

    >>> t = pd.DataFrame({"date": [f"{y}-{m:02d}-01" for y in (2022, 2023, 2024) for m in range(1, 13)], "prevalence": 0.5, "n_units": 2})
    >>> "one row per month" in time_table(t, caption="Shares"), "per month" in time_table(t.head(3), caption="Shares")
    (True, False)
    """
    shown = by_month(table, date=date, weight=weight, values=values, keys=keys)
    pooled = shown is not table
    if pooled:
        n_dates = table[date].fillna("").astype(str).replace("", pd.NA).nunique()
        caption = (f"{caption}: one row per month, as there are {n_dates:,} dates (more than {MAX_DATES}); a month's "
                   f"share is the mean of its dates' shares weighted by their {noun}"
                   + ("; the download has every date" if csv is not None else ""))
    if len(keys) == 1 and len(values) == 1 and len(shown):
        # One row per date or month, one column per key (topic): K times fewer rows than the tidy download.
        when = "month" if pooled else date
        wide = shown.pivot_table(index=when, columns=keys[0], values=values[0], sort=True)
        wide.columns = [f"{keys[0]} {c}" for c in wide.columns]
        n = shown.groupby(when, sort=True)[weight].max()
        shown = wide.assign(**{weight: n}).reset_index()
    return html_table(shown, caption=caption, csv=csv)


def params_table(params) -> pd.DataFrame:
    """Return a parameter dataclass as the table (``parameter``, ``value``) of values as used.

    >>> from analysis.text import TextParams
    >>> params_table(TextParams(no_below=3)).set_index("parameter").loc["no_below", "value"]
    '3'
    """
    from dataclasses import fields

    rows = []
    for f in fields(params):
        value = getattr(params, f.name)
        rows.append((f.name, ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)))
    return pd.DataFrame(rows, columns=["parameter", "value"])
