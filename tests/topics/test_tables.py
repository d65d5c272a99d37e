"""Tests for analysis.topics.tables: the topic numbering, the long form and prevalence."""

from __future__ import annotations

import pandas as pd

from analysis import topics

def test_aggregate_topics_weights_units_by_length():
    wide = pd.DataFrame({"g": ["x", "x", "y"], "topic_0": [1.0, 0.0, 0.5], "topic_1": [0.0, 1.0, 0.5]})
    table = topics.aggregate_topics(wide, pd.Series([3, 1, 2]), ["g"])
    assert table.columns.tolist() == ["g", "topic", "prevalence", "n_units"]
    assert table["prevalence"].tolist() == [0.75, 0.25, 0.5, 0.5]
    assert table.groupby("g")["prevalence"].sum().round(9).eq(1).all()
