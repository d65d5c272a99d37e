"""Tests for analysis.frames: codebook loading, deductive coding, ANTMN topic networks."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import frames, outputs
from analysis.errors import AnalysisError

# ----------------------------------------------------------------- codebook

GOOD = {
    "name": "test",
    "version": "1",
    "frames": [
        {
            "id": "conflict",
            "name": "Conflict",
            "kind": "generic",
            "definition": "d",
            "source": "semetko2000",
            "questions": [
                {"id": "c_q1", "text": {"en": "War?"}, "indicators": {"en": ["war"], "id": ["perang", r"re:\bmenentang\w*"]}},
                {"id": "c_q2", "text": {"en": "Blame?"}, "indicators": {"en": ["blame"], "id": ["menuduh"]}},
            ],
        }
    ],
}


def _write(tmp_path, data, name="cb.yml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _broken(mutate):
    import copy

    data = copy.deepcopy(GOOD)
    mutate(data)
    return data


def test_shipped_codebook_has_semetko_valkenburg_questions():
    cb = frames.load_codebook()
    n = {f.id: len(f.questions) for f in cb.frames}
    assert n["conflict"] == 4 and n["human_interest"] == 5 and n["economic"] == 3
    assert n["morality"] == 3 and n["responsibility"] == 5
    issue = [f.id for f in cb.frames if f.kind == "issue-specific"]
    assert len(issue) == 5
    for f in cb.frames:
        for q in f.questions:
            assert set(q.text) == {"en", "id"} and set(q.indicators) == {"en", "id"}


def test_loads_good_codebook_and_extra(tmp_path):
    extra = _broken(lambda d: d["frames"][0].update(id="more") or d["frames"][0]["questions"][0].update(id="m_q1")
                    or d["frames"][0]["questions"][1].update(id="m_q2"))
    cb = frames.load_codebook(_write(tmp_path, GOOD), extra=_write(tmp_path, extra, "extra.yml"))
    assert cb.frame_ids() == ["conflict", "more"]


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["frames"][0].pop("id"), "frame #1: field 'id'"),
        (lambda d: d["frames"].append(dict(d["frames"][0], questions=[
            {"id": "x_q1", "text": {"en": "?"}, "indicators": {"en": ["x"]}}])), "frame 'conflict': field 'id'"),
        (lambda d: d["frames"][0]["questions"][1].update(id="c_q1"), "frame 'conflict': field 'questions[1].id'"),
        (lambda d: d["frames"][0]["questions"][0]["indicators"].update(xx=["a"]), "c_q1.indicators.xx"),
        (lambda d: d["frames"][0]["questions"][0]["indicators"].update(en=["re:(unclosed"]), "bad regex"),
        (lambda d: d["frames"][0].update(source="nobody1999"), "frame 'conflict': field 'source'"),
        (lambda d: d["frames"][0].update(kind="special"), "frame 'conflict': field 'kind'"),
        (lambda d: d["frames"][0].update(questions=[]), "frame 'conflict': field 'questions'"),
    ],
)
def test_malformed_codebook_names_frame_and_field(tmp_path, mutate, expected):
    path = _write(tmp_path, _broken(mutate))
    with pytest.raises(AnalysisError) as err:
        frames.load_codebook(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_unparseable_and_missing_codebook(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("frames: [unclosed", encoding="utf-8")
    with pytest.raises(AnalysisError, match="malformed YAML"):
        frames.load_codebook(bad)
    with pytest.raises(AnalysisError, match="not found"):
        frames.load_codebook(tmp_path / "nope.yml")


# ---------------------------------------------------------- deductive coding


@pytest.fixture
def units():
    return pd.DataFrame(
        {
            "unit_id": ["a-p000", "a-p001", "b-p000"],
            "article_id": ["a", "a", "b"],
            "text": ["Perang dan pihak yang menentangnya.", "Cuaca cerah hari ini.", "Mereka menuduh Barat."],
        }
    )


def test_code_units_records_evidence(tmp_path, units):
    cb = frames.load_codebook(_write(tmp_path, GOOD))
    codes = frames.code_units(units, cb, "id")
    assert len(codes) == 3 * 2
    row = codes[(codes.unit_id == "a-p000") & (codes.question == "c_q1")].iloc[0]
    assert row.present == 1 and row.evidence == r"perang; re:\bmenentang\w*"
    assert codes[codes.unit_id == "a-p001"]["present"].sum() == 0
    # every yes has evidence, every no has none: codes are auditable
    assert ((codes.present == 1) == (codes.evidence != "")).all()


def test_plain_indicators_respect_word_boundaries(tmp_path):
    cb = frames.load_codebook(_write(tmp_path, GOOD))
    u = pd.DataFrame({"unit_id": ["x"], "article_id": ["x"], "text": ["peperangan"]})
    assert frames.code_units(u, cb, "id")["present"].sum() == 0


def test_scores_in_unit_interval_and_rollup(tmp_path, units):
    cb = frames.load_codebook(_write(tmp_path, GOOD))
    scores = frames.score_units(frames.code_units(units, cb, "id"), threshold=0.5)
    assert scores["score"].between(0, 1).all()
    assert scores.set_index("unit_id").loc["a-p000", "score"] == 0.5
    arts = frames.rollup_articles(scores, min_units=1)
    a = arts.set_index("article_id").loc["a"]
    assert a.n_units == 2 and a.n_units_coded == 1 and a.score == 0.5 and a.present == 1
    assert frames.rollup_articles(scores, min_units=2).set_index("article_id").loc["a", "present"] == 0


def test_bad_parameters_raise(tmp_path, units):
    cb = frames.load_codebook(_write(tmp_path, GOOD))
    with pytest.raises(AnalysisError, match="language"):
        frames.code_units(units, cb, "de")
    codes = frames.code_units(units, cb, "id")
    with pytest.raises(AnalysisError, match="frame_threshold"):
        frames.score_units(codes, threshold=1.5)
    with pytest.raises(AnalysisError, match="min_units"):
        frames.rollup_articles(frames.score_units(codes), min_units=0)


def test_shipped_codebook_codes_seed_like_text():
    u = pd.DataFrame({"unit_id": ["s"], "article_id": ["s"],
                      "text": ["Kedua negara menyetujui pakta pertahanan bersama dan melawan hegemoni Barat."]})
    scores = frames.score_units(frames.code_units(u, frames.load_codebook(), "id")).set_index("frame")
    assert scores.loc["military_cooperation", "present"] == 1
    assert scores.loc["multipolar_order", "present"] == 1
    assert scores.loc["economic", "present"] == 0


# ----------------------------------------------------------- topic network


def _block_matrix(seed=0, n=60):
    """Doc-topic matrix with two planted frames: topics {0,1,2} and {3,4,5} co-occur."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        block = [0, 1, 2] if i % 2 == 0 else [3, 4, 5]
        w = np.full(6, 0.01)
        w[block] += rng.dirichlet([1, 1, 1])
        rows.append(w / w.sum())
    dt = pd.DataFrame(rows, columns=[f"topic_{k}" for k in range(6)])
    dt.insert(0, "article_id", [f"a{i // 4}" for i in range(n)])
    dt.insert(0, "unit_id", [f"a{i // 4}-p{i % 4:03d}" for i in range(n)])
    return dt


