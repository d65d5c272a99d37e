"""Frame prevalence with bootstrap intervals, and the claims made from it.

Prevalence is the mean of a unit value (a deductive frame's presence, an
inductive frame's share) over the units of a group (the corpus, an outlet,
a date, an article, a unit type), with a percentile bootstrap interval (fixed random seed).

Headlines and leads are a story's framing devices: the frames they carry are
reported against those of the body (:func:`unit_type_prevalence`,
:func:`compare_unit_types`), headline and lead together because a corpus has
only one of each per article.

The claims the notebooks and the Findings page make from these tables are
computed here, once: the most common frame(s) (every frame tied at the top
is named, never one of them picked silently), each group's leading frame(s),
and the frame outlets differ on most. Each returns the numbers and the
sentence, so a notebook and Findings cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..outputs import count_noun, escape_markdown
from ..files import require_columns

# frame_prevalence's group for articles that lack the grouping field (no outlet, no date).
UNKNOWN_GROUP = "unknown"

# Prevalences closer than this are ties (they are means of 0/1 codes or of float32 shares).
_TIE = 1e-9

# The opening of a story, reported as one group against the body.
OPENING_TYPES = ("headline", "lead")
OPENING_GROUP = "headline+lead"
BODY_GROUP = "body"


def frame_name(names: Mapping[str, str] | None, frame) -> str:
    """Return a frame's display name, else its id with spaces for underscores.

    >>> frame_name({"conflict": "Conflict"}, "conflict"), frame_name(None, "security_threat")
    ('Conflict', 'security threat')
    """
    return (names or {}).get(frame, str(frame).replace("_", " "))


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _bootstrap_means(sums: np.ndarray, counts: np.ndarray, n_resamples: int, rng: np.random.Generator,
                     max_cells: int = 2_000_000) -> np.ndarray:
    """Return the means of ``n_resamples`` cluster-bootstrap resamples: articles drawn with replacement.

    ``sums`` and ``counts`` are each article's total and number of units; a
    resample's mean is the ratio of the drawn articles' sums to their counts.
    Paragraphs of one article are not independent (one author, one event),
    so articles, not units, are resampled. Draws come in blocks of at most
    ``max_cells`` indices, so memory stays small for a large corpus; numpy's
    generator gives the same stream in blocks as in one draw.
    """
    k = len(sums)
    per_block = max(1, max_cells // max(k, 1))
    means = []
    for done in range(0, n_resamples, per_block):
        picks = rng.integers(0, k, size=(min(per_block, n_resamples - done), k))
        means.append(sums[picks].sum(axis=1) / counts[picks].sum(axis=1))
    return np.concatenate(means)


def _groups(data: pd.DataFrame, articles: pd.DataFrame | None, by: str | None) -> pd.Series:
    """Return each unit's group: "all", its article, a unit column, or an article column (missing → :data:`UNKNOWN_GROUP`)."""
    if by is None:
        return pd.Series("all", index=data.index)
    if by == "article_id":
        return data["article_id"].astype(str)
    if by in data.columns:
        return data[by].astype("string").fillna("").replace("", UNKNOWN_GROUP)
    if articles is None or by not in articles.columns:
        raise AnalysisError(f"parameter by={by!r}: not a column of the articles table")
    labels = articles.set_index("article_id")[by].astype("string").fillna("").replace("", UNKNOWN_GROUP)
    return data["article_id"].map(labels).fillna(UNKNOWN_GROUP)


