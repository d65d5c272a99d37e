"""Machine coders side by side: out-of-fold scores, the method each frame uses, and the final codes.

Rules kept here:

* Every method is scored against the adjudicated codes on units it did not
  see in training (article-grouped folds; the indicators need no training).
* **A frame's final code comes from the method with the best validated α**
  for that frame, unless the researcher fixes the method. Ties go to the
  simpler method (indicators, then tf-idf, embeddings, combined): what is
  not better is not worth its opacity.
* A frame is *validated* when that best α reaches .667 (Krippendorff's
  floor for tentative conclusions); below it, or undefined, the frame is
  reported as not validated and never headlines a finding.
* For a unit inside the coded sample the final code is the out-of-fold
  prediction; the coders' codes live in their own table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import coders
from .agreement import ALPHA_TENTATIVE, score_with_intervals, verdict

SIMPLICITY = {m: i for i, m in enumerate(coders.METHODS)}


def oof_predictions(methods, features: coders.Features, labels: pd.DataFrame, groups: np.ndarray,
                    indicator_codes: pd.DataFrame, *, seed: int, n_splits: int = 5) -> dict[str, pd.DataFrame]:
    """Out-of-sample predictions of each method for every coded unit (indicators: their own codes)."""
    out = {}
    for method in methods:
        if method == "indicators":
            out[method] = indicator_codes.reindex(index=labels.index, columns=labels.columns).astype(float)
        elif method == "embeddings" and features.embeddings is None:
            continue
        else:
            out[method] = coders.out_of_fold(method, features, labels, groups, seed=seed, n_splits=n_splits)
    return out


def score_methods(predictions: dict[str, pd.DataFrame], labels: pd.DataFrame, groups: np.ndarray, *,
                  n_resamples: int, seed: int) -> pd.DataFrame:
    """Precision, recall, F1 and α (with article-bootstrap intervals) per frame and method."""
    rows = []
    for method, pred in predictions.items():
        for frame in labels.columns:
            ok = pred[frame].notna().to_numpy()
            s = score_with_intervals(labels[frame].to_numpy()[ok], pred[frame].to_numpy()[ok], groups[ok],
                                     n_resamples=n_resamples, seed=seed)
            s.update(frame=frame, method=method, verdict=verdict(s["alpha"]))
            rows.append(s)
    cols = ["frame", "method", "n", "tp", "fp", "fn", "tn", "precision", "precision_lo", "precision_hi", "recall",
            "recall_lo", "recall_hi", "f1", "f1_lo", "f1_hi", "alpha", "alpha_lo", "alpha_hi", "verdict"]
    return pd.DataFrame(rows, columns=cols)


def choose_methods(scores: pd.DataFrame, fixed: dict[str, str] | None = None, *,
                   indicators_in_sample: bool = False) -> pd.DataFrame:
    """The method each frame uses: the best validated α (ties to the simpler), or the researcher's choice.

    Returns ``frame``, ``method``, ``alpha``, ``alpha_lo``, ``alpha_hi``, ``validated`` (bool),
    ``in_sample`` (the indicators were written with this corpus in view, so their α is optimistic), ``reason``.

    >>> s = pd.DataFrame({"frame": ["f", "f"], "method": ["indicators", "tfidf"], "alpha": [0.5, 0.7],
    ...                   "alpha_lo": [0.2, 0.5], "alpha_hi": [0.7, 0.9]})
    >>> choose_methods(s)[["method", "validated"]].values.tolist()
    [['tfidf', True]]
    """
    fixed = fixed or {}
    rows = []
    for frame, g in scores.groupby("frame", sort=False):
        g = g.assign(_a=g["alpha"].fillna(-np.inf), _s=g["method"].map(SIMPLICITY))
        if frame in fixed:
            best = g[g["method"] == fixed[frame]].iloc[0]
            reason = "fixed by the researcher (parameter coder_method)"
        else:
            best = g.sort_values(["_a", "_s"], ascending=[False, True], kind="stable").iloc[0]
            reason = "best α on units the coder was not trained on" if not math.isnan(best["alpha"]) else \
                "no method has a defined α"
        a = best["alpha"]
        in_sample = bool(indicators_in_sample and best["method"] == "indicators")
        if in_sample:
            reason += "; in-sample: the indicators were written with this corpus in view"
        rows.append((frame, best["method"], a, best["alpha_lo"], best["alpha_hi"],
                     bool(not math.isnan(a) and a >= ALPHA_TENTATIVE), in_sample, reason))
    return pd.DataFrame(rows, columns=["frame", "method", "alpha", "alpha_lo", "alpha_hi", "validated", "in_sample",
                                       "reason"])


def final_codes(chosen: pd.DataFrame, oof: dict[str, pd.DataFrame], full: dict[str, pd.DataFrame],
                units: pd.DataFrame) -> pd.DataFrame:
    """The final machine codes, sparse: out-of-fold inside the coded sample, else full-model.

    ``oof[method]`` is indexed by coded ``unit_id``; ``full[method]`` by every
    ``unit_id``. Returns ``unit_id``, ``article_id``, ``frame``, ``code``,
    ``method``, ``out_of_fold`` for every unit and frame coded 1, and for
    every unit of the coded sample (its out-of-fold code, 0 or 1); a unit and
    frame without a row has the full model's code 0. At a million units the
    dense table had ten million rows, almost all of them 0.

    >>> chosen = pd.DataFrame({"frame": ["f"], "method": ["m"]})
    >>> full = {"m": pd.DataFrame({"f": [1, 0, 0]}, index=pd.Index(["u1", "u2", "u3"], name="unit_id"))}
    >>> oof = {"m": pd.DataFrame({"f": [0.0]}, index=pd.Index(["u2"], name="unit_id"))}
    >>> units = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "article_id": "a"})
    >>> final_codes(chosen, oof, full, units)[["unit_id", "code", "out_of_fold"]].values.tolist()
    [['u1', 1, False], ['u2', 0, True]]
    """
    parts = []
    for row in chosen.itertuples():
        code = full[row.method][row.frame].astype(float).copy()
        inside = oof[row.method][row.frame].dropna() if row.frame in oof[row.method] else pd.Series(dtype=float)
        if len(inside):
            code.loc[inside.index] = inside.to_numpy()
        values = code.astype(int).to_numpy()
        out_of_fold = code.index.isin(inside.index)
        keep = np.flatnonzero((values == 1) | out_of_fold)
        parts.append(pd.DataFrame({"unit_id": code.index[keep], "frame": row.frame, "code": values[keep],
                                   "method": row.method, "out_of_fold": out_of_fold[keep]}))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["unit_id", "frame", "code", "method", "out_of_fold"])
    # A lookup, not a merge: a large corpus has a million units.
    article = units.drop_duplicates("unit_id").set_index("unit_id")["article_id"]
    out.insert(1, "article_id", out["unit_id"].map(article))
    return out[["unit_id", "article_id", "frame", "code", "method", "out_of_fold"]]