def test_network_has_cosine_weights_and_no_self_loops():
    dt = _block_matrix()
    G = frames.build_topic_network(dt)
    assert nx.number_of_selfloops(G) == 0
    assert G.number_of_nodes() == 6 and G.number_of_edges() == 15
    x, y = dt["topic_0"].to_numpy(), dt["topic_1"].to_numpy()
    assert G["topic_0"]["topic_1"]["weight"] == pytest.approx(x @ y / np.linalg.norm(x) / np.linalg.norm(y))
    assert G["topic_0"]["topic_1"]["weight"] > G["topic_0"]["topic_3"]["weight"]


def test_edge_quantile_backbone_keeps_strong_edges():
    G = frames.build_topic_network(_block_matrix(), edge_quantile=0.5)
    assert 0 < G.number_of_edges() < 15
    assert G.has_edge("topic_0", "topic_1") and not G.has_edge("topic_0", "topic_3")


def test_planted_communities_are_recovered():
    fr = frames.detect_frames(frames.build_topic_network(_block_matrix()), seed=7)
    groups = {frozenset(g["topic"]) for _, g in fr.groupby("frame")}
    # topics are numbered from 1 for people: columns topic_0..topic_2 are topics 1..3
    assert groups == {frozenset({1, 2, 3}), frozenset({4, 5, 6})}


