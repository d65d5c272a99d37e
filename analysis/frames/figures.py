"""Figures of the inductive frames: the topic network with its backbone, and how stable its frames are.

Each function takes tidy tables and ``ax=None`` and returns the Axes, in the
project's style and palette (:mod:`analysis.plots`).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from ..plots import FIG_WIDTH, MIN_FONT, color, new_axes, place_labels, wrap


def plot_topic_network(nodes: pd.DataFrame, edges: pd.DataFrame, *, seed: int, ax=None):
    """Draw the topic network: node colour = frame, size = prevalence, label = "T<k> label"; backbone edges dark.

    ``nodes`` has ``node``, ``frame``, ``prevalence``, ``label``; ``edges`` has
    ``source``, ``target``, ``weight`` and ``backbone``
    (:func:`~analysis.frames.network.backbone_edges`). Edge width follows
    weight. The spring layout has a fixed seed, so the same tables and seed give the
    same picture.

    >>> n = pd.DataFrame({"node": ["a", "b", "c"], "frame": [1, 1, 2], "prevalence": [.5, .3, .2],
    ...                   "label": ["T1 x", "T2", "T3"]})
    >>> e = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [.6, .1], "backbone": [True, False]})
    >>> ax = plot_topic_network(n, e, seed=1)
    """
    import networkx as nx

    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 5.0))
    G = nx.Graph()
    G.add_nodes_from(nodes["node"])
    G.add_weighted_edges_from(edges[["source", "target", "weight"]].itertuples(index=False))
    pos = nx.spring_layout(G, weight="weight", seed=seed)
    frames = sorted(nodes["frame"].unique().tolist())
    size = nodes["prevalence"].astype(float)
    sizes = 300 + 2700 * (size / size.max() if size.max() > 0 else size)
    if len(edges):
        w = edges["weight"].astype(float)
        width = 0.5 + 4 * w / w.max() if w.max() > 0 else w * 0 + 0.5
        core = edges["backbone"].astype(bool).to_numpy()
        for mask, shade, alpha in ((~core, "#BBBBBB", 0.6), (core, "#333333", 0.9)):
            if mask.any():
                nx.draw_networkx_edges(G, pos, edgelist=list(zip(edges["source"][mask], edges["target"][mask])),
                                       width=width[mask].tolist(), edge_color=shade, alpha=alpha, ax=ax)
    nx.draw_networkx_nodes(G, pos, nodelist=nodes["node"].tolist(),
                           node_color=[color(frames.index(f)) for f in nodes["frame"]], node_size=sizes.tolist(),
                           edgecolors="white", ax=ax)
    for i, f in enumerate(frames):
        ax.scatter([], [], color=color(i), label=f"frame {f}")
    if len(edges) and edges["backbone"].any():
        ax.plot([], [], color="#333333", linewidth=2, label="backbone edge")
    # The legend sits above the plot, not beside it: beside, it shrinks the figure on a phone.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(3, len(frames) + 1), fontsize=MIN_FONT)
    ax.margins(0.15)  # room for the labels of nodes at the edge
    ax.set_axis_off()
    # Labels at the project's smallest size (≥ 9 px on a 390 px phone); those that would overlap are keyed.
    order = nodes.assign(_size=size.to_numpy()).sort_values("_size", ascending=False, kind="stable")
    place_labels(ax, [pos[n] for n in order["node"]], [textwrap.fill(str(x), 18) for x in order["label"]])
    return ax


def plot_frame_stability(stability: pd.DataFrame, *, threshold: float, ax=None):
    """Dot plot of the adjusted Rand index of each alternative model's frames against the chosen model's.

    ``stability`` is :func:`~analysis.frames.stability.frame_stability` output;
    the dashed line is the threshold, and the other community algorithm is
    drawn hollow (it is no refit and does not count towards the verdict).

    >>> s = pd.DataFrame({"model": ["seed-1", "k-4", "reference-leiden"], "kind": ["seed", "k", "method"],
    ...                   "ari": [0.9, 0.4, 1.0]})
    >>> ax = plot_frame_stability(s, threshold=0.65)
    """
    ari_all = stability["ari"].to_numpy(dtype=float) if len(stability) else np.array([])
    if not (~np.isnan(ari_all)).any():
        # Nothing to plot: say so in a clean panel (no axis for the words to overprint).
        fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 1.4))
        ax.set_axis_off()
        why = ("not defined: the chosen model puts every unit in one frame, so no refit can agree or disagree with it"
               if len(stability) else "no alternative model was fitted")
        ax.text(0.5, 0.5, textwrap.fill(why, 48), transform=ax.transAxes, ha="center", va="center",
                fontsize=MIN_FONT)
        return ax
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.35 * len(stability) + 1.6))
    names = {"seed": "other seed", "k": "neighbouring K", "method": "other algorithm"}
    label = [f"{names.get(k, k)}: {m}" for m, k in zip(stability["model"], stability["kind"])][::-1]
    ari = stability["ari"].to_numpy(dtype=float)[::-1]
    method = (stability["kind"] == "method").to_numpy()[::-1]
    y = np.arange(len(ari))
    ax.scatter(ari[~method], y[~method], color=color(0), zorder=3, label="refit or neighbouring K")
    ax.scatter(ari[method], y[method], facecolors="none", edgecolors=color(1), zorder=3, label="other algorithm")
    ax.axvline(threshold, color="0.3", linestyle="--", linewidth=1)
    ax.annotate(f"threshold {threshold:g}", (threshold, 1), xycoords=("data", "axes fraction"), xytext=(-4, -12),
                textcoords="offset points", ha="right", fontsize=MIN_FONT)
    ax.set_yticks(y, wrap(label, 24))
    known = ari[~np.isnan(ari)]
    ax.set_xlim(min(-0.05, float(known.min()) - 0.05), 1.05)
    ax.set_xlabel(textwrap.fill("adjusted Rand index of the units' dominant frames against the chosen model", 44))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=1)
    return ax
