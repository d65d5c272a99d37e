"""Figures: one matplotlib style and one colour-blind-safe palette for the site.

Every plot function takes a tidy DataFrame and ``ax=None`` and returns the
Axes, so notebooks only call and caption. The palette is Okabe & Ito (2008),
which stays distinguishable for the common forms of colour blindness.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # figures are files for the site; no screen is assumed
import matplotlib.pyplot as plt  # noqa: E402

# Okabe & Ito (2008) "Color Universal Design": colour-blind-safe categorical palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "svg.fonttype": "none",
}


def apply_style() -> None:
    """Apply the project's figure style to matplotlib's global settings."""
    plt.rcParams.update(STYLE)


def color(i: int) -> str:
    """Return the palette colour for category ``i`` (cycling)."""
    return PALETTE[i % len(PALETTE)]


def new_axes(ax=None, *, figsize=None):
    """Return ``(fig, ax)``: the given Axes' figure, or a new styled figure."""
    if ax is not None:
        return ax.figure, ax
    apply_style()
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax

# --- stage plots below: each stage appends its own functions in its own section ---


# --- validation (05-validate) ---


def plot_reliability(rel, ax=None):
    """Dot plot of Krippendorff's alpha and percent agreement per item.

    ``rel`` is :func:`analysis.validation.reliability` output (``item``,
    ``alpha``, ``percent_agreement``). Dashed lines mark alpha = .667
    (tentative) and .800 (reliable); items whose alpha is undefined are
    labelled so rather than drawn at a made-up value.

    >>> import pandas as pd
    >>> ax = plot_reliability(pd.DataFrame({"item": ["a"], "alpha": [0.7], "percent_agreement": [0.9]}))
    """
    import numpy as np

    fig, ax = new_axes(ax, figsize=(7.0, 0.35 * len(rel) + 1.2))
    y = np.arange(len(rel))[::-1]
    ax.scatter(rel["percent_agreement"], y, marker="o", facecolors="none", edgecolors=color(1), label="percent agreement")
    ax.scatter(rel["alpha"], y, marker="o", color=color(0), label="Krippendorff's α (nominal)", zorder=3)
    for yi, value in zip(y, rel["alpha"]):
        if np.isnan(value):
            ax.annotate("α undefined", (0, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    for threshold in (0.667, 0.8):
        ax.axvline(threshold, color="0.4", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, rel["item"])
    ax.set_xlim(min(-0.1, float(np.nanmin(rel["alpha"].to_numpy(dtype=float), initial=0)) - 0.05), 1.05)
    ax.set_xlabel("agreement between human coders")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    return ax


def plot_validity(val, ax=None):
    """Dot plot of precision, recall and F1 of the machine codes per item.

    ``val`` is :func:`analysis.validation.validity` output (``item``,
    ``precision``, ``recall``, ``f1``); undefined scores (NaN) are not drawn.

    >>> import pandas as pd
    >>> ax = plot_validity(pd.DataFrame({"item": ["a"], "precision": [1.0], "recall": [0.5], "f1": [0.67]}))
    """
    import numpy as np

    fig, ax = new_axes(ax, figsize=(7.0, 0.35 * len(val) + 1.2))
    y = np.arange(len(val))[::-1]
    for i, (column, marker) in enumerate((("precision", "s"), ("recall", "^"), ("f1", "o"))):
        ax.scatter(val[column], y, marker=marker, color=color(i), label=column.replace("f1", "F1"), zorder=3)
    ax.set_yticks(y, val["item"])
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("machine codes against the human majority")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3)
    return ax
