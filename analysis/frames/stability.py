"""How stable the inductive frames are: the adjusted Rand index across seeds, neighbouring K and algorithms.

The topic stage keeps, for its stability refits (other seeds, same K) and for
the sweep's models of K − 1 and K + 1, what the topic network needs
(``topic_network_nodes``, ``topic_network_pairs``) and their weights on a
random sample of units drawn with a fixed seed (``topic_refit_units``). Here each of those models gets
its own network and communities, with the run's method, resolution and seed,
and every sampled unit is assigned to its dominant frame (the frame whose
topics hold most of its weight). The adjusted Rand index (Hubert & Arabie
1985; ``sklearn.metrics.adjusted_rand_score``) of those assignments against
the chosen model's says whether another seed or K would give the same frames:
1 is the same partition, 0 what chance gives. The other community algorithm
on the chosen model's network is compared the same way.

Rules kept here:

* **A threshold with a source.** Frames are stable when the mean ARI over the
  refits and neighbouring K reaches ``min_ari`` (notebook 03; default .65,
  the lower bound of "moderate" recovery in Steinley 2004). Below it they are
  reported as not stable and do not headline (:class:`FrameStability`).
* **No structure is no finding.** When the chosen model's network has one
  community or fewer than three topics, agreement is beside the point: the
  verdict says there are no frames to be stable.
* One sentence, computed once (:meth:`FrameStability.text`), for notebook 03
  and the Findings page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .network import COMMUNITY_METHODS, communities, network_from_tables, number_communities

#: Where the threshold comes from, as the pages cite it.
ARI_SOURCE = "the lower bound of moderate agreement in Steinley (2004)"

STABILITY_COLUMNS = ("model", "kind", "k", "seed", "n_units", "n_frames", "ari")


def model_frames(nodes: pd.DataFrame, pairs: pd.DataFrame, *, method: str, resolution: float, seed: int,
                 edge_quantile: float = 0.0) -> dict[int, int]:
    """One model's frames: topic (from 1) → frame number, junk topics left out.

    >>> nodes = pd.DataFrame({"topic": [1, 2, 3, 4], "prevalence": .25, "junk": False})
    >>> pairs = pd.DataFrame({"source": [1, 3, 1], "target": [2, 4, 3], "weight": [.9, .9, .01]})
    >>> model_frames(nodes, pairs, method="louvain", resolution=1.0, seed=1)
    {1: 1, 2: 1, 3: 2, 4: 2}
    """
    G = network_from_tables(nodes, pairs, edge_quantile=edge_quantile)
    numbers = number_communities(G, communities(G, method=method, resolution=resolution, seed=seed))
    return dict(sorted((G.nodes[n]["topic"], f) for n, f in numbers.items()))


def dominant_frames(weights: pd.DataFrame, topic_frame: dict[int, int]) -> pd.Series:
    """Each unit's dominant frame: the frame whose topics hold most of its weight (ties: the lower frame; none: 0).

    ``weights`` is long (``unit_id``, ``topic``, ``weight``).

    >>> w = pd.DataFrame({"unit_id": ["u", "u", "u", "v"], "topic": [1, 2, 3, 3], "weight": [.3, .3, .4, 1.]})
    >>> dominant_frames(w, {1: 1, 2: 1, 3: 2}).tolist()
    [1, 2]
    """
    framed = weights.assign(frame=weights["topic"].map(topic_frame)).dropna(subset=["frame"])
    if framed.empty:
        return pd.Series(0, index=pd.Index(sorted(weights["unit_id"].unique()), name="unit_id"), name="frame")
    sums = framed.groupby(["unit_id", "frame"])["weight"].sum().unstack(fill_value=0.0)
    best = pd.Series(sums.columns[np.argmax(sums.to_numpy(), axis=1)].astype(int), index=sums.index, name="frame")
    every = pd.Index(sorted(weights["unit_id"].unique()), name="unit_id")
    return best.reindex(every, fill_value=0).astype(int)


def frame_stability(nodes: pd.DataFrame, pairs: pd.DataFrame, units: pd.DataFrame, *, method: str,
                    resolution: float, seed: int, edge_quantile: float = 0.0) -> pd.DataFrame:
    """The ARI of every alternative model's unit frames against the chosen model's, and of the other algorithm's.

    ``nodes``, ``pairs`` and ``units`` are the topic stage's
    ``topic_network_nodes``, ``topic_network_pairs`` and ``topic_refit_units``.
    The chosen model is ``model == "reference"``.

    Returns
    -------
    model, kind (``seed``, ``k``, or ``method`` for the other algorithm on the
    chosen network), k, seed, n_units, n_frames (of that model), ari (missing when the chosen model puts
    every unit in one frame, where the index is not defined).
    """
    from sklearn.metrics import adjusted_rand_score

    def frames_of(name, how):
        return model_frames(nodes[nodes["model"] == name], pairs[pairs["model"] == name], method=how,
                            resolution=resolution, seed=seed, edge_quantile=edge_quantile)

    reference = dominant_frames(units[units["model"] == "reference"], frames_of("reference", method))
    # With every unit in one frame the index is 0/0: sklearn's 1.0 for two such partitions would read as agreement.
    defined = reference.nunique() >= 2
    other = next(m for m in COMMUNITY_METHODS if m != method)
    rows = []
    info = nodes.drop_duplicates("model").set_index("model")
    models = [(m, info.loc[m, "kind"], method) for m in info.index if m != "reference"]
    models.append(("reference", "method", other))
    for name, kind, how in models:
        topic_frame = frames_of(name, how)
        labels = dominant_frames(units[units["model"] == name], topic_frame)
        common = reference.index.intersection(labels.index)
        rows.append({"model": name if kind != "method" else f"reference-{how}", "kind": kind,
                     "k": int(info.loc[name, "k"]), "seed": int(info.loc[name, "seed"]), "n_units": len(common),
                     "n_frames": len(set(topic_frame.values())),
                     "ari": round(float(adjusted_rand_score(reference[common], labels[common])), 6)
                     if len(common) and defined else np.nan})
    return pd.DataFrame(rows, columns=list(STABILITY_COLUMNS))


@dataclass(frozen=True)
class FrameStability:
    """The stability verdict on a run's inductive frames, and the sentence that states it.

    ``stable`` is True or False, or None when it was not measured (no refit, no
    neighbouring K). ``structure`` is False when the chosen network has no
    communities to be stable (one community, or fewer than three topics).
    """

    stable: bool | None
    structure: bool
    mean_ari: float
    min_ari: float
    n_models: int
    threshold: float
    method_ari: float
    method: str
    text: str

    @property
    def headline(self) -> str:
        """A few words for a heading: "stable", "not stable", "stability not measured", "no community structure"."""
        if not self.structure:
            return "no community structure"
        return {True: "stable across refits", False: "not stable", None: "stability not measured"}[self.stable]


def assess_frame_stability(table: pd.DataFrame, *, threshold: float, n_frames: int, n_topics: int,
                           method: str = "louvain") -> FrameStability:
    """Turn the :func:`frame_stability` table into the verdict and its sentence.

    ``n_frames`` and ``n_topics`` are the chosen model's (topics in the network, junk left out).

    Examples
    --------
    >>> t = pd.DataFrame({"model": ["seed-1", "k-4", "reference-leiden"], "kind": ["seed", "k", "method"],
    ...                   "k": [3, 4, 3], "seed": 1, "n_units": 50, "n_frames": 2, "ari": [0.9, 0.5, 1.0]})
    >>> v = assess_frame_stability(t, threshold=0.65, n_frames=2, n_topics=6)
    >>> v.stable, v.mean_ari
    (True, 0.7)
    """
    if "kind" not in table:  # a run that did not measure it (no table)
        table = pd.DataFrame(columns=list(STABILITY_COLUMNS))
    refits = table[table["kind"].isin(["seed", "k"])].dropna(subset=["ari"])
    alt = table.loc[table["kind"] == "method", "ari"]
    other = next(m for m in COMMUNITY_METHODS if m != method)
    method_ari = float(alt.iloc[0]) if len(alt) and pd.notna(alt.iloc[0]) else float("nan")
    structure = n_topics >= 3 and n_frames >= 2
    mean = float(refits["ari"].mean()) if len(refits) else float("nan")
    low = float(refits["ari"].min()) if len(refits) else float("nan")
    stable = None if refits.empty else bool(mean >= threshold)
    counts = _count_models(refits)
    if not structure:
        text = ("The inductive frames have no stability to measure: the topic network "
                + (f"has {n_topics} topic(s) once junk topics are left out"
                   if n_topics < 3 else "falls into a single community")
                + ", so it shows no distinct frames.")
        stable = False if stable is not None else None
    elif stable is None:
        text = ("How stable the inductive frames are was not measured: there is no refit with another seed and no "
                "neighbouring K (set n_stability_seeds above 0, or let the sweep choose K).")
    else:
        word = "**stable**" if stable else "**not stable**"
        text = (f"The inductive frames are {word} across {counts}: the units' dominant frames agree with this "
                f"model's at a mean adjusted Rand index of {mean:.2f} (lowest {low:.2f}; threshold {threshold:g}, "
                f"{ARI_SOURCE}).")
        if not stable:
            text += (" Another seed or K would group the text into other frames, so the frames below describe this "
                     "one model and are no finding.")
    if structure and not np.isnan(method_ari):
        text += f" {other.capitalize()} and {method.capitalize()} agree on this model's network at ARI {method_ari:.2f}."
    return FrameStability(stable, structure, mean, low, len(refits), threshold, method_ari, method, text)


def _count_models(refits: pd.DataFrame) -> str:
    n_seed = int((refits["kind"] == "seed").sum())
    ks = sorted(refits.loc[refits["kind"] == "k", "k"].astype(int))
    parts = []
    if n_seed:
        parts.append(f"{n_seed} refit{'s' if n_seed != 1 else ''} with other seeds")
    if ks:
        parts.append(f"the neighbouring K ({', '.join(map(str, ks))})")
    return " and ".join(parts) or "no other model"
