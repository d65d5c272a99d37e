"""Running the pipeline: every stage notebook, executed by papermill, into one run folder.

Rules this module keeps:

* Parameters and the corpus are validated before any notebook runs.
* A run is executed in a staging folder (``runs/_staging/``) and moved to
  ``runs/<name>/`` only when every notebook has succeeded. A failed or
  interrupted run never replaces or damages the last good run of that name;
  its notebooks are kept in ``runs/_failed/<name>/`` for debugging.
  (Folders starting with ``_`` are never published on the site.)
* Each notebook receives only the parameters its ``parameters`` cell declares.
* Every run writes ``params.yaml`` and ``provenance.json`` beside its results.
* Long stages report their progress through :mod:`analysis.progress`: the
  kernels find the progress file in its environment variable, and the runner
  prints each line on the command line and writes it to the run's log
  (``run.log``), never into the executed notebooks.
* With a Dask scheduler (``scheduler="local"`` or an address) the run's
  chunked work goes to the cluster (:mod:`analysis.workers`). The scheduler
  is started or reached, and checked, before any notebook runs, after the
  progress file is named (workers must see it); a local cluster is closed
  at the end of the run, on failure too. ``provenance.json`` records its
  kind and size.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import time
import uuid
from pathlib import Path

import nbformat
import yaml

from . import parameters as P
from . import progress as progress_lines
from . import provenance
from . import workers as workers_
from .paths import DATA_RAW, ROOT, check_run_name, resolve_corpus, runs_root
from .registry import RunPaths
from .errors import AnalysisError
from .report import zip_notebooks, zip_run

KERNEL = "python3"


def default_run_name(corpus: str, source: Path) -> str:
    """Return the run name used when none is given: the corpus id or file stem.

    >>> default_run_name("ru-alliances-id", Path("data/raw/ru-alliances-id"))
    'ru-alliances-id'
    >>> default_run_name("x/My news.csv", Path("x/My news.csv"))
    'My-news'
    """
    stem = source.name if source.is_dir() or source.parent == DATA_RAW else source.stem
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._") or "run"


def _notebook_params(nb: str, params: dict, schema_by_nb: dict[str, set[str]]) -> dict:
    return {k: v for k, v in params.items() if k in schema_by_nb[nb]}


def _short_error(exc: BaseException, nb: str, kept: Path) -> str:
    """Return one line naming the notebook and cell for an execution error."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        evalue = " ".join(str(exc.evalue).split())
        cell = f"cell [{exc.exec_count}]" if exc.exec_count else f"cell {exc.cell_index}"
        if exc.ename == "AnalysisError":
            return f"{nb}.ipynb, {cell}: {evalue}"
        return f"{nb}.ipynb, {cell}: {exc.ename}: {evalue} (executed notebook kept in {kept})"
    return f"{nb}.ipynb: {exc.__class__.__name__}: {' '.join(str(exc).split())}"


def _stamp_front_matter(index_nb: Path, fields: dict) -> None:
    """Write computed listing fields into the findings notebook's front matter.

    The site's home page lists runs from these fields (corpus size, language,
    date, run time); they are computed here, after the run, never typed.
    """
    nb = nbformat.read(index_nb, as_version=4)
    meta = {}
    if nb.cells and nb.cells[0].cell_type == "raw":
        text = nb.cells[0].source.strip().strip("-").strip()
        meta = yaml.safe_load(text) or {}
        nb.cells.pop(0)
    meta.update(fields)
    front = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---"
    nb.cells.insert(0, nbformat.v4.new_raw_cell(front))
    nbformat.write(nb, index_nb)


def _public_injected_parameters(nb, parameters: dict) -> None:
    """Rewrite papermill's injected cell with :func:`provenance.public_parameters`: no local folder in a download."""
    shown = provenance.public_parameters(parameters)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in shown.items())