def frame_prevalence(
    unit_values: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    *,
    by: str | None = None,
    value: str = "present",
    n_bootstrap: int = 1000,
    ci: float = 0.95,
    seed: int,
    units: pd.DataFrame | None = None,
    frames: list | None = None,
) -> pd.DataFrame:
    """Estimate frame prevalence (mean of ``value`` over units) with bootstrap intervals.

    Articles are resampled with replacement within each group (a cluster
    bootstrap with percentile intervals, a numpy Generator with a fixed seed): units of
    one article are not independent, so resampling units would give intervals
    that are far too narrow. A group of one article has an interval of zero
    width: it says nothing about other articles. A resample's prevalence is
    the sum of its articles' values over the sum of their units, so the units
    are first totalled per article and only the articles are drawn.

    Parameters
    ----------
    unit_values : long table with unit_id, article_id, frame and ``value``
        (e.g. :func:`score_units` output, or :func:`unit_frame_shares` with value="share").
    articles : articles table, needed when ``by`` is an article column (outlet, date).
    by : None for the whole corpus, else a column of ``unit_values`` (``unit_type``) or of the articles to group by.
    n_bootstrap : resamples (0: no interval); the notebook parameter, checked by :class:`FrameParams`.
    units : the universe of units (``unit_id``, ``article_id``, and ``by`` when it is a unit column). Given,
        ``unit_values`` may be sparse: a unit and frame without a row counts 0.
    frames : the frames, in the order reported (default: as they first occur in ``unit_values``).

    Returns
    -------
    group, frame, n_units, prevalence, lo, hi.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "b"], "frame": ["f", "f"], "present": [1, 0]})
    >>> frame_prevalence(s, n_bootstrap=50, seed=1)["prevalence"].item()
    0.5
    >>> u = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "b"]})
    >>> frame_prevalence(s.iloc[:1], units=u, n_bootstrap=50, seed=1).equals(frame_prevalence(s, n_bootstrap=50, seed=1))
    True
    """
    if not 0 < ci < 1:
        raise AnalysisError(f"ci={ci!r}: must be in (0, 1)")
    require_columns(unit_values, ("unit_id", "article_id", "frame", value), "unit frame values")
    frames = list(frames) if frames is not None else list(dict.fromkeys(unit_values["frame"]))
    quantiles = ((1 - ci) / 2, 1 - (1 - ci) / 2)
    if units is not None:
        rows = _sparse_prevalence(unit_values, units, articles, by, value, frames, n_bootstrap, quantiles, seed)
    else:
        rows = _dense_prevalence(unit_values, articles, by, value, frames, n_bootstrap, quantiles, seed)
    return pd.DataFrame(rows, columns=["group", "frame", "n_units", "prevalence", "lo", "hi"])


def _interval_of(sums: np.ndarray, counts: np.ndarray, n_bootstrap: int, rng, quantiles) -> tuple[float, float]:
    draws = _bootstrap_means(sums, counts, n_bootstrap, rng) if n_bootstrap else np.array([np.nan])
    return float(np.quantile(draws, quantiles[0])), float(np.quantile(draws, quantiles[1]))


def _dense_prevalence(unit_values, articles, by, value, frames, n_bootstrap, quantiles, seed) -> list[dict]:
    """Every unit has a row per frame: the mean over a group's rows, the articles' totals resampled.

    Rows are put in (group, frame) order by one stable sort, so each group's
    values keep the table's order and its mean is the same float however many
    groups there are; groups come sorted and frames in ``frames`` order, so the
    random stream is consumed in a fixed order.
    """
    extra = [by] if by and by != "article_id" and by in unit_values.columns else []
    data = unit_values[["unit_id", "article_id", "frame", value, *extra]]
    group_codes, group_names = pd.factorize(_groups(data, articles, by), sort=True)
    frame_codes = data["frame"].map({f: i for i, f in enumerate(frames)}).fillna(-1).to_numpy(dtype=np.int64)
    keep = frame_codes >= 0
    order = np.flatnonzero(keep)[np.lexsort((frame_codes[keep], group_codes[keep]))]
    g, f = group_codes[order], frame_codes[order]
    values = data[value].to_numpy()[order]
    arts = data["article_id"].to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.r_[True, (g[1:] != g[:-1]) | (f[1:] != f[:-1])]) if len(order) else np.array([], int)
    stops = np.r_[starts[1:], len(order)]
    rng = np.random.default_rng(seed)
    rows = []
    for a, b in zip(starts, stops):
        x = values[a:b].astype(float)
        lo = hi = np.nan
        if n_bootstrap:
            # The articles' totals as pandas sums them (the same floats as before chunking).
            per = pd.Series(values[a:b], index=arts[a:b]).groupby(level=0, sort=True).agg(["sum", "count"])
            lo, hi = _interval_of(per["sum"].to_numpy(dtype=float), per["count"].to_numpy(dtype=float), n_bootstrap,
                                  rng, quantiles)
        rows.append({"group": group_names[g[a]], "frame": frames[f[a]], "n_units": b - a, "prevalence": float(x.mean()),
                     "lo": lo, "hi": hi})
    return rows


