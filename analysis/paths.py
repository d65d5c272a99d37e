"""Where the project lives: its folders (raw data, resources, notebooks), derived from the package's own location.

The files inside a run folder are named in :mod:`analysis.registry`, and only there.

papermill, nbval and Quarto start notebooks from different working
directories, so notebooks never hold paths as strings: they ask this module.
The root of run folders can be moved with the environment variable
``ANALYSIS_RUNS_ROOT`` (the runner uses it to stage a run in a temporary
folder, and the tests to write into a temporary directory).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import AnalysisError

ROOT = Path(__file__).resolve().parents[1]
DATA_RAW = ROOT / "data" / "raw"
DATA_CODING = ROOT / "data" / "coding"  # human coding sheets, one folder per corpus
RESOURCES = Path(__file__).resolve().parent / "resources"
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_CORPUS = "ru-alliances-id"
DEFAULT_PARAMS = RESOURCES / "params.yaml"


def runs_root() -> Path:
    """Return the folder that holds run folders (``runs/`` unless overridden)."""
    override = os.environ.get("ANALYSIS_RUNS_ROOT")
    return Path(override).resolve() if override else ROOT / "runs"


_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def check_run_name(name: str) -> str:
    """Return ``name`` if it is a safe run name, else raise :class:`AnalysisError`.

    A safe name is non-empty, uses only ``[A-Za-z0-9._-]`` and does not start
    with a dot, so it can never escape the runs folder.
    """
    if not name or not set(name) <= _SAFE or name.startswith(".") or len(name) > 100:
        raise AnalysisError(
            f"run name {name!r} is not safe: use 1-100 characters from [A-Za-z0-9._-], not starting with '.'"
        )
    return name


def resolve_corpus(corpus: str) -> Path:
    """Return the path of a corpus given as an id under ``data/raw/`` or a path.

    Raises :class:`AnalysisError` naming the corpus when nothing is there.
    """
    candidate = DATA_RAW / corpus
    if corpus and "/" not in corpus and candidate.exists():
        return candidate
    path = Path(corpus).expanduser()
    if not path.is_absolute():
        path = (Path.cwd() / path).resolve()
    if not path.exists():
        raise AnalysisError(f"corpus not found (neither an id under {DATA_RAW} nor an existing path)", path=corpus)
    return path
