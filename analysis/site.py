"""Building the website from the runs: Quarto where it is installed, else an offline preview.

The site is a Quarto website project (``_quarto.yml`` at the top of the
repository). Its pages are the executed notebooks of every run in ``runs/``;
Quarto shows them as they are and never re-executes them. Where Quarto cannot
be had (its PyPI package downloads the binary from GitHub while it installs),
the same ``_quarto.yml`` project is rendered by smalldocs, a pure-Python
renderer of Quarto website projects: same pages, same navigation, no CDN
assets, and it works from ``file://``.

Rules this module keeps:

* No page loads anything from the internet. The executed notebooks hold no
  output that makes Quarto add its CDN scripts (the runner turns HTML
  outputs into raw HTML blocks), ``_quarto.yml`` draws math with MathML, and
  :func:`check_offline` refuses a built site that still names a remote
  script, style, font or frame.
* The preview reads the same options as Quarto: smalldocs folds a notebook's
  code only where a cell asks, so the preview's copy of each notebook asks
  in every code cell, as ``code-fold`` in ``_quarto.yml`` does for Quarto.
* Each run's review view (full text) is published only where its corpus card
  opts in (``publish_review: true``); otherwise it is built into ``review/``,
  outside the site.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from .outputs import count_noun
from .paths import ROOT, runs_root
from .registry import RunPaths
from .errors import AnalysisError

# The files of the website project besides the runs.
SITE_SOURCES = ("_quarto.yml", "index.qmd", "about.qmd", "styles.css", "assets")

QUARTO_HELP = ("Quarto not found: building the offline preview instead. For the Quarto site install it with "
               "'pip install quarto-cli', conda-forge 'quarto', or the installer at https://quarto.org/docs/get-started/")


def find_quarto() -> str | None:
    """Return the path of the ``quarto`` command, in this environment or on PATH."""
    local = Path(sys.executable).parent / "quarto"
    if local.exists():
        return str(local)
    return shutil.which("quarto")


def _project_dir(runs: Path, *, copy: bool = False) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """Return a project folder whose ``runs/`` is ``runs`` (the repository itself if it is, unless ``copy``)."""
    if runs.resolve() == (ROOT / "runs").resolve() and not copy:
        return ROOT, None
    tmp = tempfile.TemporaryDirectory(prefix="site-")
    project = Path(tmp.name)
    for name in SITE_SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name)
        elif (ROOT / name).exists():
            shutil.copy2(ROOT / name, project / name)
    # A copy of what the site publishes (not the runs' internal data/ folders).
    for run in list_runs(runs):
        shutil.copytree(run, project / "runs" / run.name, ignore=shutil.ignore_patterns(RunPaths(run).data.name, "_*"))
    return project, tmp


def list_runs(runs: Path | None = None) -> list[Path]:
    """Return the finished run folders (those with an executed findings page), sorted by name."""
    runs = runs or runs_root()
    if not runs.exists():
        return []
    return sorted(p for p in runs.iterdir()
                  if p.is_dir() and p.name[0] not in "._" and RunPaths(p).notebook("index").exists())


def build_site(*, output_dir: Path | None = None, force_offline: bool = False, runs: Path | None = None,
               log=print) -> Path:
    """Build the website from every finished run and return the output folder.

    Parameters
    ----------
    output_dir : Path, optional
        Where the site goes (default ``_site/`` in the repository).
    force_offline : bool
        Build the offline preview even where Quarto is installed.
    runs : Path, optional
        The folder holding the runs (default :func:`analysis.paths.runs_root`).
    """
    runs = runs or runs_root()
    if not list_runs(runs):
        raise AnalysisError("no finished run to publish: run `python -m analysis run --corpus ...` first", path=runs)
    output_dir = (output_dir or ROOT / "_site").resolve()
    quarto = None if force_offline else find_quarto()
    # The preview renders a prepared copy (code folded as Quarto folds it); Quarto renders the runs as they are.
    project, tmp = _project_dir(runs, copy=quarto is None)
    try:
        if quarto:
            proc = subprocess.run([quarto, "render", str(project), "--output-dir", str(output_dir)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["unknown error"]
                raise AnalysisError(f"quarto render failed: {tail[0]}")
        else:
            log(QUARTO_HELP)
            fold_code_cells(project)
            _build_offline(project, output_dir)
        _publish_reviews(runs, output_dir, log=log)
        check_offline(output_dir)
        return output_dir
    finally:
        if tmp is not None:
            tmp.cleanup()


def _code_fold_options(project: Path) -> tuple[object, str]:
    """Return ``code-fold`` and ``code-summary`` of the project's HTML format (``_quarto.yml``)."""
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
    html = ((config.get("format") or {}).get("html") or {})
    return html.get("code-fold", False), str(html.get("code-summary", "Code"))


