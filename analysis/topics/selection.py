"""Choosing K: a sweep over the number of topics, scored by coherence and diversity, and the rule that picks one.

Rules kept here:

* **K by evidence.** With ``n_topics=0`` a sweep over ``k_min..k_max`` fits one
  model per K and scores it by coherence (``c_v``, ``c_npmi``, ``u_mass``; gensim
  ``CoherenceModel``) and topic diversity; :func:`choose_k` applies the rule
  stated in :data:`K_RULE`. Methods and the notebook state the rule from the
  same template (:func:`k_rule_text`).
* **Fixed seed, any number of processes.** Every model of the sweep is fitted
  with the run's seed, side by side in ``n_jobs`` processes (:mod:`.pool`),
  which changes nothing in the models; coherence is computed in one process,
  so the scores do not depend on the machine.
* **Bounded cost.** On a large corpus the sweep fits and scores its models on a
  random sample of documents drawn with a fixed seed (:func:`sample_for_coherence`;
  the rule is :data:`~.scaling.SCALE_RULE`). Word co-occurrences are counted once
  per measure for the top words of every model of the sweep together, not once
  per model (:func:`score_sweep_coherence`). The sweep keeps no model in memory:
  each is saved to a folder and the chosen one is loaded rather than fitted again.
"""

from __future__ import annotations

import tempfile
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..registry import artifact
from .model import TopicParams, fit_lda, top_term_ids
from .tables import ROUND

#: The rule :func:`choose_k` applies, as shown on the site (one template; see :func:`k_rule_text`).
K_RULE = (
    "among the K whose topic diversity is at least {min_diversity}, the highest mean of the "
    "rank-normalised c_v and c_npmi coherence; ties go to the smaller K. Diversity is a floor, "
    "not a score, because it falls with K by construction and would always favour the smallest K; "
    "u_mass{mimno} is reported but not used, because it rewards topics of frequent words"
)


def k_rule_text(min_diversity: float | str | None = None, *, cite: bool = False) -> str:
    """Return the K rule with its diversity floor filled in (``cite``: with pandoc citations, for Methods).

    >>> k_rule_text(0.5).startswith("among the K whose topic diversity is at least 0.5,")
    True
    >>> "u_mass [@mimno2011] is" in k_rule_text(0.5, cite=True)
    True
    """
    floor = "min_diversity" if min_diversity is None else f"{float(min_diversity):g}"
    return K_RULE.format(min_diversity=floor, mimno=" [@mimno2011]" if cite else "")


def topic_diversity(topic_word: np.ndarray, top_n: int = 10) -> float:
    """Return the share of unique words among all topics' top ``top_n`` words.

    Dieng, Ruiz & Blei (2020): 1 means no two topics share a top word, values
    near 1/K mean the topics repeat each other.

    Examples
    --------
    >>> topic_diversity(np.array([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]]), top_n=2)
    1.0
    """
    top = top_term_ids(topic_word, top_n)
    return float(len(np.unique(top)) / top.size)


def score_coherence(model, corpus, dictionary, texts, top_n: int = 10) -> dict[str, float]:
    """Return the model's mean ``c_v``, ``c_npmi`` and ``u_mass`` coherence.

    ``texts`` is a re-iterable of token lists (e.g. :class:`~analysis.topics.model.TokenStream`);
    ``u_mass`` uses the bag-of-words ``corpus``. Run in one process so the
    result does not depend on the machine.
    """
    from gensim.models import CoherenceModel

    topics = [[dictionary[i] for i in row] for row in top_term_ids(model.get_topics(), top_n)]
    scores = {}
    for measure in ("c_v", "c_npmi", "u_mass"):
        source = {"corpus": corpus} if measure == "u_mass" else {"texts": texts}
        cm = CoherenceModel(topics=topics, dictionary=dictionary, coherence=measure, topn=top_n, processes=1, **source)
        scores[measure] = float(cm.get_coherence())
    return scores


def score_sweep_coherence(topic_words: list[list[list[str]]], corpus, dictionary, texts,
                          top_n: int = 10) -> list[dict[str, float]]:
    """Return :func:`score_coherence`'s three scores for each model, counting co-occurrences once per measure.

    ``topic_words`` holds, per model, its topics' top ``top_n`` words. gensim
    counts the occurrences and co-occurrences of the relevant words in one
    pass over the texts (or the corpus, for u_mass); a pair's counts do not
    depend on which other words are counted, so counting the words of every
    model at once gives each model the scores it gets alone, for one pass
    instead of one per model.

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> texts = [["a", "b", "a"], ["c", "d", "c"], ["a", "b"], ["c", "d"]]
    >>> d = Dictionary(texts)
    >>> scores = score_sweep_coherence([[["a", "b"], ["c", "d"]]], [d.doc2bow(t) for t in texts], d, texts, 2)
    >>> sorted(scores[0])
    ['c_npmi', 'c_v', 'u_mass']
    """
    from gensim.models import CoherenceModel

    union = [topic for model in topic_words for topic in model]
    scores: list[dict[str, float]] = [{} for _ in topic_words]
    for measure in ("c_v", "c_npmi", "u_mass"):
        source = {"corpus": corpus} if measure == "u_mass" else {"texts": texts}
        cm = CoherenceModel(topics=union, dictionary=dictionary, coherence=measure, topn=top_n, processes=1, **source)
        cm.estimate_probabilities()
        for i, topics in enumerate(topic_words):
            cm.topics = topics  # a subset of the counted words: the counts are kept
            scores[i][measure] = float(cm.get_coherence())
    return scores


