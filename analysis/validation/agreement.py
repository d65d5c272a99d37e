"""Agreement between codes: Krippendorff's α, percent agreement, precision, recall and F1, with intervals.

Rules kept here:

* α is computed by the ``krippendorff`` package (nominal level), never by a
  hand-written formula. Where it is undefined (no pairable values, or a
  single value throughout) it is NaN, not 0 or 1.
* **Intervals resample articles, not units.** Paragraphs of one article are
  not independent (same author, topic and wording), so a bootstrap that
  draws units treats 80 paragraphs of 5 articles as 80 independent
  observations and gives intervals that are far too narrow. Every interval
  here is a percentile bootstrap over articles (a cluster bootstrap; Field
  & Welsh 2007), with a fixed seed.
* Verdicts follow Krippendorff (2004, p. 241): α ≥ .800 reliable,
  .667 ≤ α < .800 tentative, below that unreliable.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

ALPHA_RELIABLE = 0.800
ALPHA_TENTATIVE = 0.667


def alpha(data) -> float:
    """Krippendorff's α (nominal) of a coders × units array with NaN for missing; NaN if undefined.

    >>> alpha([[1, 0, 1, 0], [1, 0, 1, 1]]) < 1
    True
    >>> math.isnan(alpha([[1, 1], [1, 1]]))
    True
    """
    import krippendorff

    data = np.asarray(data, dtype=float)
    if data.ndim != 2:
        from ..errors import AnalysisError

        raise AnalysisError("reliability data must be a coders x units table")
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    values = pairable[~np.isnan(pairable)]
    if values.size == 0 or np.unique(values).size < 2:
        return math.nan
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def percent_agreement(data) -> float:
    """Share of agreeing coder pairs within units, pooled over units (NaN when no unit has two codes).

    >>> percent_agreement([[1, 0, 1], [1, 1, 1]])
    0.6666666666666666
    """
    data = np.asarray(data, dtype=float)
    agree = pairs = 0.0
    for column in data.T:
        v = column[~np.isnan(column)]
        if len(v) < 2:
            continue
        counts = np.unique(v, return_counts=True)[1].astype(float)
        pairs += len(v) * (len(v) - 1) / 2
        agree += float((counts * (counts - 1) / 2).sum())
    return agree / pairs if pairs else math.nan


def verdict(a: float) -> str:
    """``reliable``, ``tentative``, ``unreliable`` or ``undefined`` for an α."""
    if a is None or math.isnan(a):
        return "undefined"
    return "reliable" if a >= ALPHA_RELIABLE else "tentative" if a >= ALPHA_TENTATIVE else "unreliable"


def binary_scores(truth, pred) -> dict:
    """Precision, recall, F1 and α (truth and prediction as two coders) of 0/1 codes; NaN where undefined.

    >>> s = binary_scores([1, 1, 0, 0], [1, 0, 0, 0])
    >>> s["precision"], s["recall"], round(s["f1"], 3)
    (1.0, 0.5, 0.667)
    """
    t = np.asarray(truth, dtype=float)
    p = np.asarray(pred, dtype=float)
    tp = float(((t == 1) & (p == 1)).sum())
    fp = float(((t == 0) & (p == 1)).sum())
    fn = float(((t == 1) & (p == 0)).sum())
    tn = float(((t == 0) & (p == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan
    return {"n": int(len(t)), "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
            "precision": precision, "recall": recall, "f1": f1,
            "alpha": alpha(np.vstack([t, p])) if len(t) else math.nan}


def _article_draws(groups: np.ndarray, n_resamples: int, seed: int):
    """Yield index arrays of units for each bootstrap resample of articles."""
    rng = np.random.default_rng(seed)
    codes, inverse = np.unique(np.asarray(groups), return_inverse=True)
    members = [np.flatnonzero(inverse == i) for i in range(len(codes))]
    for _ in range(n_resamples):
        picked = rng.integers(0, len(codes), len(codes))
        yield np.concatenate([members[i] for i in picked])


def bootstrap(statistic, groups, n_resamples: int, seed: int, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of ``statistic(index)`` over resamples of articles; (nan, nan) if none defined.

    ``statistic`` takes an index array of units and returns a float (NaN when
    undefined in that resample; such draws are left out).

    >>> lo, hi = bootstrap(lambda i: float(np.mean(np.arange(6)[i])), np.array(list("aabbcc")), 200, 1)
    >>> 0 <= lo <= 2.5 <= hi <= 5
    True
    """
    if n_resamples <= 0 or len(groups) == 0:
        return math.nan, math.nan
    values = np.array([statistic(idx) for idx in _article_draws(groups, n_resamples, seed)], dtype=float)
    values = values[~np.isnan(values)]
    if not len(values):
        return math.nan, math.nan
    tail = (1 - level) / 2 * 100
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def reliability_table(codes: pd.DataFrame, articles: pd.Series, *, n_resamples: int = 1000,
                      seed: int = 0) -> pd.DataFrame:
    """Intercoder reliability per item: α with an article-bootstrap 95% interval, percent agreement, n, verdict.

    Parameters
    ----------
    codes : DataFrame
        Long coder codes: ``coder``, ``unit_id``, ``item``, ``value`` (0/1).
    articles : Series
        The article of each unit, indexed by ``unit_id``.

    Returns
    -------
    DataFrame
        ``item``, ``n_coders``, ``n_units`` (units with at least two codes),
        ``alpha``, ``alpha_lo``, ``alpha_hi``, ``percent_agreement``, ``verdict``.
        Empty when fewer than two coders coded.
    """
    rows = []
    for item, group in codes.groupby("item", sort=False):
        table = group.pivot_table(index="coder", columns="unit_id", values="value", aggfunc="first")
        if table.shape[0] < 2:
            continue
        data = table.to_numpy(dtype=float)
        pairable = (~np.isnan(data)).sum(axis=0) >= 2
        groups = articles.reindex(table.columns).to_numpy()
        a = alpha(data)
        if data.shape[0] == 2 and not np.isnan(data).any() and set(np.unique(data)) <= {0.0, 1.0}:
            # Two coders, every unit coded by both: the resampled 2 × 2 tables give α directly.
            s = score_with_intervals(data[0], data[1], groups, n_resamples=n_resamples if not math.isnan(a) else 0,
                                     seed=seed)
            lo, hi = s["alpha_lo"], s["alpha_hi"]
        else:
            lo, hi = bootstrap(lambda idx: alpha(data[:, idx]), groups, n_resamples if not math.isnan(a) else 0, seed)
        rows.append((item, table.shape[0], int(pairable.sum()), a, lo, hi, percent_agreement(data), verdict(a)))
    return pd.DataFrame(rows, columns=["item", "n_coders", "n_units", "alpha", "alpha_lo", "alpha_hi",
                                       "percent_agreement", "verdict"])


