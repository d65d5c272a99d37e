"""Frame prevalence corrected for the machine coder's measured errors.

A machine coder that misses some frame passages (sensitivity below 1) and
sees frames where coders see none (specificity below 1) biases the share of
units it codes with the frame. With sensitivity Se and specificity Sp
measured against the coders on units the coder was not trained on, the
Rogan–Gladen (1978) estimator corrects the observed share p:

    π = (p + Sp − 1) / (Se + Sp − 1),  clipped to [0, 1].

It is undefined when Se + Sp ≤ 1 (a coder no better than chance carries no
information about the frame); it is then reported as NaN, never as a number.

Rules kept here:

* Inside the coded sample a unit's adjudicated code is used; the correction
  applies only to a group's uncoded units, and the group's estimate weights
  the two parts by units (the standard validation-sample estimator). Error
  rates pooled over the corpus never override what the coders said, so a
  fully coded outlet gets the coders' share in it, not a pooled correction.

* The interval carries both uncertainties: each bootstrap draw resamples
  the corpus's articles (for p) **and** the validation sample's articles
  (for Se and Sp), so a small coding sample gives a wide interval.
* Articles, not units, are resampled (units of one article are not
  independent). For one article's own prevalence the corpus draw is that
  article alone, so its interval reflects the validation uncertainty only.
* The raw machine share is kept beside the corrected one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def rogan_gladen(p: float, sensitivity: float, specificity: float) -> float:
    """Corrected prevalence, clipped to [0, 1]; NaN when Se + Sp ≤ 1 or an input is undefined.

    >>> round(rogan_gladen(0.3, 0.8, 0.9), 4)
    0.2857
    >>> math.isnan(rogan_gladen(0.3, 0.5, 0.5))
    True
    """
    if any(x is None or math.isnan(x) for x in (p, sensitivity, specificity)):
        return math.nan
    j = sensitivity + specificity - 1
    if j <= 1e-9:
        return math.nan
    return float(min(1.0, max(0.0, (p + specificity - 1) / j)))


def error_rates(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """(sensitivity, specificity) of 0/1 predictions against 0/1 truth; NaN where undefined.

    >>> error_rates(np.array([1, 1, 0, 0]), np.array([1, 0, 0, 1]))
    (0.5, 0.5)
    """
    truth, pred = np.asarray(truth), np.asarray(pred)
    pos, neg = truth == 1, truth == 0
    se = float((pred[pos] == 1).mean()) if pos.any() else math.nan
    sp = float((pred[neg] == 0).mean()) if neg.any() else math.nan
    return se, sp


def _combined(gold_sum, n_coded, yes_uncoded, n_uncoded, se, sp):
    """The validation-sample estimate: coded units count their gold code, uncoded ones the corrected share."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = yes_uncoded / n_uncoded
        j = se + sp - 1
        rg = np.where(j > 1e-9, np.clip((p + sp - 1) / j, 0, 1), np.nan)
        # A group with no uncoded unit needs no correction at all: its estimate is the coders' share.
        rg_part = np.where(n_uncoded > 0, n_uncoded * rg, 0.0)
        return (gold_sum + rg_part) / (n_coded + n_uncoded)


