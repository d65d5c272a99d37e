"""Figures of the actors stage: who speaks by type and origin, and frames inside quotes.

Plot functions take a tidy table and ``ax=None`` and return the Axes (the
project's style and colours from :mod:`analysis.plots`). Every cell of a
heatmap shows its value and the row its n; cells resting on fewer than
``FEW`` statements are greyed out, so a dark cell is never one statement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plots import color, new_axes

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
    fig, ax = new_axes(ax, figsize=(7.0, 0.45 * max(len(types), 1) + 1.6))
    left = np.zeros(len(types))
    for i, o in enumerate(origins):
        ax.barh(range(len(types)), table[o].to_numpy(), left=left, color=color(i), label=origin_labels[o])
        left += table[o].to_numpy()
    for i, total in enumerate(left):
        ax.text(total, i, f"  {int(total)}", va="center", fontsize=9)
    ax.set_xlim(0, max(left.max() if len(left) else 1, 1) * 1.12)
    ax.set_yticks(range(len(types)), [type_labels[t] for t in types])
    ax.invert_yaxis()
    ax.set_xlabel("attributed statements (colour: origin of the source)")
    ax.grid(axis="y", visible=False)
    if origins:
        ax.legend(loc="lower right", fontsize=8, title="origin", title_fontsize=8)
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
    fig, ax = new_axes(ax, figsize=(0.75 * max(len(frames), 1) + 3.5, 0.5 * max(len(rows), 1) + 2.4))
    values = share.to_numpy(dtype=float)
    ax.imshow(np.where(np.isnan(values), 0, values), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i, t in enumerate(rows):
        for j, _f in enumerate(frames):
            v = values[i, j]
            few = n.iloc[i] < FEW
            if few:
                ax.add_patch(__import__("matplotlib").patches.Rectangle((j - .5, i - .5), 1, 1, color="#dddddd"))
            ax.text(j, i, "–" if np.isnan(v) else f"{v:.0%}", ha="center", va="center", fontsize=8,
                    color="#555555" if few else ("white" if v > .6 else "black"))
    ax.set_xticks(range(len(frames)), [frame_labels.get(f, f) for f in frames], rotation=40, ha="right")
    ax.set_yticks(range(len(rows)), [f"{type_labels.get(t, t)} (n = {int(n.iloc[i])})" for i, t in enumerate(rows)])
    ax.grid(False)
    ax.set_title(f"share of {voice} spans with the frame; grey: fewer than {FEW} statements", fontsize=9)
    return ax


def plot_quote_frames(quote_frames: pd.DataFrame, *, frame_labels: dict[str, str], ax=None):
    """Dot plot: each frame's share inside quotes against the journalist's words, article-bootstrap intervals.

    >>> q = pd.DataFrame({"voice": ["quoted", "journalist"], "frame": ["f", "f"], "n_spans": [10, 20],
    ...                   "share": [.3, .1], "lo": [.1, .05], "hi": [.5, .2]})
    >>> ax = plot_quote_frames(q, frame_labels={"f": "F"})
    """
    frames = list(dict.fromkeys(quote_frames["frame"]))
    fig, ax = new_axes(ax, figsize=(7.0, 0.42 * max(len(frames), 1) + 1.6))
    for k, (voice, label) in enumerate((("quoted", "inside quotes"), ("journalist", "journalist's words"))):
        sub = quote_frames[quote_frames["voice"] == voice].set_index("frame").reindex(frames)
        if sub["share"].isna().all():
            continue
        y = np.arange(len(frames)) + (k - .5) * .3
        lo = (sub["share"] - sub["lo"]).clip(lower=0).fillna(0)
        hi = (sub["hi"] - sub["share"]).clip(lower=0).fillna(0)
        n = int(sub["n_spans"].max()) if sub["n_spans"].notna().any() else 0
        # A degenerate interval ([0, 0]) is still drawn: a short bar with caps.
        ax.errorbar(sub["share"], y, xerr=[lo, hi], fmt="o", color=color(k), capsize=3, markersize=5,
                    label=f"{label} (n = {n} spans)")
    ax.set_yticks(range(len(frames)), [frame_labels.get(f, f) for f in frames])
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1)
    ax.set_xlabel("share of spans with the frame (95% interval resampling articles)")
    ax.legend(loc="lower right", fontsize=8)
    return ax
