"""Plots: the cases the doctests do not cover."""
import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd

from analysis import plots


def test_frame_prevalence_interval_that_misses_the_estimate():
    # A percentile bootstrap interval with few resamples can lie wholly on one side.
    p = pd.DataFrame({"group": ["all", "all"], "frame": ["a", "b"], "prevalence": [0.5, 0.2],
                      "lo": [0.55, 0.1], "hi": [0.7, 0.15]})
    ax = plots.plot_frame_prevalence(p)
    segments = ax.collections[0].get_segments()
    lengths = [seg[1][0] - seg[0][0] for seg in segments]
    assert all(length >= 0 for length in lengths)
    assert np.isclose(segments[0][1][0], 0.7)


def test_frame_prevalence_groups_get_distinct_colours_and_legend():
    p = pd.DataFrame({"group": ["x", "x", "y", "y"], "frame": ["a", "b", "a", "b"],
                      "prevalence": [0.5, 0.2, 0.4, 0.1], "lo": [0.4, 0.1, 0.3, 0.0], "hi": [0.6, 0.3, 0.5, 0.2]})
    ax = plots.plot_frame_prevalence(p, labels={"a": "Conflict"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Conflict", "b"]
    assert ax.get_legend() is not None
    assert plots.color(0) != plots.color(1)
