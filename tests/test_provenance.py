"""Tests for analysis.provenance."""

import hashlib
import json

from analysis import provenance


def test_hash_corpus_hashes_only_txt_files_in_order(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"two")
    (tmp_path / "a.txt").write_bytes(b"one")
    (tmp_path / "SOURCES.md").write_text("docs")
    hashes = provenance.hash_corpus(tmp_path)
    assert list(hashes) == ["a.txt", "b.txt"]
    assert hashes["a.txt"] == hashlib.sha256(b"one").hexdigest()


def test_corpus_digest_changes_with_content():
    assert provenance.corpus_digest({"a": "1"}) != provenance.corpus_digest({"a": "2"})
    assert provenance.corpus_digest({"a": "1", "b": "2"}) == provenance.corpus_digest({"b": "2", "a": "1"})


def test_manifest_has_what_a_reader_needs(tmp_path, seed_corpus):
    m = provenance.build_manifest(run_name="r", corpus="ru-alliances-id", source=seed_corpus, parameters={"seed": 7},
                                  started="s", finished="f", stage_seconds={"01": 1.234})
    assert m["seed"] == 7 and len(m["corpus"]["files"]) == 5
    assert m["packages"]["gensim"] != "not installed"
    assert set(m["git"]) == {"commit", "dirty"}
    path = provenance.write_manifest(m, tmp_path / "p.json")
    assert json.loads(path.read_text())["stage_seconds"] == {"01": 1.23}


def test_package_versions_marks_missing():
    assert provenance.package_versions(("no-such-package-xyz",)) == {"no-such-package-xyz": "not installed"}


def _git(repo, *args):
    import subprocess

    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def test_git_state_records_the_commit_and_only_tracked_changes(tmp_path, monkeypatch):
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "a.py").write_text("x = 1\n")
    _git(repo, "add", "a.py")
    _git(repo, "commit", "-q", "-m", "first")
    head = _git(repo, "rev-parse", "HEAD")
    assert provenance.git_state(repo) == {"commit": head, "dirty": False}
    (repo / "notes.txt").write_text("untracked files do not change a result\n")
    assert provenance.git_state(repo) == {"commit": head, "dirty": False}
    (repo / "a.py").write_text("x = 2\n")
    assert provenance.git_state(repo) == {"commit": head, "dirty": True}


def test_git_state_outside_a_repository_is_unknown(tmp_path, monkeypatch):
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never find a repository above tmp_path
    folder = tmp_path / "plain"
    folder.mkdir()
    assert provenance.git_state(folder) == {"commit": "unknown", "dirty": None}


def test_git_state_without_git_is_unknown(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git executable to be found
    assert provenance.git_state(tmp_path) == {"commit": "unknown", "dirty": None}


def test_written_manifest_is_read_back_by_the_report_pages(tmp_path):
    from analysis.registry import RunPaths
    from analysis.report import run_manifest

    manifest = {"run_name": "r", "corpus": {"id": "berita-ü", "files": {"a.txt": "ab"}}, "seed": 7,
                "stage_seconds": {"01": 1.5}, "git": {"commit": "unknown", "dirty": None}}
    run = RunPaths(tmp_path)
    path = provenance.write_manifest(manifest, run.provenance)
    assert run_manifest(run) == manifest
    assert "berita-ü" in path.read_text(encoding="utf-8")  # written as UTF-8 text, not \\u escapes


def test_build_manifest_hashes_the_users_resource_files(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Berita.\n")
    codebook = tmp_path / "frames.yml"
    codebook.write_text("frames: []\n")
    manifest = provenance.build_manifest(run_name="r", corpus="c", source=corpus,
                                         parameters={"seed": 1, "codebook_extra": str(codebook), "aliases_file": ""},
                                         started="s", finished="f", stage_seconds={})
    assert manifest["user_files"] == {"codebook_extra": {"path": "frames.yml",
                                                         "sha256": hashlib.sha256(b"frames: []\n").hexdigest()}}


def test_manifest_names_no_local_absolute_path(tmp_path):
    """A corpus and a codebook outside the project are named, not located: no home folder is published."""
    corpus = tmp_path / "private" / "My news.csv"
    corpus.parent.mkdir()
    corpus.write_text("text\nBerita satu.\n", encoding="utf-8")
    codebook = tmp_path / "private" / "frames.yml"
    codebook.write_text("frames: []\n")
    manifest = provenance.build_manifest(run_name="r", corpus=str(corpus), source=corpus,
                                         parameters={"corpus": str(corpus), "codebook_file": str(codebook), "seed": 1},
                                         started="s", finished="f", stage_seconds={})
    text = json.dumps(manifest)
    assert str(tmp_path) not in text
    assert manifest["corpus"]["id"] == manifest["corpus"]["path"] == manifest["parameters"]["corpus"] == "My news.csv"
    assert manifest["parameters"]["codebook_file"] == "frames.yml"
    assert len(manifest["corpus"]["digest"]) == 64  # the name plus the digest say which corpus it was


def test_public_path_keeps_project_paths_relative():
    from analysis.paths import ROOT

    assert provenance.public_path(ROOT / "data" / "raw" / "ru-alliances-id") == "data/raw/ru-alliances-id"
    assert provenance.public_path("ru-alliances-id") == "ru-alliances-id"
    assert provenance.public_parameters({"corpus": str(ROOT / "x.csv"), "seed": 3, "codebook_file": ""}) == \
        {"corpus": "x.csv", "seed": 3, "codebook_file": ""}


def test_manifest_records_the_corpus_card(tmp_path, seed_corpus):
    m = provenance.build_manifest(run_name="r", corpus="ru-alliances-id", source=seed_corpus, parameters={},
                                  started="s", finished="f", stage_seconds={})
    assert m["corpus"]["card"]["language"] == "id" and "selection_rule" in m["corpus"]["card"]
    assert provenance.read_corpus_card(tmp_path) == {}
    (tmp_path / "corpus.yml").write_text("- a list\n")
    import pytest
    from analysis.errors import AnalysisError

    with pytest.raises(AnalysisError, match="corpus.yml"):
        provenance.read_corpus_card(tmp_path)
