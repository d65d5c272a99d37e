"""Tests for analysis.frames.stage: FrameParams and the stage function analyse_frames."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from analysis import frames, parameters, registry
from analysis.errors import AnalysisError
from analysis.registry import RunPaths

from .samples import block_matrix


def test_params_default_to_the_notebooks_parameters_cell():
    p = frames.FrameParams()
    for name in ("language", "resolution", "edge_quantile", "frame_threshold", "min_units", "n_bootstrap", "seed"):
        assert getattr(p, name) == parameters.default(name), name


@pytest.mark.parametrize("bad", [{"frame_threshold": 1.5}, {"min_units": 0}, {"edge_quantile": -0.1},
                                 {"n_bootstrap": -1}, {"resolution": 0.0}, {"language": "fr"}, {"seed": "1"}])
def test_params_are_checked_by_the_one_parameter_check(bad):
    (name, value), = bad.items()
    with pytest.raises(AnalysisError, match=f"frames parameters: .*{name}") as err:
        frames.FrameParams(**bad)
    assert "\n" not in str(err.value)


@pytest.fixture
def run(tmp_path) -> RunPaths:
    """A run folder as stages 01 and 02 leave it: internal Parquet only, no published CSV."""
    paths = RunPaths(tmp_path / "run").create()
    dt = block_matrix(n=24)
    texts = ["Perang dan sanksi terhadap Rusia.", "Kerja sama militer dan pakta pertahanan.", "Cuaca cerah."]
    units = dt[["unit_id", "article_id"]].assign(text=[texts[i % 3] for i in range(len(dt))])
    articles = pd.DataFrame({"article_id": sorted(units["article_id"].unique())})
    articles = articles.assign(outlet=["X", "Y", "", "X", "Y", "X"], date=["2024-06-19"] * 3 + [""] * 3,
                               language="id")
    terms = pd.DataFrame({"topic": range(1, 7), "rank": 1, "term": [f"w{k}" for k in range(6)],
                          "probability": 0.1, "relevance": 0.0, "lift": 1.0})
    for key, df in (("units", units), ("articles", articles), ("doc_topics", dt), ("topic_terms", terms)):
        df.to_parquet(paths.file(key), index=False)
    return paths


def test_analyse_frames_writes_every_table_of_the_stage_once(run):
    result = frames.analyse_frames(run, frames.FrameParams(n_bootstrap=50))
    written = {a.key for a in registry.ARTIFACTS if a.stage == "frames" and a.format != "figure"}
    assert set(result.tables) == written
    for key in written - {"topic_network"}:
        back = registry.read(run, key)
        assert back.columns.tolist() == [c for c, _ in registry.artifact(key).columns], key
        assert run.csv(key).is_file(), key
    graphs = sorted(p.relative_to(run.root).as_posix() for p in run.root.rglob("*.graphml"))
    assert graphs == ["tables/topic_network.graphml"]  # written once, to its registered file
    assert not (run.data / "frame_codes.parquet").exists()
    assert nx.read_graphml(run.file("topic_network")).number_of_nodes() == 6


def test_analyse_frames_reads_no_published_csv(run):
    frames.analyse_frames(run, frames.FrameParams(n_bootstrap=0))
    for csv in run.tables.glob("*.csv"):
        csv.write_text("not a table\n", encoding="utf-8")  # a stage that read these would fail
    again = frames.analyse_frames(run, frames.FrameParams(n_bootstrap=0))
    # Sparse: only the 16 units with a frame have rows (a third of the units carry none), not 24 × 10.
    assert again.unit_scores["unit_id"].nunique() == 16 and len(again.unit_scores) < 24 * len(again.codebook.frames)
    assert again.unit_scores["score"].gt(0).all() and again.codes["present"].eq(1).all()


def _dense_tables(run, params):
    """The frames stage's deductive tables as the dense coder gives them (every unit, question and frame)."""
    units = registry.read(run, "units")
    articles = registry.read(run, "articles")
    codes = frames.code_units(units, frames.load_codebook(), "id")
    scores = frames.score_units(codes, params.frame_threshold)
    prev = {by: frames.frame_prevalence(scores, articles, by=by, n_bootstrap=params.n_bootstrap, seed=params.seed)
            for by in (None, "outlet", "date")}
    return {"frame_codes_units": codes, "frames_units": scores, "frames_articles": frames.rollup_articles(scores),
            "frame_prevalence": prev[None], "frame_prevalence_outlet": prev["outlet"],
            "frame_prevalence_date": prev["date"],
            "frame_prevalence_unit_type": frames.unit_type_prevalence(scores, units, n_bootstrap=params.n_bootstrap,
                                                                      seed=params.seed),
            "frame_evidence": frames.code_evidence(units, codes)}


