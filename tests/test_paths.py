"""Tests for analysis.paths: paths and run names."""

import pytest

from analysis.paths import DATA_RAW, ROOT, check_run_name, resolve_corpus
from analysis.errors import AnalysisError


def test_root_holds_the_project():
    assert (ROOT / "pyproject.toml").exists()
    assert DATA_RAW.is_dir()


@pytest.mark.parametrize("bad", ["../x", "/abs", "a/b", "", ".hidden", "sp ace", "é", "x" * 101])
def test_unsafe_run_names_are_refused(bad):
    with pytest.raises(AnalysisError, match="not safe"):
        check_run_name(bad)


@pytest.mark.parametrize("good", ["ru-alliances-id", "run_2", "a.b"])
def test_safe_run_names_pass(good):
    assert check_run_name(good) == good


def test_resolve_corpus_by_id_and_path(tmp_path):
    assert resolve_corpus("ru-alliances-id") == DATA_RAW / "ru-alliances-id"
    f = tmp_path / "c.csv"
    f.write_text("text\nx\n")
    assert resolve_corpus(str(f)) == f


def test_missing_corpus_names_it():
    with pytest.raises(AnalysisError, match="no-such-corpus: corpus not found"):
        resolve_corpus("no-such-corpus")