def test_same_seed_same_network_and_frames(tmp_path):
    dt = _block_matrix(seed=3)
    out = []
    for run in range(2):
        G = frames.build_topic_network(dt, edge_quantile=0.2)
        fr = frames.detect_frames(G, resolution=1.0, seed=20240619)
        path = frames.write_network(G, tmp_path / f"run{run}")
        out.append((fr, path.read_bytes()))
    pd.testing.assert_frame_equal(out[0][0], out[1][0])
    assert out[0][1] == out[1][1]


def test_describe_and_shares():
    dt = _block_matrix()
    fr = frames.detect_frames(frames.build_topic_network(dt), seed=1)
    terms = pd.DataFrame({"topic": [f"topic_{k}" for k in range(6)], "rank": 1,
                          "term": [f"w{k}" for k in range(6)], "probability": 0.1})
    desc = frames.describe_frames(fr, terms, n_terms=3)
    assert desc["prevalence"].sum() == pytest.approx(1.0)
    assert set(desc["top_terms"].str.split(", ").explode()) == {f"w{k}" for k in range(6)}
    shares = frames.unit_frame_shares(dt, fr)
    assert shares.groupby("unit_id")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_bad_doc_topics_raise():
    with pytest.raises(AnalysisError, match="topic_<k>"):
        frames.build_topic_network(pd.DataFrame({"unit_id": ["a"], "topic_0": [1.0]}))
    with pytest.raises(AnalysisError, match="edge_quantile"):
        frames.build_topic_network(_block_matrix(), edge_quantile=1.5)


# -------------------------------------------------------------- prevalence


def test_bootstrap_prevalence_is_seeded_and_brackets_estimate():
    s = pd.DataFrame({"unit_id": [f"u{i}" for i in range(20)], "article_id": ["a"] * 10 + ["b"] * 10,
                      "frame": "f", "present": [1, 0] * 10})
    arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", ""]})
    p1 = frames.frame_prevalence(s, arts, by="outlet", n_bootstrap=200, seed=5)
    p2 = frames.frame_prevalence(s, arts, by="outlet", n_bootstrap=200, seed=5)
    pd.testing.assert_frame_equal(p1, p2)
    assert set(p1["group"]) == {"X", "unknown"}
    assert ((p1.lo <= p1.prevalence) & (p1.prevalence <= p1.hi)).all()
    with pytest.raises(AnalysisError, match="by="):
        frames.frame_prevalence(s, arts, by="nope", seed=1)


def test_compare_frames_correlates():
    sc = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "frame": "f", "score": [0.0, 0.5, 1.0]})
    sh = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "frame": 0, "share": [0.1, 0.2, 0.9]})
    assert frames.compare_frames(sc, sh)["rho"].item() == pytest.approx(1.0)


