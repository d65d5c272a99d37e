"""Tests for analysis.frames.codebook: loading and validating the codebook, indicators."""

from __future__ import annotations

import pytest

from analysis import frames
from analysis.errors import AnalysisError
from analysis.frames import codebook

from pathlib import Path

from .samples import GOOD, broken, write_yaml


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
    extra = broken(lambda d: d["frames"][0].update(id="more") or d["frames"][0]["questions"][0].update(id="m_q1")
                   or d["frames"][0]["questions"][1].update(id="m_q2"))
    cb = frames.load_codebook(write_yaml(tmp_path, GOOD), extra=write_yaml(tmp_path, extra, "extra.yml"))
    assert cb.frame_ids() == ["conflict", "more"]
    assert cb.frame_names() == {"conflict": "Conflict", "more": "Conflict"}


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["frames"][0].pop("id"), "frame #1: field 'id'"),
        (lambda d: d["frames"].append(dict(d["frames"][0], questions=[
            {"id": "x_q1", "text": {"en": "?"}, "indicators": {"en": ["x"]}}])), "frame 'conflict': field 'id'"),
        (lambda d: d["frames"][0]["questions"][1].update(id="c_q1"), "frame 'conflict': field 'questions[1].id'"),
        (lambda d: d["frames"][0]["questions"][0]["indicators"].update(xx=["a"]), "c_q1.indicators.xx"),
        (lambda d: d["frames"][0]["questions"][0]["indicators"].update(en=["re:(unclosed"]), "bad regex"),
        (lambda d: d["frames"][0]["questions"][0]["indicators"].update(en=["ok", ""]), "list of non-empty strings"),
        (lambda d: d["frames"][0].update(source="nobody1999"), "frame 'conflict': field 'source'"),
        (lambda d: d["frames"][0].update(kind="special"), "frame 'conflict': field 'kind'"),
        (lambda d: d["frames"][0].update(questions=[]), "frame 'conflict': field 'questions'"),
        (lambda d: d.pop("version"), "codebook field 'version' is missing"),
        (lambda d: d.update(frames=[]), "codebook field 'frames' must be a non-empty list"),
    ],
)
def test_malformed_codebook_names_frame_and_field(tmp_path, mutate, expected):
    path = write_yaml(tmp_path, broken(mutate))
    with pytest.raises(AnalysisError) as err:
        frames.load_codebook(path)
    assert expected in str(err.value)
    assert str(err.value).startswith(f"{path}: ")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("content, expected", [
    ("frames: [unclosed", "row 1: codebook is not valid YAML"),
    ("", "codebook is empty"),
    ("- a\n- b\n", "codebook must hold a mapping at its top level"),
])
def test_unreadable_codebook_is_refused_in_the_readers_wording(tmp_path, content, expected):
    bad = tmp_path / "bad.yml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(AnalysisError, match=expected) as err:
        frames.load_codebook(bad)
    assert str(err.value).startswith(str(bad))


def test_missing_codebook_or_references_name_the_file(tmp_path):
    with pytest.raises(AnalysisError, match="nope.yml: codebook not found"):
        frames.load_codebook(tmp_path / "nope.yml")
    with pytest.raises(AnalysisError, match="refs.bib: references file not found"):
        frames.load_codebook(references=tmp_path / "refs.bib")


def test_describe_comes_from_the_codebook_used(tmp_path):
    text = frames.load_codebook(write_yaml(tmp_path, GOOD)).describe()
    assert text == "The codebook *test* (version 1) has 1 frames: 1 generic (Conflict; cited: semetko2000)."
    shipped = frames.load_codebook().describe()
    assert "5 generic" in shipped and "5 issue-specific" in shipped and "semetko2000" in shipped


def test_to_table_lists_every_question_in_the_language():
    table = frames.load_codebook().to_table("en")
    assert len(table) == 32 and table.columns.tolist() == ["frame", "frame_name", "kind", "source", "question", "text",
                                                           "indicators"]
    assert table.loc[table.question == "conflict_q1", "indicators"].item() != ""


def test_indicators_are_word_bounded_phrases_or_regexes():
    assert codebook.compile_indicator("kerja sama").search("KERJA\nsama")
    assert not codebook.compile_indicator("perang").search("peperangan")
    assert codebook.compile_indicator(r"re:\bmenentang\w*").search("menentangnya")
    assert codebook.indicator_key("Kerja sama") == "kerja" and codebook.indicator_key("re:x") is None


def test_coding_rules_are_read_for_coders_and_checked(tmp_path):
    from analysis.errors import AnalysisError

    cb = frames.load_codebook()
    conflict = next(f for f in cb.frames if f.id == "conflict")
    assert any("on the other hand" in r for r in conflict.exclude) and conflict.include
    bad = tmp_path / "bad.yml"
    text = (Path(frames.CODEBOOK).read_text(encoding="utf-8")
            .replace("    coding_rules:  # for coders", "    coding_rules:\n      other: [x]\n    coding_rules_old:  # for coders", 1))
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(AnalysisError, match="coding_rules"):
        frames.load_codebook(bad)


@pytest.mark.parametrize("sentence, fires", [
    ("Kedua pihak sepakat gencatan senjata di Gaza mulai pekan depan.", False),
    ("Gencatan-senjata itu dilanggar dua kali dalam sehari.", False),
    ("Rusia mengirim senjata ke Korea Utara, kata pejabat itu.", True),
    ("Pasokan senjata dari Iran disebut meningkat.", True),
])
def test_weapons_indicator_is_not_fired_by_a_ceasefire(sentence, fires):
    """"gencatan senjata" (ceasefire) is no weapons transfer; "senjata" elsewhere still is (sentences not from the seeds)."""
    book = frames.load_codebook()
    question = next(q for f in book.frames for q in f.questions if q.id == "military_cooperation_q2")
    weapons = [i for i in question.indicators["id"] if "senjata" in i]
    assert weapons and any(codebook.compile_indicator(i).search(sentence) for i in weapons) is fires
