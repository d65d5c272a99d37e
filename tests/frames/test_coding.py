"""Tests for analysis.frames.coding: question codes with evidence, unit scores, the article roll-up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import frames, outputs
from analysis.errors import AnalysisError
from analysis.frames import codebook as codebook_module

from .samples import GOOD, units as sample_units, write_yaml


@pytest.fixture
def units():
    return sample_units()


@pytest.fixture
def cb(tmp_path):
    return frames.load_codebook(write_yaml(tmp_path, GOOD))


def test_code_units_records_evidence(cb, units):
    codes = frames.code_units(units, cb, "id")
    assert len(codes) == 3 * 2
    row = codes[(codes.unit_id == "a-p000") & (codes.question == "c_q1")].iloc[0]
    assert row.present == 1 and row.evidence == r"perang; re:\bmenentang\w*"
    assert codes[codes.unit_id == "a-p001"]["present"].sum() == 0
    # every yes has evidence, every no has none: codes are auditable
    assert ((codes.present == 1) == (codes.evidence != "")).all()


def test_plain_indicators_respect_word_boundaries(cb):
    u = pd.DataFrame({"unit_id": ["x"], "article_id": ["x"], "text": ["peperangan"]})
    assert frames.code_units(u, cb, "id")["present"].sum() == 0


def test_scores_in_unit_interval_and_rollup(cb, units):
    scores = frames.score_units(frames.code_units(units, cb, "id"), threshold=0.5)
    assert scores["score"].between(0, 1).all()
    assert scores.set_index("unit_id").loc["a-p000", "score"] == 0.5
    arts = frames.rollup_articles(scores, min_units=1)
    a = arts.set_index("article_id").loc["a"]
    assert a.n_units == 2 and a.n_units_coded == 1 and a.score == 0.5 and a.present == 1
    assert frames.rollup_articles(scores, min_units=2).set_index("article_id").loc["a", "present"] == 0


def test_threshold_zero_means_any_yes(cb, units):
    scores = frames.score_units(frames.code_units(units, cb, "id"), threshold=0.0)
    assert scores.set_index("unit_id")["present"].to_dict() == {"a-p000": 1, "a-p001": 0, "b-p000": 1}


def test_unknown_language_and_missing_columns_raise(cb, units):
    with pytest.raises(AnalysisError, match="language='de'"):
        frames.code_units(units, cb, "de")
    with pytest.raises(AnalysisError, match="units: missing column\\(s\\) text"):
        frames.code_units(units.drop(columns="text"), cb, "id")
    with pytest.raises(AnalysisError, match="the codebook has indicators for en, id"):
        frames.choose_language("fr", None, cb)


def test_shipped_codebook_codes_seed_like_text():
    u = pd.DataFrame({"unit_id": ["s"], "article_id": ["s"],
                      "text": ["Kedua negara menyetujui pakta pertahanan bersama dan melawan hegemoni Barat."]})
    scores = frames.score_units(frames.code_units(u, frames.load_codebook(), "id")).set_index("frame")
    assert scores.loc["military_cooperation", "present"] == 1
    assert scores.loc["multipolar_order", "present"] == 1
    assert scores.loc["economic", "present"] == 0


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
                fired = [i for i in q.indicators.get(language, []) if codebook_module.compile_indicator(i).search(text)]
                expected.append((uid, f.id, q.id, int(bool(fired)), "; ".join(fired)))
    assert list(got[["unit_id", "frame", "question", "present", "evidence"]].itertuples(index=False, name=None)) == expected
    assert got["present"].sum() >= 3  # the texts do hit indicators


def test_code_evidence_lists_only_yes_codes_with_their_indicators(cb, units):
    codes = frames.code_units(units, cb, "id")
    ev = frames.code_evidence(units, codes)
    assert ev.columns.tolist() == ["unit_id", "frame", "question", "evidence", "snippet"]
    assert ev[["unit_id", "question", "evidence"]].values.tolist() == [
        ["a-p000", "c_q1", r"perang; re:\bmenentang\w*"],
        ["b-p000", "c_q2", "menuduh"],
    ]
    assert ev["snippet"].tolist() == ["Perang dan pihak yang menentangnya.", "Mereka menuduh Barat."]
    assert len(ev) == codes["present"].sum()


def test_code_evidence_snippets_are_short_plain_text_escaped_once_on_a_page(cb):
    text = "<i>Perang</i> &amp; damai  " + "kata " * 100
    units = pd.DataFrame({"unit_id": ["u"], "article_id": ["a"], "text": [text]})
    evidence = frames.code_evidence(units, frames.code_units(units, cb, "id"), width=30)
    assert evidence["snippet"].item() == "<i>Perang</i> &amp; damai kat…"  # whitespace folded, cut to 30 characters
    page = outputs.html_table(evidence)
    assert "&lt;i&gt;Perang&lt;/i&gt; &amp;amp; damai" in page and "<i>" not in page


def test_code_evidence_unit_without_text_gets_empty_snippet(cb, units):
    codes = frames.code_units(units, cb, "id")
    ev = frames.code_evidence(units[units.unit_id != "b-p000"], codes)
    assert ev.set_index("unit_id").loc["b-p000", "snippet"] == ""
    none = frames.code_evidence(units, codes.assign(present=0))
    assert none.empty and none.columns.tolist() == ["unit_id", "frame", "question", "evidence", "snippet"]


def test_describe_coding_states_the_counts_and_the_rule(cb, units):
    codes = frames.code_units(units, cb, "id")
    text = frames.describe_coding(codes, frames.score_units(codes), cb, threshold=0.2, min_units=2)
    assert text.startswith("3 units were coded on 1 frames (2 questions). 2 question codes are *yes*; 2 units (67%)")
    assert text.endswith("(here `min_units` = 2).")


def test_the_literal_prefilter_never_changes_a_code():
    """Regexes are tried only on ASCII units holding their literal: the codes are those of trying every regex."""
    from analysis.frames import coding

    cb = frames.load_codebook()
    words = [w for f in cb.frames for q in f.questions for lang in ("id", "en")
             for ind in q.indicators.get(lang, []) for w in ind.removeprefix("re:").replace("\\b", " ").split()]
    words += ["menuduh", "dituduh", "MENENTANG", "Criticized", "ſanksi", "perang", "bantahan", "x"]
    rng = np.random.default_rng(7)
    texts = [" ".join(rng.choice(words, 8)) for _ in range(400)] + ["", None, "Dikecam keras."]
    for language in ("id", "en"):
        compiled = coding._compiled_questions(cb, language)
        assert any(lit for _, _, patterns in compiled for *_, lit in patterns)
        brute = [(f, q, [(i, k, p, None) for i, k, p, _ in patterns]) for f, q, patterns in compiled]
        got, want = coding._code_texts((texts, compiled, 140)), coding._code_texts((texts, brute, 140))
        assert got["code_ev"] == want["code_ev"] and (got["code_row"] == want["code_row"]).all()
        assert len(got["code_row"]) > 50


def test_score_texts_equals_scoring_the_question_codes():
    """The voices' fast path gives score_units(code_units(...)) exactly, on texts written for the test."""
    from analysis.frames import code_units, load_codebook, score_texts, score_units

    units = pd.DataFrame({
        "unit_id": ["b-p001", "a-p000", "a-p002", "c-p000"], "article_id": ["b", "a", "a", "c"],
        "text": ["Sanksi ekonomi dan perang dagang memukul ekspor.", "", None,
                 "Latihan militer bersama digelar; aliansi pertahanan diperkuat, kata menteri."]})
    for threshold in (0.0, 0.2, 0.5):
        fast = score_texts(units, load_codebook(), "id", threshold)
        slow = score_units(code_units(units, load_codebook(), "id"), threshold)
        pd.testing.assert_frame_equal(fast, slow)
    assert fast["present"].sum() > 0