def _hide_parameter_cells(nb) -> None:
    """Tag every parameter cell ``remove-cell``: readers want what was run, not papermill's plumbing.

    The tagged cells are the notebook's defaults (stale once papermill
    overrides them) and papermill's injected values; Quarto and the offline
    preview both leave ``remove-cell`` cells out. A stage notebook shows the
    values it ran with in :func:`_parameter_note` instead.
    """
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if {"parameters", "injected-parameters"} & set(tags) and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]


def _parameter_note(nb, parameters: dict) -> None:
    """Put one Markdown cell after the parameter cells: the values this notebook ran with.

    The Data page lists every parameter beside the value each stage resolved
    it to (e.g. ``no_below`` 0, resolved: 2); this note links there.
    """
    def code(value) -> str:  # a Markdown code span: nothing in it is read as markup
        text = " ".join(str(value).split())
        fence = "`" * (1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
        return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"

    shown = provenance.public_parameters(parameters)
    values = "; ".join(f"{code(k)} = {code(repr(v) if isinstance(v, str) else v)}"
                       for k, v in shown.items() if k != "run_name")
    note = nbformat.v4.new_markdown_cell(
        f"*Parameters of this notebook as run:* {values}. "
        "The [Data page](data.html#parameters) gives each with the value the stage resolved it to.")
    note.metadata["tags"] = ["parameter-note"]
    where = max((i for i, c in enumerate(nb.cells) if {"parameters", "injected-parameters"}
                 & set(c.metadata.get("tags", []))), default=-1)
    nb.cells.insert(where + 1, note)


# Quarto loads require.js and jQuery from a CDN into every page of a notebook that has
# any output of these types (it takes them for JavaScript widgets: quarto-cli,
# src/core/jupyter/widgets.ts). This site's HTML outputs are tables and text: they are
# kept as raw HTML blocks in Markdown outputs, which Quarto and the offline preview pass
# through untouched, so no page loads anything from the internet.
_WIDGET_MIMES = ("text/html", "application/javascript", "application/vnd.jupyter.widget-view+json",
                 "application/vnd.jupyter.widget-state+json")


def _raw_html_outputs(nb) -> None:
    """Turn every HTML output into a Markdown output holding the same HTML as a raw ``{=html}`` block.

    Widget state and JavaScript outputs are dropped (the site runs no kernel);
    a plain-text fallback is kept.
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data or not any(m in data for m in _WIDGET_MIMES):
                continue
            html = data.get("text/html")
            html = "".join(html) if isinstance(html, list) else html
            for mime in _WIDGET_MIMES:
                data.pop(mime, None)
            if html and "text/markdown" not in data:
                fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", html)), default=0))
                data["text/markdown"] = f"{fence}{{=html}}\n{html.strip()}\n{fence}\n"
            out.get("metadata", {}).pop("application/vnd.jupyter.widget-view+json", None)


def _public_papermill_paths(nb, nb_name: str, run_name: str) -> None:
    """Record papermill's input and output paths relative to the project (no local folder is published)."""
    meta = nb.metadata.get("papermill", {})
    if "input_path" in meta:
        meta["input_path"] = provenance.public_path(meta["input_path"])
    if "output_path" in meta:
        meta["output_path"] = f"runs/{run_name}/{nb_name}.ipynb"
    if "cwd" in meta:
        meta["cwd"] = f"runs/{run_name}"


def _local_prefixes() -> list[str]:
    """The local folders a warning or traceback may name: the project and the Python installation."""
    found = {str(Path(p).resolve()) for p in (ROOT, sys.prefix, sys.base_prefix, sys.exec_prefix) if p}
    return sorted(found, key=len, reverse=True)


def _public_stream_paths(nb) -> None:
    """Replace local folders in printed warnings and tracebacks by project-relative or ``<python>`` names.

    A library warning (matplotlib, pandas) prints the file it comes from; a
    researcher's home folder must never reach the published page.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
    ...     "stream", name="stderr", text=f"{ROOT}/analysis/x.py:3: UserWarning: w")])])
    >>> _public_stream_paths(nb); nb.cells[0].outputs[0].text
    'analysis/x.py:3: UserWarning: w'
    """
    root = str(Path(ROOT).resolve())
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for key in ("text", "traceback", "evalue"):
                value = out.get(key)
                if value is None:
                    continue
                texts = value if isinstance(value, list) else [value]
                for prefix in _local_prefixes():
                    name = "" if prefix == root else "<python>/"
                    texts = [t.replace(prefix + "/", name).replace(prefix, name.rstrip("/") or ".") for t in texts]
                out[key] = texts if isinstance(value, list) else texts[0]


def _prepare_for_site(nb_path: Path, nb_name: str, run_name: str, parameters: dict) -> None:
    """Make an executed notebook ready to publish as it is, by Quarto or the offline preview.

    Parameter cells are hidden (a stage notebook gets a note of the values it
    ran with), HTML outputs become raw HTML blocks (:func:`_raw_html_outputs`),
    and papermill's local paths become project-relative.
    """
    nb = nbformat.read(nb_path, as_version=4)
    _public_injected_parameters(nb, parameters)
    _hide_parameter_cells(nb)
    if nb_name in P.STAGES:
        _parameter_note(nb, parameters)
    _raw_html_outputs(nb)
    _public_papermill_paths(nb, nb_name, run_name)
    _public_stream_paths(nb)
    nbformat.write(nb, nb_path)


def _run_summary(paths: RunPaths) -> dict:
    """Return corpus size and language of a finished run, read from its internal tables.

    Only the articles' language column is read; the units are counted from
    the Parquet metadata, so a large corpus costs nothing here.
    """
    import pyarrow.parquet as pq

    from . import registry

    summary = {"articles": None, "units": None, "language": None}
    if registry.exists(paths, "articles"):
        languages = registry.read(paths, "articles", columns=["language"])["language"]
        summary["articles"] = len(languages)
        langs = sorted({v for v in languages if isinstance(v, str) and v})
        summary["language"] = ", ".join(langs) if langs else None
    if registry.exists(paths, "units"):
        summary["units"] = pq.read_metadata(paths.file("units")).num_rows
    return summary


def _language_names(codes: str | None) -> str:
    """Return "Indonesian (id)" for "id" ("id, en" gives both; unknown codes stay as they are).

    >>> _language_names("en, id")
    'English (en), Indonesian (id)'
    """
    names = {"id": "Indonesian", "en": "English"}
    if not codes:
        return "language unknown"
    return ", ".join(f"{names[c]} ({c})" if c in names else c for c in (x.strip() for x in codes.split(",")))


def _swap_into_place(staged: Path, final: Path) -> None:
    """Move a finished run into place, replacing the old one only at the end."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.parent / "_staging" / f"{final.name}-old-{uuid.uuid4().hex[:8]}"
        final.rename(old)
    staged.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def preflight(source: Path, params: dict, *, language_set_by: str = "") -> None:
    """Check the corpus cheaply before any notebook runs (existence, emptiness, K, language).

    The corpus stage repeats every check in depth; this catches the common
    mistakes in seconds instead of after the first notebook. When the
    language was set (``language_set_by`` names where) and most articles are
    detected in another, one line on stderr says so; the run goes on with the
    language as set.
    """
    if source.is_dir():
        files = [p for p in source.iterdir() if p.is_file() and not p.name.startswith(".")]
        texts = [p for p in files if p.suffix.lower() == ".txt"]
        if not files:
            raise AnalysisError("empty corpus: the folder holds no files", path=source)
        if not texts:
            raise AnalysisError("no .txt files in the corpus folder (give a CSV, JSONL or Parquet file directly)", path=source)
        if all(p.stat().st_size == 0 for p in texts):
            raise AnalysisError("empty corpus: every .txt file is empty", path=source)
    elif source.suffix.lower() not in {".csv", ".jsonl", ".parquet", ".txt"}:
        raise AnalysisError("unsupported corpus file type: use a folder of .txt files, .csv, .jsonl or .parquet", path=source)
    elif source.stat().st_size == 0:
        raise AnalysisError("empty corpus file", path=source)
    _check_k_against_corpus(source, params)
    if language_set_by and params.get("language", "auto") != "auto":
        from .corpus import detect_languages, language_mismatch

        warning = language_mismatch(params["language"], detect_languages(source), language_set_by)
        if warning:
            print(warning, file=sys.stderr)


def _check_k_against_corpus(source: Path, params: dict) -> None:
    """Refuse a number of topics the corpus cannot have, before any notebook runs.

    A paragraph unit is at most one non-empty line of an article (a list
    item glued to a line aside), plus a headline given in the metadata, so
    their count bounds the number of units from above. Counting stops as
    soon as the bound exceeds the K asked for, so a large corpus costs little.
    """
    from .corpus import iter_documents

    n_topics, k_min = params.get("n_topics", 0), params.get("k_min", P.default("k_min"))
    needed, name = (n_topics, "n_topics") if n_topics else (k_min, "k_min")
    # With articles as the topic model's documents, the bound is the number of articles; with
    # `auto` the topic stage falls back to paragraphs when articles are too few, so units bound it.
    by_article = params.get("topic_unit", P.default("topic_unit")) == "article"
    what = "articles" if by_article else "units"
    bound = 0
    for doc in iter_documents(source):
        bound += 1 if by_article else sum(1 for line in doc.lines if line.strip()) + bool(doc.meta.get("title"))
        if bound > needed:
            return
    raise AnalysisError(f"parameter {name!r} is {needed}, but the corpus has at most {bound} {what}: "
                        f"a topic model needs more {what} than topics", path=source)


def _resolve_run(corpus: str, name: str | None, params_file: Path | None, language: str | None):
    """Check the corpus, the run name and the parameters; return (source, name, parameters for the notebooks).

    The language, when neither ``--language`` nor the parameters file sets
    it, is the one the corpus states in its ``corpus.yml``, else ``auto``
    (detected per article): a new corpus is never read as Indonesian by default.
    """
    from .corpus import CORPUS_CARD, corpus_card, stated_language

    source = resolve_corpus(corpus)
    name = check_run_name(name or default_run_name(corpus, source))
    user = P.read_params_file(params_file) if params_file else {}
    if language is not None:
        user["language"] = language
    params = P.validate(user, P.parameter_schema(), source=str(params_file) if params_file else "--language")
    set_by = "--language" if language is not None else (
        f"the parameters file {Path(params_file).name}" if "language" in user else "")
    if not set_by:
        stated = stated_language(source)
        if stated:
            P.check("language", stated, source=str(corpus_card(source)))
            set_by = f"the corpus card {CORPUS_CARD}"
        params["language"] = stated or "auto"
    params = P.resolve_files(params, Path(params_file).parent if params_file else Path.cwd())
    preflight(source, params, language_set_by=set_by)
    corpus_arg = corpus if (DATA_RAW / corpus) == source else str(source)
    return source, name, {**params, "run_name": name, "corpus": corpus_arg}


def _kernel_environment(staging_root: Path) -> dict:
    """Set the environment the notebook kernels need; return what it was, for :func:`_restore`."""
    before = {k: os.environ.get(k) for k in ("ANALYSIS_RUNS_ROOT", "PATH", "MPLBACKEND", progress_lines.ENV)}
    os.environ["ANALYSIS_RUNS_ROOT"] = str(staging_root)
    # Long stages append their progress here (analysis.progress); the runner tails it.
    os.environ[progress_lines.ENV] = str(_progress_file(staging_root))
    # Figures must be embedded in the executed notebooks, whatever backend the user's
    # environment sets: the site shows the notebooks as they are.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # The kernel must be this environment's Python, whatever PATH the user has.
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    return before


def _progress_file(staging_root: Path) -> Path:
    """The progress file of a run being staged (outside the run folder: it is not published)."""
    return staging_root / "progress.jsonl"


class _RunLog:
    """The run's log (``run.log``) and the command line: each line goes to the log, and to stderr unless quiet."""

    def __init__(self, path: Path, echo: bool):
        self.path = path
        self.echo = echo

    def __call__(self, text: str, *, echo: bool = True) -> None:
        line = f"{time.strftime('%H:%M:%S')}  {text}"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        if self.echo and echo:
            from tqdm.auto import tqdm

            tqdm.write(line, file=sys.stderr)  # above the notebook bar, which stays at the bottom


def _execute(nb: str, run: RunPaths, parameters: dict, ipc_dir: Path) -> None:
    """Execute one notebook with papermill into the run folder.

    ``ipc_dir`` (the run's staging folder) holds the kernel's socket files.
    """
    import papermill
    from jupyter_client.manager import KernelManager

    # IPC transport: the kernel talks over a local socket file, not TCP.
    km = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(ipc_dir / "kernel-ipc"))
    try:
        papermill.execute_notebook(
            str(P.notebook_path(nb)), str(run.notebook(nb)), parameters=parameters, kernel_name=KERNEL, km=km,
            cwd=str(run.root), progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        )
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    _prepare_for_site(run.notebook(nb), nb, run.root.name, parameters)


