"""Shared fixtures: a fixed-seed rng, the seed corpus, one full run of the pipeline, and fake runs.

The full run (every notebook, on the default corpus, into a temporary runs
folder) is made once per test session and shared by the notebook, site and
browser tests, so the suite runs the pipeline only once. Tests of the report
pages build small fake runs instead, writing each table with
:func:`put_table` through the registry, as the stages do.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.paths import DATA_RAW, DEFAULT_CORPUS

SEED = 20240619


@pytest.fixture
def rng():
    return np.random.default_rng(SEED)


@pytest.fixture(scope="session")
def seed_corpus() -> Path:
    return DATA_RAW / DEFAULT_CORPUS


@pytest.fixture(scope="session")
def runs_root(tmp_path_factory) -> Path:
    """A temporary runs folder for the session (ANALYSIS_RUNS_ROOT points at it)."""
    root = tmp_path_factory.mktemp("runs")
    old = os.environ.get("ANALYSIS_RUNS_ROOT")
    os.environ["ANALYSIS_RUNS_ROOT"] = str(root)
    yield root
    if old is None:
        os.environ.pop("ANALYSIS_RUNS_ROOT", None)
    else:
        os.environ["ANALYSIS_RUNS_ROOT"] = old


@pytest.fixture(scope="session")
def default_run(runs_root) -> Path:
    """The whole pipeline, run once on the default corpus with default parameters."""
    from analysis.runner import run_pipeline

    return run_pipeline(DEFAULT_CORPUS, progress=False, log=lambda *_: None)


@pytest.fixture(scope="session")
def built_site(default_run, runs_root, tmp_path_factory) -> Path:
    """The offline site built from the session's runs."""
    from analysis.site import build_site

    out = tmp_path_factory.mktemp("site") / "_site"
    return build_site(output_dir=out, force_offline=True, runs=runs_root, log=lambda *_: None)


@pytest.fixture
def isolated_runs(tmp_path, monkeypatch) -> Path:
    """A fresh, empty runs folder for one test."""
    root = tmp_path / "runs"
    root.mkdir()
    monkeypatch.setenv("ANALYSIS_RUNS_ROOT", str(root))
    return root


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


# What a stage writes for a value it does not have: an empty string, zero, NaN, false, no items.
_BLANK = {"str": "", "int": 0, "float": float("nan"), "bool": False, "list": ()}


def put_table(paths, key: str, data) -> Path:
    """Write table ``key`` of a fake run through :func:`analysis.registry.write`.

    ``data`` (a DataFrame or a dict of columns) needs only the columns a test
    is about: every other declared column is added blank, in the registry's
    order, so the registry's strict check still sees a complete table.
    Run-specific columns (``topic_0`` …) are kept after the declared ones.
    """
    from analysis import registry

    df = pd.DataFrame(data)
    a = registry.artifact(key)
    declared = [name for name, _ in a.columns]
    for name, kind in a.columns:
        if name not in df.columns:
            df[name] = [_BLANK[kind]] * len(df) if kind == "list" else _BLANK[kind]
    extra = [c for c in df.columns if c not in declared]
    return registry.write(paths, key, df[declared + extra])
