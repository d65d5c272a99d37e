"""Page weights of a built site: what a reader's browser loads for each page.

For every HTML page of a built site (``python -m analysis site``, or the
``site`` stage of ``benchmarks/run.py``) this counts the page's own bytes
(figures a notebook embeds as ``data:`` URIs are part of them, and are also
shown on their own) and the bytes of every local file the page *loads*:
images, scripts, style sheets, frames, and the fonts and images those style
sheets load in turn. Links a reader may follow (``<a href>``: CSV downloads,
other pages) are not loads and are not counted.

Rules this script keeps:

* **Loads, not links.** A page's weight is what opening it costs, so a CSV
  download linked from a table is not part of it.
* **Shared files apart.** A file that more than one page loads (the theme's
  scripts and styles) is paid once per visit and then cached; it is counted
  in ``shared`` and in ``total``, and the own cost of a page is ``own``
  (HTML plus the files only it loads).
* **Nothing fetched.** Remote URLs are not followed (the built site loads
  none: ``analysis.site.check_offline``); a local file that does not exist
  is counted as missing.

Usage::

    .venv/bin/python benchmarks/pages.py _site            # table of every page
    .venv/bin/python benchmarks/pages.py _site --csv pages.csv
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

# Attributes through which a tag loads a file (not a link the reader follows).
_LOADS = {"img": ("src",), "script": ("src",), "iframe": ("src",), "embed": ("src",), "source": ("src",),
          "video": ("poster",), "audio": ("src",), "input": ("src",), "object": ("data",)}
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)["']?\s*\)|@import\s+["']([^"']+)["']""")
COLUMNS = ["page", "html_bytes", "inline_bytes", "n_files", "own_file_bytes", "shared_bytes", "own_bytes",
           "total_bytes", "missing"]


class _Loads(HTMLParser):
    """Collect the URLs a page loads: src of media, scripts and frames; href of style sheets and icons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.inline = 0  # bytes of data: URIs (already part of the page's bytes)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        names = list(_LOADS.get(tag, ()))
        if tag == "link" and set(str(attrs.get("rel", "")).lower().split()) & {"stylesheet", "icon", "preload"}:
            names.append("href")
        for name in names:
            value = attrs.get(name)
            if not value:
                continue
            if value.startswith("data:"):
                self.inline += len(value)
            else:
                self.urls.append(value)
        for candidate in str(attrs.get("srcset", "")).split(","):
            if candidate.strip():
                self.urls.append(candidate.split()[0])


def _local(base: Path, url: str, site: Path) -> Path | None:
    """The file a URL names under ``site`` (None: remote, data: or outside the site)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = (site / parts.path.lstrip("/")) if parts.path.startswith("/") else (base / unquote(parts.path))
    path = Path(*[p for p in path.parts]).resolve()
    try:
        path.relative_to(site.resolve())
    except ValueError:
        return None
    return path


def page_loads(page: Path, site: Path) -> tuple[set[Path], int]:
    """Return the local files ``page`` loads (style sheets' fonts and images included) and its inline bytes."""
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    files: set[Path] = set()
    todo = [_local(page.parent, u, site) for u in parser.urls]
    while todo:
        path = todo.pop()
        if path is None or path in files:
            continue
        files.add(path)
        if path.suffix.lower() == ".css" and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in _CSS_URL.finditer(text):
                url = match.group(1) or match.group(2)
                if not url.startswith("data:"):
                    todo.append(_local(path.parent, url, site))
    return files, parser.inline


def page_weights(site: Path) -> pd.DataFrame:
    """Return one row per HTML page of the built ``site``: its bytes and the bytes of what it loads.

    Columns: ``page`` (path under the site), ``html_bytes`` (the page itself),
    ``inline_bytes`` (of those, ``data:`` URIs such as embedded figures),
    ``n_files`` (local files loaded), ``own_file_bytes`` (files no other page
    loads), ``shared_bytes`` (files other pages load too: cached after the
    first), ``own_bytes`` (HTML + own files), ``total_bytes`` (HTML + every
    file loaded), ``missing`` (files the page loads that are not in the site).
    Rows are ordered by page path.
    """
    site = Path(site).resolve()
    pages = sorted(p for p in site.rglob("*.html") if p.is_file())
    loads = {page: page_loads(page, site) for page in pages}
    users: dict[Path, int] = {}
    for files, _ in loads.values():
        for f in files:
            users[f] = users.get(f, 0) + 1
    rows = []
    for page, (files, inline) in loads.items():
        present = [f for f in files if f.is_file()]
        own = sum(f.stat().st_size for f in present if users[f] == 1)
        shared = sum(f.stat().st_size for f in present if users[f] > 1)
        html_bytes = page.stat().st_size
        rows.append((page.relative_to(site).as_posix(), html_bytes, inline, len(present), own, shared,
                     html_bytes + own, html_bytes + own + shared, len(files) - len(present)))
    return pd.DataFrame(rows, columns=COLUMNS)


def format_table(weights: pd.DataFrame) -> str:
    """Return the weights as a fixed-width text table in kB (1,000 bytes), with a total line of distinct bytes."""
    kb = lambda b: f"{b / 1000:,.0f}"  # noqa: E731
    head = f"{'page':<52}{'HTML kB':>10}{'inline kB':>11}{'files':>7}{'own kB':>9}{'shared kB':>11}{'total kB':>10}"
    lines = [head, "-" * len(head)]
    for r in weights.itertuples(index=False):
        lines.append(f"{r.page:<52}{kb(r.html_bytes):>10}{kb(r.inline_bytes):>11}{r.n_files:>7}"
                     f"{kb(r.own_bytes):>9}{kb(r.shared_bytes):>11}{kb(r.total_bytes):>10}"
                     + (f"  ({r.missing} missing)" if r.missing else ""))
    lines.append("-" * len(head))
    lines.append(f"{len(weights)} pages; largest {weights['total_bytes'].max() / 1000:,.0f} kB "
                 f"({weights.loc[weights['total_bytes'].idxmax(), 'page']})" if len(weights) else "no pages")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Print every page's weight (HTML + the local files it loads) of a built site.")
    ap.add_argument("site", type=Path, help="the built site folder (e.g. _site)")
    ap.add_argument("--csv", type=Path, help="also write the table as CSV (bytes)")
    ap.add_argument("--under", default="", help="only pages whose path starts with this (e.g. runs/synth-10000/)")
    args = ap.parse_args(argv)
    if not args.site.is_dir():
        print(f"error: {args.site}: not a folder", file=sys.stderr)
        return 2
    weights = page_weights(args.site)
    if args.under:
        weights = weights[weights["page"].str.startswith(args.under)].reset_index(drop=True)
    if args.csv:
        weights.to_csv(args.csv, index=False, lineterminator="\n")
    print(format_table(weights))
    return 0


if __name__ == "__main__":
    sys.exit(main())
