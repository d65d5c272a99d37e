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
        assert plt.rcParams["font.size"] == 11 and plt.rcParams["axes.grid"] is True


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


# ---------------------------------------------------------------- figures read on a phone

LONG = ["Security threat to the US and the West", "Multipolar / anti-hegemonic order", "Conflict",
        "Attribution of responsibility", "Transactional / limited partnership", "Human interest"]


def _displayed_min_font_px(fig) -> float:
    """The smallest text of ``fig`` in px as a 390 px phone shows it (the picture shrunk to the column)."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width_in = fig.get_tightbbox(renderer).width + 0.2  # savefig(bbox_inches="tight") pads 0.1 in each side
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
             and t.get_window_extent(renderer).width > 0]
    plt.close(fig)
    scale = min(1.0, plots.PHONE_COLUMN_PX / (width_in * 100)) * 100 / 72  # px per pt at 100 dpi, shrunk to the column
    return min(sizes) * scale


def _figures():
    frames = pd.DataFrame({"frame": [f"f{i}" for i in range(6)], "name": LONG})
    names = dict(zip(frames["frame"], frames["name"]))
    rel = pd.DataFrame({"item": frames["frame"], "name": LONG, "alpha": [0.7, np.nan, 1, 0.2, 0.5, 0.9],
                        "alpha_lo": [0.6, np.nan, 1, 0, 0.4, 0.8], "alpha_hi": [0.8, np.nan, 1, 0.4, 0.6, 1.0],
                        "percent_agreement": [0.9] * 6})
    scores = pd.DataFrame({"frame": list(frames["frame"]) * 2, "method": ["indicators"] * 6 + ["tfidf"] * 6,
                           "alpha": 0.5, "alpha_lo": 0.0, "alpha_hi": 0.0})
    corrected = pd.DataFrame({"frame": frames["frame"], "corrected": 0.3, "lo": 0.0, "hi": 0.0, "raw": 0.35,
                              "raw_lo": 0.3, "raw_hi": 0.4})
    terms = pd.DataFrame({"topic": np.repeat([0, 1, 2], 10), "rank": np.tile(range(1, 11), 3),
                          "term": [f"kerja_sama_{i}" for i in range(30)], "probability": 0.05})
    labels = pd.DataFrame({"topic": [0, 1, 2], "label": ["Russia and North Korea sign a defence pact", "b", "c"]})
    prev = pd.DataFrame({"outlet": ["TEMPO.CO", "WahanaNews.co", "Priangan.com"] * 3, "topic": np.repeat([0, 1, 2], 3),
                         "prevalence": 1 / 3})
    sf = pd.DataFrame({"source_type": ["government", "think_tank", "analyst"] * 6, "source": "x",
                       "frame": np.repeat(frames["frame"], 3), "n_units": 1, "n_units_quoted": [16, 2, 9] * 6,
                       "share": 0.1})
    counts = pd.DataFrame({"source_type": ["government", "think_tank"], "label": ["government official",
                           "think tank / research institute"], "n_sources": [3, 1], "n_units": [16, 2]})
    nodes = pd.DataFrame({"node": list("abcdefgh"), "kind": ["person", "country"] * 4, "n_units": range(1, 9),
                          "label": ["Shanghai Cooperation Organisation", "Xi Jinping", "Vladimir Putin", "Kim Jong Un",
                                    "North Atlantic Treaty Organization", "Amerika Serikat", "Korea Utara", "BRICS"]})
    edges = pd.DataFrame({"source": list("aaaabbbc"), "target": list("bcdecdef"), "weight": 1.0})
    curve = pd.DataFrame({"method": "tfidf", "frame": np.repeat(frames["frame"], 2), "n_train": [10.0, 20.0] * 6,
                          "f1": 0.5})
    sweep = pd.DataFrame({"k": [3, 4, 5], "c_v": [0.4, 0.5, 0.45], "c_npmi": [0.0, 0.1, 0.05],
                          "diversity": [1.0, 0.9, 0.4], "eligible": [True, True, False], "chosen": [False, True, False]})
    stab = pd.DataFrame({"topic": [0, 1, 2], "stability": [0.95, 0.5, 0.9], "min_cosine": [0.9, 0.3, 0.8]})
    steps = pd.DataFrame({"step": ["tokenize", "stopwords", "phrases"], "n_tokens": [12345, 8000, 7900],
                          "vocab_size": [4321, 3900, 3950]})
    arts = pd.DataFrame({"article_id": [f"00{i}_932b1eeb8b108611" for i in range(5)], "n_units": [3, 5, 20, 14, 9]})
    fp = pd.DataFrame({"group": "all", "frame": frames["frame"], "prevalence": 0.2, "lo": 0.0, "hi": 0.0})
    return {
        "reliability": lambda: plots.plot_reliability(rel).figure,
        "coder_scores": lambda: plots.plot_coder_scores(scores, labels=names).figure,
        "corrected": lambda: plots.plot_corrected_prevalence(corrected, labels=names, validated={"f0"}).figure,
        "top_terms": lambda: plots.plot_top_terms(terms, labels)[0].figure,
        "prevalence": lambda: plots.plot_topic_prevalence(prev.groupby("topic", as_index=False)["prevalence"].sum(),
                                                          labels).figure,
        "prevalence_outlet": lambda: plots.plot_topic_prevalence(prev, labels, by="outlet").figure,
        "source_frames": lambda: plots.plot_source_frames(sf, labels=names).figure,
        "source_types": lambda: plots.plot_source_types(counts).figure,
        "network": lambda: plots.plot_network(nodes, edges, seed=1, color_by="kind", size_by="n_units").figure,
        "learning_curve": lambda: plots.plot_learning_curve(curve, labels=names).flat[0].figure,
        "k_sweep": lambda: plots.plot_k_sweep(sweep).figure,
        "stability": lambda: plots.plot_topic_stability(stab, labels).figure,
        "vocabulary": lambda: plots.plot_vocabulary_steps(steps).figure,
        "units_per_article": lambda: plots.plot_units_per_article(arts).figure,
        "frame_prevalence": lambda: plots.plot_frame_prevalence(fp, labels=names).figure,
    }


def test_every_figure_reads_on_a_390px_phone():
    small = {name: round(_displayed_min_font_px(draw()), 1) for name, draw in _figures().items()}
    assert all(px >= 9 for px in small.values()), {k: v for k, v in small.items() if v < 9}


def test_the_phone_check_can_fail():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 4))
    ax.set_title("tiny", fontsize=8)
    assert _displayed_min_font_px(fig) < 9


def test_network_labels_do_not_overlap():
    import matplotlib.pyplot as plt

    ax = plots.plot_network(*(lambda f: (f["nodes"], f["edges"]))(_network_frames()), seed=3, color_by="kind",
                            size_by="n_units")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_visible() and "\n" not in t.get_text()
             and " · " not in t.get_text()]
    plt.close(fig)
    assert len(boxes) >= 8
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    assert not overlaps


def _network_frames():
    # Every node in one spot: a layout where naive labels would all overlap.
    nodes = pd.DataFrame({"node": list("abcdefghij"), "kind": "person", "n_units": range(10, 0, -1),
                          "label": ["Shanghai Cooperation Organisation", "Xi Jinping", "Vladimir Putin", "Kim Jong Un",
                                    "NATO", "Amerika Serikat", "Korea Utara", "BRICS", "Sergei Lavrov", "ISW"]})
    edges = pd.DataFrame({"source": ["a"] * 9, "target": list("bcdefghij"), "weight": 1.0})
    return {"nodes": nodes, "edges": edges}


def test_place_labels_keys_what_does_not_fit():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    keyed = plots.place_labels(ax, [(0.5, 0.5)] * 12, [f"actor number {i}" for i in range(12)])
    key = [t.get_text() for t in ax.texts if "·" in t.get_text()]
    plt.close(fig)
    assert keyed and key and "1 " + keyed[0] in key[0].replace("\n", " ")


def test_source_frames_heatmap_names_values_n_and_greys_thin_cells():
    sf = pd.DataFrame({"source_type": ["government", "think_tank"], "source": ["A", "B"], "frame": ["conflict"] * 2,
                       "n_units": [8, 1], "n_units_quoted": [16, 1], "share": [0.5, 1.0]})
    ax = plots.plot_source_frames(sf, labels={"conflict": "Conflict"},
                                  source_labels={"government": "government official"})
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["government official (n = 16)", "think tank (n = 1)"]  # names, never think_tank
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Conflict"]
    cells = {t.get_text(): t.get_color() for t in ax.texts}
    assert set(cells) == {"50%\n8 of 16", "100%\n1 of 1"}
    assert cells["100%\n1 of 1"] == "0.35"  # one unit: greyed, not the darkest cell
    image = ax.images[0].get_array()
    assert image.mask[0, 1] and not image.mask[0, 0]
    assert "fewer than 5 units" in ax.get_xlabel()


def test_degenerate_intervals_are_drawn_with_caps():
    scores = pd.DataFrame({"frame": ["f"], "method": ["indicators"], "alpha": [0.0], "alpha_lo": [0.0],
                           "alpha_hi": [0.0]})
    ax = plots.plot_coder_scores(scores)
    caps = [seg for coll in ax.collections for seg in getattr(coll, "get_segments", lambda: [])()
            if len(seg) == 2 and seg[0][0] == seg[1][0] == 0.0 and seg[1][1] != seg[0][1]]
    assert caps, "a [0, 0] interval has no visible mark besides the dot"


def _many_outlets(n=30, seed=1):
    rng = np.random.default_rng(seed)
    units = rng.integers(1, 500, size=n)
    return [f"outlet{i:02d}" for i in range(n)], units


def test_topic_prevalence_by_outlet_pools_beyond_the_cap():
    outlets, units = _many_outlets()
    p = pd.DataFrame([(o, t, s, int(n)) for o, n in zip(outlets, units) for t, s in ((1, 0.25), (2, 0.75))],
                     columns=["outlet", "topic", "prevalence", "n_units"])
    ax = plots.plot_topic_prevalence(p, by="outlet")
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert len(shown) == plots.MAX_GROUPS and shown[-1] == f"other ({len(outlets) - plots.MAX_GROUPS + 1} outlets)"
    largest = [o for o, _ in sorted(zip(outlets, units), key=lambda x: -x[1])[: plots.MAX_GROUPS - 1]]
    assert sorted(shown[:-1]) == sorted(largest)
    # Every bar, the pooled one too, still sums to one: a topic's bars per group stack to 1.
    widths = np.array([b.get_width() for b in ax.patches]).reshape(2, -1).sum(axis=0)
    assert np.allclose(widths, 1.0)


def test_topic_prevalence_by_outlet_keeps_every_outlet_under_the_cap():
    p = pd.DataFrame({"outlet": ["a", "b", ""], "topic": [1, 1, 1], "prevalence": [1.0] * 3, "n_units": [1, 2, 3]})
    ax = plots.plot_topic_prevalence(p, by="outlet")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["(unknown)", "a", "b"]  # as before: sorted, none pooled


def test_frame_prevalence_pools_outlets_beyond_the_cap_without_an_interval():
    outlets, units = _many_outlets()
    p = pd.DataFrame([(o, f, 0.2 if i % 2 else 0.6, 0.1, 0.7, int(n)) for i, (o, n) in enumerate(zip(outlets, units))
                      for f in ("a", "b")], columns=["group", "frame", "prevalence", "lo", "hi", "n_units"])
    ax = plots.plot_frame_prevalence(p)
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(names) == plots.MAX_GROUPS and names[-1].startswith("other (23 outlets")
    # The pooled dot is the pooled outlets' share of units.
    pooled = p[~p["group"].isin(names[:-1]) & (p["frame"] == "a")]
    expected = (pooled["prevalence"] * pooled["n_units"]).sum() / pooled["n_units"].sum()
    dots = [c for c in ax.collections if c.get_label() == names[-1]][0].get_offsets()
    assert np.isclose(dots[0][0], expected)