def fold_code_cells(project: Path) -> int:
    """Write the project's ``code-fold`` option into every code cell of the runs' notebooks; return how many.

    Quarto folds every code cell when ``_quarto.yml`` says ``code-fold: true``;
    smalldocs folds a notebook's cell only when the cell itself says so. A
    cell that sets its own ``code-fold`` keeps it. Only the project copy the
    preview renders is changed, never a run's notebooks.
    """
    fold, summary = _code_fold_options(project)
    if fold in (False, None, "false"):
        return 0
    value = str(fold).lower() if isinstance(fold, bool) else str(fold)
    changed = 0
    for path in sorted((project / "runs").glob("*/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            src = "".join(cell.get("source", ""))
            if re.search(r"^#\|\s*code-fold:", src, flags=re.M):
                continue
            cell["source"] = f"#| code-fold: {value}\n#| code-summary: {json.dumps(summary)}\n{src}"
            changed += 1
        path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return changed


# A page reaches the internet through these: scripts, styles, fonts, frames, images.
_REMOTE = re.compile(r"""<(?:script|link|iframe|img|source|embed)\b[^>]*?\b(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
                     r"""|@import\s+(?:url\()?["']?((?:https?:)?//[^"')\s]+)|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
                     re.IGNORECASE)


def remote_assets(site: Path) -> list[str]:
    """Return ``"page: URL"`` for every remote script, style, font, frame or image the built site loads.

    Links a reader may follow (``<a href>``) are not loads and are not listed.
    """
    found = []
    for page in sorted(site.rglob("*")):
        if page.suffix.lower() not in (".html", ".css") or not page.is_file():
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        for match in _REMOTE.finditer(text):
            found.append(f"{page.relative_to(site).as_posix()}: {next(g for g in match.groups() if g)}")
    return found


def check_offline(site: Path) -> None:
    """Refuse a built site that loads anything from the internet, naming the first page and URL."""
    found = remote_assets(site)
    if found:
        raise AnalysisError(f"the built site loads {count_noun(len(found), 'remote asset')}, first {found[0]}; "
                            "nothing may come from a CDN", path=site)


def _publish_reviews(runs: Path, site: Path, *, log=print) -> None:
    """Build the review view into each run's section of the site whose corpus card opts in."""
    from . import review

    for run in list_runs(runs):
        if review.may_publish(RunPaths(run)):
            out = review.build_review(RunPaths(run), site / "runs" / run.name / "review")
            log(f"review view published (the corpus card allows it): {out.relative_to(site).as_posix()}")


def _build_offline(project: Path, output_dir: Path) -> Path:
    """Render the Quarto project with smalldocs into ``output_dir``."""
    from smalldocs.config import BuildError, ConfigError
    from smalldocs.site import build

    try:
        site = build(project, quiet=True)
    except (BuildError, ConfigError) as exc:
        raise AnalysisError(f"offline site build failed: {' '.join(str(exc).split())}") from None
    for warning in site.warnings:
        print(f"site warning: {warning}", file=sys.stderr)
    built = Path(site.out)
    if built.resolve() != output_dir:
        if output_dir.exists():
            shutil.rmtree(output_dir)
        shutil.copytree(built, output_dir, symlinks=False)
        if project != ROOT:
            shutil.rmtree(built, ignore_errors=True)
    return output_dir