@pytest.mark.parametrize("language", ["id", "en"])
def test_code_units_word_prefilter_matches_every_indicator_search(language):
    # The coder skips a phrase's regex on units without its first word; the
    # result must equal searching every indicator in every unit.
    texts = ["KERJA SAMA militer (Perang) dingin; sanksi-sanksi Barat.", "Kerja\nsama, ekonomi—perdagangan!",
             "The WAR, tensions and sanctions; Win-win cooperation?", "kerjasama warfare tensionless", "", None,
             "Menuduh, mengecam; dikritik. Pyongyang's 'aliansi' dan NATO.", "Économie et guerre: İstanbul"]
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(texts))], "article_id": "a", "text": texts})
    codebook = frames.load_codebook()
    got = frames.code_units(units, codebook, language)
    expected = []
    for uid, text in zip(units["unit_id"], units["text"]):
        text = text if isinstance(text, str) else ""
        for f in codebook.frames:
            for q in f.questions:
                fired = [i for i in q.indicators.get(language, []) if frames._compile(i).search(text)]
                expected.append((uid, f.id, q.id, int(bool(fired)), "; ".join(fired)))
    assert list(got[["unit_id", "frame", "question", "present", "evidence"]].itertuples(index=False, name=None)) == expected
    assert got["present"].sum() >= 3  # the texts do hit indicators


# ----------------------------------------------------------- evidence table


def test_code_evidence_lists_only_yes_codes_with_their_indicators(tmp_path, units):
    codes = frames.code_units(units, frames.load_codebook(_write(tmp_path, GOOD)), "id")
    ev = frames.code_evidence(units, codes)
    assert ev.columns.tolist() == ["unit_id", "frame", "question", "evidence", "snippet"]
    assert ev[["unit_id", "question", "evidence"]].values.tolist() == [
        ["a-p000", "c_q1", r"perang; re:\bmenentang\w*"],
        ["b-p000", "c_q2", "menuduh"],
    ]
    assert ev["snippet"].tolist() == ["Perang dan pihak yang menentangnya.", "Mereka menuduh Barat."]
    assert len(ev) == codes["present"].sum()


def test_code_evidence_snippets_are_short_plain_text_escaped_once_on_a_page(tmp_path):
    text = "<i>Perang</i> &amp; damai  " + "kata " * 100
    units = pd.DataFrame({"unit_id": ["u"], "article_id": ["a"], "text": [text]})
    codes = frames.code_units(units, frames.load_codebook(_write(tmp_path, GOOD)), "id")
    evidence = frames.code_evidence(units, codes, width=30)
    assert evidence["snippet"].item() == "<i>Perang</i> &amp; damai kat…"  # whitespace folded, cut to 30 characters
    page = outputs.html_table(evidence)
    assert "&lt;i&gt;Perang&lt;/i&gt; &amp;amp; damai" in page and "<i>" not in page


def test_code_evidence_unit_without_text_gets_empty_snippet(tmp_path, units):
    codes = frames.code_units(units, frames.load_codebook(_write(tmp_path, GOOD)), "id")
    ev = frames.code_evidence(units[units.unit_id != "b-p000"], codes)
    assert ev.set_index("unit_id").loc["b-p000", "snippet"] == ""
    none = frames.code_evidence(units, codes.assign(present=0))
    assert none.empty and none.columns.tolist() == ["unit_id", "frame", "question", "evidence", "snippet"]


# ------------------------------------------------------------- topic columns


def test_topic_columns_are_found_and_ordered_numerically():
    dt = pd.DataFrame(columns=["unit_id", "topic_10", "article_id", "topic_2", "topic_0", "topic_x", "my_topic_3",
                               "topic_1a"])
    assert frames.topic_columns(dt) == ["topic_0", "topic_2", "topic_10"]


@pytest.mark.parametrize("columns", [["unit_id", "topic_0"], ["unit_id", "topic_a", "topic_b"], []])
def test_topic_columns_needs_two_topics(columns):
    with pytest.raises(AnalysisError, match=r"doc_topics: needs at least two topic_<k> columns"):
        frames.topic_columns(pd.DataFrame(columns=columns))


# ------------------------------------------------------------------- inputs


