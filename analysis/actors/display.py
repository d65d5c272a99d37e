"""Tables of the actors stage as pages show them: names, two decimals, an interval in one cell.

Cells are plain text; :func:`analysis.outputs.html_table` escapes them (the
CSV downloads hold the full tables).
"""

from __future__ import annotations

import pandas as pd


def _pi(x, lo, hi) -> str:
    if pd.isna(x):
        return ""
    return f"{x:.2f}" + (f" [{lo:.2f}, {hi:.2f}]" if pd.notna(lo) and pd.notna(hi) else "")


def statements_for_display(statements: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``statements`` a page shows."""
    cols = ["unit_id", "speaker", "kind", "cue", "source_type", "origin", "type_rule", "via", "snippet"]
    return statements[cols].copy()


def sources_for_display(sources: pd.DataFrame, type_labels: dict, origin_labels: dict) -> pd.DataFrame:
    """One row per source: name, type and origin by their labels, the typing rule, statements.

    >>> s = pd.DataFrame({"source": ["ISW"], "source_type": ["think_tank"], "origin": ["west"],
    ...                   "identity": ["named"], "type_rule": ["r"], "n_statements": [3], "n_articles": [1], "via": [""]})
    >>> sources_for_display(s, {"think_tank": "think tank"}, {"west": "West"}).values.tolist()
    [['ISW', 'think tank', 'West', 'named', 'r', 3, 1, '']]
    """
    out = sources[["source", "source_type", "origin", "identity", "type_rule", "n_statements", "n_articles", "via"]].copy()
    out["source_type"] = out["source_type"].map(lambda t: type_labels.get(t, t))
    out["origin"] = out["origin"].map(lambda o: origin_labels.get(o, o))
    return out.rename(columns={"source_type": "type", "type_rule": "typed by", "n_statements": "statements",
                               "n_articles": "articles"})


def scores_for_display(scores: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall with their intervals in one cell each, counts beside them.

    >>> s = pd.DataFrame({"item": ["speaker"], "n_gold": [10], "n_machine": [9], "n_matched": [8], "tp": [8],
    ...                   "precision": [8 / 9], "precision_lo": [.7], "precision_hi": [1.0], "recall": [.8],
    ...                   "recall_lo": [.6], "recall_hi": [.9], "agreement": [1.0]})
    >>> scores_for_display(s).values.tolist()
    [['speaker', 10, 9, 8, '0.89 [0.70, 1.00]', '0.80 [0.60, 0.90]']]
    """
    out = pd.DataFrame({"item": scores["item"], "coded": scores["n_gold"], "machine": scores["n_machine"],
                        "agree": scores["tp"]})
    out["precision"] = [_pi(*r) for r in scores[["precision", "precision_lo", "precision_hi"]].itertuples(index=False)]
    out["recall"] = [_pi(*r) for r in scores[["recall", "recall_lo", "recall_hi"]].itertuples(index=False)]
    return out


def quote_frames_for_display(quote_frames: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Frames by voice: the share with its interval and n, one column per voice."""
    if quote_frames.empty:
        return pd.DataFrame(columns=["frame"])
    q = quote_frames.assign(cell=[f"{_pi(s, lo, hi)} (n = {n})" for s, lo, hi, n in
                                  quote_frames[["share", "lo", "hi", "n_spans"]].itertuples(index=False)])
    wide = q.pivot(index="frame", columns="voice", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(quote_frames["frame"])),
                        columns=[v for v in ("quoted", "attributed", "journalist") if v in wide.columns])
    wide.index = [names.get(f, f) for f in wide.index]
    return wide.rename_axis("frame").reset_index()
