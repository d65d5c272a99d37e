"""Prevalence corrected for misclassification (Rogan–Gladen) with a joint article bootstrap."""

import math

import numpy as np
import pandas as pd

from analysis.validation import correction


def simulate(n_articles, per_article, prevalence, se, sp, seed):
    rng = np.random.default_rng(seed)
    arts = np.repeat(np.arange(n_articles), per_article)
    truth = (rng.random(len(arts)) < prevalence).astype(int)
    pred = np.where(truth == 1, rng.random(len(arts)) < se, rng.random(len(arts)) < 1 - sp).astype(int)
    return arts, truth, pred


def test_rogan_gladen_inverts_known_error_rates():
    p_true, se, sp = 0.25, 0.7, 0.9
    observed = p_true * se + (1 - p_true) * (1 - sp)
    assert math.isclose(correction.rogan_gladen(observed, se, sp), p_true)


def test_correction_recovers_a_known_prevalence_inside_its_interval():
    """A biased coder (Se .7, Sp .85) over-states a 20% frame; the corrected interval covers 20%."""
    arts, truth, pred = simulate(200, 10, 0.2, 0.7, 0.85, seed=11)
    v_arts, v_truth, v_pred = simulate(40, 10, 0.2, 0.7, 0.85, seed=12)  # an independent validation sample
    r = correction.corrected_prevalence(pred, arts, v_truth, v_pred, v_arts, n_resamples=500, seed=3)
    assert r["raw"] > 0.25  # the raw share is biased upwards
    assert r["lo"] <= truth.mean() <= r["hi"]
    assert r["raw_lo"] <= r["raw"] <= r["raw_hi"]


def test_interval_widens_with_a_smaller_validation_sample():
    arts, truth, pred = simulate(200, 10, 0.2, 0.7, 0.85, seed=1)
    big = simulate(60, 10, 0.2, 0.7, 0.85, seed=2)
    small = simulate(6, 10, 0.2, 0.7, 0.85, seed=2)
    wide = correction.corrected_prevalence(pred, arts, small[1], small[2], small[0], n_resamples=400, seed=1)
    narrow = correction.corrected_prevalence(pred, arts, big[1], big[2], big[0], n_resamples=400, seed=1)
    assert (wide["hi"] - wide["lo"]) > (narrow["hi"] - narrow["lo"]) or math.isnan(wide["lo"])


def test_a_chance_coder_gives_no_corrected_value():
    arts = np.repeat(np.arange(10), 5)
    truth = np.tile([0, 1], 25)
    pred = np.ones(50, dtype=int)  # says yes to everything: Se 1, Sp 0
    r = correction.corrected_prevalence(pred, arts, truth, pred, arts, n_resamples=100, seed=1)
    assert math.isnan(r["corrected"]) and math.isnan(r["lo"])


def test_prevalence_table_by_group():
    machine = pd.DataFrame({"unit_id": [f"u{i}" for i in range(8)], "article_id": list("aabbccdd"),
                            "frame": "f", "code": [1, 0, 1, 1, 0, 0, 1, 0]})
    validation = machine.rename(columns={"code": "pred"}).assign(truth=machine["code"])
    by = pd.Series(list("XXXXYYYY"), index=machine["unit_id"])
    t = correction.prevalence_table(machine, validation, by=by, n_resamples=50, seed=1)
    assert t["group"].tolist() == ["X", "Y"]
    assert t.loc[t["group"] == "X", "raw"].item() == 0.75


def test_a_fully_coded_group_gets_the_coders_share_not_a_pooled_correction():
    """Pooled error rates applied to one small outlet can move its share far from what the coders said."""
    import pandas as pd

    from analysis.validation.correction import prevalence_table

    # Outlet A: the machine over-codes (4 of 10), the coders say 1 of 10; outlet B: the machine under-codes.
    truth = np.array([1] + [0] * 9 + [1] * 5 + [0] * 5)
    pred = np.array([1, 1, 1, 1] + [0] * 6 + [1, 0, 0, 0, 0] + [0] * 5)
    units = [f"u{i}" for i in range(20)]
    arts = ["a1"] * 5 + ["a2"] * 5 + ["b1"] * 10
    machine = pd.DataFrame({"unit_id": units, "article_id": arts, "frame": "f", "code": pred})
    validation = machine.rename(columns={"code": "pred"}).assign(truth=truth)
    by = pd.Series(["A"] * 10 + ["B"] * 10, index=units)
    out = prevalence_table(machine, validation, by=by, n_resamples=200, seed=0).set_index("group")
    assert out.loc["A", "corrected"] == 0.1 and out.loc["B", "corrected"] == 0.5
    assert out.loc["A", "raw"] == 0.4 and out.loc["A", "n_coded"] == 10
    # With every unit coded the interval reflects the resampled articles' gold codes only.
    assert 0 <= out.loc["A", "lo"] <= 0.1 <= out.loc["A", "hi"] <= 0.2


def test_only_the_uncoded_units_are_corrected():
    from analysis.validation.correction import corrected_prevalence, rogan_gladen

    rng = np.random.default_rng(3)
    truth = (rng.random(200) < 0.3).astype(int)
    pred = np.where(truth == 1, rng.random(200) < 0.8, rng.random(200) < 0.1).astype(int)
    varts = np.repeat(np.arange(20), 10)
    codes = np.array([1, 1, 0, 0, 1, 0, 0, 0])
    gold = np.array([0, 1, 0, 1, np.nan, np.nan, np.nan, np.nan])  # four coded, four not
    r = corrected_prevalence(codes, np.repeat([0, 1], 4), truth, pred, varts, gold=gold, n_resamples=0)
    expected = (2 + 4 * rogan_gladen(0.25, r["sensitivity"], r["specificity"])) / 8
    assert abs(r["corrected"] - expected) < 1e-12 and r["n_coded"] == 4
