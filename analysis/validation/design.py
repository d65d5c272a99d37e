"""The coding sample: how many units people code, which ones, and who codes what.

Rules kept here:

* **Size by a stated rule.** Unless the researcher gives a number, the
  reliability sample is as large as a target precision of α needs. For two
  coders and a binary code with prevalence π, the large-sample variance of
  the intraclass κ (which Krippendorff's α approaches) is
  ``(1 − κ)/n · [(1 − κ)(1 − 2κ) + κ(2 − κ) / (2π(1 − π))]``
  (Bloch & Kraemer 1989, eq. 3.2); the rule solves it for the ``n`` whose
  95% interval has the target half-width, at the expected α and the
  rarest frame's prevalence (floored at 5%: a rarer frame would need more
  units than a study can code, and is reported as such).
* **Stratified by outlet and month**, with proportional allocation by the
  largest-remainder method, so that every outlet and period is coded in
  proportion to its share of units; within a stratum units are drawn with a
  generator with a fixed seed.
* **An overlap that every coder codes** (the reliability sample); units
  beyond it are dealt to coders in turn and serve as training data only.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import AnalysisError

Z95 = 1.959963984540054
MIN_PREVALENCE = 0.05


def reliability_sample_size(half_width: float = 0.1, expected_alpha: float = 0.8,
                            prevalence: float = 0.2) -> int:
    """Units all coders must code for α's 95% interval to have ``half_width`` (Bloch & Kraemer 1989).

    >>> reliability_sample_size(0.1, 0.8, 0.2)
    222
    >>> reliability_sample_size(0.1, 0.8, 0.01) == reliability_sample_size(0.1, 0.8, 0.05)
    True
    """
    if not 0 < half_width < 1 or not 0 < expected_alpha < 1:
        raise AnalysisError(f"sample rule: half-width {half_width} and expected α {expected_alpha} must lie in (0, 1)")
    p = min(max(float(prevalence), MIN_PREVALENCE), 1 - MIN_PREVALENCE)
    k = expected_alpha
    unit_variance = (1 - k) * ((1 - k) * (1 - 2 * k) + k * (2 - k) / (2 * p * (1 - p)))
    return int(math.ceil(Z95 ** 2 * unit_variance / half_width ** 2))


def _strata(units: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    meta = articles.set_index("article_id")
    outlet = units["article_id"].map(meta["outlet"]).fillna("").replace("", "(no outlet)")
    date = units["article_id"].map(meta["date"]).fillna("").astype(str)
    month = date.str.slice(0, 7).where(date.str.match(r"^\d{4}-\d{2}"), "(no date)")
    return outlet + " | " + month


def _allocate(sizes: pd.Series, n: int) -> pd.Series:
    """Largest-remainder proportional allocation of ``n`` over strata of ``sizes`` (ties by name)."""
    exact = sizes / sizes.sum() * n
    base = np.floor(exact).astype(int).clip(upper=sizes)
    rest = n - int(base.sum())
    remainder = (exact - base).where(base < sizes, -1.0)
    for name in remainder.sort_values(ascending=False, kind="stable").index[:max(rest, 0)]:
        base[name] += 1
    return base


def draw_sample(units: pd.DataFrame, articles: pd.DataFrame, *, n_overlap: int, n_extra: int = 0,
                coders: tuple[str, ...] = ("coder_1", "coder_2"), seed: int) -> pd.DataFrame:
    """Draw the coding sample: ``n_overlap`` units for every coder plus ``n_extra`` dealt in turn.

    Returns ``unit_id``, ``article_id``, ``stratum``, ``overlap`` (bool) and
    ``coders`` (the coders who code the unit, ``;``-joined), in sampling order.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(10)], "article_id": list("aaaaabbbbb")})
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "date": ["2024-01-02", ""]})
    >>> s = draw_sample(units, arts, n_overlap=4, n_extra=2, seed=1)
    >>> int(s["overlap"].sum()), s.loc[~s["overlap"], "coders"].tolist()
    (4, ['coder_1', 'coder_2'])
    """
    if len(coders) < 1 or len(set(coders)) != len(coders):
        raise AnalysisError("coding sample: give one or more distinct coder names")
    n_total = min(len(units), n_overlap + n_extra)
    if n_total <= 0:
        raise AnalysisError("coding sample: the corpus has no units to code")
    rng = np.random.default_rng(seed)
    strata = _strata(units, articles)
    allocation = _allocate(strata.value_counts().sort_index(), n_total)
    picked = []
    for name, k in allocation.items():
        members = np.flatnonzero((strata == name).to_numpy())
        picked.extend(rng.choice(members, size=int(k), replace=False).tolist())
    order = rng.permutation(np.array(picked, dtype=int))
    sample = units.iloc[order][["unit_id", "article_id"]].reset_index(drop=True)
    sample["stratum"] = strata.iloc[order].to_numpy()
    sample["overlap"] = np.arange(len(sample)) < min(n_overlap, len(sample))
    sample["coders"] = [";".join(coders) if o else coders[i % len(coders)]
                        for i, o in enumerate(sample["overlap"])]
    return sample
