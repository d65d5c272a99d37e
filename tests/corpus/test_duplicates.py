"""Tests of analysis.corpus.duplicates: exact and near duplicates, the threshold, the seed."""

from __future__ import annotations

from dataclasses import fields

import pytest

from analysis import corpus

from .samples import write


def test_duplicates_exact_near_and_dropped(tmp_path):
    src = tmp_path / "src"
    base = " ".join(f"kata{i}" for i in range(200))
    write(src, "a.txt", "TEMPO.CO, Jakarta - " + base)
    write(src, "b.txt", "TEMPO.CO, Jakarta - " + base)  # exact
    write(src, "c.txt", "TEMPO.CO, Jakarta - " + base + " tambahan")  # near
    write(src, "d.txt", "TEMPO.CO, Jakarta - " + " ".join(f"lain{i}" for i in range(200)))
    arts = corpus.build_corpus(src, tmp_path / "o1", seed=1).articles().set_index("article_id")
    assert arts["duplicate_of"].to_dict() == {"a": "", "b": "a", "c": "a", "d": ""}
    dropped = corpus.build_corpus(src, tmp_path / "o2", drop_duplicates=True, seed=1)
    assert set(dropped.units()["article_id"]) == {"a", "d"} and dropped.n_duplicates == 2
    assert dropped.articles().set_index("article_id").loc[["b", "c"], "n_units"].tolist() == [0, 0]


def test_exact_duplicates_ignore_case_and_whitespace():
    finder = corpus.DuplicateFinder(seed=7)
    assert finder.check("a", "Rusia dan Korea Utara bertemu") == ""
    assert finder.check("b", "  rusia DAN\nkorea   utara bertemu ") == "a"
    assert finder.check("c", "Tiongkok dan Rusia bertemu di Astana") == ""


def test_the_threshold_is_a_constant_of_the_method_not_a_parameter(tmp_path):
    assert 0 < corpus.NEAR_DUPLICATE_THRESHOLD <= 1
    assert "near_duplicate_threshold" not in {f.name for f in fields(corpus.CorpusParams)}
    write(tmp_path / "src", "a.txt", "TEMPO.CO, Jakarta - Isi berita yang cukup panjang.")
    with pytest.raises(TypeError, match="near_duplicate_threshold"):
        corpus.build_corpus(tmp_path / "src", tmp_path / "out", near_duplicate_threshold=0.5)
    manifest = corpus.build_corpus(tmp_path / "src", tmp_path / "out").manifest()
    assert manifest["parameters"]["near_duplicate_threshold"] == corpus.NEAR_DUPLICATE_THRESHOLD
