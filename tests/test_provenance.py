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
