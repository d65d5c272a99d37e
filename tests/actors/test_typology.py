"""Typing and origin rules on sentences written for the tests (none from the seed corpus)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import actors

from .samples import CASES


def statements(texts, language="id", article="t"):
    units = pd.DataFrame({"unit_id": [f"{article}-p{i:03d}" for i in range(len(texts))], "article_id": article,
                          "position": range(len(texts)), "text": texts})
    return actors.attribute_statements(units, actors.compile_lexicon(language), actors.load_gazetteer())


def test_the_set_is_large_and_varied():
    assert len(CASES) >= 30
    assert {c[0] for c in CASES} == {"id", "en"}
    assert {c[3] for c in CASES} >= {"government", "military", "intergovernmental", "think_tank", "academic",
                                     "analyst_expert", "news_outlet", "anonymous", "civil_society"}


@pytest.mark.parametrize("language, text, speaker, source_type, origin, kind", CASES,
                         ids=[c[2] for c in CASES])
def test_speaker_type_origin_kind(language, text, speaker, source_type, origin, kind):
    s = statements([text], language)
    assert len(s) == 1, s[["speaker", "cue"]].values.tolist()
    row = s.iloc[0]
    assert (row["speaker"], row["source_type"], row["origin"], row["kind"]) == (speaker, source_type, origin, kind), \
        (row["type_rule"], row["origin_rule"])
    assert row["type_rule"] and row["origin_rule"]


def test_an_unknown_speaker_stays_unknown_and_is_counted():
    s = statements(["“Ini berbahaya,” kata Budi Santoso."])
    assert s[["speaker", "source_type", "origin", "type_rule"]].values.tolist() == [
        ["Budi Santoso", "unknown", "unknown", "unknown"]]
    counts = actors.count_by(s, "source_type", actors.load_attribution()["source_types"])
    assert counts.set_index("source_type").loc["unknown", "n_statements"] == 1


def test_a_relational_role_is_not_the_person_it_names():
    s = statements(["Juru bicara Putin mengatakan kunjungan itu dibatalkan."])
    row = s.iloc[0]
    assert (row["speaker"], row["identity"], row["source_type"], row["origin"]) == \
        ("juru bicara Putin", "unnamed", "government", "russia")


def test_the_same_person_later_in_the_article_keeps_the_role_and_name():
    s = statements(["“Sulit,” kata Rina Wulandari, peneliti di Lowy Institute.",
                    "Wulandari juga mengatakan bahwa kerja sama itu rapuh."])
    assert s["speaker"].tolist() == ["Rina Wulandari", "Rina Wulandari"]
    assert s["source_type"].tolist() == ["think_tank", "think_tank"]
    assert s["type_rule"].iloc[1].startswith("elsewhere in article")


def test_a_description_with_a_demonstrative_refers_back():
    s = statements(["Hal itu diungkapkan oleh Institute for the Study of War.",
                    "Lembaga pemikir itu mengatakan bahwa Moskow ingin memecah NATO."])
    assert s["speaker"].tolist() == ["Institute for the Study of War"] * 2


def test_a_title_naming_one_person_of_the_article_is_that_person():
    s = statements(["Presiden Brasil Luiz Inácio Lula da Silva tiba di Beijing.",
                    "Presiden Brasil mengatakan kedua negara akan berdagang dalam mata uang sendiri."])
    assert s[["speaker", "source_type", "origin"]].values.tolist() == [
        ["Luiz Inácio Lula da Silva", "government", "other"]]


def test_a_university_named_after_a_general_holds_no_general():
    s = statements(["Menurut Dewi Lestari, dosen di Universitas Jenderal Soedirman, kunjungan itu simbolis."])
    assert s[["source_type", "origin"]].values.tolist() == [["academic", "indonesia"]]


def test_outlets_are_their_own_type_whether_they_speak_or_carry_a_quote():
    s = statements(["“Kami siap,” kata Ahmad Yusuf, analis politik, kepada Reuters.",
                    "Menurut Bloomberg, perundingan itu gagal."])
    assert s["via"].tolist() == ["Reuters", ""]
    assert s[["speaker", "source_type"]].values.tolist()[1] == ["Bloomberg", "news_outlet"]


def test_an_honorific_is_no_part_of_the_name():
    s = statements(["Attorney-General Daryl Williams said the law would change.",
                    "Mr Williams said the review would take a year."], language="en")
    assert s["speaker"].tolist() == ["Daryl Williams", "Daryl Williams"]
    assert s["source_type"].tolist() == ["government", "government"]
