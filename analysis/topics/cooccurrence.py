"""How topics co-occur in the documents of a model, and which topics are junk: what ANTMN needs from a model.

The frames stage builds the topic network of Walter & Ophir (2019) from the
tables written here, for the chosen model and for every alternative one (the
stability refits and the sweep's neighbouring K), so that how stable its
communities are can be measured without fitting anything again.

Rules kept here:

* **Edges are co-occurrence.** Two topics are linked by the cosine similarity
  of their columns in the document-topic matrix (ANTMN), at the level the
  model was fitted on (articles or paragraphs; see :mod:`.documents`).
* **Nodes weigh words.** A topic's prevalence is its share of the documents'
  words (document-topic weights times document length, as ANTMN and the
  topic prevalence tables do).
* **Junk topics** are flagged by :data:`JUNK_RULE`: a topic whose distribution
  over documents is as even as the documents' own share of the words is a
  background topic, and one whose distribution over words is as close to the
  corpus's as the documents' is no theme (AlSumait et al. 2009). ANTMN leaves
  such topics out of the network; so does the frames stage.
* **Bounded cost.** Alternative models are read on a random sample, drawn with a
  fixed seed, of at most :data:`REFIT_SAMPLE` documents and units (:func:`sample_positions`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import ROUND

#: Documents and units (a random sample with a fixed seed) on which each alternative model's network and unit frames are read.
REFIT_SAMPLE = 20_000

#: The even spread that marks a junk topic: as even as a topic spread evenly over this share of the text.
JUNK_COVERAGE = 0.9


def even_spread_divergence(coverage: float) -> float:
    """Jensen–Shannon divergence (bits) of a distribution spread evenly over a ``coverage`` share of another's mass.

    ``p`` is ``q / coverage`` on a part of ``q``'s support holding ``coverage``
    of its mass and 0 elsewhere; JS(p, q) is then
    ``½ [log2(2 / (1 + c)) + c log2(2c / (1 + c)) + 1 − c]``. It is 0 at
    ``coverage = 1`` and grows as the spread narrows.

    >>> round(even_spread_divergence(0.9), 4), even_spread_divergence(1.0)
    (0.0519, 0.0)
    """
    c = float(coverage)
    return float(0.5 * (np.log2(2 / (1 + c)) + c * np.log2(2 * c / (1 + c)) + (1 - c)))


#: Divergence below which a topic is flagged junk (see :data:`JUNK_RULE`).
JUNK_DIVERGENCE = round(even_spread_divergence(JUNK_COVERAGE), 4)

#: The junk-topic rule as the site states it (one template; see :func:`junk_rule_text`).
JUNK_RULE = (
    "a topic is junk when its distribution over the documents, or over the words, is as close to the corpus's own "
    "as a topic spread evenly over {coverage:.0%} of the text and absent from the rest (Jensen–Shannon divergence "
    "below {divergence:.3f} bits): it is then background that occurs everywhere, or a mixture of common words, not "
    "a theme{cite}. Junk topics stay in the topic tables, flagged, and are left out of the topic network, as ANTMN "
    "does{walter}"
)


def junk_rule_text(*, cite: bool = False) -> str:
    """Return the junk rule with its numbers (``cite``: with pandoc citations, for Methods).

    >>> junk_rule_text().startswith("a topic is junk when its distribution over the documents")
    True
    """
    return JUNK_RULE.format(coverage=JUNK_COVERAGE, divergence=JUNK_DIVERGENCE,
                            cite=" [@alsumait2009]" if cite else "", walter=" [@walter2019]" if cite else "")


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen–Shannon divergence in bits (0 = equal, 1 = disjoint) of two non-negative vectors, normalised.

    >>> js_divergence(np.array([1, 0]), np.array([0, 1])), js_divergence(np.array([1, 1]), np.array([2, 2]))
    (1.0, 0.0)
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(a):
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / m[nz])))

    return max(0.0, 0.5 * (kl(p) + kl(q)))


def topic_specificity(theta: np.ndarray, lengths: np.ndarray, topic_word: np.ndarray,
                      term_frequency: np.ndarray) -> pd.DataFrame:
    """Flag junk topics by :data:`JUNK_RULE`.

    ``theta`` is documents × topics, ``lengths`` the documents' tokens,
    ``topic_word`` topics × terms and ``term_frequency`` the corpus's term
    counts. ``doc_divergence`` compares a topic's words over the documents
    with the documents' share of all words; ``word_divergence`` compares its
    word distribution with the corpus's.

    Returns
    -------
    topic (from 1), doc_divergence, word_divergence, junk, reason.

    Examples
    --------
    >>> theta = np.array([[.5, .9, 0], [.5, .1, 0], [.5, 0, 1.]])[:, :2]
    >>> t = topic_specificity(theta, np.ones(3), np.array([[.5, .5], [.9, .1]]), np.array([1., 1.]))
    >>> t["junk"].tolist(), t["reason"].iloc[0]
    ([True, False], 'spread evenly over the documents; as common as the corpus words')
    """
    lengths = np.asarray(lengths, dtype=float)
    words = theta * lengths[:, None]
    rows = []
    for k in range(theta.shape[1]):
        doc = js_divergence(words[:, k], lengths) if words[:, k].sum() > 0 else 1.0
        word = js_divergence(topic_word[k], term_frequency)
        reasons = ([("spread evenly over the documents")] if doc < JUNK_DIVERGENCE else []) + (
            ["as common as the corpus words"] if word < JUNK_DIVERGENCE else [])
        rows.append({"topic": k + 1, "doc_divergence": doc, "word_divergence": word, "junk": bool(reasons),
                     "reason": "; ".join(reasons)})
    table = pd.DataFrame(rows, columns=["topic", "doc_divergence", "word_divergence", "junk", "reason"])
    return table.round({"doc_divergence": ROUND, "word_divergence": ROUND})


def topic_cosine(theta: np.ndarray) -> np.ndarray:
    """Cosine similarity of the document-topic matrix's columns (topics × topics); 0 for a topic never used.

    >>> topic_cosine(np.array([[1., 0.], [1., 1.]])).round(3).tolist()
    [[1.0, 0.707], [0.707, 1.0]]
    """
    norms = np.linalg.norm(theta, axis=0)
    safe = np.where(norms > 0, norms, 1.0)
    return (theta.T @ theta) / np.outer(safe, safe)


def word_prevalence(theta: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each topic's share of the documents' words (rows of ``theta`` weighted by document length).

    >>> word_prevalence(np.array([[1., 0.], [0., 1.]]), np.array([3, 1])).tolist()
    [0.75, 0.25]
    """
    words = (theta * np.asarray(lengths, dtype=float)[:, None]).sum(axis=0)
    return words / words.sum() if words.sum() > 0 else words