@pytest.fixture
def run(tmp_path, units):
    """A run folder as stages 01 and 02 leave it."""
    from analysis.registry import RunPaths

    paths = RunPaths(tmp_path / "run").create()
    units.to_parquet(paths.units, index=False)
    pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"]}).to_parquet(paths.articles, index=False)
    pd.DataFrame({"unit_id": ["a-p000", "b-p000"], "article_id": ["a", "b"], "topic_0": [0.9, 0.2],
                  "topic_1": [0.1, 0.8]}).to_parquet(paths.data / "doc_topics.parquet", index=False)
    pd.DataFrame({"topic": [1, 2], "rank": [1, 1], "term": ["perang", "barat"], "probability": [0.3, 0.2]}
                 ).to_csv(paths.tables / "topic_terms.csv", index=False)
    return paths


def test_read_inputs_reads_every_upstream_table(run, units):
    inputs = frames.read_inputs(run)
    pd.testing.assert_frame_equal(inputs.units, units)
    assert inputs.articles["outlet"].tolist() == ["X", "Y"]
    assert frames.topic_columns(inputs.doc_topics) == ["topic_0", "topic_1"]
    assert inputs.doc_topics["topic_1"].tolist() == [0.1, 0.8]
    assert inputs.topic_terms["term"].tolist() == ["perang", "barat"]
    no_topics = frames.read_inputs(run, topics=False)
    assert no_topics.doc_topics is None and no_topics.topic_terms is None and len(no_topics.units) == 3


def test_read_inputs_without_topics_does_not_need_the_topic_stage(run):
    (run.data / "doc_topics.parquet").unlink()
    (run.tables / "topic_terms.csv").unlink()
    assert len(frames.read_inputs(run, topics=False).articles) == 2