def _sparse_prevalence(unit_values, units, articles, by, value, frames, n_bootstrap, quantiles, seed) -> list[dict]:
    """The universe from ``units``, the values from sparse rows (absent: 0), totalled per group and article.

    For 0/1 values this gives the numbers the dense table gives: a group's
    mean is its sum of ones over its number of units, and the bootstrap draws
    the same articles (sorted within each group) in the same order.
    """
    require_columns(units, ("unit_id", "article_id"), "units")
    extra = [by] if by and by != "article_id" and by in units.columns else []
    universe = units[["unit_id", "article_id", *extra]]
    group = _groups(universe, articles, by)
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([group.to_numpy(dtype=object),
                                                           universe["article_id"].to_numpy(dtype=object)],
                                                          names=["group", "article_id"])
                       ).groupby(level=[0, 1], sort=True).sum()
    unit_group = pd.Series(group.to_numpy(dtype=object), index=universe["unit_id"].to_numpy(dtype=object))
    values = unit_values[unit_values["frame"].isin(frames)]
    values = values[values["unit_id"].isin(unit_group.index)]
    sums = (pd.DataFrame({"group": values["unit_id"].map(unit_group).to_numpy(dtype=object),
                          "article_id": values["article_id"].to_numpy(dtype=object),
                          "frame": values["frame"].to_numpy(dtype=object), "v": values[value].to_numpy(dtype=float)})
            .groupby(["group", "article_id", "frame"], sort=False)["v"].sum().unstack("frame")
            .reindex(index=counts.index, columns=frames).fillna(0.0))
    table, n = sums.to_numpy(dtype=float), counts.to_numpy(dtype=float)
    groups = counts.index.get_level_values(0).to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else np.array([], int)
    stops = np.r_[starts[1:], len(groups)]
    rng = np.random.default_rng(seed)
    rows = []
    for a, b in zip(starts, stops):
        c = n[a:b]
        n_units = int(c.sum())
        for j, frame in enumerate(frames):
            s = table[a:b, j]
            lo, hi = _interval_of(s, c, n_bootstrap, rng, quantiles) if n_bootstrap else (np.nan, np.nan)
            rows.append({"group": groups[a], "frame": frame, "n_units": n_units, "prevalence": float(s.sum()) / n_units,
                         "lo": lo, "hi": hi})
    return rows


# --------------------------------------------------------------------------- claims


def outlet_spread(by_outlet: pd.DataFrame) -> pd.DataFrame:
    """Return per frame the lowest and highest prevalence across groups, widest spread first.

    ``by_outlet`` is :func:`frame_prevalence` by outlet (``frame``, ``group``,
    ``prevalence``). Ties in spread are broken by frame id, so the order is fixed.

    Examples
    --------
    >>> t = pd.DataFrame({"frame": ["a", "a", "b", "b"], "group": ["X", "Y", "X", "Y"], "prevalence": [0.1, 0.5, 0.2, 0.3]})
    >>> outlet_spread(t).round(2).values.tolist()
    [['a', 0.1, 0.5, 0.4], ['b', 0.2, 0.3, 0.1]]
    """
    spread = by_outlet.groupby("frame")["prevalence"].agg(["min", "max"]).reset_index()
    spread["spread"] = spread["max"] - spread["min"]
    return spread.sort_values(["spread", "frame"], ascending=[False, True], ignore_index=True)


