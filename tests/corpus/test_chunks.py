"""Tests of the corpus stage's chunks: the tables do not depend on the chunks, nor on where they ran."""

from __future__ import annotations

import shutil

import pytest

from analysis import corpus
from analysis.corpus import build

from .samples import SEEDS


@pytest.fixture
def source(tmp_path):
    """The seed corpus, with an exact and a near copy of an article after the original."""
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    original = sorted(src.glob("*.txt"))[1]
    text = original.read_text(encoding="utf-8")
    (src / "zz_exact.txt").write_text(text.upper().replace("\n", "\n\n"), encoding="utf-8")
    words = text.split(" ")
    (src / "zz_near.txt").write_text(" ".join(words[:-3] + ["kata", "lain"] + words[-1:]), encoding="utf-8")
    return src


def _tables(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _build(source, out, drop_duplicates=True):
    return corpus.build_corpus(source, out, seed=3, drop_duplicates=drop_duplicates)


def test_chunks_and_processes_give_the_same_tables(source, tmp_path, monkeypatch):
    base = _build(source, tmp_path / "base")
    assert base.n_duplicates == 2 and base.articles().set_index("article_id").loc["zz_near", "duplicate_of"]
    monkeypatch.setattr(build, "_CHUNK_ARTICLES", 2)
    chunked = _build(source, tmp_path / "chunked")
    monkeypatch.setattr(build, "_n_jobs", lambda n: 2)
    parallel = _build(source, tmp_path / "parallel")
    kept = _build(source, tmp_path / "kept", drop_duplicates=False)
    assert _tables(tmp_path / "chunked") == _tables(tmp_path / "base") == _tables(tmp_path / "parallel")
    assert kept.n_units > parallel.n_units == chunked.n_units


def test_n_jobs_follows_the_text_stage_rule(source):
    assert build._n_jobs(2_000) == 1 and build._n_jobs(2_001) >= 1
    assert build._count_articles(source) == len(list(source.glob("*.txt")))


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_tables(source, tmp_path, monkeypatch):
    from distributed import LocalCluster

    from analysis import workers

    _build(source, tmp_path / "here")
    monkeypatch.setattr(build, "_CHUNK_ARTICLES", 2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        monkeypatch.setenv(workers.ENV, cluster.scheduler_address)
        _build(source, tmp_path / "there")
    assert _tables(tmp_path / "there") == _tables(tmp_path / "here")
