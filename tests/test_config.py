"""Tests for analysis.config: paths and run names."""

import pytest

from analysis import config
from analysis.errors import AnalysisError


def test_root_holds_the_project():
    assert (config.ROOT / "pyproject.toml").exists()
    assert config.DATA_RAW.is_dir()


def test_run_paths_follow_env(isolated_runs):
    paths = config.run_paths("demo")
    assert paths.root == isolated_runs / "demo"
    for folder in (paths.data, paths.tables, paths.figures, paths.explorer):
        assert folder.is_dir()


@pytest.mark.parametrize("bad", ["../x", "/abs", "a/b", "", ".hidden", "sp ace", "é", "x" * 101])
def test_unsafe_run_names_are_refused(bad):
    with pytest.raises(AnalysisError, match="not safe"):
        config.check_run_name(bad)


@pytest.mark.parametrize("good", ["ru-alliances-id", "run_2", "a.b"])
def test_safe_run_names_pass(good):
    assert config.check_run_name(good) == good


def test_resolve_corpus_by_id_and_path(tmp_path):
    assert config.resolve_corpus("ru-alliances-id") == config.DATA_RAW / "ru-alliances-id"
    f = tmp_path / "c.csv"
    f.write_text("text\nx\n")
    assert config.resolve_corpus(str(f)) == f


def test_missing_corpus_names_it():
    with pytest.raises(AnalysisError, match="no-such-corpus: corpus not found"):
        config.resolve_corpus("no-such-corpus")


def test_run_paths_name_the_files_notebooks_use(tmp_path):
    paths = config.RunPaths(tmp_path / "r")
    assert paths.units == tmp_path / "r" / "data" / "units.parquet"
    assert paths.articles == tmp_path / "r" / "data" / "articles.parquet"
    assert paths.coding_sheet == tmp_path / "r" / "data" / "coding_sheet.csv"
    assert paths.table("k_sweep") == tmp_path / "r" / "tables" / "k_sweep.csv"
    assert paths.params.name == "params.yaml" and paths.provenance.name == "provenance.json"
