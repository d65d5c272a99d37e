"""Findings on typed units and dates: headlines and leads against the body; too few dated articles; English counts."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import findings
from analysis.findings import RunData
from analysis.registry import RunPaths
from conftest import put_table

CODEBOOK = pd.DataFrame({"frame": ["conflict", "economic"], "frame_name": ["Conflict", "Economic"],
                         "kind": "generic", "source": "", "question": "", "text": "", "indicators": ""})


@pytest.fixture
def paths(tmp_path) -> RunPaths:
    return RunPaths(tmp_path / "run").create()


def _by_type(paths):
    rows = []
    for group, n, conflict, economic in (("headline", 3, 1.0, 0.0), ("lead", 5, 0.6, 0.2),
                                         ("headline+lead", 8, 0.75, 0.125), ("body", 60, 0.3, 0.1)):
        rows += [{"group": group, "frame": "conflict", "n_units": n, "prevalence": conflict, "lo": conflict / 2,
                  "hi": min(1.0, conflict * 1.5)},
                 {"group": group, "frame": "economic", "n_units": n, "prevalence": economic, "lo": 0.0, "hi": 0.4}]
    put_table(paths, "frame_prevalence_unit_type", pd.DataFrame(rows))
    put_table(paths, "codebook", CODEBOOK)
    put_table(paths, "articles_overview", {"article_id": list("abcde"), "outlet": list("ABCDE")})


def test_validated_frames_lead_and_the_others_are_labelled(paths):
    _by_type(paths)
    put_table(paths, "frame_methods", {"frame": ["conflict", "economic"], "method": "indicators",
                                       "alpha": [0.5, 0.8], "validated": [False, True]})
    f = findings.headline_frames(RunData(paths, {}))
    assert f.title == "7. Frames in headlines and leads against the body"
    assert f.text.startswith("Headlines and leads (8 units) carry **Economic** in 12% (0%–40%) against 10% (0%–40%) "
                             "of the 60 body units. Not validated, description only: Conflict 75% (38%–100%) against "
                             "30% (15%–45%).")
    assert "3 of the 5 articles carry a headline" in f.text and "describe these articles only" in f.text
    assert f.table["frame"].tolist() == ["Economic", "Conflict (not validated)"]
    # Three columns fit a 390 px phone; each group's n is in its column's name.
    assert list(f.table.columns) == ["frame", "headline + lead (8 units)", "body (60 units)"]
    assert f.table.iloc[0, 1] == "12% indicators"
    assert "<table" in findings.render(f)


def test_the_coding_sets_shares_stand_beside_the_indicators(paths):
    """One missed lead moves a share of 8 headline units by 12 points: the coders' share is shown beside it."""
    _by_type(paths)
    put_table(paths, "frame_methods", {"frame": ["conflict", "economic"], "method": "indicators",
                                       "alpha": [0.5, 0.8], "validated": [False, True]})
    from analysis.validation.stage import gold_by_unit_type

    ids = [f"u{i}" for i in range(6)]
    units = pd.DataFrame({"unit_id": ids, "unit_type": ["headline", "lead", "body", "body", "body", "subheading"]})
    gold = pd.DataFrame({"economic": [1, 0, 0, 0, 1, 1], "conflict": [0] * 6}, index=ids)
    put_table(paths, "gold_unit_type", gold_by_unit_type(gold, units))
    f = findings.headline_frames(RunData(paths, {}))
    assert ("By the coding set itself (2 coded headline or lead units, 3 coded body units): **Economic** 50% against "
            "33%.") in f.text
    assert f.table.iloc[0, 1] == "12% indicators · 50% coding set"
    assert f.table.iloc[0, 2] == "10% indicators · 33% coding set"


def test_without_validation_the_heading_says_not_validated(paths):
    _by_type(paths)
    f = findings.headline_frames(RunData(paths, {}))
    assert f.title.endswith("(not validated)") and f.text.startswith("Headlines and leads (8 units) carry **Conflict**")
    put_table(paths, "frame_methods", {"frame": ["conflict"], "method": "indicators", "alpha": [0.2],
                                       "validated": [False]})
    f = findings.headline_frames(RunData(paths, {}))
    assert f.title.endswith("(not validated)") and f.text.startswith("No frame is validated")


def test_no_table_says_so(paths):
    assert "no frame shares by unit type" in findings.headline_frames(RunData(paths, {})).text


def test_one_outlet_and_one_unit_read_as_english(paths):
    put_table(paths, "articles_overview", {"article_id": ["a"], "outlet": ["Kompas"]})
    put_table(paths, "frames_articles", {"article_id": ["a"], "frame": ["conflict"], "n_units": [1]})
    text = findings.question(RunData(paths, {}))
    assert "1 article from 1 named outlet, cut into 1 unit (the units" in text


@pytest.mark.parametrize("precisions, expected", [
    (["day"] * 2 + [""] * 298, "Only 2 of 300 articles carry a full publication date"),
    ([""] * 5, "None of the 5 articles carries a full publication date"),
    (["day-no-year", ""], "None of the 2 articles carries a full publication date"),
])
def test_few_dated_articles_are_said_and_time_is_not_compared(paths, precisions, expected):
    n = len(precisions)
    put_table(paths, "articles_overview", {"article_id": [f"a{i}" for i in range(n)], "date_precision": precisions,
                                           "date": ["2024-01-01" if p == "day" else "" for p in precisions]})
    text = findings.frames_over_time(RunData(paths, {})).text
    assert text.startswith(expected) and text.endswith("the comparison over time is not made.")
    assert "article(s)" not in text and "Only 0" not in text
