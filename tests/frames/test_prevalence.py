"""Tests for analysis.frames.prevalence: bootstrap prevalence and the claims stated from it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import frames
from analysis.errors import AnalysisError
from analysis.frames import prevalence


def test_bootstrap_prevalence_is_seeded_and_brackets_estimate():
    s = pd.DataFrame({"unit_id": [f"u{i}" for i in range(20)], "article_id": ["a"] * 10 + ["b"] * 10,
                      "frame": "f", "present": [1, 0] * 10})
    arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", ""]})
    p1 = frames.frame_prevalence(s, arts, by="outlet", n_bootstrap=200, seed=5)
    p2 = frames.frame_prevalence(s, arts, by="outlet", n_bootstrap=200, seed=5)
    pd.testing.assert_frame_equal(p1, p2)
    assert set(p1["group"]) == {"X", frames.UNKNOWN_GROUP}
    assert ((p1.lo <= p1.prevalence) & (p1.prevalence <= p1.hi)).all()
    with pytest.raises(AnalysisError, match="by="):
        frames.frame_prevalence(s, arts, by="nope", seed=1)


def test_no_bootstrap_gives_no_interval_and_article_groups():
    s = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "article_id": ["a", "a", "b"], "frame": 1, "share": [.2, .4, 1.]})
    p = frames.frame_prevalence(s, by="article_id", value="share", n_bootstrap=0, seed=1)
    assert p["group"].tolist() == ["a", "b"] and p["prevalence"].tolist() == pytest.approx([0.3, 1.0])
    assert p["lo"].isna().all() and p["hi"].isna().all()


def test_bootstrap_in_blocks_equals_one_draw():
    sums = np.random.default_rng(0).integers(0, 10, 101).astype(float)
    counts = sums + np.random.default_rng(1).integers(1, 5, 101)
    picks = np.random.default_rng(7).integers(0, len(sums), size=(300, len(sums)))
    whole = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    for cells in (1, 5_000, 10**9):  # one resample per block, several, all at once
        got = prevalence._bootstrap_means(sums, counts, 300, np.random.default_rng(7), max_cells=cells)
        assert np.array_equal(got, whole)


def test_prevalence_intervals_resample_articles_not_units():
    """Two articles, one all-yes and one all-no: resampling units would give a narrow interval around 50%."""
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(40)], "article_id": ["a"] * 20 + ["b"] * 20,
                          "frame": "f", "present": [1] * 20 + [0] * 20})
    row = prevalence.frame_prevalence(units, n_bootstrap=400, seed=1).iloc[0]
    assert row["prevalence"] == 0.5 and row["lo"] == 0.0 and row["hi"] == 1.0


def test_outlet_spread_puts_the_frame_outlets_differ_on_most_first():
    by_outlet = pd.DataFrame({"frame": ["conflict"] * 3 + ["morality"] * 3 + ["economic"] * 3,
                              "group": ["A", "B", "C"] * 3,
                              "prevalence": [0.2, 0.6, 0.4, 0.0, 0.1, 0.05, 0.3, 0.7, 0.5]})
    out = frames.outlet_spread(by_outlet)
    assert out["frame"].tolist() == ["conflict", "economic", "morality"]  # 0.4 tie broken by frame id
    assert out.iloc[0][["min", "max"]].tolist() == pytest.approx([0.2, 0.6])
    assert out["spread"].tolist() == pytest.approx([0.4, 0.4, 0.1])


def test_outlet_gap_names_the_extremes_and_the_unknown_group():
    t = pd.DataFrame({"frame": ["a"] * 3, "group": ["X", frames.UNKNOWN_GROUP, "[Y](javascript:x)"],
                      "prevalence": [0.3, 0.1, 0.6]})
    text = frames.outlet_gap(t, {"a": "Conflict"}, units="paragraphs")
    assert text.startswith("Outlets differ most on **Conflict**: from 10% of paragraphs in articles naming no outlet to 60% in ")
    assert "[Y]" not in text  # an outlet's name is corpus text: escaped
    assert frames.outlet_gap(t.assign(prevalence=0.2)) == ""
    assert frames.outlet_gap(t.iloc[:1]) == ""


PREV = pd.DataFrame({
    "group": ["all"] * 4 + ["Kompas"],
    "frame": ["economic", "conflict", "morality", "human_interest", "human_interest"],
    "n_units": [10, 10, 10, 10, 5],
    "prevalence": [0.3, 0.5, 0.3, 0.0, 0.9],
    "lo": [0.1, 0.2, 0.1, 0.0, 0.5],
    "hi": [0.6, 0.8, 0.6, 0.0, 1.0],
})
NAMES = {"conflict": "Conflict", "economic": "Economic", "morality": "Morality", "human_interest": "Human interest"}
ARTICLES = pd.DataFrame({"article_id": ["a", "a", "b", "b", "c", "c"], "frame": ["conflict", "economic"] * 3,
                         "present": [1, 0, 1, 1, 0, 1]})


def test_most_common_frame_with_interval_articles_followers_and_absent_frames():
    claim = frames.most_common_frames(PREV, NAMES, articles=ARTICLES, units="paragraphs")
    assert claim.frames == ["conflict"]
    assert claim.text == ("The most common frame is **Conflict**, coded in 50% of the 10 paragraphs "
                          "(95% bootstrap interval 20%–80%) and in 2 of 3 articles. "
                          "It is followed by **Economic** (30%) and **Morality** (30%). "
                          "1 frame never occurs: Human interest.")


def test_most_common_frames_names_every_tied_frame():
    tied = PREV.assign(prevalence=[0.5, 0.5, 0.3, 0.0, 0.9])
    claim = frames.most_common_frames(tied, NAMES, articles=ARTICLES)
    assert claim.frames == ["conflict", "economic"]  # ties in frame id order, none dropped
    assert claim.text.startswith("The most common frames, tied at 50% of the 10 units, are **Conflict** (95% bootstrap "
                                 "interval 20%–80%; in 2 of 3 articles) and **Economic** (95% bootstrap interval "
                                 "10%–60%; in 2 of 3 articles). They are followed by **Morality** (30%)")


def test_most_common_frames_when_nothing_is_coded_or_nothing_is_known():
    none = frames.most_common_frames(PREV.assign(prevalence=0.0))
    assert none.top.empty and none.text.startswith("No codebook frame was coded in any of the 10 units")
    empty = frames.most_common_frames(PREV.iloc[:0])
    assert empty.text == "" and empty.top.empty


def test_leading_frames_keep_ties_per_group():
    p = pd.DataFrame({"group": ["X", "X", "Y", "Y"], "frame": ["b", "a", "a", "b"], "prevalence": [0.5, 0.5, 0.1, 0.2],
                      "n_units": [4, 4, 6, 6]})
    out = frames.leading_frames(p, {"a": "Alpha"})
    assert out.values.tolist() == [["X", "**Alpha** and **b**", 2, 0.5, 4], ["Y", "**b**", 1, 0.2, 6]]


def test_top_with_ties_keeps_every_frame_tied_at_the_cut():
    p = pd.DataFrame({"group": ["X"] * 4 + ["Y"], "frame": ["a", "b", "c", "d", "a"],
                      "prevalence": [0.5, 0.2, 0.2, 0.1, 0.3]})
    out = frames.top_with_ties(p, 2)
    assert out[["group", "frame"]].values.tolist() == [["X", "a"], ["X", "b"], ["X", "c"], ["Y", "a"]]