def outlet_label(group: str) -> str:
    """Name an outlet group in prose: the no-outlet group says what it is; corpus text is escaped.

    >>> outlet_label(UNKNOWN_GROUP), outlet_label("Kompas")
    ('articles naming no outlet', 'Kompas')
    """
    return "articles naming no outlet" if group == UNKNOWN_GROUP else escape_markdown(group)


def outlet_gap(by_outlet: pd.DataFrame, names: Mapping[str, str] | None = None, *, units: str = "units") -> str:
    """Return the sentence on the frame outlets differ on most ("" when outlets do not differ).

    The frame is the first of :func:`outlet_spread`; the sentence names the
    outlets with the lowest and the highest prevalence.

    >>> t = pd.DataFrame({"frame": ["a", "a"], "group": ["X", "Y"], "prevalence": [0.1, 0.5]})
    >>> outlet_gap(t, {"a": "Conflict"})
    'Outlets differ most on **Conflict**: from 10% of units in X to 50% in Y.'
    """
    if by_outlet.empty or by_outlet["group"].nunique() < 2:
        return ""
    widest = outlet_spread(by_outlet).iloc[0]["frame"]
    rows = by_outlet[by_outlet["frame"] == widest].sort_values("prevalence")
    lo, hi = rows.iloc[0], rows.iloc[-1]
    if not hi["prevalence"] > lo["prevalence"]:
        return ""
    return (f"Outlets differ most on **{frame_name(names, widest)}**: from {_pct(lo['prevalence'])} of {units} in "
            f"{outlet_label(lo['group'])} to {_pct(hi['prevalence'])} in {outlet_label(hi['group'])}.")