def article_weights(groups: np.ndarray, n_resamples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(W, inverse)``: W[b, a] counts how often article a is drawn in resample b; inverse maps units to articles.

    The same draws as :func:`bootstrap` (articles drawn with replacement), as a
    matrix, so that a statistic made of per-article sums is resampled by one
    matrix product.
    """
    rng = np.random.default_rng(seed)
    codes, inverse = np.unique(np.asarray(groups), return_inverse=True)
    k = len(codes)
    picks = rng.integers(0, k, size=(n_resamples, k))
    W = np.zeros((n_resamples, k))
    np.add.at(W, (np.repeat(np.arange(n_resamples), k), picks.ravel()), 1)
    return W, inverse


def binary_alpha(tp, fp, fn, tn):
    """Krippendorff's α (nominal) of two coders' complete 0/1 codes from their 2 × 2 table (vectorised).

    With two values and two coders per unit the coincidence matrix is fixed by
    the table: α = 1 − (n − 1)(fp + fn) / (n₀ n₁), n = 2N values, n₁ = 2tp + fp + fn.
    Used for bootstrap draws only; tests check it equals the ``krippendorff``
    package's α, which gives every point estimate.

    >>> round(float(binary_alpha(10, 2, 3, 25)), 6) == round(alpha([[1] * 10 + [1] * 2 + [0] * 3 + [0] * 25,
    ...                                                               [1] * 10 + [0] * 2 + [1] * 3 + [0] * 25]), 6)
    True
    """
    tp, fp, fn, tn = (np.asarray(x, dtype=float) for x in (tp, fp, fn, tn))
    n = 2 * (tp + fp + fn + tn)
    n1 = 2 * tp + fp + fn
    n0 = n - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((n0 > 0) & (n1 > 0), 1 - (n - 1) * (fp + fn) / (n0 * n1), np.nan)


def _percentiles(values: np.ndarray, level: float) -> tuple[float, float]:
    values = values[~np.isnan(values)]
    if not len(values):
        return math.nan, math.nan
    tail = (1 - level) / 2 * 100
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def score_with_intervals(truth: np.ndarray, pred: np.ndarray, groups: np.ndarray, *, n_resamples: int,
                         seed: int, level: float = 0.95) -> dict:
    """:func:`binary_scores` plus article-bootstrap intervals (``*_lo``, ``*_hi``) for F1, precision, recall and α.

    Each resample draws articles with replacement; its scores come from the
    resampled 2 × 2 table (one matrix product over per-article counts).

    >>> s = score_with_intervals([1, 0, 1, 0], [1, 0, 0, 0], ["a", "a", "b", "b"], n_resamples=50, seed=1)
    >>> s["recall"], s["recall_lo"] <= s["recall"] <= s["recall_hi"]
    (0.5, True)
    """
    truth, pred, groups = np.asarray(truth, dtype=float), np.asarray(pred, dtype=float), np.asarray(groups)
    scores = binary_scores(truth, pred)
    names = ("precision", "recall", "f1", "alpha")
    if n_resamples <= 0 or not len(truth):
        return {**scores, **{f"{n}_{e}": math.nan for n in names for e in ("lo", "hi")}}
    W, inverse = article_weights(groups, n_resamples, seed)
    cells = np.stack([(truth == 1) & (pred == 1), (truth == 0) & (pred == 1), (truth == 1) & (pred == 0),
                      (truth == 0) & (pred == 0)], axis=1).astype(float)
    per_article = np.zeros((W.shape[1], 4))
    np.add.at(per_article, inverse, cells)
    tp, fp, fn, tn = (W @ per_article).T
    with np.errstate(divide="ignore", invalid="ignore"):
        draws = {"precision": np.where(tp + fp > 0, tp / (tp + fp), np.nan),
                 "recall": np.where(tp + fn > 0, tp / (tp + fn), np.nan),
                 "f1": np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan),
                 "alpha": binary_alpha(tp, fp, fn, tn)}
    for name in names:
        lo, hi = _percentiles(draws[name], level) if not math.isnan(scores[name]) else (math.nan, math.nan)
        scores[f"{name}_lo"], scores[f"{name}_hi"] = lo, hi
    return scores
