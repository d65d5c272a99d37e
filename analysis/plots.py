"""Figures: one matplotlib style and one colour-blind-safe palette for the site.

Every plot function takes a tidy DataFrame and ``ax=None`` and returns the
Axes, so notebooks only call and caption. The palette is Okabe & Ito (2008),
which stays distinguishable for the common forms of colour blindness.

Figures must read on a phone. The site shows a figure at its natural width
on a wide screen and shrinks it to the column on a phone (about 350 px at a
390 px screen). So every figure is at most :data:`FIG_WIDTH` inches wide and
no text is smaller than :data:`MIN_FONT` points: shrunk to the phone's column
it is still at least 9 px tall. Long labels are wrapped, not shrunk.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt

import textwrap

from .outputs import count_noun

# No backend is forced: in a notebook kernel figures show inline (the site needs
# them in the executed notebooks); elsewhere matplotlib falls back to Agg.

# Okabe & Ito (2008) "Color Universal Design": colour-blind-safe categorical palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# Width of every figure, and the smallest text on it. On a phone the site shows a figure
# shrunk to its column (PHONE_COLUMN_PX); MIN_FONT points on a FIG_WIDTH-inch figure is
# then MIN_FONT / 72 * PHONE_COLUMN_PX / FIG_WIDTH ≈ 9 px.
FIG_WIDTH = 5.0
MIN_FONT = 10
PHONE_COLUMN_PX = 358

STYLE = {
    "figure.figsize": (FIG_WIDTH, 3.6),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": MIN_FONT,
    "ytick.labelsize": MIN_FONT,
    "legend.fontsize": MIN_FONT,
    "figure.titlesize": 11,
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
    """Return ``(fig, ax)``: the given Axes' figure, or a new styled figure (at most :data:`FIG_WIDTH` wide).

    The layout is constrained, so tick labels stay inside the figure and the
    saved picture keeps the figure's width.
    """
    if ax is not None:
        return ax.figure, ax
    apply_style()
    if figsize is not None:
        figsize = (min(float(figsize[0]), FIG_WIDTH), figsize[1])
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def wrap(labels, width: int = 26) -> list[str]:
    """Return ``labels`` wrapped onto lines of at most ``width`` characters (long names stay readable).

    >>> wrap(["Security threat to the US and the West"], 20)
    ['Security threat to\\nthe US and the West']
    """
    return [textwrap.fill(str(label), width) for label in labels]


def humanize(code: object) -> str:
    """Return a code such as ``think_tank`` as words ("think tank") for a label.

    >>> humanize("think_tank")
    'think tank'
    """
    return str(code).replace("_", " ")

# A figure compares at most this many groups (outlets): one colour each in the palette, and
# bars a phone can tell apart. Beyond, the MAX_GROUPS - 1 groups with most units are shown
# and the rest pooled as one "other" group (their tables and downloads keep every group).
MAX_GROUPS = len(PALETTE)


def top_groups(table, by: str, *, weight: str = "n_units", max_groups: int = MAX_GROUPS) -> tuple[list, list]:
    """Return ``(shown, pooled)``: the groups of ``table[by]`` a figure shows, and those it pools as "other".

    With at most ``max_groups`` groups every group is shown (in the table's
    order) and none is pooled. Beyond, the ``max_groups - 1`` groups with the
    largest ``weight`` (ties by name) are shown, in the table's order, and the
    rest are pooled.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"g": list("abcd"), "n_units": [5, 1, 9, 2]})
    >>> top_groups(t, "g", max_groups=3)
    (['a', 'c'], ['b', 'd'])
    >>> top_groups(t, "g")
    (['a', 'b', 'c', 'd'], [])
    """
    groups = list(dict.fromkeys(table[by]))
    if len(groups) <= max_groups:
        return groups, []
    size = table.groupby(by, sort=False)[weight].max()
    ranked = sorted(groups, key=lambda g: (-float(size.get(g, 0)), str(g)))
    keep = set(ranked[: max_groups - 1])
    return [g for g in groups if g in keep], [g for g in groups if g not in keep]


def pool_groups(table, by: str, pooled: list, *, keys, values, weight: str = "n_units", label: str | None = None):
    """Return ``table`` with the ``pooled`` groups replaced by one group: values averaged with ``weight`` as weights.

    For a share of units this is the pooled groups' own share; ``keys`` (such
    as ``frame`` or ``topic``) stay apart. Columns other than ``by``, ``keys``,
    ``values`` and ``weight`` are empty in the pooled rows. The pooled group is
    named ``label`` (default "other (<n> outlets)").

    >>> import pandas as pd
    >>> t = pd.DataFrame({"g": ["a", "b", "c"], "f": "x", "share": [0.5, 0.1, 0.4], "n_units": [2, 1, 3]})
    >>> pool_groups(t, "g", ["b", "c"], keys=["f"], values=["share"], label="other")["share"].round(3).tolist()
    [0.5, 0.325]
    """
    import pandas as pd

    if not pooled:
        return table
    label = label or f"other ({count_noun(len(pooled), by)})"
    rest = table[table[by].isin(pooled)]
    w = rest[weight].astype(float)
    sums = rest[values].mul(w, axis=0).assign(_w=w, **{k: rest[k] for k in keys}).groupby(list(keys), sort=False).sum()
    other = sums[values].div(sums["_w"].where(sums["_w"] > 0), axis=0)
    # n: the pooled groups' units together (each group's largest count, as a group's rows share one count).
    other[weight] = int(rest.groupby(by)[weight].max().sum())
    other = other.reset_index().assign(**{by: label})
    return pd.concat([table[~table[by].isin(pooled)], other], ignore_index=True)


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

    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.45 * len(rel) + 1.4))
    y = np.arange(len(rel))[::-1]
    ax.scatter(rel["percent_agreement"], y, marker="o", facecolors="none", edgecolors=color(1), label="percent agreement")
    if {"alpha_lo", "alpha_hi"} <= set(rel.columns):
        _interval_dots(ax, y.astype(float), rel["alpha"], rel["alpha_lo"], rel["alpha_hi"], color_=color(0),
                       label="Krippendorff's α (nominal),\n95% interval over articles")
    else:
        ax.scatter(rel["alpha"], y, marker="o", color=color(0), label="Krippendorff's α (nominal)", zorder=3)
    for yi, value in zip(y, rel["alpha"]):
        if np.isnan(value):
            ax.annotate("α undefined", (0, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=MIN_FONT)
    for threshold in (0.667, 0.8):
        ax.axvline(threshold, color="0.4", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, wrap(rel["name"] if "name" in rel.columns else rel["item"]))
    ax.set_xlim(min(-0.1, float(np.nanmin(rel["alpha"].to_numpy(dtype=float), initial=0)) - 0.05), 1.05)
    ax.set_xlabel(textwrap.fill("agreement between the coders of the coding set", 44))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=1)
    return ax


def plot_validity(val, ax=None):
    """Dot plot of precision, recall and F1 of the machine codes per item.

    ``val`` is :func:`analysis.validation.validity` output (``item``,
    ``precision``, ``recall``, ``f1``); undefined scores (NaN) are not drawn.

    >>> import pandas as pd
    >>> ax = plot_validity(pd.DataFrame({"item": ["a"], "precision": [1.0], "recall": [0.5], "f1": [0.67]}))
    """
    import numpy as np

    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.4 * len(val) + 1.2))
    y = np.arange(len(val))[::-1]
    for i, (column, marker) in enumerate((("precision", "s"), ("recall", "^"), ("f1", "o"))):
        ax.scatter(val[column], y, marker=marker, color=color(i), label=column.replace("f1", "F1"), zorder=3)
    ax.set_yticks(y, wrap(val["item"]))
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel(textwrap.fill("indicator codes against the coders' majority", 44))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3)
    return ax


# --- corpus stage (analysis/corpus/, notebooks/01-build-corpus) ---


# Beyond this many articles a per-article bar chart becomes a histogram.
MAX_BARS = 40


def plot_units_per_article(df, ax=None, *, label: str = "article_id", value: str = "n_units"):
    """Plot the number of analysis units per article: horizontal bars, or a histogram beyond ``MAX_BARS`` articles.

    ``df`` is tidy: one row per article with a ``label`` column (article id
    or outlet) and a ``value`` column (units). Articles keep the table order,
    top to bottom.

    Examples
    --------
    >>> import pandas as pd
    >>> ax = plot_units_per_article(pd.DataFrame({"article_id": ["a", "b"], "n_units": [3, 5]}))
    >>> len(ax.patches)
    2
    >>> ax = plot_units_per_article(pd.DataFrame({"article_id": range(100), "n_units": [3, 5] * 50}))
    >>> ax.get_ylabel()
    'articles'
    """
    if len(df) > MAX_BARS:
        # One bar per article stops being readable (and costs seconds to draw):
        # show the distribution instead.
        fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 3.5))
        values = df[value].astype(int)
        ax.hist(values, bins=range(int(values.min()), int(values.max()) + 2), color=color(0), align="left")
        ax.set_xlabel(f"units per article ({len(df):,} articles)")
        ax.set_ylabel("articles")
        return ax
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.4 * max(len(df), 3) + 1.0))
    labels = df[label].astype(str).tolist()[::-1]
    values = df[value].tolist()[::-1]
    ax.barh(labels, values, color=color(0))
    for y, v in enumerate(values):
        ax.annotate(str(v), (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=MIN_FONT)
    ax.set_xlabel("units")
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    return ax


# --- topics stage (analysis/topics/, notebooks/02-fit-topics) ---


def _topic_names(topics, labels=None, width: int = 40) -> list[str]:
    """Return "T<n> label" for each topic number (labels: topics.label_topics output)."""
    names = {} if labels is None else dict(zip(labels["topic"], labels["label"]))
    out = []
    for t in topics:
        label = str(names.get(t, ""))
        label = label if len(label) <= width else label[: width - 1] + "…"
        out.append(f"T{t} {label}".strip())
    return out


def plot_k_sweep(sweep, ax=None):
    """Plot coherence (c_v, c_npmi) and topic diversity against K, with the chosen K marked.

    ``sweep`` is :func:`analysis.topics.choose_k` output (``k``, ``c_v``,
    ``c_npmi``, ``diversity``, ``eligible``, ``chosen``). K values below the
    diversity floor are drawn hollow; u_mass is in the table, not here, since
    its scale is not comparable.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"k": [2, 3], "c_v": [0.4, 0.5], "c_npmi": [0.0, 0.1], "diversity": [1.0, 0.4],
    ...                   "eligible": [True, False], "chosen": [True, False]})
    >>> ax = plot_k_sweep(s)
    """
    fig, ax = new_axes(ax)
    eligible = sweep["eligible"].astype(bool) if "eligible" in sweep else sweep["k"].notna()
    for i, (column, name) in enumerate((("c_v", "coherence c_v"), ("c_npmi", "coherence c_npmi"),
                                        ("diversity", "topic diversity"))):
        ax.plot(sweep["k"], sweep[column], color=color(i), label=name, zorder=2)
        ax.scatter(sweep["k"][eligible], sweep[column][eligible], color=color(i), zorder=3)
        ax.scatter(sweep["k"][~eligible], sweep[column][~eligible], facecolors="white",
                   edgecolors=color(i), zorder=3)
    chosen = sweep.loc[sweep["chosen"].astype(bool), "k"]
    for k in chosen:
        ax.axvline(k, color="0.3", linestyle="--", linewidth=1)
        ax.annotate(f"chosen K = {int(k)}", (k, 0), xycoords=("data", "axes fraction"), xytext=(4, 4),
                    textcoords="offset points", fontsize=MIN_FONT)
    ax.set_xticks(sweep["k"])
    ax.set_xlabel("number of topics K")
    ax.set_ylabel("score")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    return ax


def plot_top_terms(terms, labels=None, ax=None, *, n_cols: int = 2, value: str = "relevance"):
    """Plot each topic's top terms as small multiples, one panel per topic.

    ``terms`` is :func:`analysis.topics.topic_terms` output (``topic``,
    ``rank``, ``term``, ``probability``, ...). Bars show the term's probability
    in the topic; terms are ordered by rank (``value`` names the ranking,
    for the axis note). Unlike the other plot functions it draws several
    panels, so ``ax`` is None or an array of Axes, and it returns the array.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"topic": [1, 1, 2], "rank": [1, 2, 1], "term": ["a", "b", "c"],
    ...                   "probability": [0.5, 0.3, 0.9]})
    >>> len(plot_top_terms(t))
    2
    """
    import numpy as np

    topics = sorted(terms["topic"].unique())
    if ax is None:
        apply_style()
        n_rows = int(np.ceil(len(topics) / n_cols))
        n_terms = int(terms.groupby("topic").size().max())
        # One probability scale for every panel: the topics can be compared, and two ticks fit a narrow panel.
        fig, axes = plt.subplots(n_rows, n_cols, figsize=(FIG_WIDTH, 0.2 * n_terms * n_rows + 0.9 * n_rows),
                                 squeeze=False, layout="constrained", sharex=True)
        axes = axes.ravel()
    else:
        axes = np.ravel(ax)
    names = _topic_names(topics, labels, width=40)
    for panel, topic, name in zip(axes, topics, names):
        rows = terms[terms["topic"] == topic].sort_values("rank")
        panel.barh(rows["term"].tolist()[::-1], rows["probability"].tolist()[::-1], color=color(0))
        panel.set_title(textwrap.fill(name, 24), fontsize=MIN_FONT, loc="left")
        panel.tick_params(axis="both", labelsize=MIN_FONT)
        panel.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(2))
        panel.xaxis.set_tick_params(labelbottom=True)
        panel.grid(axis="y", visible=False)
        panel.set_xlabel("p(term | topic)", fontsize=MIN_FONT)
    for panel in axes[len(topics):]:
        panel.set_visible(False)
    axes[0].figure.suptitle(f"terms ordered by {value}", x=0.01, ha="left", fontsize=MIN_FONT)
    return axes[: len(topics)]


def plot_topic_prevalence(prevalence, labels=None, ax=None, *, by: str | None = None):
    """Plot topic prevalence: overall as bars, or per group (``by``) as stacked shares.

    ``prevalence`` is :func:`analysis.topics.aggregate_topics` output
    (``topic``, ``prevalence`` and, with ``by``, the group column such as
    ``outlet``). An empty group value is shown as "(unknown)". With more than
    :data:`MAX_GROUPS` groups, those with most units are shown and the rest
    pooled into one "other" bar, its shares the pooled groups' averaged with
    their units as weights (:func:`top_groups`, :func:`pool_groups`).

    >>> import pandas as pd
    >>> p = pd.DataFrame({"topic": [1, 2], "prevalence": [0.3, 0.7]})
    >>> ax = plot_topic_prevalence(p)
    """
    import numpy as np

    topics = sorted(prevalence["topic"].unique())
    names = _topic_names(topics, labels)
    if by is None:
        fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.4 * len(topics) + 1.2))
        values = prevalence.set_index("topic").loc[topics, "prevalence"].to_numpy()
        ax.barh(wrap(names[::-1], 30), values[::-1], color=color(0))
        ax.set_xlabel("share of the corpus's words")
        ax.grid(axis="y", visible=False)
        return ax
    other = None
    if "n_units" in prevalence:
        _, pooled = top_groups(prevalence.sort_values(by, kind="stable"), by)
        if pooled:
            other = f"other ({count_noun(len(pooled), by)})"
            prevalence = pool_groups(prevalence, by, pooled, keys=["topic"], values=["prevalence"], label=other)
    wide = prevalence.pivot_table(index=by, columns="topic", values="prevalence", sort=True).fillna(0.0)
    if other is not None:  # the pooled bar goes last
        wide = wide.loc[[g for g in wide.index if g != other] + [other]]
    groups = [g if str(g) else "(unknown)" for g in wide.index.astype(str)]
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.4 * len(groups) + 0.3 * len(topics) + 1.6))
    left = np.zeros(len(groups))
    y = np.arange(len(groups))[::-1]
    for i, (topic, name) in enumerate(zip(topics, names)):
        share = wide[topic].to_numpy() if topic in wide else np.zeros(len(groups))
        ax.barh(y, share, left=left, color=color(i), label=name, edgecolor="white", linewidth=0.5)
        left += share
    ax.set_yticks(y, wrap(groups, 20))
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of the {by}'s words")
    ax.grid(axis="y", visible=False)
    # Below the bars, not beside them: beside them the legend would widen the figure.
    fig.legend(loc="outside lower left", ncols=1)
    return ax


def plot_topic_stability(stability, labels=None, ax=None, *, threshold: float = 0.8):
    """Plot each topic's stability across refits, with the threshold line; unstable topics hatched.

    ``stability`` is :func:`analysis.topics.score_stability` output (``topic``,
    ``stability``, ``min_cosine``). The dot marks the worst refit.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"topic": [1, 2], "stability": [0.95, 0.5], "min_cosine": [0.9, 0.3]})
    >>> ax = plot_topic_stability(s)
    """
    import numpy as np

    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.4 * len(stability) + 1.6))
    names = _topic_names(stability["topic"], labels)[::-1]
    values = stability["stability"].to_numpy()[::-1]
    unstable = values < threshold
    y = np.arange(len(values))
    ax.barh(y[~unstable], values[~unstable], color=color(0), label="stable")
    ax.barh(y[unstable], values[unstable], color=color(5), hatch="//", edgecolor="white", label="unstable")
    if "min_cosine" in stability:
        ax.scatter(stability["min_cosine"].to_numpy()[::-1], y, color="black", s=12, zorder=3, label="worst refit")
    ax.axvline(threshold, color="0.3", linestyle="--", linewidth=1)
    ax.annotate(f"threshold {threshold:g}", (threshold, 1), xycoords=("data", "axes fraction"),
                xytext=(-4, -12), textcoords="offset points", ha="right", fontsize=MIN_FONT)
    ax.set_yticks(y, wrap(names, 30))
    ax.set_xlim(0, 1.02)
    ax.set_xlabel(textwrap.fill("mean cosine of the matched topic across refits", 44))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    return ax


# --- text: preprocessing report (analysis.text) ---------------------------------


def plot_vocabulary_steps(steps, ax=None):
    """Plot the vocabulary size after each preprocessing step, in pipeline order.

    ``steps`` is ``TextResult.steps`` (``step``, ``n_tokens``, ``vocab_size``);
    each bar is labelled with the vocabulary size and the number of tokens.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"step": ["tokenize", "stopwords"], "n_tokens": [100, 60], "vocab_size": [50, 40]})
    >>> ax = plot_vocabulary_steps(s)
    """
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.5 * len(steps) + 1.2))
    names = list(steps["step"])[::-1]
    sizes = list(steps["vocab_size"])[::-1]
    tokens = list(steps["n_tokens"])[::-1]
    bars = ax.barh(range(len(names)), sizes, color=color(0))
    ax.bar_label(bars, labels=[f"{v:,} terms\n{t:,} tokens" for v, t in zip(sizes, tokens)], padding=3,
                 fontsize=MIN_FONT)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlim(0, max(sizes, default=1) * 1.6)
    ax.set_xlabel("vocabulary size (distinct terms)")
    ax.grid(axis="y", visible=False)
    return ax


def plot_alias_hits(alias_hits, ax=None, *, top: int = 15):
    """Plot how often each canonical entity was produced by the alias table.

    ``alias_hits`` is ``TextResult.alias_hits`` (``surface``, ``canonical``,
    ``kind``, ``count``). Bars are stacked by kind, so metonyms mapped to a
    country (Washington → amerika_serikat) stay visible; the ``top`` canonical
    tokens by total count are shown.

    >>> import pandas as pd
    >>> h = pd.DataFrame({"surface": ["korut", "pyongyang"], "canonical": ["korea_utara"] * 2,
    ...                   "kind": ["country", "metonym"], "count": [3, 1]})
    >>> ax = plot_alias_hits(h)
    """
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.3 * min(top, alias_hits["canonical"].nunique()) + 1.4))
    table = alias_hits.pivot_table(index="canonical", columns="kind", values="count", aggfunc="sum", fill_value=0)
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable")
    table = table.loc[order.index[:top][::-1]]
    left = [0] * len(table)
    for i, kind in enumerate(sorted(table.columns)):
        values = table[kind].tolist()
        ax.barh(range(len(table)), values, left=left, color=color(i), label=kind)
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(range(len(table)), table.index)
    ax.set_xlabel("matches in the corpus")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return ax


# --- frames stage (frames.py, actors.py): networks, frame prevalence, sources ---


def plot_network(nodes, edges, *, seed: int, color_by: str = "frame", size_by: str = "prevalence",
                 label_by: str = "label", ax=None):
    """Draw a weighted network: node colour = community, node size = prevalence.

    ``nodes`` has ``node``, ``color_by``, ``size_by``, ``label_by`` columns;
    ``edges`` has ``source``, ``target``, ``weight``. The spring layout is
    seeded, so the same tables and seed give the same picture. Edge width
    follows weight.

    >>> import pandas as pd
    >>> n = pd.DataFrame({"node": ["a", "b"], "frame": [0, 1], "prevalence": [.6, .4], "label": ["A", "B"]})
    >>> e = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [0.5]})
    >>> ax = plot_network(n, e, seed=1)
    """
    import networkx as nx

    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 5.0))
    G = nx.Graph()
    G.add_nodes_from(nodes["node"])
    G.add_weighted_edges_from(edges[["source", "target", "weight"]].itertuples(index=False))
    # Spread a little wider than networkx's default (k = 1/sqrt(n)): room for the labels.
    pos = nx.spring_layout(G, weight="weight", seed=seed, k=1.6 / max(len(G), 1) ** 0.5)
    groups = list(dict.fromkeys(sorted(nodes[color_by].tolist(), key=str)))
    colours = [color(groups.index(v)) for v in nodes[color_by]]
    size = nodes[size_by].astype(float)
    sizes = 150 + 1600 * (size / size.max() if size.max() > 0 else size)
    if len(edges):
        w = edges["weight"].astype(float)
        nx.draw_networkx_edges(G, pos, ax=ax, width=(0.5 + 4 * w / w.max()).tolist(), edge_color="#999999", alpha=0.6)
    nx.draw_networkx_nodes(G, pos, nodelist=nodes["node"].tolist(), node_color=colours, node_size=sizes.tolist(),
                           ax=ax, edgecolors="white")
    for i, g in enumerate(groups):
        ax.scatter([], [], color=color(i), label=humanize(g) if color_by == "kind" else f"{humanize(color_by)} {g}")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(3, len(groups)))
    ax.set_axis_off()
    ax.margins(0.12)
    order = nodes.assign(_size=size.to_numpy()).sort_values("_size", ascending=False, kind="stable")
    place_labels(ax, [pos[n] for n in order["node"]], order[label_by].astype(str).tolist())
    return ax


# Where a node's label may go, in points from the node's centre: on it, then beside, above, below.
_LABEL_OFFSETS = ((0, 0), (10, 0), (-10, 0), (0, 11), (0, -11), (14, 9), (-14, 9), (14, -9), (-14, -9))


def place_labels(ax, points, labels) -> list[str]:
    """Label each point where its label overlaps no other label; number the rest and key them below.

    Points come in priority order (the largest node first). Each label tries
    the positions of :data:`_LABEL_OFFSETS` in turn and takes the first whose
    box overlaps no label already placed and stays inside the axes; a label
    that fits nowhere is replaced by its number, and the numbers are keyed
    under the plot ("1 Xi Jinping · 2 …"). Returns the keyed labels.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2))  # too narrow for the long name: it is keyed
    >>> place_labels(ax, [(0.5, 0.5), (0.5, 0.5)], ["Shanghai Cooperation Organisation", "Xi Jinping"])
    ['Shanghai Cooperation Organisation']
    >>> plt.close(fig)
    """
    from matplotlib import patheffects
    from matplotlib.transforms import Bbox

    halo = [patheffects.withStroke(linewidth=3, foreground="white")]  # legible over edges and nodes
    fig = ax.figure
    fig.draw_without_rendering()  # settle the layout first: boxes are measured where they will be drawn,
    fig.set_layout_engine("none")  # and the axes must not move once labels are placed on them
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Bbox] = []
    keyed: list[str] = []
    for (x, y), label in zip(points, labels):
        text = None
        for dx, dy in _LABEL_OFFSETS:
            ha = "center" if dx == 0 else ("left" if dx > 0 else "right")
            va = "center" if dy == 0 else ("bottom" if dy > 0 else "top")
            text = ax.annotate(label, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                               fontsize=MIN_FONT, zorder=5, path_effects=halo)
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(b) for b in placed):
                placed.append(box)
                break
            text.remove()
            text = None
        if text is None:
            keyed.append(label)
            mark = ax.annotate(str(len(keyed)), (x, y), ha="center", va="center", fontsize=MIN_FONT,
                               fontweight="bold", zorder=5, path_effects=halo)
            placed.append(mark.get_window_extent(renderer))
    if keyed:
        key = " · ".join(f"{i} {label}" for i, label in enumerate(keyed, 1))
        ax.annotate(textwrap.fill(key, 70), (0, 0), xycoords="axes fraction", xytext=(0, -6),
                    textcoords="offset points", ha="left", va="top", fontsize=MIN_FONT)
    return keyed


def plot_frame_prevalence(prevalence, ax=None, *, labels=None, noun: str = "outlet"):
    """Plot frame prevalence with bootstrap intervals, one colour per group.

    ``prevalence`` is :func:`analysis.frames.frame_prevalence` output (group,
    frame, prevalence, lo, hi, and n_units); ``labels`` optionally maps frame ids to names.
    With more than :data:`MAX_GROUPS` groups (outlets), those with most units
    are shown and the rest pooled as "other (<n> <noun>s)": their share of units,
    as a hollow dot without an interval (:func:`top_groups`, :func:`pool_groups`).

    >>> import pandas as pd
    >>> p = pd.DataFrame({"group": ["all"] * 2, "frame": ["a", "b"], "prevalence": [.5, .2],
    ...                   "lo": [.3, .1], "hi": [.7, .3]})
    >>> ax = plot_frame_prevalence(p)
    """
    frames_ = list(dict.fromkeys(prevalence["frame"]))
    pooled = top_groups(prevalence, "group")[1] if "n_units" in prevalence else []
    other = f"other ({count_noun(len(pooled), noun)}; no interval)" if pooled else None
    prevalence = pool_groups(prevalence, "group", pooled, keys=["frame"], values=["prevalence"], label=other)
    groups = list(dict.fromkeys(prevalence["group"]))
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.45 * len(frames_) * max(1, len(groups) ** 0.5) + 1.2))
    step = 0.8 / max(len(groups), 1)
    for gi, g in enumerate(groups):
        sub = prevalence[prevalence["group"] == g].set_index("frame").reindex(frames_)
        if g == other:
            # Pooled groups have no interval of their own: a hollow dot, never a degenerate interval.
            y = [i + (gi - (len(groups) - 1) / 2) * step for i in range(len(frames_))]
            ax.scatter(sub["prevalence"], y, facecolors="white", edgecolors="0.3", label=str(g), s=20, zorder=3)
            continue
        y = [i + (gi - (len(groups) - 1) / 2) * step for i in range(len(frames_))]
        # With few resamples a percentile interval can miss the point estimate;
        # the bar is then drawn from the estimate to the interval's far end.
        below = (sub["prevalence"] - sub["lo"]).clip(lower=0)
        above = (sub["hi"] - sub["prevalence"]).clip(lower=0)
        # Caps longer than the dot is wide, so an interval of zero width ([0, 0]) still shows.
        ax.errorbar(sub["prevalence"], y, xerr=[below, above],
                    fmt="o", color=color(gi), label=str(g), capsize=5, markersize=4)
    names = [labels.get(f, f) if labels else f for f in frames_]
    ax.set_yticks(range(len(frames_)), wrap(names))
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(textwrap.fill("share of units with the frame (bootstrap 95% interval)", 44))
    if len(groups) > 1:
        handles, names_ = ax.get_legend_handles_labels()
        order = sorted(range(len(names_)), key=lambda i: groups.index(names_[i]))  # the groups' order, "other" last
        ax.legend([handles[i] for i in order], [names_[i] for i in order], loc="lower right")
    return ax


def plot_source_types(counts, ax=None):
    """Bar chart of who is quoted: units quoting each source type.

    ``counts`` is :func:`analysis.actors.count_sources` output (source_type,
    label, n_sources, n_units).

    >>> import pandas as pd
    >>> c = pd.DataFrame({"source_type": ["government"], "label": ["government official"],
    ...                   "n_sources": [2], "n_units": [3]})
    >>> ax = plot_source_types(c)
    """
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.45 * len(counts) + 1.2))
    ax.barh(range(len(counts)), counts["n_units"], color=[color(i) for i in range(len(counts))])
    for i, (u, s) in enumerate(zip(counts["n_units"], counts["n_sources"])):
        ax.text(u, i, f"  {count_noun(int(s), 'source')}", va="center", fontsize=MIN_FONT)
    ax.set_xlim(0, max(counts["n_units"].max() if len(counts) else 1, 1) * 1.45)
    ax.set_yticks(range(len(counts)), wrap(counts["label"], 22))
    ax.invert_yaxis()
    ax.set_xlabel("units quoting a source of this type")
    ax.grid(axis="y", visible=False)
    return ax


# A heatmap cell resting on fewer units than this is greyed out: its share says little.
MIN_CELL_UNITS = 5


def plot_source_frames(source_frames, ax=None, *, by: str = "source_type", labels=None, source_labels=None,
                       min_units: int = MIN_CELL_UNITS):
    """Heatmap of deductive frames × sources: the share of the units quoting each source that carry each frame.

    ``source_frames`` is :func:`analysis.actors.source_frames` output; columns
    are aggregated by ``by`` (``source_type`` or ``source``). Frames are rows,
    named by ``labels``; sources are columns, named by ``source_labels`` (else
    the code in words, never ``think_tank``), each with ``n``, the units that
    quote it. Every cell shows its share and count; a cell resting on fewer
    than ``min_units`` units is grey, with its numbers, so that a dark cell
    never rests on one paragraph unnoticed.

    >>> import pandas as pd
    >>> sf = pd.DataFrame({"source_type": ["think_tank"], "source": ["A"], "frame": ["f"],
    ...                    "n_units": [1], "n_units_quoted": [2], "share": [0.5]})
    >>> ax = plot_source_frames(sf)
    >>> [t.get_text() for t in ax.get_xticklabels()], sorted(t.get_text() for t in ax.texts)
    (['think tank (n = 2)'], ['50%\\n1 of 2'])
    """
    import numpy as np

    agg = source_frames.groupby([by, "frame"], sort=False)[["n_units", "n_units_quoted"]].sum()
    counts = agg["n_units"].unstack("frame")
    frames_ = list(dict.fromkeys(source_frames["frame"]))
    sources = list(counts.index)
    counts = counts.reindex(columns=frames_).T.fillna(0)                      # rows: frames, columns: sources
    n = agg["n_units_quoted"].groupby(level=0).max().reindex(sources).fillna(0).astype(int)
    share = counts / n.replace(0, np.nan)
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.5 * len(frames_) + 1.8))
    few = np.broadcast_to((n < min_units).to_numpy(), share.shape)
    values = np.ma.masked_array(share.to_numpy(dtype=float), mask=few | np.isnan(share.to_numpy(dtype=float)))
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="0.88")
    ax.imshow(values, cmap=cmap, vmin=0, vmax=1, aspect="auto")
    for (i, j), value in np.ndenumerate(share.to_numpy(dtype=float)):
        if np.isnan(value):
            continue
        text = f"{value:.0%}\n{int(counts.iat[i, j])} of {int(n.iat[j])}"
        shade = "0.35" if few[i, j] else ("white" if value > 0.6 else "black")
        ax.text(j, i, text, ha="center", va="center", fontsize=MIN_FONT, color=shade)
    names = [(source_labels or {}).get(s_, humanize(s_)) for s_ in sources]
    # Upright on top: side by side, the names of narrow columns would run into each other, and
    # slanted they would run past the figure's edge.
    ax.set_xticks(range(len(sources)), [f"{textwrap.fill(str(name), 22)} (n = {int(k)})" for name, k in zip(names, n)],
                  rotation=90, ha="center", va="bottom")
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(frames_)), wrap([(labels or {}).get(f, f) for f in frames_], 24))
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if few.any():
        ax.set_xlabel(textwrap.fill(f"grey: fewer than {count_noun(min_units, 'unit')} quote the source; "
                                    "its share says little", 44))
    return ax


# --- validation stage: machine coders and corrected prevalence (analysis/validation/) ---


def _interval_dots(ax, y, values, lo, hi, *, color_, label, marker="o", offset=0.0, hollow=False, cap=0.2):
    """Dots with horizontal interval bars and end caps taller than the dot.

    A degenerate interval [x, x] (e.g. [0, 0]) is still drawn: its caps stand
    above and below the dot, so it never looks like a bare point estimate.
    """
    import numpy as np

    values, lo, hi = (np.asarray(v, dtype=float) for v in (values, lo, hi))
    yy = y + offset
    ok = ~np.isnan(lo) & ~np.isnan(hi)
    ax.hlines(yy[ok], lo[ok], hi[ok], color=color_, linewidth=1.6)
    ax.vlines(np.concatenate([lo[ok], hi[ok]]), np.concatenate([yy[ok]] * 2) - cap,
              np.concatenate([yy[ok]] * 2) + cap, color=color_, linewidth=1.4)
    face = "white" if hollow else color_
    ax.scatter(values, yy, facecolors=face, edgecolors=color_, marker=marker, label=label, zorder=3, s=24)


def plot_coder_scores(scores, ax=None, *, labels=None, value: str = "alpha"):
    """α (or F1) of every machine coder per frame, out of fold, with article-bootstrap 95% intervals.

    ``scores`` is the ``coder_scores`` table. Dashed lines mark α = .667 and .800.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"frame": ["f", "f"], "method": ["indicators", "tfidf"], "alpha": [0.7, 0.5],
    ...                   "alpha_lo": [0.5, 0.5], "alpha_hi": [0.9, 0.5]})
    >>> ax = plot_coder_scores(s)
    """
    import numpy as np

    frames = list(dict.fromkeys(scores["frame"]))
    methods = list(dict.fromkeys(scores["method"]))
    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.6 * len(frames) + 1.6))
    y = np.arange(len(frames))[::-1].astype(float)
    step = 0.6 / max(len(methods), 1)
    for i, m in enumerate(methods):
        part = scores[scores["method"] == m].set_index("frame").reindex(frames)
        _interval_dots(ax, y, part[value], part[f"{value}_lo"], part[f"{value}_hi"], color_=color(i), label=m,
                       offset=(i - (len(methods) - 1) / 2) * step, cap=min(0.2, 0.45 * step))
    for threshold in (0.667, 0.8):
        ax.axvline(threshold, color="0.4", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, wrap([(labels or {}).get(f, f) for f in frames]))
    ax.set_xlim(-0.6, 1.05)
    ax.set_xlabel(textwrap.fill("Krippendorff's α against the adjudicated codes (out of fold)" if value == "alpha" else value, 44))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(2, len(methods)))
    return ax


def plot_learning_curve(curve, ax=None, *, labels=None, value: str = "f1", n_cols: int = 2):
    """Small multiples, one panel per frame: out-of-fold F1 (or α) of each supervised coder against coded units.

    Each coder keeps one colour in every panel. Returns the array of Axes.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"method": "tfidf", "frame": "f", "n_train": [10.0, 20.0], "f1": [0.4, 0.6]})
    >>> axes = plot_learning_curve(c)
    """
    import textwrap

    import matplotlib.pyplot as plt
    import numpy as np

    frames = [f for f, g in curve.groupby("frame", sort=False) if g[value].notna().any()] or list(curve["frame"][:1])
    methods = list(dict.fromkeys(curve["method"]))
    rows = max(1, int(np.ceil(len(frames) / n_cols)))
    apply_style()
    fig, axes = plt.subplots(rows, n_cols, figsize=(FIG_WIDTH, 2.2 * rows + 1.0), sharex=True, sharey=True,
                             squeeze=False, layout="constrained")
    for i, frame in enumerate(frames):
        ax_ = axes.flat[i]
        for j, method in enumerate(methods):
            g = curve[(curve["frame"] == frame) & (curve["method"] == method)]
            if g[value].notna().any():
                ax_.plot(g["n_train"], g[value], marker="o", color=color(j), linewidth=1.2, label=method)
        ax_.set_title(textwrap.fill((labels or {}).get(frame, frame), 24), fontsize=MIN_FONT)
        ax_.set_ylim(-0.05, 1.05)
    for ax_ in list(axes.flat)[len(frames):]:
        ax_.set_visible(False)
    fig.supxlabel("coded units in training (mean over folds)", fontsize=MIN_FONT)
    fig.supylabel(f"{'F1' if value == 'f1' else 'α'} on held-out articles", fontsize=MIN_FONT)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncols=min(len(methods), 3))
    return axes


def plot_corrected_prevalence(table, ax=None, *, labels=None, validated=None):
    """Corrected (filled) and raw (hollow) prevalence per frame, each with its 95% interval.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"frame": ["f"], "corrected": [0.3], "lo": [0.2], "hi": [0.4], "raw": [0.35],
    ...                   "raw_lo": [0.3], "raw_hi": [0.4]})
    >>> ax = plot_corrected_prevalence(t)
    """
    import numpy as np

    fig, ax = new_axes(ax, figsize=(FIG_WIDTH, 0.6 * len(table) + 1.6))
    y = np.arange(len(table))[::-1].astype(float)
    _interval_dots(ax, y, table["corrected"], table["lo"], table["hi"], color_=color(0),
                   label="corrected for coding error", offset=0.15, cap=0.12)
    _interval_dots(ax, y, table["raw"], table["raw_lo"], table["raw_hi"], color_=color(1), label="raw machine share",
                   offset=-0.15, hollow=True, cap=0.12)
    names = [(labels or {}).get(f, f) for f in table["frame"]]
    if validated is not None:
        names = [n if f in validated else f"{n} (not validated)" for n, f in zip(names, table["frame"])]
    ax.set_yticks(y, wrap(names))
    if validated is not None:
        for tick, f in zip(ax.get_yticklabels(), table["frame"]):
            if f not in validated:
                tick.set_color("0.55")
        for yi, f in zip(y, table["frame"]):
            if f not in validated:
                ax.axhspan(yi - 0.4, yi + 0.4, color="0.92", zorder=0)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of units with the frame")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=1)
    return ax