def _message(call) -> str:
    with pytest.raises(AnalysisError) as err:
        call()
    message = str(err.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("name, hint", [("units", "01-build-corpus"), ("articles", "01-build-corpus")])
def test_read_inputs_missing_corpus_tables_name_the_file(run, name, hint):
    path = getattr(run, name)
    path.unlink()
    message = _message(lambda: frames.read_inputs(run, topics=False))
    assert message.startswith(f"{path}: missing") and hint in message


def test_read_inputs_missing_topic_outputs_name_the_file(run):
    (run.tables / "topic_terms.csv").unlink()
    message = _message(lambda: frames.read_inputs(run))
    assert message.startswith(f"{run.tables / 'topic_terms.csv'}: missing") and "02-fit-topics" in message
    (run.data / "doc_topics.parquet").unlink()
    message = _message(lambda: frames.read_inputs(run))
    assert message.startswith(f"{run.data / 'doc_topics.parquet'}: missing") and "02-fit-topics" in message


def test_read_inputs_unreadable_files_name_the_file(run):
    (run.tables / "topic_terms.csv").write_text("", encoding="utf-8")
    assert _message(lambda: frames.read_inputs(run)) == f"{run.tables / 'topic_terms.csv'}: unreadable CSV (EmptyDataError)"
    run.units.write_bytes(b"PAR1 not really parquet")
    message = _message(lambda: frames.read_inputs(run))
    assert message.startswith(f"{run.units}: unreadable Parquet file")


def test_read_inputs_refuses_units_without_text_or_rows(run, units):
    units.drop(columns="text").to_parquet(run.units, index=False)
    message = _message(lambda: frames.read_inputs(run))
    assert str(run.units) in message and "missing column(s) text" in message
    units.iloc[:0].to_parquet(run.units, index=False)
    assert _message(lambda: frames.read_inputs(run)) == f"{run.units}: no units: the corpus is empty"


def test_read_unit_scores_keeps_ids_and_empty_evidence_as_text(tmp_path):
    from analysis.registry import RunPaths

    paths = RunPaths(tmp_path / "run").create()
    scores = pd.DataFrame({"unit_id": ["007-p000", "NA-p001"], "article_id": ["007", "NA"], "frame": ["f", "f"],
                           "score": [0.5, 0.0], "present": [1, 0], "evidence": ["perang; NA", ""]})
    frames.write_deductive(scores.assign(question="q").drop(columns="score"), scores, scores, paths)
    got = frames.read_unit_scores(paths)
    assert got["article_id"].tolist() == ["007", "NA"]  # not 7, not NaN
    assert got["unit_id"].tolist() == ["007-p000", "NA-p001"]
    assert got["evidence"].tolist() == ["perang; NA", ""]
    assert got["score"].tolist() == [0.5, 0.0] and got["present"].tolist() == [1, 0]


def test_read_unit_scores_missing_or_unreadable_names_the_file(tmp_path):
    from analysis.registry import RunPaths

    paths = RunPaths(tmp_path / "run").create()
    path = paths.tables / "frames_units.csv"
    assert _message(lambda: frames.read_unit_scores(paths)) == f"{path}: missing: run notebook 03-analyse-frames first"
    path.write_text('unit_id,evidence\n"u,unclosed\n', encoding="utf-8")
    assert _message(lambda: frames.read_unit_scores(paths)) == f"{path}: unreadable CSV (ParserError)"
    path.write_bytes(b"unit_id,evidence\n\xff\xfe,x\n")
    assert _message(lambda: frames.read_unit_scores(paths)) == f"{path}: unreadable CSV (UnicodeDecodeError)"


def test_outlet_spread_puts_the_frame_outlets_differ_on_most_first():
    by_outlet = pd.DataFrame({"frame": ["conflict"] * 3 + ["morality"] * 3 + ["economic"] * 3,
                              "group": ["A", "B", "C"] * 3,
                              "prevalence": [0.2, 0.6, 0.4, 0.0, 0.1, 0.05, 0.3, 0.7, 0.5]})
    out = frames.outlet_spread(by_outlet)
    assert out["frame"].tolist() == ["conflict", "economic", "morality"]  # 0.4 tie broken by frame id
    assert out.iloc[0][["min", "max"]].tolist() == pytest.approx([0.2, 0.6])
    assert out["spread"].tolist() == pytest.approx([0.4, 0.4, 0.1])


def test_compare_frames_ignores_rounding_noise_in_a_frame_holding_every_topic():
    units = [f"u{i}" for i in range(6)]
    scores = pd.DataFrame({"unit_id": units, "frame": "conflict", "score": [0, 1, 0, 1, 1, 0]})
    # One community of all topics: its share is 1 in every unit, up to float noise.
    shares = pd.DataFrame({"unit_id": units, "frame": 0, "share": [1.0, 0.999999, 1.000001, 1.0, 0.9999991, 1.0]})
    out = frames.compare_frames(scores, shares)
    assert out["rho"].isna().all() and out["n_units"].tolist() == [6]


def test_describe_network_says_one_community_is_no_structure():
    G = nx.Graph()
    G.add_weighted_edges_from([("topic_0", "topic_1", 0.9), ("topic_2", "topic_3", 0.8), ("topic_1", "topic_2", 0.1)])
    two = pd.DataFrame({"frame": [1, 0], "topics": ["3, 4", "1, 2"], "prevalence": [0.45, 0.55]})
    text = frames.describe_network(G, two, resolution=1.0, seed=3)
    assert text.startswith("The network of 4 topics has 3 edges (weights 0.10–0.90). Louvain (resolution 1, seed 3) "
                           "finds 2 inductive frames. The largest, frame 0, joins topics 1, 2 and holds 55%")
    one = frames.describe_network(G, two.iloc[:1], resolution=1.0, seed=3)
    assert "finds no community structure" in one and "frame 1" not in one


def test_bootstrap_in_blocks_equals_one_draw():
    x = np.random.default_rng(0).random(1001)
    whole = x[np.random.default_rng(7).integers(0, len(x), size=(300, len(x)))].mean(axis=1)
    for cells in (1, 5_000, 10**9):  # one resample per block, several, all at once
        assert np.array_equal(frames._bootstrap_means(x, 300, np.random.default_rng(7), max_cells=cells), whole)
