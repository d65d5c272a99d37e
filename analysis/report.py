"""Report pages: prose with computed numbers, citations, downloads and provenance.

The site's written pages (Findings, Methods, Data, Notebooks) are notebooks
too, executed by papermill after the stages, so every number in their prose
is computed by the run. Their text is rendered to HTML here, with citations
formatted by pandoc's citeproc from the shipped ``references.bib``, so the
page reads the same in Quarto and in the offline preview.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd

from . import registry
from .errors import AnalysisError
from .paths import RESOURCES, ROOT
from .registry import RunPaths
from .files import read_yaml
from .outputs import FLOAT_FORMAT, count_noun, escape

BIBLIOGRAPHY = RESOURCES / "references.bib"


def render_markdown(text: str, *, citations: bool = True, bibliography: bool = False) -> str:
    """Return ``text`` (pandoc Markdown, citations as ``[@key]``) rendered to HTML.

    Citations are formatted author-date by citeproc and link to the reference
    list. A page renders its sections one by one, so the list itself is only
    printed where ``bibliography=True`` (every entry of ``references.bib``,
    placed at a ``::: {#refs}`` block or at the end). Raw HTML in ``text`` is
    not let through, but Markdown is: interpolate corpus text only after
    escaping it with :func:`analysis.outputs.escape_markdown`.

    Examples
    --------
    >>> "<strong>K</strong>" in render_markdown("**K** = 3", citations=False)
    True
    """
    import pypandoc

    args = ["--wrap=none"]
    if citations and ("@" in text or bibliography):
        args += ["--citeproc", f"--bibliography={BIBLIOGRAPHY}", "--metadata=link-citations:true"]
        if bibliography:
            text = "---\nnocite: |\n  @*\n...\n\n" + text  # list every entry of the shipped bibliography
        else:
            args += ["--metadata=suppress-bibliography:true"]
    return pypandoc.convert_text(text, "html", format="markdown-raw_html", extra_args=args)


def run_manifest(paths: RunPaths) -> dict:
    """Return the run's provenance manifest, or ``{}`` when it is not written yet.

    The runner writes ``provenance.json`` after the last stage notebook; pages
    that run before it read the parameters from their own arguments instead.
    A manifest that is not a JSON object raises a one-line AnalysisError.
    """
    from .files import read_text

    if not paths.provenance.exists():
        return {}
    try:
        data = json.loads(read_text(paths.provenance, what="provenance manifest"))
    except json.JSONDecodeError as exc:
        raise AnalysisError("provenance manifest is not valid JSON", path=paths.provenance, row=exc.lineno) from None
    if not isinstance(data, dict):
        raise AnalysisError("provenance manifest is not a JSON object", path=paths.provenance)
    return data


def read_table(paths: RunPaths, key: str) -> pd.DataFrame:
    """Return table ``key`` of a run for the pages: an empty frame when its stage did not write it.

    Tables come from the internal Parquet through :func:`analysis.registry.read`,
    so booleans are booleans and ids stay strings. The stages write a value
    they could not find (an outlet, a date) as an empty string; the pages read
    it as missing, so that it is counted as missing and shown as blank. Floats
    are read as the CSV download states them (six significant digits,
    :data:`analysis.outputs.FLOAT_FORMAT`), so every number on a page can be
    found, or recomputed, in the file a reader downloads.

    Examples
    --------
    >>> import tempfile
    >>> run = RunPaths(Path(tempfile.mkdtemp()))
    >>> read_table(run, "text_params").empty
    True
    >>> _ = registry.write(run, "text_params", pd.DataFrame({"parameter": ["a", "b"], "value": ["", "x"]}))
    >>> read_table(run, "text_params")["value"].isna().tolist()
    [True, False]
    """
    if not registry.exists(paths, key):
        return pd.DataFrame()
    df = registry.read(paths, key)
    a = registry.artifact(key)
    kinds = dict(a.columns)
    if a.extra:
        kinds.update((c, a.extra[1]) for c in df.columns if c not in kinds)
    for name, kind in kinds.items():
        if kind == "str":
            df[name] = df[name].mask(df[name].eq(""))
        elif kind == "float" and a.csv:
            df[name] = [float(FLOAT_FORMAT % v) for v in df[name]]
    return df


def provenance_table(manifest: dict) -> pd.DataFrame:
    """Return the key facts of a provenance manifest as a two-column table."""
    if not manifest:
        return pd.DataFrame({"item": ["provenance"], "value": ["written when the run finishes"]})
    git = manifest.get("git", {})
    rows = [
        ("run", manifest.get("run_name")),
        ("corpus", manifest.get("corpus", {}).get("id")),
        ("corpus path (in the project, else its name)", manifest.get("corpus", {}).get("path")),
        ("corpus digest (sha256 of file hashes)", manifest.get("corpus", {}).get("digest")),
        ("files", len(manifest.get("corpus", {}).get("files", {}))),
        ("seed", manifest.get("seed")),
        ("git commit", f"{git.get('commit')}{' (uncommitted changes)' if git.get('dirty') else ''}"),
        ("python", manifest.get("python")),
        ("platform", manifest.get("platform")),
        ("started", manifest.get("started")),
        ("finished", manifest.get("finished")),
    ]
    return pd.DataFrame(rows, columns=["item", "value"]).astype({"value": str})


def package_table(manifest: dict) -> pd.DataFrame:
    """Return the package versions recorded in a manifest."""
    packages = manifest.get("packages", {})
    return pd.DataFrame(sorted(packages.items()), columns=["package", "version"])


def file_hash_table(manifest: dict) -> pd.DataFrame:
    """Return the sha256 of every raw corpus file recorded in a manifest."""
    files = manifest.get("corpus", {}).get("files", {})
    return pd.DataFrame(sorted(files.items()), columns=["file", "sha256"])


def list_downloads(paths: RunPaths) -> pd.DataFrame:
    """Return the run's published files that its pages link to, with a relative link, size and kind.

    The list is the registry's allow-list (:func:`analysis.registry.published_files`).
    Published files under ``data/`` go into the run's zip only (the site does
    not serve the internal folder), and the explorer's scripts and styles are
    only needed beside it.
    """
    explorer = paths.file("explorer")
    order = [paths.tables, paths.figures, paths.explorer]  # tables first, then figures, then the rest
    shown = [f for f in registry.published_files(paths)
             if f.parent != paths.data and (f.parent != explorer.parent or f == explorer)]
    shown.sort(key=lambda f: (order.index(f.parent) if f.parent in order else len(order), f))
    rows = [(f.relative_to(paths.root).as_posix(), f.suffix.lstrip("."), f.stat().st_size) for f in shown]
    return pd.DataFrame(rows, columns=["file", "kind", "bytes"])


def downloads_html(df: pd.DataFrame, extra=()) -> str:
    """Return an HTML list of download links (file names escaped), ``extra`` files first."""
    first = "".join(f'<li><a href="{escape(Path(f).as_posix())}" download>{escape(Path(f).as_posix())}</a></li>'
                    for f in extra)
    items = "".join(f'<li><a href="{escape(r.file)}" download>{escape(r.file)}</a> '
                    f'<small>({r.kind}, {r.bytes:,} bytes)</small></li>' for r in df.itertuples())
    return f'<ul class="downloads">{first}{items}</ul>'


ARTICLE_COLUMNS = ("article_id", "outlet", "place", "date", "title", "url", "accessed", "n_words", "n_units",
                   "n_removals")


def articles_for_display(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the articles table with the columns a reader scans (the CSV has them all).

    ``url`` and ``accessed`` are shown only when some article has them.
    """
    keep = [c for c in ARTICLE_COLUMNS if c in articles.columns
            and (c not in ("url", "accessed") or articles[c].notna().any())]
    return articles[keep]


def articles_with_sources(paths: RunPaths) -> pd.DataFrame:
    """Return the published articles table with each article's URL and access date where the corpus gave them.

    They come from the internal ``articles`` table (``metadata.csv`` or the
    corpus file's columns); ``accessed`` is read only if the corpus stage
    recorded it.
    """
    overview = read_table(paths, "articles_overview")
    if overview.empty or not registry.exists(paths, "articles"):
        return overview
    # Only the columns wanted: the internal table holds every article's full text.
    full = registry.read_without(paths, "articles", *({c for c, _ in registry.artifact("articles").columns}
                                                      - {"article_id", "url", "accessed"}))
    extra = [c for c in ("url", "accessed") if c in full.columns and c not in overview.columns]
    if not extra or "article_id" not in full:
        return overview
    full = full[["article_id", *extra]]
    for column in extra:  # as read_table reads them: a value the corpus did not give is missing
        full[column] = full[column].mask(full[column].eq(""))
    return overview.merge(full, on="article_id", how="left")


# Tables in which a stage records the values it resolved its parameters to (0 = "scale
# with the corpus", "auto", ...): the Data page shows them beside the values given.
RESOLVED_TABLES = ("text_params", "topic_params")


def resolved_parameters(paths: RunPaths) -> dict[str, str]:
    """Return ``{parameter: value as the stages resolved it}`` from the run's resolved-parameter tables.

    The number of topics is resolved by the K sweep: its chosen K is read
    from the ``k_sweep`` table.
    """
    resolved: dict[str, str] = {}
    for key in RESOLVED_TABLES:
        table = read_table(paths, key)
        if {"parameter", "value"} <= set(table.columns):
            resolved.update((str(r.parameter), "" if pd.isna(r.value) else str(r.value)) for r in table.itertuples())
    sweep = read_table(paths, "k_sweep")
    if {"k", "chosen"} <= set(sweep.columns) and sweep["chosen"].astype(bool).any():
        resolved["n_topics"] = str(int(sweep.loc[sweep["chosen"].astype(bool), "k"].iloc[0]))
    return resolved


def _shown(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "(none)"
    if value == "" or value is None:
        return "(none)"
    return str(value).lower() if isinstance(value, bool) else str(value)


def parameter_table(manifest: dict, resolved: dict[str, str] | None = None) -> pd.DataFrame:
    """Return the parameters a run used: the value given and, where a stage resolved it, the value used.

    ``resolved`` is :func:`resolved_parameters`; a value the stage left as it
    was is not repeated. ``no_below`` 0 ("scale with the corpus") thus reads
    "0" given, "2" used.

    >>> parameter_table({"parameters": {"no_below": 0, "seed": 1}}, {"no_below": "2", "seed": "1"}).values.tolist()
    [['no_below', '0', '2'], ['seed', '1', '']]
    """
    params = manifest.get("parameters", {})
    resolved = resolved or {}
    rows = []
    for name, value in sorted(params.items()):
        given = _shown(value)
        used = resolved.get(name)
        used = "" if used is None or used in (given, "None" if given == "(none)" else given) else used
        rows.append((name, given, used))
    return pd.DataFrame(rows, columns=["parameter", "value given", "value used"])


def data_summary(manifest: dict, articles: pd.DataFrame) -> str:
    """Return the Data page's opening paragraph, every number computed from the run.

    >>> data_summary({"corpus": {"id": "c", "files": {"a.txt": "0"}, "digest": "ab"}},
    ...              pd.DataFrame({"outlet": ["X"], "date": [None]}))[:60]
    'This run analysed **1 article** of the corpus `c` (1 raw fil'
    """
    corpus = manifest.get("corpus", {})
    n_out = int(articles["outlet"].notna().sum()) if "outlet" in articles else 0
    n_date = int(articles["date"].notna().sum()) if "date" in articles else 0
    of_them = "it" if len(articles) == 1 else "them"
    return (f"This run analysed **{count_noun(len(articles), 'article')}** of the corpus "
            f"`{escape(corpus.get('id', '?'))}` ({count_noun(len(corpus.get('files', {})), 'raw file')}; corpus digest "
            f"`{escape(str(corpus.get('digest', ''))[:16])}…`). "
            f"The outlet was found for {n_out} of {of_them} and the date for {n_date}; "
            f"fields that could not be found stay empty and are never guessed.")


# What a corpus card (``corpus.yml``) or ``metadata.csv`` may say about where the
# articles came from; shown on the Data page when given.
SOURCE_FIELDS = (("source", "source"), ("url", "URL"), ("accessed", "accessed"),
                 ("selection_rule", "selection rule"), ("licence", "licence"), ("publish_review", "review view published"))


def corpus_sources(manifest: dict, articles: pd.DataFrame) -> pd.DataFrame:
    """Return where the corpus came from: the corpus card's fields, then what the articles' metadata gives.

    A field neither gives is listed as "not recorded", so a missing URL or
    access date is visible rather than silently absent.

    >>> corpus_sources({"corpus": {"card": {"selection_rule": "all of June"}}}, pd.DataFrame()).values.tolist()[:2]
    [['source', 'not recorded'], ['URL', 'not recorded']]
    """
    card = manifest.get("corpus", {}).get("card") or {}
    rows = []
    for key, label in SOURCE_FIELDS:
        value = card.get(key)
        if key in ("url", "accessed") and not value and key in articles:
            given = articles[key].dropna().astype(str)
            given = given[given.str.strip() != ""]
            if len(given):
                value = f"given for {given.size} of {count_noun(len(articles), 'article')} (see the articles table)"
        if key == "publish_review" and value is None:
            continue
        rows.append((label, _shown(value) if value not in (None, "") else "not recorded"))
    return pd.DataFrame(rows, columns=["field", "value"])


def cite_box(manifest: dict, run_name: str) -> str:
    """Return the 'Cite this' box as HTML."""
    return f'<div class="cite-box"><p>{escape(citation_text(manifest, run_name))}</p>' \
           f'<p><small>Software citation metadata: CITATION.cff in the repository.</small></p></div>'


def _executed_notebooks(paths: RunPaths) -> list[Path]:
    from .parameters import PAGES, STAGES

    return [paths.notebook(nb) for nb in STAGES + PAGES if paths.notebook(nb).exists()]


def notebooks_html(paths: RunPaths, manifest: dict) -> str:
    """Return a table of the run's executed notebooks: page, download, time taken."""
    from .parameters import PAGES, STAGES

    seconds = manifest.get("stage_seconds", {})
    rows = []
    for nb in STAGES + PAGES:
        if paths.notebook(nb).exists() or nb == "notebooks":
            took = f"{seconds[nb]:.1f} s" if nb in seconds else ""
            rows.append(f'<tr><td><a href="{nb}.html">{escape(nb)}</a></td>'
                        f'<td>{escape(paths.notebook(nb).name)}</td><td>{took}</td></tr>')
    zipped = paths.file("notebooks_zip").relative_to(paths.root).as_posix()
    return ('<table class="table table-sm"><caption>Executed notebooks of this run</caption>'
            '<thead><tr><th>page</th><th>notebook</th><th>execution time</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>'
            f'<p>All executed notebooks, as they ran: <a href="{escape(zipped)}" download>{escape(Path(zipped).name)}</a></p>')


#: Deflate level of the run's zips (1 is the fastest).
ZIP_LEVEL = 1


def _write_zip(files: list[Path], root: Path, target: Path) -> Path:
    # Entries have a fixed timestamp and order so the same files give the same zip;
    # they unpack into one folder named for the zip.
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            info = zipfile.ZipInfo(f"{target.stem}/{f.relative_to(root).as_posix()}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # Level 1: a 100k run's tables are a gigabyte of CSV. On the 10k run, level 1 took 2.4 s for 42 MB
            # and the default level 6 took 9.0 s for 34 MB. (ZipFile.open takes the level from the entry.)
            info._compresslevel = ZIP_LEVEL
            # Streamed in blocks: a 100k-article run's unit tables are hundreds of MB each. The size is
            # set first, so the entry's header is the one writestr() would write (same bytes).
            info.file_size = f.stat().st_size
            with open(f, "rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    tmp.replace(target)
    return target


def zip_run(paths: RunPaths) -> Path:
    """Zip a run's published files and its executed notebooks; return the zip (``paths.file("run_zip")``).

    What goes in is the registry's allow-list (:func:`analysis.registry.published_files`):
    the corpus text (units, articles, tokens, the full coding sheet, the
    cleaning log) and every internal file stay out. Entries have a fixed
    timestamp and order, so the same run gives the same bytes.
    """
    files = sorted(set(registry.published_files(paths)) | set(_executed_notebooks(paths)))
    return _write_zip(files, paths.root, paths.file("run_zip"))


def zip_notebooks(paths: RunPaths) -> Path:
    """Zip the run's executed notebooks; return the zip (``paths.file("notebooks_zip")``).

    Site builders publish a notebook as its HTML page, not as the ``.ipynb``
    file, so the executed notebooks are downloaded from the site as this zip.
    """
    return _write_zip(sorted(_executed_notebooks(paths)), paths.root, paths.file("notebooks_zip"))


def citation_text(manifest: dict, run_name: str) -> str:
    """Return the 'Cite this' text for a run, from CITATION.cff and the manifest."""
    cff = read_yaml(ROOT / "CITATION.cff", what="citation file")
    authors = "; ".join(a.get("name") or f"{a.get('family-names')}, {a.get('given-names')}" for a in cff.get("authors", []))
    commit = (manifest.get("git", {}).get("commit") or "unknown")[:12]
    date = (manifest.get("finished") or "")[:10]
    return (f"{authors} ({cff.get('date-released', '')[:4]}). {cff.get('title')} (version {cff.get('version')}). "
            f"Run '{run_name}', {date}, commit {commit}. {cff.get('repository-code', '')}").strip()
