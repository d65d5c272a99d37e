"""Figures of the actors stage: who speaks by type and origin, and frames inside quotes.

Plot functions take a tidy table and ``ax=None`` and return the Axes (the
project's style and colours from :mod:`analysis.plots`). Every cell of a
heatmap shows its value and the row its n; cells resting on fewer than
``FEW`` statements are greyed out, so a dark cell is never one statement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from ..plots import FIG_WIDTH, MIN_FONT, color, new_axes, plot_network, wrap

FEW = 5


def plot_source_profile(statements: pd.DataFrame, type_labels: dict[str, str], origin_labels: dict[str, str],
                        ax=None):
    """Stacked bars: statements per source type, split by origin (unknown types and origins shown).

    >>> s = pd.DataFrame({"source_type": ["think_tank", "government"], "origin": ["west", "russia"]})
    >>> ax = plot_source_profile(s, {"think_tank": "think tank", "government": "government"},
    ...                          {"west": "West", "russia": "Russian"})
    """
    table = pd.crosstab(statements["source_type"], statements["origin"]) if len(statements) else pd.DataFrame()
    types = [t for t in type_labels if t in table.index]
    origins = [o for o in origin_labels if o in table.columns]
    table = table.reindex(index=types, columns=origins, fill_value=0)
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.45 * max(len(types), 1) + 1.6))
    left = np.zeros(len(types))
    for i, o in enumerate(origins):
        ax.barh(range(len(types)), table[o].to_numpy(), left=left, color=color(i), label=origin_labels[o])
        left += table[o].to_numpy()
    for i, total in enumerate(left):
        ax.text(total, i, f"  {int(total)}", va="center", fontsize=MIN_FONT)
    ax.set_xlim(0, max(left.max() if len(left) else 1, 1) * 1.12)
    ax.set_yticks(range(len(types)), wrap([type_labels[t] for t in types], 18))
    ax.invert_yaxis()
    ax.set_xlabel("attributed statements (colour: origin of the source)")
    ax.grid(axis="y", visible=False)
    if origins:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, fontsize=MIN_FONT, title="origin",
                  title_fontsize=MIN_FONT)
    return ax


def plot_voice_frames(source_frames: pd.DataFrame, *, type_labels: dict[str, str], frame_labels: dict[str, str],
                      voice: str = "quoted", ax=None):
    """Heatmap: share of each source type's quoted spans that carry each frame, values and n shown.

    >>> sf = pd.DataFrame({"source_type": ["government"] * 2, "source": ["A"] * 2, "canonical": ["a"] * 2,
    ...                    "voice": ["quoted"] * 2, "frame": ["f", "g"], "n_statements": [6, 6],
    ...                    "n_with_frame": [3, 0], "share": [.5, 0]})
    >>> ax = plot_voice_frames(sf, type_labels={"government": "government"}, frame_labels={"f": "F", "g": "G"})
    """
    sub = source_frames[source_frames["voice"] == voice]
    agg = sub.groupby(["source_type", "frame"], sort=False)[["n_with_frame", "n_statements"]].sum()
    share = (agg["n_with_frame"] / agg["n_statements"]).unstack("frame")
    n = agg["n_statements"].unstack("frame").max(axis=1)
    frames = [f for f in dict.fromkeys(sub["frame"]) if f in share.columns]
    rows = [t for t in type_labels if t in share.index]
    share, n = share.reindex(index=rows, columns=frames), n.reindex(rows)
    # On a phone the frames are rows (their long names wrap) and the few source types columns,
    # each cell wide enough for its "100%".
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.5 * max(len(frames), 1) + 2.2))
    values = share.to_numpy(dtype=float).T
    ax.imshow(np.where(np.isnan(values), 0, values), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for j, t in enumerate(rows):
        few = n.iloc[j] < FEW
        for i, _f in enumerate(frames):
            v = values[i, j]
            if few:
                ax.add_patch(Rectangle((j - .5, i - .5), 1, 1, color="#dddddd"))
            ax.text(j, i, "–" if np.isnan(v) else f"{v:.0%}", ha="center", va="center", fontsize=MIN_FONT,
                    color="#555555" if few else ("white" if v > .6 else "black"))
    ax.set_yticks(range(len(frames)), wrap([frame_labels.get(f, f) for f in frames], 18))
    ax.set_xticks(range(len(rows)), wrap([f"{type_labels.get(t, t)} (n = {int(n.iloc[j])})"
                                          for j, t in enumerate(rows)], 10), rotation=0)
    ax.xaxis.tick_top()
    ax.grid(False)
    ax.set_xlabel(f"share of {voice} spans with the frame;\ngrey: fewer than {FEW} statements", fontsize=MIN_FONT)
    return ax


def plot_quote_frames(quote_frames: pd.DataFrame, *, frame_labels: dict[str, str], ax=None):
    """Dot plot: each frame's share inside quotes against the journalist's words, article-bootstrap intervals.

    >>> q = pd.DataFrame({"voice": ["quoted", "journalist"], "frame": ["f", "f"], "n_spans": [10, 20],
    ...                   "share": [.3, .1], "lo": [.1, .05], "hi": [.5, .2]})
    >>> ax = plot_quote_frames(q, frame_labels={"f": "F"})
    """
    frames = list(dict.fromkeys(quote_frames["frame"]))
    # Room above the rows for the three-line legend, below them for the two-line axis label.
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.5 * max(len(frames), 1) + 2.8))
    voices = (("quoted", "direct quotes"), ("attributed", "attributed: direct + indirect"),
              ("journalist", "journalist's words"))
    for k, (voice, label) in enumerate(voices):
        sub = quote_frames[quote_frames["voice"] == voice].set_index("frame").reindex(frames)
        if sub.empty or sub["share"].isna().all():
            continue
        y = np.arange(len(frames)) + (k - 1) * .25
        lo = (sub["share"] - sub["lo"]).clip(lower=0).fillna(0)
        hi = (sub["hi"] - sub["share"]).clip(lower=0).fillna(0)
        n = int(sub["n_spans"].max()) if sub["n_spans"].notna().any() else 0
        # A degenerate interval ([0, 0]) is still drawn: a short bar with caps.
        ax.errorbar(sub["share"], y, xerr=[lo, hi], fmt="o", color=color(k), capsize=3, markersize=5,
                    label=f"{label} (n = {n} spans)")
    ax.set_yticks(range(len(frames)), wrap([frame_labels.get(f, f) for f in frames], 24))
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1)
    ax.set_xlabel("share of spans with the frame\n(95% interval resampling articles)")
    # Above the plot, never over a row.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=1, fontsize=MIN_FONT)
    return ax


def plot_actor_network(network, *, seed: int, ax=None):
    """The co-mention network (:func:`analysis.plots.plot_network`, its phone-size labels); a note when it is empty.

    A corpus whose alias table names no actor twice has no network: the figure
    says so instead of failing on a nodes table without columns. Of a larger
    network only the :data:`MAX_NODES` actors named in most units are drawn
    (:func:`top_actors`).

    >>> import networkx as nx
    >>> ax = plot_actor_network(nx.Graph(), seed=1)
    >>> ax.texts[0].get_text()
    'no actor is named in enough units for a network'
    """
    from ..frames import network_tables

    nodes, edges = network_tables(network)
    if nodes.empty or "kind" not in nodes.columns:
        fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 1.2))
        ax.text(0.5, 0.5, "no actor is named in enough units for a network", ha="center", va="center",
                fontsize=MIN_FONT, transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    nodes, edges = top_actors(nodes, edges)
    return plot_network(nodes, edges, seed=seed, color_by="kind", size_by="n_units", ax=ax)


# The co-mention figure draws at most this many actors, those named in most units: beyond, labels
# are keyed under the plot and the picture is a hairball. The GraphML download has every actor.
MAX_NODES = 30


def top_actors(nodes: pd.DataFrame, edges: pd.DataFrame, max_nodes: int = MAX_NODES):
    """Return the network's ``max_nodes`` actors named in most units (ties by name) and the edges between them.

    >>> n = pd.DataFrame({"node": list("abc"), "n_units": [5, 9, 1]})
    >>> e = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [1, 1]})
    >>> kept, among = top_actors(n, e, max_nodes=2)
    >>> kept["node"].tolist(), among["target"].tolist()
    (['a', 'b'], ['b'])
    """
    if len(nodes) <= max_nodes:
        return nodes, edges
    ranked = nodes.assign(_n=-nodes["n_units"].astype(float)).sort_values(["_n", "node"], kind="stable")
    keep = set(ranked["node"].head(max_nodes))
    kept = nodes[nodes["node"].isin(keep)].reset_index(drop=True)
    return kept, edges[edges["source"].isin(keep) & edges["target"].isin(keep)].reset_index(drop=True)