def network_inputs(model: str, kind: str, seed: int, theta: np.ndarray, lengths: np.ndarray, topic_word: np.ndarray,
                   term_frequency: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return one model's rows of ``topic_network_nodes`` and ``topic_network_pairs``.

    ``model`` names it (``reference``, ``seed-<s>``, ``k-<K>``), ``kind`` says
    what differs from the chosen model (``reference``, ``seed``, ``k``).
    Nodes: ``model, kind, k, seed, topic, prevalence, doc_divergence,
    word_divergence, junk``; pairs (every two topics, once):
    ``model, source, target, weight``.

    >>> nodes, pairs = network_inputs("reference", "reference", 1, np.array([[.9, .1], [.2, .8]]), np.ones(2),
    ...                               np.array([[.9, .1], [.1, .9]]), np.ones(2))
    >>> nodes["topic"].tolist(), pairs[["source", "target"]].values.tolist()
    ([1, 2], [[1, 2]])
    """
    k = theta.shape[1]
    spec = topic_specificity(theta, lengths, topic_word, term_frequency)
    nodes = spec.drop(columns="reason").assign(model=model, kind=kind, k=k, seed=int(seed),
                                               prevalence=word_prevalence(theta, lengths).round(ROUND))
    nodes = nodes[["model", "kind", "k", "seed", "topic", "prevalence", "doc_divergence", "word_divergence", "junk"]]
    cos = topic_cosine(theta)
    iu = np.triu_indices(k, k=1)
    pairs = pd.DataFrame({"model": model, "source": iu[0] + 1, "target": iu[1] + 1,
                          "weight": cos[iu].round(ROUND)})
    return nodes, pairs


def sample_positions(n: int, size: int, seed: int) -> np.ndarray:
    """Sorted positions of a random sample, drawn with ``seed``, of ``size`` of ``n`` items (all of them when ``n <= size``).

    >>> sample_positions(5, 10, seed=1).tolist()
    [0, 1, 2, 3, 4]
    >>> len(sample_positions(100, 10, seed=1))
    10
    """
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))
