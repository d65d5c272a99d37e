"""Voices: quoted, reported and journalist spans, coded by the frames stage's coder; the wire comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import actors
from analysis.frames import load_codebook

TEXTS = ['“Sanksi Barat gagal total dan perang akan berlangsung lama,” kata Rina Wulandari, peneliti di Lowy Institute.',
         "Harga gandum naik setelah perang, sementara para pedagang menunggu.",
         "Menurut Budi Santoso, dosen di Universitas Indonesia, sanksi itu tidak efektif."]


def units(texts=TEXTS, article="a"):
    return pd.DataFrame({"unit_id": [f"{article}-p{i:03d}" for i in range(len(texts))], "article_id": article,
                         "position": range(len(texts)), "text": texts})


def statements(u):
    return actors.attribute_statements(u, actors.compile_lexicon("id"), actors.load_gazetteer())


def test_each_character_belongs_to_one_voice():
    u = units()
    spans = actors.voice_spans(u, statements(u))
    assert spans.groupby("unit_id")["voice"].apply(sorted).to_dict() == {
        "a-p000": ["journalist", "quoted"], "a-p001": ["journalist"], "a-p002": ["journalist", "reported"]}
    quoted = spans.loc[spans["voice"] == "quoted", "text"].item()
    assert quoted.startswith("Sanksi Barat gagal total") and "Rina" not in quoted
    journalist = spans.loc[(spans["unit_id"] == "a-p000") & (spans["voice"] == "journalist"), "text"].item()
    assert "kata Rina Wulandari" in journalist and "Sanksi" not in journalist


def test_the_innermost_statement_owns_nested_words():
    text = "Presiden Brasil mengatakan bahwa Lula da Silva mengatakan kepada Xi bahwa “perdagangan kedua negara akan tumbuh pesat”."
    u = units([text])
    s = statements(u)
    assert len(s) == 2
    spans = actors.voice_spans(u, s)
    inner = s.sort_values("quote_start").iloc[-1]["statement_id"]
    assert spans.loc[spans["voice"] == "quoted", "statement_id"].tolist() == [inner]


def test_frames_are_coded_inside_quotes_apart_from_the_journalists_words():
    u = units()
    s = statements(u)
    codes = actors.code_voices(actors.voice_spans(u, s), load_codebook(), "id", 0.2)
    conflict = codes[codes["frame"] == "conflict"].set_index("span_id")["present"]
    quoted = [k for k in conflict.index if k.endswith(":quoted")][0]
    assert conflict[quoted] == 1  # "perang" inside the quote
    assert conflict["a-p001:journalist"] == 1  # and in the journalist's own words
    assert conflict["a-p000:journalist"] == 0  # the attribution around the quote holds no frame
    sf = actors.source_frames(codes, s, min_words=4)
    assert set(sf["voice"]) <= {"quoted", "reported"}
    row = sf[(sf["source"] == "Rina Wulandari") & (sf["frame"] == "conflict")].iloc[0]
    assert (row["n_statements"], row["n_with_frame"], row["share"]) == (1, 1, 1.0)


def test_quote_frames_shares_lie_in_0_1_with_intervals_over_articles():
    u = pd.concat([units(article=a) for a in "abcd"], ignore_index=True)
    s = statements(u)
    codes = actors.code_voices(actors.voice_spans(u, s), load_codebook(), "id", 0.2)
    q = actors.quote_frames(codes, min_words=4, n_bootstrap=200, seed=1, statements=s)
    # Direct quotes, and every attributed word (direct + indirect speech) beside them.
    assert set(q["voice"]) == {"quoted", "attributed", "journalist"}
    att, quoted = (q[q["voice"] == v]["n_spans"].max() for v in ("attributed", "quoted"))
    assert att >= quoted and (q[q["voice"] == "attributed"]["n_sources"] >= 1).all()
    assert (q[q["voice"] == "journalist"]["n_sources"] == 0).all()
    # A span under min_words is counted as left out, not silently lost.
    longer = actors.quote_frames(codes, min_words=10_000, n_bootstrap=0, seed=1)
    assert longer.empty
    mid = actors.quote_frames(codes, min_words=6, n_bootstrap=0, seed=1)
    assert mid["n_short"].sum() > q["n_short"].sum()
    assert q["share"].between(0, 1).all()
    assert (q["lo"] <= q["share"] + 1e-9).all() and (q["share"] <= q["hi"] + 1e-9).all()
    assert (q["n_articles"] == 4).all()
    again = actors.quote_frames(codes, min_words=4, n_bootstrap=200, seed=1, statements=s)
    pd.testing.assert_frame_equal(q, again)


def test_story_origins_read_the_credit_columns_and_say_when_there_are_none():
    articles = pd.DataFrame({"article_id": ["w", "t", "o"], "outlet": ["Tempo", "Sindonews", "IDM"],
                             "wire_source": ["Reuters", "", ""], "translated_from": ["", "The Associated Press", ""],
                             "credits": ["REUTERS", "Foto/AP; wawancara dengan The Associated Press", ""]})
    origins = actors.story_origins(articles)
    assert origins["story"].tolist() == ["wire", "wire", "own"]
    none = actors.story_origins(articles.drop(columns=["wire_source", "translated_from", "credits"]))
    assert set(none["story"]) == {"unknown"} and (none["credits"] == "").all()
    assert "recorded no wire" in actors.describe_wire(pd.DataFrame(), none, {})


def test_wire_frames_compare_wire_stories_with_own_reporting():
    articles = pd.DataFrame({"article_id": ["w1", "w2", "o1", "o2"], "outlet": "x",
                             "wire_source": ["Reuters", "AP", "", ""], "translated_from": ""})
    uf = pd.DataFrame({"unit_id": [f"{a}-p{i}" for a in articles["article_id"] for i in range(2)],
                       "article_id": np.repeat(articles["article_id"].to_numpy(), 2), "frame": "conflict",
                       "present": [1, 1, 1, 0, 0, 0, 1, 0]})
    w = actors.wire_frames(actors.story_origins(articles), uf, n_bootstrap=100, seed=3).set_index("story")
    assert w.loc["wire", "share"] == 0.75 and w.loc["own", "share"] == 0.25
    assert w.loc["wire", "n_articles"] == 2 and w.loc["own", "n_units"] == 4
    text = actors.describe_wire(w.reset_index(), actors.story_origins(articles), {"conflict": "Conflict"})
    assert "2 articles are credited to a wire or translated (Reuters, AP)" in text
    assert "**Conflict** 75% of 4 units against 25% of 4" in text


def test_describe_wire_reads_a_missing_credit_as_none():
    # A table read back from CSV holds NaN where a credit is empty; it must read as no credit.
    origins = pd.DataFrame({"article_id": ["w1", "o1"], "outlet": "x", "wire_source": ["Reuters", np.nan],
                            "translated_from": [np.nan, np.nan], "credits": "", "story": ["wire", "own"]})
    wire = pd.DataFrame({"story": ["wire", "own"], "frame": "conflict", "n_articles": 1, "n_units": 2,
                         "n_present": [1, 0], "share": [0.5, 0.0], "lo": [0.0, 0.0], "hi": [1.0, 0.0]})
    assert "1 article is credited to a wire or translated (Reuters)" in actors.describe_wire(wire, origins, {})


def test_the_wire_comparison_flags_a_side_of_one_article_and_states_n_articles():
    origins = pd.DataFrame({"article_id": ["w1", "w2", "o"], "outlet": "x", "wire_source": ["Reuters", "AP", ""],
                            "translated_from": "", "credits": "", "story": ["wire", "wire", "own"]})
    wire = pd.DataFrame({"story": ["wire", "own"], "frame": "f", "n_articles": [2, 1], "n_units": [20, 9],
                         "n_present": [4, 0], "share": [.2, 0.], "lo": [.1, float("nan")], "hi": [.3, float("nan")]})
    text = actors.describe_wire(wire, origins, {"f": "F"})
    assert "Wire-based (2 articles) against own reporting (1 article)" in text
    assert "own reporting side rests on 1 article: description only" in text
    two = actors.describe_wire(wire.assign(n_articles=2), origins, {"f": "F"})
    assert "description only" not in two
