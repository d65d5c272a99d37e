"""Stability: how far another seed would change each topic of the chosen model.

Rules kept here:

* The chosen K is refitted with ``n_stability_seeds`` seeds derived
  deterministically from the run's seed (:func:`stability_seeds`), never with
  global random state.
* Refitted topics are matched to the reference model's by the Hungarian
  algorithm on topic-word cosine (:func:`match_topics`), so a permutation of
  the same topics scores as stable.
* Each topic gets a stability score (mean matched cosine), its worst refit and
  the mean Jaccard overlap of its top words; a topic below the threshold is
  flagged unstable, and the notebook says so beside the topic.
"""

from __future__ import annotations

import tempfile
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pandas as pd

from .model import TopicParams, fit_lda, top_term_ids
from .tables import ROUND


def stability_seeds(seed: int, n: int) -> list[int]:
    """Return ``n`` refit seeds derived deterministically from ``seed``.

    >>> stability_seeds(1, 2) == stability_seeds(1, 2)
    True
    """
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(int(seed)).spawn(n)]


def match_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match the rows of ``other`` to the rows of ``reference`` (Hungarian, on cosine).

    Returns ``(index, cosine)``: ``other[index[i]]`` is the topic matched to
    reference topic ``i`` and ``cosine[i]`` their cosine similarity. The
    assignment maximises the total cosine (``scipy.optimize.linear_sum_assignment``).

    Examples
    --------
    >>> idx, cos = match_topics(np.eye(2), np.eye(2)[::-1])
    >>> idx.tolist(), cos.tolist()
    ([1, 0], [1.0, 1.0])
    """
    from scipy.optimize import linear_sum_assignment
    from sklearn.metrics.pairwise import cosine_similarity

    sim = cosine_similarity(reference, other)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    index = np.empty(len(reference), dtype=int)
    index[rows] = cols
    return index, sim[np.arange(len(reference)), index]


def score_stability(reference: np.ndarray, refits: list[np.ndarray], *, top_n: int = 10,
                    threshold: float = 0.8) -> pd.DataFrame:
    """Score each reference topic by how well refitted models reproduce it.

    For every refit, topics are matched to the reference with
    :func:`match_topics`. A topic's ``stability`` is its mean matched cosine,
    ``min_cosine`` the worst refit, ``jaccard`` the mean overlap of its top
    ``top_n`` words; ``unstable`` is ``stability < threshold``.

    Examples
    --------
    >>> ref = np.array([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    >>> score_stability(ref, [ref[::-1]], top_n=2)["stability"].tolist()
    [1.0, 1.0]
    """
    k = len(reference)
    if not refits:
        return pd.DataFrame({"topic": range(1, k + 1), "stability": np.nan, "min_cosine": np.nan,
                             "jaccard": np.nan, "n_refits": 0, "unstable": False})
    ref_top = top_term_ids(reference, top_n)
    cosines, jaccards = [], []
    for other in refits:
        index, cos = match_topics(reference, other)
        other_top = top_term_ids(other, top_n)[index]
        cosines.append(cos)
        jaccards.append([len(set(a) & set(b)) / len(set(a) | set(b)) for a, b in zip(ref_top, other_top)])
    cosines, jaccards = np.array(cosines), np.array(jaccards)
    table = pd.DataFrame({
        "topic": np.arange(k) + 1,
        "stability": cosines.mean(axis=0),
        "min_cosine": cosines.min(axis=0),
        "jaccard": jaccards.mean(axis=0),
        "n_refits": len(refits),
    }).round(ROUND)
    table["unstable"] = table["stability"] < threshold
    return table


def refit_jobs(k: int, seed: int, n: int, folder: Path) -> list:
    """The :class:`~.pool.FitJob` of each refit: ``k`` topics with each of :func:`stability_seeds`, saved in ``folder``.

    They are fitted on the chosen model's documents with its parameters (on a
    large corpus the sample, :data:`~.scaling.SCALE_RULE`), so a refit differs
    from it in its seed alone.

    >>> [job.name for job in refit_jobs(4, 1, 2, Path("x"))]
    ['refit 1 of 2', 'refit 2 of 2']
    """
    from .pool import FitJob

    return [FitJob(f"refit {i} of {n}", int(k), s, Path(folder) / f"refit-{s}.model")
            for i, s in enumerate(stability_seeds(seed, n), 1)]


def refit_models(corpus, dictionary, k: int, *, params: TopicParams | None = None, seed: int = 0,
                 n_jobs: int = 1, model_dir: Path | None = None) -> list:
    """Refit ``k`` topics with each of :func:`stability_seeds`; return ``[(seed, model), …]``.

    The refits score topic stability here and, in the frames stage, how
    stable the inductive frames are, so they are fitted once, side by side in
    ``n_jobs`` processes (:func:`~.pool.fit_models`; the same models whatever
    ``n_jobs``), and saved in ``model_dir`` (a temporary folder if not given).
    """
    from .pool import fit_models, load_model

    params = params or TopicParams()
    with tempfile.TemporaryDirectory() if model_dir is None else nullcontext(model_dir) as folder:
        jobs = refit_jobs(k, seed, params.n_stability_seeds, Path(folder))
        fit_models(corpus, dictionary, jobs, params=params, n_jobs=n_jobs, what="stability")
        return [(job.seed, load_model(job.path)) for job in jobs]


def assess_stability(corpus, dictionary, reference, *, params: TopicParams | None = None, seed: int = 0,
                     refits: list | None = None) -> pd.DataFrame:
    """Score the reference model's topics against refits of its K (:func:`refit_models` unless given).

    See :func:`score_stability` for the columns.
    """
    params = params or TopicParams()
    if refits is None:
        refits = refit_models(corpus, dictionary, reference.num_topics, params=params, seed=seed)
    return score_stability(reference.get_topics(), [m.get_topics() for _, m in refits], top_n=params.top_n,
                           threshold=params.stability_threshold)
