"""The coding sample: size rule, strata, overlap."""

import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.validation import design


def test_sample_size_grows_for_rarer_frames_and_tighter_intervals():
    assert design.reliability_sample_size(0.1, 0.8, 0.1) > design.reliability_sample_size(0.1, 0.8, 0.3)
    assert design.reliability_sample_size(0.05, 0.8, 0.2) > design.reliability_sample_size(0.1, 0.8, 0.2)


def test_bad_rule_inputs_are_refused():
    with pytest.raises(AnalysisError):
        design.reliability_sample_size(0, 0.8, 0.2)


def test_sample_is_stratified_seeded_and_has_an_overlap():
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(40)], "article_id": [f"a{i // 4}" for i in range(40)]})
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(10)],
                         "outlet": ["X"] * 5 + ["Y"] * 5, "date": ["2024-01-05"] * 8 + [""] * 2})
    s = design.draw_sample(units, arts, n_overlap=10, n_extra=6, coders=("ana", "budi"), seed=3)
    assert len(s) == 16 and s["unit_id"].is_unique
    assert s["overlap"].sum() == 10 and set(s.loc[s["overlap"], "coders"]) == {"ana;budi"}
    assert sorted(s.loc[~s["overlap"], "coders"].value_counts().tolist()) == [3, 3]
    assert s["stratum"].str.startswith("X").sum() == 8  # outlets in proportion to their units
    again = design.draw_sample(units, arts, n_overlap=10, n_extra=6, coders=("ana", "budi"), seed=3)
    assert s.equals(again)


def test_a_sample_larger_than_the_corpus_takes_every_unit():
    units = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "a"]})
    arts = pd.DataFrame({"article_id": ["a"], "outlet": [""], "date": [""]})
    assert len(design.draw_sample(units, arts, n_overlap=50, seed=1)) == 2