def test_sparse_codes_give_the_dense_tables_numbers(run):
    """Only yes codes and scores above 0 are stored; every other table is what the dense codes give."""
    units = registry.read(run, "units")
    units.assign(unit_type=["headline", "lead", "body"] * 8).to_parquet(run.file("units"), index=False)
    params = frames.FrameParams(n_bootstrap=60, frame_threshold=0.4)
    result = frames.analyse_frames(run, params)
    dense = _dense_tables(run, params)
    sparse = {"frame_codes_units": dense["frame_codes_units"].query("present == 1"),
              "frames_units": dense["frames_units"].query("score > 0")}
    assert sparse["frames_units"]["present"].eq(0).any()  # a score above 0 under the threshold is kept
    for key, want in {**dense, **sparse}.items():
        got = registry.read(run, key)
        pd.testing.assert_frame_equal(got, want.reset_index(drop=True)[got.columns.tolist()], check_dtype=False,
                                      obj=key)
    assert result.describe_coding() == frames.describe_coding(
        dense["frame_codes_units"], dense["frames_units"], result.codebook, threshold=0.4, min_units=1)
    dense_comparison = frames.compare_frames(dense["frames_units"], result.shares)
    pd.testing.assert_frame_equal(result.comparison, dense_comparison)


def test_coding_in_chunks_and_processes_gives_the_same_tables(run, monkeypatch):
    from analysis.frames import stage

    frames.analyse_frames(run, frames.FrameParams(n_bootstrap=20))
    first = {p.name: p.read_bytes() for p in run.data.glob("*.parquet")}
    monkeypatch.setattr(stage, "resolve_n_jobs", lambda paths, n: 2)
    monkeypatch.setattr(frames.coding, "CHUNK_UNITS", 5)
    frames.analyse_frames(run, frames.FrameParams(n_bootstrap=20))
    assert first == {p.name: p.read_bytes() for p in run.data.glob("*.parquet")}


def test_result_states_its_claims(run):
    result = frames.analyse_frames(run, frames.FrameParams(n_bootstrap=0))
    assert result.top_frames().text.startswith("The most common frame")
    assert result.top_frames().frames and set(result.top_frames().frames) <= set(result.codebook.frame_ids())
    assert result.describe_coding().startswith("24 units were coded on 10 frames")
    assert result.describe_network().startswith("The network of 6 topics")
    assert result.closest_match().text  # a sentence in every case
    assert result.inductive_summary["top_terms"].str.len().gt(0).all()  # topic terms came from the Parquet table


def test_same_seed_gives_identical_tables(run, tmp_path):
    frames.analyse_frames(run, frames.FrameParams(n_bootstrap=100))
    first = {p.name: p.read_bytes() for p in run.tables.iterdir()}
    frames.analyse_frames(run, frames.FrameParams(n_bootstrap=100))
    assert first == {p.name: p.read_bytes() for p in run.tables.iterdir()}


@pytest.mark.parametrize("key, notebook", [("units", "01-build-corpus"), ("doc_topics", "02-fit-topics"),
                                           ("topic_terms", "02-fit-topics")])
def test_missing_input_names_the_file_and_the_notebook(run, key, notebook):
    run.file(key).unlink()
    with pytest.raises(AnalysisError) as err:
        frames.analyse_frames(run)
    assert str(err.value) == f"{run.file(key)}: missing: run notebook {notebook} first"


def test_an_empty_corpus_is_refused(run):
    registry.read(run, "units").iloc[:0].to_parquet(run.file("units"), index=False)
    with pytest.raises(AnalysisError, match="units.parquet: no units: the corpus is empty"):
        frames.analyse_frames(run)


@pytest.mark.slow
def test_coding_on_a_dask_cluster_gives_the_same_tables(run, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from analysis import workers

    frames.analyse_frames(run, frames.FrameParams(n_bootstrap=20))
    first = {p.name: p.read_bytes() for p in run.data.glob("*.parquet")}
    monkeypatch.setattr(frames.coding, "CHUNK_UNITS", 7)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        monkeypatch.setenv(workers.ENV, cluster.scheduler_address)
        frames.analyse_frames(run, frames.FrameParams(n_bootstrap=20))
    assert first == {p.name: p.read_bytes() for p in run.data.glob("*.parquet")}


def test_streamed_codes_keep_their_first_rows_and_count_them_all(run, monkeypatch):
    monkeypatch.setattr(frames.coding.outputs, "MAX_SHOWN_ROWS", 3)
    result = frames.analyse_frames(run, frames.FrameParams(n_bootstrap=0))
    evidence, codes = registry.read(run, "frame_evidence"), registry.read(run, "frame_codes_units")
    assert len(result.evidence) == 3 and result.n_evidence == len(evidence) > 3
    pd.testing.assert_frame_equal(result.evidence.reset_index(drop=True), evidence.head(3), check_dtype=False)
    assert len(result.codes) == 3 and result.n_codes == len(codes) > 3
    assert f"{len(codes)} question codes are *yes*" in result.describe_coding()


def test_a_stage_that_fails_after_coding_keeps_the_earlier_files(run, monkeypatch):
    from analysis.frames import stage

    frames.analyse_frames(run, frames.FrameParams(n_bootstrap=0))
    keys = ("frame_codes_units", "frame_evidence", "frames_units")
    before = {k: (run.file(k).read_bytes(), run.csv(k).read_bytes()) for k in keys}

    def fail(*args, **kwargs):
        raise RuntimeError("the topic network failed")

    monkeypatch.setattr(stage, "_inductive", fail)
    with pytest.raises(RuntimeError, match="topic network"):
        frames.analyse_frames(run, frames.FrameParams(n_bootstrap=0))
    assert before == {k: (run.file(k).read_bytes(), run.csv(k).read_bytes()) for k in keys}
    assert not [p.name for p in (*run.data.iterdir(), *run.tables.iterdir()) if p.name.endswith(".tmp")]
