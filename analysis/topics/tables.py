"""Topic tables: the one topic numbering, the long form of document-topic weights, and prevalence.

Rules kept here:

* **One topic numbering for people.** Topics are numbered from 1 wherever a
  person sees them: the ``topic`` column of every table, "T3" in every
  figure, topic 3 in the explorer and key ``3`` in a user label file. The one
  exception is fixed by the data contract: the wide ``doc_topics`` table names
  its columns from 0, so topic N is column ``topic_{N-1}`` (gensim's topic id
  N-1). Use :func:`topic_column` and :func:`topic_number` to convert; never
  add or subtract 1 by hand.
* **Prevalence is a share of words.** Unit distributions are averaged with the
  units' word counts as weights, so a one-line unit counts less than a long
  paragraph.
* Floats are rounded to :data:`ROUND` decimals in the in-memory tables, so
  tables compare equal across runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Decimals kept in the in-memory tables, so tables compare equal across runs.
ROUND = 6


def topic_column(number: int) -> str:
    """Return the ``doc_topics`` column of topic ``number`` (counted from 1).

    >>> topic_column(1)
    'topic_0'
    """
    return f"topic_{int(number) - 1}"


def topic_number(column: str) -> int:
    """Return the topic number (counted from 1) of a ``doc_topics`` column.

    >>> topic_number("topic_0")
    1
    """
    return int(str(column).removeprefix("topic_")) + 1


def topic_columns(df: pd.DataFrame) -> list[str]:
    """Return the topic columns of a wide document-topic table, in order.

    >>> topic_columns(pd.DataFrame(columns=["unit_id", "topic_0", "topic_1"]))
    ['topic_0', 'topic_1']
    """
    return [c for c in df.columns if c.startswith("topic_")]


def tidy_doc_topics(doc_topics: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return a wide document-topic table in long form: ``keys``, ``topic``, ``weight``.

    >>> w = pd.DataFrame({"unit_id": ["u"], "topic_0": [0.25], "topic_1": [0.75]})
    >>> tidy_doc_topics(w, ["unit_id"])["weight"].tolist()
    [0.25, 0.75]
    """
    cols = topic_columns(doc_topics)
    long = doc_topics.melt(id_vars=keys, value_vars=cols, var_name="topic", value_name="weight")
    long["topic"] = long["topic"].map(topic_number)
    return long.sort_values([*keys, "topic"], kind="stable").reset_index(drop=True)


def tidy_parts(doc_topics: pd.DataFrame, keys: list[str], rows: int = 100_000):
    """Yield :func:`tidy_doc_topics` of ``doc_topics`` in parts of ``rows`` units, together the same long table.

    The units are put in the long table's order first, so the parts follow
    each other as its slices; a large corpus's long table (units × topics
    rows) is never built whole.

    >>> w = pd.DataFrame({"unit_id": ["u2", "u1"], "topic_0": [0.25, 1.0], "topic_1": [0.75, 0.0]})
    >>> [p["unit_id"].tolist() for p in tidy_parts(w, ["unit_id"], rows=1)]
    [['u1', 'u1'], ['u2', 'u2']]
    """
    order = doc_topics.sort_values(keys, kind="stable").index
    for start in range(0, len(order), rows):
        yield tidy_doc_topics(doc_topics.loc[order[start:start + rows]], keys)


def aggregate_topics(doc_topics: pd.DataFrame, lengths: pd.Series, by: list[str]) -> pd.DataFrame:
    """Return topic prevalence per group as a tidy table (``by``, ``topic``, ``prevalence``, ``n_units``).

    Prevalence is the share of the group's words assigned to the topic: unit
    distributions are averaged with the units' word counts as weights. With
    ``by=[]`` it is the corpus-wide prevalence.

    Examples
    --------
    >>> w = pd.DataFrame({"g": ["a", "a"], "topic_0": [1.0, 0.0], "topic_1": [0.0, 1.0]})
    >>> aggregate_topics(w, pd.Series([3, 1]), ["g"])["prevalence"].tolist()
    [0.75, 0.25]
    """
    cols = topic_columns(doc_topics)
    weights = np.asarray(lengths, dtype=float)
    weighted = doc_topics[cols].mul(weights, axis=0)
    weighted["_w"] = weights
    weighted["n_units"] = 1
    if by:
        sums = weighted.join(doc_topics[by]).groupby(by, sort=True, dropna=False)[[*cols, "_w", "n_units"]].sum()
    else:
        sums = weighted[[*cols, "_w", "n_units"]].sum().to_frame().T
    shares = sums[cols].div(sums["_w"].where(sums["_w"] > 0), axis=0)
    shares["n_units"] = sums["n_units"].astype(int)
    shares = shares.reset_index(drop=not by)
    long = shares.melt(id_vars=[*by, "n_units"], value_vars=cols, var_name="topic", value_name="prevalence")
    long["topic"] = long["topic"].map(topic_number)
    long = long[[*by, "topic", "prevalence", "n_units"]]
    return long.sort_values([*by, "topic"], kind="stable").reset_index(drop=True).round(ROUND)
