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


def test_apply_style_sets_every_style_key_and_the_palette():
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():  # the global settings are restored afterwards
        plt.rcParams.update({"font.size": 20, "axes.grid": False, "axes.spines.top": True,
                             "figure.figsize": (1.0, 1.0)})
        plots.apply_style()
        for key, value in plots.STYLE.items():
            if key == "axes.prop_cycle":
                assert plt.rcParams[key].by_key()["color"] == plots.PALETTE
            elif key == "figure.figsize":
                assert tuple(plt.rcParams[key]) == value
            else:
                assert plt.rcParams[key] == value, key
        assert plt.rcParams["font.size"] == 10 and plt.rcParams["axes.grid"] is True


def test_new_axes_makes_a_styled_figure_of_the_asked_size():
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"axes.spines.top": True, "figure.figsize": (2.0, 2.0)}):
        fig, ax = plots.new_axes(figsize=(3.0, 2.5))
        try:
            assert ax.figure is fig and fig.axes == [ax]
            assert tuple(fig.get_size_inches()) == (3.0, 2.5)
            assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
            ax.plot([0, 1], [0, 1])
            assert matplotlib.colors.to_hex(ax.lines[0].get_color()) == plots.PALETTE[0].lower()
        finally:
            plt.close(fig)
        fig, _ = plots.new_axes()  # no size: the style's default
        try:
            assert tuple(fig.get_size_inches()) == plots.STYLE["figure.figsize"]
        finally:
            plt.close(fig)


def test_new_axes_reuses_a_given_axes_without_a_new_figure():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        before = plt.get_fignums()
        got_fig, got_ax = plots.new_axes(ax, figsize=(9.0, 9.0))
        assert got_ax is ax and got_fig is fig
        assert plt.get_fignums() == before
        assert tuple(fig.get_size_inches()) != (9.0, 9.0)  # the caller's figure keeps its size
    finally:
        plt.close(fig)
