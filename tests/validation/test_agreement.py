"""Agreement statistics and their article-level intervals."""

import math

import numpy as np
import pandas as pd

from analysis.validation import agreement


def test_alpha_matches_krippendorffs_worked_example():
    nan = np.nan
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    assert round(agreement.alpha(data), 3) == 0.743


def test_verdicts_at_the_thresholds():
    assert agreement.verdict(0.8) == "reliable"
    assert agreement.verdict(0.667) == "tentative"
    assert agreement.verdict(0.5) == "unreliable"
    assert agreement.verdict(math.nan) == "undefined"


def test_bootstrap_resamples_articles_not_units():
    """One article of 50 identical units and one of 50 others: unit resampling would give a narrow interval."""
    groups = np.repeat(["a", "b"], 50)
    values = np.repeat([0.0, 1.0], 50)
    lo, hi = agreement.bootstrap(lambda i: float(values[i].mean()), groups, 400, seed=1)
    assert lo == 0.0 and hi == 1.0


def test_reliability_table_reports_alpha_interval_and_agreement():
    rng = np.random.default_rng(0)
    units = [f"u{i}" for i in range(60)]
    truth = rng.integers(0, 2, 60)
    other = np.where(rng.random(60) < 0.9, truth, 1 - truth)
    codes = pd.concat([pd.DataFrame({"coder": c, "unit_id": units, "item": "f", "value": v})
                       for c, v in (("a", truth), ("b", other))])
    arts = pd.Series(np.repeat(np.arange(12), 5).astype(str), index=units)
    t = agreement.reliability_table(codes, arts, n_resamples=200, seed=1)
    row = t.iloc[0]
    assert row["n_units"] == 60 and row["n_coders"] == 2
    assert row["alpha_lo"] <= row["alpha"] <= row["alpha_hi"]
    assert 0.8 <= row["percent_agreement"] <= 1


def test_scores_are_undefined_not_zero():
    s = agreement.binary_scores([0, 0, 0], [0, 0, 0])
    assert math.isnan(s["precision"]) and math.isnan(s["f1"]) and math.isnan(s["alpha"])