def sample_for_coherence(corpus, texts, n: int, seed: int) -> tuple[list, list]:
    """Return a random sample of ``n`` units, drawn with ``seed``, as (bag-of-words list, token lists).

    Both streams are read once, in order; units keep their corpus order.

    >>> bows, toks = sample_for_coherence([[(0, 1)], [(1, 1)], [(2, 1)]], [["a"], ["b"], ["c"]], 2, seed=1)
    >>> len(bows), toks == sorted(toks)
    (2, True)
    """
    n_units = sum(1 for _ in corpus) if not hasattr(corpus, "__len__") else len(corpus)
    if n <= 0 or n >= n_units:
        return list(corpus), [list(t) for t in texts]
    keep = set(np.random.default_rng(seed).choice(n_units, size=n, replace=False).tolist())
    return ([bow for i, bow in enumerate(corpus) if i in keep],
            [list(t) for i, t in enumerate(texts) if i in keep])


def sweep_k(corpus, dictionary, texts, *, params: TopicParams | None = None, seed: int = 0,
            model_dir: Path | None = None, n_jobs: int = 1) -> pd.DataFrame:
    """Fit one model per K in ``params.k_range()`` and score it.

    Returns a tidy table with one row per K: ``k``, ``c_v``, ``c_npmi``,
    ``u_mass``, ``diversity``. The models are fitted side by side in
    ``n_jobs`` processes (:func:`~.pool.fit_models`; the same models whatever
    ``n_jobs``) and not held in memory (it stays bounded for large corpora);
    with ``model_dir`` each is saved there (:func:`sweep_model_path`), so the
    chosen one is loaded rather than fitted again. Coherence is scored on the
    same documents: ``texts`` (c_v, c_npmi) and ``corpus`` (u_mass).

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> texts = [["a", "b", "a"], ["c", "d", "c"], ["a", "b"], ["c", "d"]]
    >>> d = Dictionary(texts)
    >>> s = sweep_k([d.doc2bow(t) for t in texts], d, texts, params=TopicParams(k_min=2, k_max=3, top_n=2), seed=1)
    >>> list(s["k"])
    [2, 3]
    """
    from ..progress import report
    from .pool import STAGE, FitJob, fit_models, load_model

    params = params or TopicParams()
    with tempfile.TemporaryDirectory() if model_dir is None else nullcontext(model_dir) as folder:
        jobs = [FitJob(f"K = {k}", k, seed, sweep_model_path(Path(folder), k)) for k in params.k_range()]
        fit_models(corpus, dictionary, jobs, params=params, n_jobs=n_jobs, what="K sweep")
        topic_word = [load_model(job.path).get_topics() for job in jobs]
    report(STAGE, f"K sweep: scoring the coherence of {len(jobs)} models")
    words = [[[dictionary[i] for i in row] for row in top_term_ids(m, params.top_n)] for m in topic_word]
    scores = score_sweep_coherence(words, corpus, dictionary, texts, params.top_n)
    rows = [{"k": job.k, **score, "diversity": topic_diversity(m, params.top_n)}
            for job, score, m in zip(jobs, scores, topic_word)]
    return pd.DataFrame(rows, columns=["k", "c_v", "c_npmi", "u_mass", "diversity"]).round(ROUND)


def sweep_model_path(model_dir: Path, k: int) -> Path:
    """Where :func:`sweep_k` saves the model of ``k`` topics: the run model's name with ``-k<K>``.

    >>> sweep_model_path(Path("sweep"), 3).name
    'lda-k3.model'
    """
    model = Path(artifact("lda_model").file)
    return Path(model_dir) / f"{model.stem}-k{int(k)}{model.suffix}"


def choose_k(sweep: pd.DataFrame, n_topics: int = 0, min_diversity: float = 0.5) -> tuple[int, str, pd.DataFrame]:
    """Apply :data:`K_RULE` to a sweep; return ``(k, reason, sweep with score, eligible, chosen)``.

    Rank normalisation puts c_v and c_npmi on one scale without letting one
    measure's units dominate. If no K reaches ``min_diversity``, every K is
    eligible and the reason says so. A K fixed by the user is kept.

    Examples
    --------
    >>> s = pd.DataFrame({"k": [2, 3, 4], "c_v": [0.4, 0.5, 0.6], "c_npmi": [0.0, 0.1, 0.2],
    ...                   "u_mass": [-2, -3, -4], "diversity": [0.9, 0.8, 0.3]})
    >>> choose_k(s)[0]
    3
    """
    sweep = sweep.copy()
    if sweep.empty:
        raise AnalysisError("the K sweep is empty; check k_min, k_max and k_step")
    ranks = sweep[["c_v", "c_npmi"]].rank(pct=True, na_option="bottom")
    sweep["score"] = ranks.mean(axis=1).round(ROUND)
    sweep["eligible"] = sweep["diversity"] >= min_diversity
    note = ""
    if not sweep["eligible"].any():
        sweep["eligible"] = True
        note = f" No K reached diversity {min_diversity:g}, so all K were eligible."
    if n_topics:
        k = int(n_topics)
        reason = f"K = {k} was fixed by the parameter n_topics; no sweep was run."
    else:
        best = (sweep[sweep["eligible"]]
                .sort_values(["score", "k"], ascending=[False, True], kind="stable").iloc[0])
        k = int(best["k"])
        reason = (
            f"K = {k} (of {int(sweep['k'].min())}–{int(sweep['k'].max())}) by the rule: "
            f"{k_rule_text(min_diversity)}.{note} "
            f"At K = {k}: c_v {best['c_v']:.3f}, c_npmi {best['c_npmi']:.3f}, "
            f"diversity {best['diversity']:.2f}."
        )
    sweep["chosen"] = sweep["k"] == k
    return k, reason, sweep
