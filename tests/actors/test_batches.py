"""The actors stage in batches: the same bytes whatever the batch size, n_jobs or cluster; sparse frame codes."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from analysis import actors, registry, workers
from analysis.actors import batches
from analysis.registry import RunPaths

PARAMS = dict(speaker_coding="", n_bootstrap=50)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """The default corpus through stage 01 and the frame coder (dense frame codes, as stage 03 writes them)."""
    from analysis import corpus
    from analysis.frames import code_units, load_codebook, score_units
    from analysis.paths import DATA_RAW, DEFAULT_CORPUS

    paths = RunPaths(tmp_path_factory.mktemp("seed") / "run").create()
    corpus.build_corpus(DATA_RAW / DEFAULT_CORPUS, paths)
    units = registry.read(paths, "units")
    book = load_codebook()
    scores = score_units(code_units(units, book, "id"), 0.2)
    registry.write(paths, "frames_units", scores)
    pd.DataFrame({"frame": book.frame_ids(), "frame_name": list(book.frame_names().values())}).to_parquet(
        paths.file("codebook"), index=False)
    # Credits for the wire comparison: two articles wire-based, the rest own reporting.
    articles = registry.read(paths, "articles")
    ids = sorted(articles["article_id"])
    articles["wire_source"] = np.where(articles["article_id"].isin(ids[:2]), "Reuters", "")
    registry.write(paths, "articles", articles)
    return paths


def _copy(paths: RunPaths, where) -> RunPaths:
    other = RunPaths(where / "run").create()
    for key in ("units", "articles", "frames_units", "codebook"):
        shutil.copy(paths.file(key), other.file(key))
    return other


def _bytes(paths: RunPaths) -> dict:
    return {p.relative_to(paths.root).as_posix(): p.read_bytes() for p in sorted(paths.root.rglob("*"))
            if p.is_file() and p.suffix in (".csv", ".parquet", ".graphml") and "frames_units" not in p.name}


def test_the_tables_do_not_depend_on_the_batch_size_or_n_jobs(seed_run, tmp_path, monkeypatch):
    whole = _copy(seed_run, tmp_path / "whole")
    actors.analyse_actors(whole, actors.ActorParams(**PARAMS), n_jobs=1)
    reference = _bytes(whole)
    assert {"data/statements.parquet", "data/voice_frames.parquet", "data/actor_mentions.parquet",
            "tables/actor_network.graphml"} <= set(reference)
    monkeypatch.setattr(batches, "BATCH_UNITS", 7)  # the five articles in several batches
    assert len(list(batches.article_batches(whole.file("units")))) > 2
    for n_jobs in (1, 2):
        run = _copy(seed_run, tmp_path / f"jobs{n_jobs}")
        actors.analyse_actors(run, actors.ActorParams(**PARAMS), n_jobs=n_jobs)
        got = _bytes(run)
        assert got.keys() == reference.keys()
        assert [k for k in got if got[k] != reference[k]] == [], n_jobs


def test_batched_tables_equal_the_whole_corpus_functions(seed_run, tmp_path, monkeypatch):
    # The summed counts give what the functions on whole tables give (quote and source frames, actors, network).
    monkeypatch.setattr(batches, "BATCH_UNITS", 5)
    run = _copy(seed_run, tmp_path)
    result = actors.analyse_actors(run, actors.ActorParams(**PARAMS), n_jobs=1)
    codes, mentions = result.voice_frames, result.mentions
    assert len(codes) and len(mentions)
    lex = actors.compile_lexicon("id")
    expected = actors.quote_frames(codes, min_words=lex.min_quote_words, n_bootstrap=50, seed=result.params.seed,
                                   statements=result.statements)
    pd.testing.assert_frame_equal(result.quote_frames, expected, check_dtype=False)
    pd.testing.assert_frame_equal(result.source_frames,
                                  actors.source_frames(codes, result.statements, min_words=lex.min_quote_words),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(result.top_actors, actors.count_actors(mentions), check_dtype=False)
    G = actors.comention_network(mentions, min_units=actors.NETWORK_MIN_UNITS)
    assert list(result.network.nodes(data=True)) == list(G.nodes(data=True))
    assert list(result.network.edges(data=True)) == list(G.edges(data=True))


def test_sparse_frame_codes_give_the_wire_comparison_of_dense_ones(seed_run, tmp_path):
    dense = _copy(seed_run, tmp_path / "dense")
    sparse = _copy(seed_run, tmp_path / "sparse")
    codes = registry.read(dense, "frames_units")
    assert (codes["score"] == 0).any()
    codes[codes["score"] > 0].to_parquet(sparse.file("frames_units"), index=False)
    a = actors.analyse_actors(dense, actors.ActorParams(**PARAMS), n_jobs=1).wire_frames
    b = actors.analyse_actors(sparse, actors.ActorParams(**PARAMS), n_jobs=1).wire_frames
    assert set(a["story"]) == {"wire", "own"} and a["n_present"].sum() > 0
    pd.testing.assert_frame_equal(a, b)
    # The whole-table function agrees with the streamed counts.
    origins = actors.story_origins(registry.read(dense, "articles"))
    pd.testing.assert_frame_equal(actors.wire_frames(origins, codes, n_bootstrap=50, seed=actors.ActorParams().seed), a)


def test_a_unit_without_any_frame_row_counts_as_no_frame():
    from analysis.actors.voices import wire_shares

    origins = pd.DataFrame({"article_id": ["w", "o"], "story": ["wire", "own"]})
    present = pd.Series([2], index=pd.MultiIndex.from_tuples([("w", "f")]))
    out = wire_shares(origins, pd.Series({"w": 4, "o": 3}), present, ["f", "g"], n_bootstrap=0, seed=1)
    assert out[["story", "frame", "n_units", "n_present", "share"]].values.tolist() == [
        ["wire", "f", 4, 2, 0.5], ["wire", "g", 4, 0, 0.0], ["own", "f", 3, 0, 0.0], ["own", "g", 3, 0, 0.0]]


def test_batches_hold_whole_articles_in_file_order(seed_run, tmp_path):
    units = registry.read(seed_run, "units")
    got = list(batches.article_batches(seed_run.file("units"), size=10))
    assert pd.concat(got, ignore_index=True)["unit_id"].tolist() == units["unit_id"].tolist()
    seen = [set(b["article_id"]) for b in got]
    assert all(not (a & b) for i, a in enumerate(seen) for b in seen[i + 1:])
    # Units of an article that are not consecutive are gathered first (a table the corpus stage did not write).
    shuffled = RunPaths(tmp_path / "run").create()
    units.sample(frac=1, random_state=1).to_parquet(shuffled.file("units"), index=False)
    assert not batches.contiguous(shuffled.file("units"))
    again = list(batches.article_batches(shuffled.file("units"), size=10))
    assert sorted(pd.concat(again)["unit_id"]) == sorted(units["unit_id"])
    seen = [set(b["article_id"]) for b in again]
    assert all(not (a & b) for i, a in enumerate(seen) for b in seen[i + 1:])


def test_a_table_written_in_pieces_has_the_bytes_of_one_written_whole(tmp_path, monkeypatch):
    df = pd.DataFrame({"unit_id": [f"u{i}" for i in range(10)], "article_id": "a", "actor": "x", "label": "X",
                       "kind": "country", "surface": "X", "start": range(10)})
    one, two = RunPaths(tmp_path / "one").create(), RunPaths(tmp_path / "two").create()
    registry.write(one, "actor_mentions", df)
    monkeypatch.setattr(registry, "ROW_GROUP", 4)  # row groups cut across the pieces
    with registry.TableWriter(two, "actor_mentions") as w:
        for a, b in ((0, 3), (3, 3), (3, 9), (9, 10)):
            w.write(df.iloc[a:b])
    assert two.csv("actor_mentions").read_bytes() == one.csv("actor_mentions").read_bytes()
    import pyarrow.parquet as pq

    assert pq.read_metadata(two.file("actor_mentions")).num_row_groups == 3
    assert registry.read(two, "actor_mentions").equals(registry.read(one, "actor_mentions"))
    monkeypatch.setattr(registry, "ROW_GROUP", 128 * 1024)
    three = RunPaths(tmp_path / "three").create()
    with registry.TableWriter(three, "actor_mentions") as w:
        for a, b in ((0, 3), (3, 10)):
            w.write(df.iloc[a:b])
    assert three.file("actor_mentions").read_bytes() == one.file("actor_mentions").read_bytes()


@pytest.mark.slow
def test_a_two_worker_dask_cluster_gives_the_same_tables(seed_run, tmp_path, monkeypatch):
    from distributed import LocalCluster

    here = _copy(seed_run, tmp_path / "here")
    actors.analyse_actors(here, actors.ActorParams(**PARAMS), n_jobs=1)
    monkeypatch.setattr(batches, "BATCH_UNITS", 10)
    there = _copy(seed_run, tmp_path / "there")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        monkeypatch.setitem(os.environ, workers.ENV, cluster.scheduler_address)
        with workers.pool(1) as pool:
            assert pool.kind == "dask"
        actors.analyse_actors(there, actors.ActorParams(**PARAMS), n_jobs=1)
    a, b = _bytes(here), _bytes(there)
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []
