"""Building the website from the runs: Quarto where it is installed, else an offline preview.

The site is a Quarto website project (``_quarto.yml`` at the top of the
repository). Its pages are the executed notebooks of every run in ``runs/``;
Quarto shows them as they are and never re-executes them. Where Quarto cannot
be had (its PyPI package downloads the binary from GitHub while it installs),
the same ``_quarto.yml`` project is rendered by smalldocs, a pure-Python
renderer of Quarto website projects: same pages, same navigation, no CDN
assets, and it works from ``file://``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

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


def _project_dir(runs: Path) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """Return a project folder whose ``runs/`` is ``runs`` (the repository itself if it is)."""
    if runs.resolve() == (ROOT / "runs").resolve():
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
    project, tmp = _project_dir(runs)
    try:
        quarto = None if force_offline else find_quarto()
        if quarto:
            proc = subprocess.run([quarto, "render", str(project), "--output-dir", str(output_dir)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["unknown error"]
                raise AnalysisError(f"quarto render failed: {tail[0]}")
            return output_dir
        log(QUARTO_HELP)
        return _build_offline(project, output_dir)
    finally:
        if tmp is not None:
            tmp.cleanup()


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
