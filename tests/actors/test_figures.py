"""The actors stage's figures read on a 390 px phone and survive an empty network."""

import networkx as nx
import pandas as pd

from analysis import actors
from tests.test_plots import LONG, _displayed_min_font_px

NAMES = {f"f{i}": name for i, name in enumerate(LONG)}


def _quote_frames():
    rows = [(v, f, 10, 3, 2, .2, .1, .4) for v in ("quoted", "attributed", "journalist") for f in NAMES]
    return pd.DataFrame(rows, columns=["voice", "frame", "n_spans", "n_articles", "n_present", "share", "lo", "hi"])


def _source_frames():
    rows = [(t, "x", "x", "quoted", f, 6, 1, 1 / 6) for t in ("government", "think_tank", "analyst_expert")
            for f in NAMES]
    return pd.DataFrame(rows, columns=["source_type", "source", "canonical", "voice", "frame", "n_statements",
                                       "n_with_frame", "share"])


def test_actor_figures_read_on_a_390px_phone():
    types = {"government": "government official", "think_tank": "think tank / research institute",
             "analyst_expert": "analyst, expert or consultant"}
    G = nx.Graph()
    for a, label in enumerate(["Shanghai Cooperation Organisation", "Xi Jinping", "Vladimir Putin", "NATO"]):
        G.add_node(a, label=label, kind="person", n_units=a + 2)
    G.add_edges_from([(0, 1), (1, 2), (2, 3)], weight=1)
    figures = {
        "quote_frames": actors.plot_quote_frames(_quote_frames(), frame_labels=NAMES).figure,
        "voice_frames": actors.plot_voice_frames(_source_frames(), type_labels=types, frame_labels=NAMES).figure,
        "network": actors.plot_actor_network(G, seed=1).figure,
        "profile": actors.plot_source_profile(pd.DataFrame({"source_type": list(types), "origin": ["west"] * 3}),
                                              types, {"west": "US, European or NATO"}).figure,
    }
    small = {k: round(_displayed_min_font_px(f), 1) for k, f in figures.items()}
    assert all(px >= 9 for px in small.values()), small


def test_the_quote_frames_legend_sits_above_the_rows():
    ax = actors.plot_quote_frames(_quote_frames(), frame_labels=NAMES)
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.y0 >= ax.get_window_extent().y1 - 1


def test_an_empty_network_is_a_note_not_an_error():
    ax = actors.plot_actor_network(nx.Graph(), seed=1)
    assert "no actor" in ax.texts[0].get_text()


def test_actor_network_draws_only_the_actors_named_most_beyond_the_cap():
    import networkx as nx

    from analysis.actors import figures

    G = nx.Graph()
    for i in range(45):  # 45 actors, actor i named in 100 - i units, each linked to the next
        G.add_node(f"a{i:02d}", label=f"Actor {i}", kind="person", n_units=100 - i)
    G.add_weighted_edges_from((f"a{i:02d}", f"a{i + 1:02d}", 1.0) for i in range(44))
    ax = figures.plot_actor_network(G, seed=1)
    labels = {t.get_text() for t in ax.texts}
    assert max(len(c.get_offsets()) for c in ax.collections) == figures.MAX_NODES  # the nodes drawn
    assert "Actor 0" in " ".join(labels) and "Actor 44" not in " ".join(labels)