def corrected_prevalence(codes: np.ndarray, code_articles: np.ndarray, truth: np.ndarray, pred: np.ndarray,
                         val_articles: np.ndarray, *, gold: np.ndarray | None = None, n_resamples: int = 1000,
                         seed: int = 0, level: float = 0.95) -> dict:
    """Raw and corrected prevalence of one frame in one group of units, with a joint article bootstrap.

    The standard validation-sample estimator: a unit of the group that was
    coded counts its adjudicated code; only the group's *uncoded* units are
    corrected (Rogan–Gladen, with the error rates of the whole validation
    sample); the two parts are combined weighted by units. So a group whose
    every unit was coded gets exactly the coders' share in that group, and
    pooled error rates never override what the coders said about a unit.

    Parameters
    ----------
    codes, code_articles : arrays
        The machine's 0/1 codes of the group's units and each unit's article.
    truth, pred, val_articles : arrays
        The validation sample: adjudicated codes, the machine's out-of-sample
        codes, and each unit's article.
    gold : array, optional
        Per unit of the group, its adjudicated code, NaN where the unit was not
        coded. None: no unit of the group is treated as coded (the plain correction).

    Returns
    -------
    dict
        ``n_units``, ``n_articles``, ``n_coded``, ``raw``, ``raw_lo``, ``raw_hi``,
        ``sensitivity``, ``specificity``, ``corrected``, ``lo``, ``hi``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.random(400) < 0.3
    >>> pred = np.where(truth, rng.random(400) < 0.8, rng.random(400) < 0.1).astype(int)
    >>> arts = np.repeat(np.arange(40), 10)
    >>> r = corrected_prevalence(pred, arts, truth.astype(int), pred, arts, n_resamples=200, seed=1)
    >>> bool(r["lo"] <= truth.mean() <= r["hi"])
    True
    >>> r = corrected_prevalence(pred[:10], arts[:10], truth.astype(int), pred, arts, gold=truth[:10].astype(float))
    >>> bool(abs(r["corrected"] - truth[:10].mean()) < 1e-12)
    True
    """
    codes, code_articles = np.asarray(codes, dtype=float), np.asarray(code_articles)
    truth, pred, val_articles = np.asarray(truth), np.asarray(pred), np.asarray(val_articles)
    gold = np.full(len(codes), np.nan) if gold is None else np.asarray(gold, dtype=float)
    coded = ~np.isnan(gold)
    raw = float(codes.mean()) if len(codes) else math.nan
    se, sp = error_rates(truth, pred)
    n_c, n_u = int(coded.sum()), int((~coded).sum())
    point = (float(_combined(np.nansum(gold), n_c, codes[~coded].sum(), n_u, np.float64(se), np.float64(sp)))
             if len(codes) and not (n_u and (math.isnan(se) or math.isnan(sp))) else math.nan)
    out = {"n_units": int(len(codes)), "n_articles": int(len(np.unique(code_articles))), "n_coded": n_c, "raw": raw,
           "sensitivity": se, "specificity": sp, "corrected": point}
    raws = corrected = np.array([])
    if n_resamples > 0 and len(codes) and len(truth):
        from .agreement import article_weights

        # One matrix product per side: resampled articles' code sums (corpus) and 2 × 2 counts (validation).
        Wc, ic = article_weights(code_articles, n_resamples, seed)
        Wv, iv = article_weights(val_articles, n_resamples, seed + 1)
        corpus = np.zeros((Wc.shape[1], 5))
        np.add.at(corpus, ic, np.stack([codes, np.ones_like(codes), np.where(coded, np.nan_to_num(gold), 0),
                                        coded.astype(float), np.where(coded, 0, codes)], axis=1))
        cells = np.stack([(truth == 1) & (pred == 1), (truth == 1) & (pred == 0), (truth == 0) & (pred == 0),
                          (truth == 0) & (pred == 1)], axis=1).astype(float)
        val = np.zeros((Wv.shape[1], 4))
        np.add.at(val, iv, cells)
        yes, n, gold_sum, n_coded, yes_u = (Wc @ corpus).T
        tp, fn, tn, fp = (Wv @ val).T
        with np.errstate(divide="ignore", invalid="ignore"):
            raws = yes / n
            se_b, sp_b = tp / (tp + fn), tn / (tn + fp)
        corrected = _combined(gold_sum, n_coded, yes_u, n - n_coded, se_b, sp_b)
    tail = (1 - level) / 2 * 100
    corrected = corrected[~np.isnan(corrected)]
    # Draws where the resampled coder is no better than chance have no corrected value; when most
    # draws are like that, the interval would describe a lucky minority, so none is given.
    enough = len(corrected) >= 0.5 * max(1, n_resamples) and not math.isnan(out["corrected"])
    out["raw_lo"], out["raw_hi"] = ((float(np.percentile(raws, tail)), float(np.percentile(raws, 100 - tail)))
                                    if len(raws) else (math.nan, math.nan))
    out["lo"], out["hi"] = ((float(np.percentile(corrected, tail)), float(np.percentile(corrected, 100 - tail)))
                            if enough else (math.nan, math.nan))
    return out


def prevalence_table(machine: pd.DataFrame, validation: pd.DataFrame, *, by: pd.Series | None = None,
                     n_resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Corrected prevalence of every frame, overall or per group.

    Parameters
    ----------
    machine : DataFrame
        One row per unit: ``unit_id``, ``article_id``, ``frame``, ``code`` (the final machine code).
    validation : DataFrame
        One row per coded unit and frame: ``unit_id``, ``article_id``, ``frame``,
        ``truth`` (adjudicated), ``pred`` (the machine's out-of-sample code).
    by : Series, optional
        A group label per ``unit_id`` (outlet, date, article); None for the whole corpus.

    Returns
    -------
    DataFrame
        ``group``, ``frame``, ``n_units``, ``n_articles``, ``n_coded``, ``raw``, ``raw_lo``, ``raw_hi``,
        ``sensitivity``, ``specificity``, ``corrected``, ``lo``, ``hi``.
    """
    rows = []
    labels = (pd.Series("all", index=machine["unit_id"].unique()) if by is None else by)
    m = machine.assign(group=machine["unit_id"].map(labels).fillna("").astype(str))
    for frame, vf in validation.groupby("frame", sort=False):
        truth, pred, varts = vf["truth"].to_numpy(), vf["pred"].to_numpy(), vf["article_id"].to_numpy()
        gold = vf.drop_duplicates("unit_id").set_index("unit_id")["truth"].astype(float)
        for group, mf in m[m["frame"] == frame].groupby("group", sort=True):
            r = corrected_prevalence(mf["code"].to_numpy(), mf["article_id"].to_numpy(), truth, pred, varts,
                                     gold=mf["unit_id"].map(gold).to_numpy(dtype=float),
                                     n_resamples=n_resamples, seed=seed)
            rows.append({"group": group, "frame": frame, **r})
    cols = ["group", "frame", "n_units", "n_articles", "n_coded", "raw", "raw_lo", "raw_hi", "sensitivity", "specificity",
            "corrected", "lo", "hi"]
    return pd.DataFrame(rows, columns=cols)
