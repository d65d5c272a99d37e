"""Tests of analysis.validation.coding_set: how coded rows are matched to a run's units, and what is left out."""

from __future__ import annotations

import pandas as pd

from analysis import validation
from analysis.validation.embeddings import text_key

CODEBOOK = {"frames": [{"id": "conflict", "questions": []}]}


def _units(*texts, article="a"):
    return pd.DataFrame({"unit_id": [f"{article}-p{i:03d}" for i in range(len(texts))],
                         "article_id": article, "text": list(texts)})


def _write(folder, rows):
    (folder / "coders").mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=["unit_id", "article_id", "text_sha", "coder", "conflict"])
    frame.to_csv(folder / "coders" / "c1.csv", index=False)
    return folder


def test_a_renumbered_unit_keeps_its_code_by_article_and_text(tmp_path):
    # Coded before a headline became unit 0: "Body one." was a-p000, is now a-p001.
    folder = _write(tmp_path, [["a-p000", "a", text_key("Body one."), "c1", 1],
                               ["a-p001", "a", text_key("Body two."), "c1", 0]])
    coding = validation.load_coding_set("x", CODEBOOK, _units("A Headline", "Body one.", "Body two."), folder=folder)
    got = coding.coders.set_index("unit_id")["value"].to_dict()
    assert got == {"a-p001": 1, "a-p002": 0} and coding.dropped == {}


def test_a_changed_text_is_left_out_and_named(tmp_path):
    folder = _write(tmp_path, [["a-p000", "a", text_key("WASHINGTON - Body one."), "c1", 1],
                               ["a-p001", "a", text_key("Body two."), "c1", 0],
                               ["b-p000", "b", text_key("Gone."), "c1", 0]])
    coding = validation.load_coding_set("x", CODEBOOK, _units("Body one.", "Body two."), folder=folder)
    assert coding.coders["unit_id"].tolist() == ["a-p001"]
    assert coding.dropped == {"unit text changed since coding (a-p000)": 1, "not a unit of this run (b-p000)": 1}


def test_the_same_text_twice_in_one_article_is_matched_by_id_only(tmp_path):
    folder = _write(tmp_path, [["a-p005", "a", text_key("Foto/AP caption"), "c1", 1]])
    coding = validation.load_coding_set("x", CODEBOOK, _units("Foto/AP caption", "x", "Foto/AP caption"), folder=folder)
    assert coding.coders.empty and list(coding.dropped.values()) == [1]


def test_rows_without_sha_match_by_id(tmp_path):
    folder = _write(tmp_path, [["a-p000", "a", "", "c1", 1]])
    coding = validation.load_coding_set("x", CODEBOOK, _units("Anything."), folder=folder)
    assert coding.coders["unit_id"].tolist() == ["a-p000"]


def test_many_ids_left_out_are_shortened(tmp_path):
    folder = _write(tmp_path, [[f"z-p{i:03d}", "z", "0" * 16, "c1", 0] for i in range(5)])
    coding = validation.load_coding_set("x", CODEBOOK, _units("Body."), folder=folder)
    assert coding.dropped == {"not a unit of this run (z-p000, z-p001, z-p002 and 2 more)": 5}
