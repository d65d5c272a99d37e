"""Frames in headlines and leads against the body: prevalence by unit type, the table and the sentence."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import frames


@pytest.fixture
def scores():
    # Three articles; headline and lead carry the frame, the body mostly does not.
    rows = []
    for a in ("a", "b", "c"):
        for i, (kind, present) in enumerate([("headline", 1), ("lead", 1), ("body", 0), ("body", 0), ("body", 1)]):
            rows.append({"unit_id": f"{a}-p{i:03d}", "article_id": a, "unit_type": kind, "frame": "conflict",
                         "present": present})
            rows.append({"unit_id": f"{a}-p{i:03d}", "article_id": a, "unit_type": kind, "frame": "economic",
                         "present": 0})
    table = pd.DataFrame(rows)
    return table.drop(columns="unit_type"), table[["unit_id", "unit_type"]].drop_duplicates()


def test_prevalence_by_unit_type_and_for_headline_and_lead_together(scores):
    s, units = scores
    prev = frames.unit_type_prevalence(s, units, n_bootstrap=200, seed=3)
    conflict = prev[prev["frame"] == "conflict"].set_index("group")
    assert conflict.loc["headline+lead", ["n_units", "prevalence"]].tolist() == [6, 1.0]
    assert conflict.loc["body", "n_units"] == 9 and conflict.loc["body", "prevalence"] == pytest.approx(1 / 3)
    assert set(prev["group"]) == {"body", "headline", "lead", "headline+lead"}
    assert ((prev["lo"] <= prev["prevalence"]) & (prev["prevalence"] <= prev["hi"])).all()
    # Same seed, same table.
    assert prev.equals(frames.unit_type_prevalence(s, units, n_bootstrap=200, seed=3))


def test_units_without_a_type_count_as_body(scores):
    s, units = scores
    prev = frames.unit_type_prevalence(s, units.drop(columns="unit_type"), n_bootstrap=0, seed=1)
    assert set(prev["group"]) == {"body"} and prev["n_units"].unique().tolist() == [15]


def test_the_sentence_leads_with_validated_frames_and_labels_the_rest(scores):
    s, units = scores
    prev = frames.unit_type_prevalence(s, units, n_bootstrap=0, seed=1)
    names = {"conflict": "Conflict", "economic": "Economic"}
    raw = frames.compare_unit_types(prev, names)
    assert raw == "Headlines and leads (6 units) carry **Conflict** in 100% against 33% of the 9 body units."
    none = frames.compare_unit_types(prev, names, validated={"economic"})
    assert none.startswith("Headlines and leads (6 units) carry **Economic** in 0% against 0%")
    assert "Not validated, description only: Conflict 100% against 33%." in none
    nothing = frames.compare_unit_types(prev, names, validated=set())
    assert nothing.startswith("No frame is validated") and "Conflict 100%" in nothing
    table = frames.unit_type_table(prev, names, validated={"economic"})
    assert table["frame"].tolist() == ["Economic", "Conflict"] and table["difference"].tolist() == [0, 67]


def test_no_headlines_or_leads_says_so():
    s = pd.DataFrame({"unit_id": ["u"], "article_id": ["a"], "frame": ["f"], "present": [1]})
    prev = frames.unit_type_prevalence(s, pd.DataFrame({"unit_id": ["u"], "unit_type": ["body"]}), n_bootstrap=0, seed=1)
    assert frames.compare_unit_types(prev).startswith("The run has no headline or lead units")


def test_headlines_are_listed_with_their_frames():
    units = pd.DataFrame({"unit_id": ["a-p000", "b-p000"], "unit_type": ["headline", "headline"],
                          "text": ["Judul <b>satu</b>", "Judul dua"]})
    s = pd.DataFrame({"unit_id": ["a-p000", "a-p000", "b-p000"], "frame": ["f", "g", "f"], "present": [1, 1, 0]})
    assert frames.headline_codes(units, s, {"f": "Conflict"}).values.tolist() == [
        ["a-p000", "Judul <b>satu</b>", "Conflict, g"], ["b-p000", "Judul dua", "none"]]
