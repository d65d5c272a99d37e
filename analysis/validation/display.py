"""The validation tables as a page shows them: frame names, two decimals, each α with its interval in one cell.

The CSV downloads keep every column at full precision; these views keep a
page's table inside its column.
"""

from __future__ import annotations

import math

import pandas as pd


def _num(x, digits: int = 2) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def with_interval(value, lo, hi) -> str:
    """``"0.76 [0.62, 0.95]"``; the value alone when the interval is undefined.

    >>> with_interval(0.756, 0.62, 0.951), with_interval(0.5, float("nan"), float("nan"))
    ('0.76 [0.62, 0.95]', '0.50')
    """
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in (lo, hi)):
        return _num(value)
    return f"{_num(value)} [{_num(lo)}, {_num(hi)}]"


def scores_for_display(scores: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Coder scores: frame, coder, n, α, F1, precision and recall with intervals, verdict."""
    out = pd.DataFrame({
        "frame": scores["frame"].map(lambda f: names.get(f, f)), "coder": scores["method"], "n": scores["n"],
        "yes (coders)": scores["tp"] + scores["fn"],
        "α machine vs adjudicated codes [95%]": [with_interval(*r) for r in scores[["alpha", "alpha_lo", "alpha_hi"]].itertuples(index=False)],
        "F1 [95%]": [with_interval(*r) for r in scores[["f1", "f1_lo", "f1_hi"]].itertuples(index=False)],
        "precision [95%]": [with_interval(*r) for r in scores[["precision", "precision_lo", "precision_hi"]]
                            .itertuples(index=False)],
        "recall [95%]": [with_interval(*r) for r in scores[["recall", "recall_lo", "recall_hi"]].itertuples(index=False)],
        "verdict": scores["verdict"]})
    return out


def methods_for_display(methods: pd.DataFrame, names: dict) -> pd.DataFrame:
    """The coder of each frame, its α with interval, validated or not, and why."""
    return pd.DataFrame({
        "frame": methods["frame"].map(lambda f: names.get(f, f)), "coder": methods["method"],
        "α machine vs adjudicated codes [95%]": [with_interval(*r) for r in
                                                 methods[["alpha", "alpha_lo", "alpha_hi"]].itertuples(index=False)],
        "α between coders": (methods["coder_alpha"].map(_num) if "coder_alpha" in methods else ""),
        "validated": methods["validated"].map({True: "yes", False: "no"}),
        "note": methods["reason"]})


def reliability_for_display(rel: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Reliability per item: item (frame names for frames), units, α with interval, agreement, verdict.

    Frames come first (the page's question is the frames'); the questions follow.
    """
    rel = pd.concat([rel[rel["kind"] == "frame"], rel[rel["kind"] != "frame"]]) if "kind" in rel else rel
    return pd.DataFrame({
        "item": [names.get(i, i) for i in rel["item"]], "units": rel["n_units"],
        "α between coders [95%]": [with_interval(*r) for r in rel[["alpha", "alpha_lo", "alpha_hi"]].itertuples(index=False)],
        "agreement": rel["percent_agreement"].map(lambda x: "" if pd.isna(x) else f"{x:.0%}"),
        "verdict": rel["verdict"]})


def corrected_for_display(corrected: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Corrected and raw prevalence with intervals, as percentages."""
    pct = lambda x: "" if pd.isna(x) else f"{100 * x:.0f}%"  # noqa: E731
    return pd.DataFrame({
        "frame": corrected["frame"].map(lambda f: names.get(f, f)), "coder": corrected["method"],
        "corrected [95%]": [f"{pct(c)} [{pct(lo)}, {pct(hi)}]" if not pd.isna(c) else "undefined"
                            for c, lo, hi in corrected[["corrected", "lo", "hi"]].itertuples(index=False)],
        "raw [95%]": [f"{pct(c)} [{pct(lo)}, {pct(hi)}]" for c, lo, hi in
                      corrected[["raw", "raw_lo", "raw_hi"]].itertuples(index=False)],
        "sensitivity": corrected["sensitivity"].map(_num), "specificity": corrected["specificity"].map(_num),
        "units": corrected["n_units"], "articles": corrected["n_articles"]})