def _finish(run: RunPaths, name: str, finished: str, seconds: int) -> None:
    """Stamp the findings page's listing fields and zip the run's downloads."""
    summary = _run_summary(run)
    _stamp_front_matter(run.notebook("index"), {
        "title": f"{name}: findings",
        "description": f"{summary['articles']} articles, {summary['units']} units; {_language_names(summary['language'])}; "
                       f"run {finished[:10]} in {seconds} s",
        "date": finished[:10],
        "corpus-size": summary["articles"],
        "corpus-language": summary["language"],
        "run-time": f"{seconds} s",
    })
    # Readers download the executed notebooks from the site as they ran (a website
    # renderer publishes a notebook's HTML, not the .ipynb file).
    zip_notebooks(run)
    # The Data page zipped the run before the last pages ran and the findings were
    # stamped; zip it again so both downloads hold the same notebooks.
    zip_run(run)


def _keep_failed(staged: Path, staging_root: Path, root: Path, name: str) -> Path:
    failed = root / "_failed" / name
    shutil.rmtree(failed, ignore_errors=True)
    failed.parent.mkdir(parents=True, exist_ok=True)
    staged.rename(failed)
    shutil.rmtree(staging_root, ignore_errors=True)
    return failed


def _publish(staged: Path, staging_root: Path, root: Path, name: str) -> Path:
    final = root / name
    _swap_into_place(staged, final)
    shutil.rmtree(staging_root, ignore_errors=True)
    shutil.rmtree(root / "_failed" / name, ignore_errors=True)
    for leftover in (root / "_staging", root / "_failed"):
        if leftover.is_dir() and not any(leftover.iterdir()):
            leftover.rmdir()
    return final