def leading_frames(prevalence: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return per group its leading frame(s): every frame tied at the group's highest prevalence.

    Columns: group, frames (display names, bold, joined with "and"), n_frames, prevalence, n_units.

    >>> p = pd.DataFrame({"group": ["X", "X", "X"], "frame": ["b", "a", "c"], "prevalence": [0.5, 0.5, 0.1],
    ...                   "n_units": [4, 4, 4]})
    >>> leading_frames(p).values.tolist()
    [['X', '**a** and **b**', 2, 0.5, 4]]
    """
    top = prevalence.groupby("group")["prevalence"].transform("max")
    tied = prevalence[(prevalence["prevalence"] >= top - _TIE)].sort_values(["group", "frame"])
    return (tied.groupby("group", sort=True)
            .agg(frames=("frame", lambda f: " and ".join(f"**{frame_name(names, x)}**" for x in f)),
                 n_frames=("frame", "size"), prevalence=("prevalence", "first"), n_units=("n_units", "first"))
            .reset_index())


def top_with_ties(prevalence: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Keep per group the ``n`` highest prevalences, with every frame tied at the n-th.

    >>> p = pd.DataFrame({"group": "X", "frame": ["a", "b", "c"], "prevalence": [0.5, 0.2, 0.2]})
    >>> top_with_ties(p, 2)["frame"].tolist()
    ['a', 'b', 'c']
    """
    ranked = prevalence.sort_values(["group", "prevalence", "frame"], ascending=[True, False, True])
    cutoff = ranked.groupby("group")["prevalence"].transform(lambda p: p.iloc[min(n, len(p)) - 1])
    return ranked[ranked["prevalence"] >= cutoff - _TIE]


@dataclass(frozen=True)
class TopFrames:
    """The most common deductive frame(s) of the corpus, and the sentence that states it.

    ``top`` holds the corpus-wide prevalence rows (group "all") of every frame
    tied at the highest prevalence, ``ranked`` every frame, most common first
    (ties by frame id).
    """

    top: pd.DataFrame
    ranked: pd.DataFrame
    text: str

    @property
    def frames(self) -> list[str]:
        return self.top["frame"].tolist()


def _interval(row) -> str:
    """The frame's bootstrap interval as a clause ("" without one)."""
    if pd.isna(row.get("lo")) or pd.isna(row.get("hi")):
        return ""
    return f"95% bootstrap interval {_pct(row['lo'])}–{_pct(row['hi'])}"


def _in_articles(row, articles: pd.DataFrame | None) -> str:
    """In how many articles the frame is present, as a clause ("" without the article table)."""
    if articles is None or articles.empty:
        return ""
    coded = articles[(articles["frame"] == row["frame"]) & (articles["present"] == 1)]["article_id"].nunique()
    return f"in {coded} of {articles['article_id'].nunique()} articles"


def most_common_frames(prevalence: pd.DataFrame, names: Mapping[str, str] | None = None, *,
                       articles: pd.DataFrame | None = None, units: str = "units") -> TopFrames:
    """Return the most common frame(s), every frame tied at the top named, with the sentence.

    ``prevalence`` is :func:`frame_prevalence` (its "all" group is used);
    ``articles`` (``frames_articles``) adds in how many articles the frame is
    present; ``units`` names the unit of analysis in the plural.

    Examples
    --------
    >>> p = pd.DataFrame({"group": "all", "frame": ["a", "b", "c"], "n_units": 10,
    ...                   "prevalence": [0.5, 0.5, 0.0], "lo": [0.2, 0.3, 0.0], "hi": [0.8, 0.7, 0.0]})
    >>> most_common_frames(p, {"a": "Conflict", "b": "Economic"}).text
    'The most common frames, tied at 50% of the 10 units, are **Conflict** (95% bootstrap interval 20%–80%) and **Economic** (95% bootstrap interval 30%–70%). They are followed by **c** (0%). 1 frame never occurs: c.'
    """
    ranked = prevalence[prevalence["group"] == "all"].sort_values(["prevalence", "frame"], ascending=[False, True])
    if ranked.empty:
        return TopFrames(ranked, ranked, "")
    best, n = ranked["prevalence"].iloc[0], int(ranked["n_units"].iloc[0])
    if best == 0:
        return TopFrames(ranked.iloc[:0], ranked, (
            f"No codebook frame was coded in any of the {n} {units}: the indicators of the codebook do not occur "
            "in this corpus (see the codebook on the Frames page)."))
    top = ranked[ranked["prevalence"] >= best - _TIE]
    if len(top) == 1:
        row = top.iloc[0]
        interval, in_articles = _interval(row), _in_articles(row, articles)
        text = (f"The most common frame is **{frame_name(names, row['frame'])}**, coded in {_pct(best)} of the {n} "
                f"{units}{f' ({interval})' if interval else ''}{f' and {in_articles}' if in_articles else ''}.")
    else:
        tied = []
        for _, r in top.iterrows():
            detail = "; ".join(c for c in (_interval(r), _in_articles(r, articles)) if c)
            tied.append(f"**{frame_name(names, r['frame'])}**" + (f" ({detail})" if detail else ""))
        text = f"The most common frames, tied at {_pct(best)} of the {n} {units}, are {' and '.join(tied)}."
    others = " and ".join(f"**{frame_name(names, r.frame)}** ({_pct(r.prevalence)})"
                          for r in ranked.iloc[len(top):len(top) + 2].itertuples())
    if others:
        text += f" {'It is' if len(top) == 1 else 'They are'} followed by {others}."
    never = ranked[ranked["prevalence"] == 0]
    if len(never):
        text += (f" {count_noun(len(never), 'frame')} never {'occurs' if len(never) == 1 else 'occur'}: "
                 f"{', '.join(frame_name(names, f) for f in never['frame'])}.")
    return TopFrames(top, ranked, text)


# --------------------------------------------------------------------------- unit types


def unit_type_prevalence(unit_scores: pd.DataFrame, units: pd.DataFrame, *, n_bootstrap: int = 1000,
                         seed: int, sparse: bool = False, frames: list | None = None) -> pd.DataFrame:
    """Return frame prevalence per unit type, and for headline and lead together (:data:`OPENING_GROUP`).

    ``unit_scores`` is :func:`score_units` output; ``units`` the corpus units
    with ``unit_type`` (a run without that column counts every unit as body).
    Intervals come from the same cluster bootstrap over articles as
    :func:`frame_prevalence`, within each group. With ``sparse``,
    ``unit_scores`` holds only scores above 0 (``frames_units``) and ``units``
    (``unit_id``, ``article_id``, ``unit_type``) is the universe of units;
    ``frames`` are then the frames reported, in order.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": ["h", "l", "b1", "b2"], "article_id": "a", "frame": "f", "present": [1, 1, 0, 1]})
    >>> u = pd.DataFrame({"unit_id": ["h", "l", "b1", "b2"], "unit_type": ["headline", "lead", "body", "body"]})
    >>> unit_type_prevalence(s, u, n_bootstrap=0, seed=1)[["group", "n_units", "prevalence"]].values.tolist()
    [['body', 2, 0.5], ['headline', 1, 1.0], ['headline+lead', 2, 1.0], ['lead', 1, 1.0]]
    >>> u = u.assign(article_id="a")
    >>> unit_type_prevalence(s[s.present == 1], u, n_bootstrap=0, seed=1, sparse=True).equals(
    ...     unit_type_prevalence(s, u, n_bootstrap=0, seed=1))
    True
    """
    frames = list(frames) if frames is not None else list(dict.fromkeys(unit_scores["frame"]))
    if sparse:
        universe = units[["unit_id", "article_id"]].assign(
            unit_type=units["unit_type"].fillna(BODY_GROUP) if "unit_type" in units.columns else BODY_GROUP)
        opening = universe[universe["unit_type"].isin(OPENING_TYPES)].assign(unit_type=OPENING_GROUP)
        parts = [frame_prevalence(unit_scores, by="unit_type", n_bootstrap=n_bootstrap, seed=seed, units=part,
                                  frames=frames) for part in (universe, opening) if len(part)]
    else:
        types = units.set_index("unit_id")["unit_type"] if "unit_type" in units.columns else pd.Series(dtype=str)
        data = unit_scores.assign(unit_type=unit_scores["unit_id"].map(types).fillna(BODY_GROUP))
        opening = data[data["unit_type"].isin(OPENING_TYPES)].assign(unit_type=OPENING_GROUP)
        parts = [frame_prevalence(part, by="unit_type", n_bootstrap=n_bootstrap, seed=seed, frames=frames)
                 for part in (data, opening) if len(part)]
    if not parts:
        return pd.DataFrame(columns=["group", "frame", "n_units", "prevalence", "lo", "hi"])
    out = pd.concat(parts, ignore_index=True)
    order = {f: i for i, f in enumerate(frames)}
    return out.sort_values(["group", "frame"], key=lambda c: c.map(order) if c.name == "frame" else c,
                           ignore_index=True)


def _share(row) -> str:
    interval = "" if pd.isna(row["lo"]) or pd.isna(row["hi"]) else f" ({_pct(row['lo'])}–{_pct(row['hi'])})"
    return f"{_pct(row['prevalence'])}{interval}"


def unit_type_table(by_type: pd.DataFrame, names: Mapping[str, str] | None = None, *,
                    validated: set | None = None) -> pd.DataFrame:
    """Return one row per frame: its share in headlines and leads and in the body, with intervals and n.

    Columns: frame (display name), validated (when ``validated`` is given),
    headline + lead, body (share and 95% interval over articles), n headline + lead, n body, difference
    (percentage points). Validated frames come first, then by difference.
    """
    wide = {g: by_type[by_type["group"] == g].set_index("frame") for g in (OPENING_GROUP, BODY_GROUP)}
    frames = [f for f in dict.fromkeys(by_type["frame"]) if f in wide[OPENING_GROUP].index and f in wide[BODY_GROUP].index]
    rows = []
    for f in frames:
        o, b = wide[OPENING_GROUP].loc[f], wide[BODY_GROUP].loc[f]
        row = {"frame": frame_name(names, f)}
        if validated is not None:
            row["validated"] = "yes" if f in validated else "no"
        row.update({"headline + lead": _share(o), "body": _share(b), "n headline + lead": int(o["n_units"]),
                    "n body": int(b["n_units"]),
                    "difference": round(100 * (o["prevalence"] - b["prevalence"]))})
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    keys = ([table["validated"].eq("no")] if validated is not None else []) + [-table["difference"].abs()]
    order = sorted(range(len(table)), key=lambda i: tuple(k.iloc[i] for k in keys) + (table["frame"].iloc[i],))
    return table.iloc[order].reset_index(drop=True)


def compare_unit_types(by_type: pd.DataFrame, names: Mapping[str, str] | None = None, *,
                       validated: set | None = None, units: str = "units", n_shown: int = 3) -> str:
    """Return the sentence comparing the frames of headlines and leads with those of the body, with n.

    With ``validated`` (the frames validated against coders) those lead and
    every other frame is named as not validated; without it (the frames
    stage, before validation) the frames that differ most are named, as the
    indicators' raw codes. Shares come with 95% intervals over articles.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["headline+lead", "body"], "frame": "f", "n_units": [4, 20],
    ...                   "prevalence": [0.5, 0.1], "lo": [0.2, 0.0], "hi": [0.8, 0.3]})
    >>> compare_unit_types(t, {"f": "Conflict"})
    'Headlines and leads (4 units) carry **Conflict** in 50% (20%–80%) against 10% (0%–30%) of the 20 body units.'
    """
    table = unit_type_table(by_type, names, validated=validated)
    if table.empty:
        return (f"The run has no headline or lead {units} to compare with the body "
                "(no headline was found, or the unit is the article).")
    n_open, n_body = int(table["n headline + lead"].iloc[0]), int(table["n body"].iloc[0])
    def clause(r):
        return f"**{r['frame']}** in {r['headline + lead']} against {r['body']}"
    if validated is None:
        shown = table[table["difference"] != 0].head(n_shown)
        if shown.empty:
            return (f"Headlines and leads ({count_noun(n_open, units.removesuffix('s'))}) and the {n_body} body {units} carry "
                    "each frame equally often.")
        return (f"Headlines and leads ({count_noun(n_open, units.removesuffix('s'))}) carry " + "; ".join(map(clause, shown.to_dict("records")))
                + f" of the {n_body} body {units}.")
    ok = table[table["validated"] == "yes"]
    rest = table[table["validated"] == "no"]
    text = (f"Headlines and leads ({count_noun(n_open, units.removesuffix('s'))}) carry " + "; ".join(map(clause, ok.to_dict("records")))
            + f" of the {n_body} body {units}." if len(ok) else
            "No frame is validated, so no frame of headlines and leads is compared with the body as a finding.")
    if len(rest):
        diff = rest[rest["difference"] != 0].head(n_shown)
        text += (" Not validated, description only: " + ("; ".join(f"{r['frame']} {r['headline + lead']} against "
                                                                  f"{r['body']}" for r in diff.to_dict("records"))
                                                         if len(diff) else "no other frame differs") + ".")
    return text


def headline_codes(units: pd.DataFrame, unit_scores: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return every headline with the frames coded in it: unit_id, headline, frames ("none" when none).

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["a-p000", "a-p001"], "unit_type": ["headline", "lead"], "text": ["Judul", "Isi"]})
    >>> s = pd.DataFrame({"unit_id": ["a-p000", "a-p000"], "frame": ["f", "g"], "present": [1, 0]})
    >>> headline_codes(u, s, {"f": "Conflict"}).values.tolist()
    [['a-p000', 'Judul', 'Conflict']]
    """
    if "unit_type" not in units.columns:
        return pd.DataFrame(columns=["unit_id", "headline", "frames"])
    heads = units.loc[units["unit_type"] == "headline", ["unit_id", "text"]].rename(columns={"text": "headline"})
    present = unit_scores[unit_scores["present"] == 1]
    coded = present.groupby("unit_id", sort=False)["frame"].agg(lambda f: ", ".join(frame_name(names, x) for x in f))
    return heads.assign(frames=heads["unit_id"].map(coded).fillna("none")).reset_index(drop=True)
