"""Sources counted: one row per source, and the counts by type and by origin, unknowns included.

A *source* is a canonical speaker: a named person or organisation across the
corpus, or an unnamed one ("para analis") within its article. Counts are of
distinct sources, statements, units and articles; ``unknown`` is a type and
an origin like any other, so what the rules could not type is counted, not
hidden.
"""

from __future__ import annotations

import pandas as pd

SOURCE_COLUMNS = ["canonical", "source", "source_type", "origin", "identity", "type_rule", "origin_rule",
                  "n_statements", "n_direct", "n_units", "n_articles", "via"]


def summarise_sources(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per source: its type and origin (from its first statement), and how often it speaks.

    >>> s = pd.DataFrame({"canonical": ["a", "a"], "speaker": ["A", "A"], "source_type": ["think_tank"] * 2,
    ...                   "origin": ["west"] * 2, "identity": ["named"] * 2, "type_rule": ["r"] * 2,
    ...                   "origin_rule": ["o"] * 2, "kind": ["direct", "indirect"], "unit_id": ["u1", "u2"],
    ...                   "article_id": ["x", "x"], "via": ["", "AP"]})
    >>> summarise_sources(s)[["source", "n_statements", "n_direct", "n_units", "via"]].values.tolist()
    [['A', 2, 1, 2, 'AP']]
    """
    if statements.empty:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    g = statements.groupby("canonical", sort=False)
    first = g[["speaker", "source_type", "origin", "identity", "type_rule", "origin_rule"]].first()
    out = first.rename(columns={"speaker": "source"}).assign(
        n_statements=g.size(), n_direct=g["kind"].agg(lambda k: int((k == "direct").sum())),
        n_units=g["unit_id"].nunique(), n_articles=g["article_id"].nunique(),
        via=g["via"].agg(lambda v: "; ".join(dict.fromkeys(x for x in v if x))))
    out = out.reset_index()
    return out.sort_values(["n_statements", "canonical"], ascending=[False, True], kind="stable") \
        .reset_index(drop=True)[SOURCE_COLUMNS]


def count_by(statements: pd.DataFrame, column: str, labels: dict[str, str]) -> pd.DataFrame:
    """Sources, statements, units and articles per value of ``column`` (every value of ``labels``, zeros kept).

    >>> s = pd.DataFrame({"source_type": ["think_tank"], "canonical": ["a"], "unit_id": ["u"], "article_id": ["x"]})
    >>> count_by(s, "source_type", {"think_tank": "think tank", "unknown": "unknown"}).values.tolist()
    [['think_tank', 'think tank', 1, 1, 1, 1], ['unknown', 'unknown', 0, 0, 0, 0]]
    """
    rows = []
    for value, label in labels.items():
        sub = statements[statements[column] == value] if len(statements) else statements
        rows.append({column: value, "label": label, "n_sources": sub["canonical"].nunique() if len(sub) else 0,
                     "n_statements": len(sub), "n_units": sub["unit_id"].nunique() if len(sub) else 0,
                     "n_articles": sub["article_id"].nunique() if len(sub) else 0})
    return pd.DataFrame(rows, columns=[column, "label", "n_sources", "n_statements", "n_units", "n_articles"])
