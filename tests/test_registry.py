"""Tests for analysis.registry: the run's files, their columns and their publication."""

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import registry
from analysis.errors import AnalysisError
from analysis.paths import ROOT
from analysis.registry import ARTIFACTS, RunPaths, run_paths


def test_run_paths_follow_env(isolated_runs):
    paths = run_paths("demo")
    assert paths.root == isolated_runs / "demo"
    for folder in (paths.data, paths.tables, paths.figures, paths.explorer, paths.downloads):
        assert folder.is_dir()


def test_run_paths_name_the_files_notebooks_use(tmp_path):
    paths = RunPaths(tmp_path / "r")
    assert paths.units == tmp_path / "r" / "data" / "units.parquet"
    assert paths.articles == tmp_path / "r" / "data" / "articles.parquet"
    assert paths.file("coding_sheets") == tmp_path / "r" / "data" / "coding_sheets"
    assert paths.csv("k_sweep") == tmp_path / "r" / "tables" / "k_sweep.csv"
    assert paths.csv("articles_overview").name == "articles.csv"
    assert paths.file("run_zip").name == "r.zip"
    assert paths.params.name == "params.yaml" and paths.provenance.name == "provenance.json"


def test_every_artifact_is_well_formed():
    files = [f for a in ARTIFACTS for f in a.files()]
    assert len(files) == len(set(files)), "two artefacts share a file"
    for a in ARTIFACTS:
        assert a.stage in registry.STAGES, a.key
        assert a.description.strip(), a.key
        if a.is_table:
            assert a.columns, a.key
            assert a.file == f"data/{a.key}.parquet"
            assert (a.csv is not None) == a.published
        for reader in a.read_by:
            assert reader in registry.STAGES, (a.key, reader)


def test_write_checks_columns_and_types(tmp_path):
    run = RunPaths(tmp_path)
    good = pd.DataFrame({"step": ["raw"], "n_tokens": [3], "vocab_size": [2]})
    registry.write(run, "text_steps", good)
    with pytest.raises(ValueError, match="missing \\['vocab_size'\\]"):
        registry.write(run, "text_steps", good.drop(columns="vocab_size"))
    with pytest.raises(ValueError, match="unexpected \\['x'\\]"):
        registry.write(run, "text_steps", good.assign(x=1))
    with pytest.raises(ValueError, match="registered type"):
        registry.write(run, "text_steps", good.assign(n_tokens=["three"]))


def test_published_table_has_csv_and_typed_parquet(tmp_path):
    run = RunPaths(tmp_path)
    df = pd.DataFrame({"k": [3], "c_v": [0.5], "c_npmi": [0.1], "u_mass": [-1.0], "diversity": [0.9],
                       "score": [0.4], "eligible": [True], "chosen": [False]})
    csv = registry.write(run, "k_sweep", df)
    assert csv == tmp_path / "tables" / "k_sweep.csv"
    back = registry.read(run, "k_sweep")
    assert back["eligible"].dtype == bool and back["chosen"].tolist() == [False]


def test_internal_table_is_not_published(tmp_path):
    run = RunPaths(tmp_path)
    units = pd.DataFrame({"unit_id": ["a-p000"], "article_id": ["a"], "position": [0], "unit_type": ["lead"],
                          "start": [0], "end": [3],
                          "text": ["abc"]})
    assert registry.write(run, "units", units) == tmp_path / "data" / "units.parquet"
    assert not (tmp_path / "tables" / "units.csv").exists()
    assert registry.published_files(run) == []


def test_run_specific_columns_follow_their_pattern(tmp_path):
    run = RunPaths(tmp_path)
    dt = pd.DataFrame({"unit_id": ["u"], "article_id": ["a"], "topic_0": [0.4], "topic_1": [0.6]})
    registry.write(run, "doc_topics", dt)
    assert registry.read(run, "doc_topics").columns.tolist() == dt.columns.tolist()
    with pytest.raises(ValueError):
        registry.write(run, "doc_topics", dt.assign(other=1.0))


def test_read_of_a_missing_table_names_the_notebook(tmp_path):
    from analysis.errors import AnalysisError

    with pytest.raises(AnalysisError, match="frames_units.parquet: missing: run notebook 03-analyse-frames first"):
        registry.read(RunPaths(tmp_path), "frames_units")


_RUN_FILE = re.compile(r"[\"'][\w./{}-]+\.(?:parquet|csv|graphml|gensim|mm|model|ipynb|zip)[\"']")


def test_no_module_outside_the_registry_spells_a_run_file():
    """Run files are named in the registry only (corpus inputs such as metadata.csv are not run files)."""
    run_files = {Path(f).name for a in ARTIFACTS for f in a.files()}
    offenders = []
    for module in sorted((ROOT / "analysis").rglob("*.py")):
        if module.name == "registry.py":
            continue
        for n, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1):
            for m in _RUN_FILE.findall(line):
                if Path(m.strip("\"'")).name in run_files:
                    offenders.append(f"{module.relative_to(ROOT)}:{n}: {m}")
    assert not offenders, "\n".join(offenders)


def test_read_without_leaves_out_the_named_columns_only(tmp_path):
    run = registry.RunPaths(tmp_path / "run").create()
    df = pd.DataFrame({"step": ["raw", "clean"], "n_tokens": [3, 2], "vocab_size": [2, 1]})
    registry.write(run, "text_steps", df)
    got = registry.read_without(run, "text_steps", "n_tokens")
    assert got.columns.tolist() == ["step", "vocab_size"] and got["step"].tolist() == ["raw", "clean"]
    assert registry.read_without(run, "text_steps").equals(registry.read(run, "text_steps"))
    # A missing table still gives the registry's one-line error, naming the notebook that writes it.
    with pytest.raises(AnalysisError, match="text_params|notebook"):
        registry.read_without(run, "text_params", "value")