def run_pipeline(corpus: str, *, name: str | None = None, params_file: Path | None = None,
                 language: str | None = None, progress: bool = True, log=print, scheduler: str | None = None,
                 n_workers: int = 2) -> Path:
    """Run every stage notebook on ``corpus`` and return the finished run folder.

    Parameters
    ----------
    corpus : str
        A corpus id under ``data/raw/`` or a path to a folder of ``.txt`` files
        or a CSV, JSONL or Parquet file.
    name : str, optional
        The run name (folder under ``runs/``); defaults to the corpus id or file stem.
    params_file : Path, optional
        A YAML file of parameters; see ``python -m analysis params``.
    language : {"id", "en", "auto"}, optional
        Overrides the ``language`` parameter.
    scheduler : str, optional
        ``"local"`` (a ``distributed.LocalCluster`` of ``n_workers`` processes
        for this run; 0 = one per core) or a Dask scheduler's address
        (``tcp://host:port``): the stages' chunked work runs there. Tables
        are the same as without.
    n_workers : int
        Worker processes of a ``"local"`` cluster (default 2; 0 = one per core).
    """
    from tqdm.auto import tqdm

    source, name, base = _resolve_run(corpus, name, params_file, language)
    per_nb = {nb: set(P.read_notebook_parameters(P.notebook_path(nb))) for nb in P.STAGES + P.PAGES}
    root = runs_root()
    staging_root = root / "_staging" / f"{name}-{uuid.uuid4().hex[:8]}"
    run = RunPaths(staging_root / name)
    env_before = _kernel_environment(staging_root)
    # After the progress file is named (a local cluster's workers inherit it) and before
    # anything is staged: an unreachable scheduler stops the run here, in one line.
    cluster = contextlib.ExitStack()
    try:
        dask = cluster.enter_context(workers_.cluster(scheduler, n_workers)) if scheduler else None
    except BaseException as exc:
        cluster.close()
        _restore(env_before)
        if isinstance(exc, KeyboardInterrupt):
            raise AnalysisError(f"run {name!r} interrupted while reaching the Dask scheduler; nothing was run") from None
        raise
    run.root.mkdir(parents=True)
    started, t0 = provenance.now(), time.perf_counter()
    stage_seconds: dict[str, float] = {}
    current = None
    run_log = _RunLog(run.file("run_log"), echo=progress)
    tail = progress_lines.ProgressTail(_progress_file(staging_root), run_log)
    try:
        bar = tqdm(list(P.STAGES) + list(P.PAGES), desc=f"run {name}", unit="notebook", disable=not progress,
                   file=sys.stderr)
        tail.__enter__()
        for nb in bar:
            current = nb
            tail.label = nb
            bar.set_postfix_str(nb)
            if nb == P.PAGES[0]:
                # Provenance is written once the analysis stages are done, so that the
                # report pages (Data & provenance, Methods) can show it.
                finished = provenance.now()
                P.write_run_params(provenance.public_parameters(base), run.params)
                provenance.write_manifest(provenance.build_manifest(
                    run_name=name, corpus=corpus, source=source, parameters=base, started=started,
                    finished=finished, stage_seconds=stage_seconds,
                    scheduler=dask.provenance() if dask else None), run.provenance)
            t = time.perf_counter()
            _execute(nb, run, _notebook_params(nb, base, per_nb), staging_root)
            stage_seconds[nb] = time.perf_counter() - t
            tail.poll()  # the notebook's last lines before its time
            run_log(f"[{nb}] done in {stage_seconds[nb]:.1f} s", echo=False)  # the bar shows it
        tail.__exit__(None, None, None)
        bar.close()
        _finish(run, name, finished, round(time.perf_counter() - t0))
    except BaseException as exc:
        tail.__exit__(None, None, None)
        cluster.close()
        failed = _keep_failed(run.root, staging_root, root, name)
        _restore(env_before)
        if isinstance(exc, KeyboardInterrupt):
            raise AnalysisError(f"run {name!r} interrupted during {current}; the last good run is unchanged") from None
        if isinstance(exc, AnalysisError):
            raise
        raise AnalysisError(_short_error(exc, current or "?", failed)) from None
    cluster.close()
    _restore(env_before)
    final = _publish(run.root, staging_root, root, name)
    width = max(len(n) for n in stage_seconds)
    log("\n".join(f"  {n:<{width}}  {s:7.1f} s" for n, s in stage_seconds.items()))
    log(f"run {name!r} finished in {time.perf_counter() - t0:.1f} s: {final}")
    return final


def _restore(env_before: dict) -> None:
    for key, value in env_before.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
