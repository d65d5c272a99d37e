"""Topic models: gensim LDA with K chosen by evidence, stability checks and an offline explorer.

This is the topic stage of the pipeline (notebook ``02-fit-topics``). It reads
the text stage's outputs from a run's ``data/`` folder (``tokens.parquet``,
``dictionary.gensim``, ``bow.mm``) plus ``units.parquet`` and
``articles.parquet``, and writes the model, ``doc_topics.parquet``, tidy CSV
tables and the pyLDAvis explorer.

Rules this module keeps:

* **Deterministic.** Every model is a single-process ``gensim.models.LdaModel``
  with ``random_state`` set from an explicit ``seed``. ``LdaMulticore`` is never
  used: its workers update the model in an order the operating system decides,
  so two runs with the same seed can differ. Inference (``get_document_topics``)
  also draws random starting values, so its random state is reset from the seed
  before the document-topic matrix is computed. The same seed gives
  byte-identical tables.
* **Streamed.** The bag-of-words corpus is read from ``bow.mm`` (``MmCorpus``)
  and the token lists for coherence from ``tokens.parquet`` batch by batch; the
  corpus is never held as Python lists.
* **K by evidence.** With ``n_topics=0`` a sweep over ``k_min..k_max`` scores
  every K by coherence (``c_v``, ``c_npmi``, ``u_mass``; gensim
  ``CoherenceModel``) and topic diversity, and :func:`choose_k` applies the rule
  stated in :data:`K_RULE`.
* **Stability.** The chosen K is refitted with ``n_stability_seeds`` seeds
  derived from ``seed``; topics are matched to the reference model by the
  Hungarian algorithm on topic-word cosine, and each topic gets a stability
  score (mean matched cosine) and the mean Jaccard overlap of its top words.
* **One topic numbering for people.** Topics are numbered from 1 wherever a
  person sees them: the ``topic`` column of every CSV table, "T3" in every
  figure, topic 3 in the explorer (pyLDAvis numbers from 1 and is run with
  ``sort_topics=False``, so its order is the model's) and key ``3`` in a user
  label file. The one exception is fixed by the data contract:
  ``doc_topics.parquet`` names its columns from 0, so topic N is column
  ``topic_{N-1}`` (gensim's topic id N-1). Use :func:`topic_column` and
  :func:`topic_number` to convert; never add or subtract 1 by hand.
* **Offline explorer.** The pyLDAvis page loads d3, LDAvis and its CSS from
  copies next to it (relative URLs), so it works from ``file://`` without a
  network and in an archived site.
* **Units without words.** A unit whose bag of words is empty (every token was
  filtered) carries no evidence about topics; it is left out of
  ``doc_topics.parquet`` and of every topic table rather than given the prior.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import yaml

from . import outputs

from .paths import DATA_CODING, check_run_name
from .registry import RunPaths, run_paths
from .errors import AnalysisError

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


#: Relative file names of the explorer's JavaScript and CSS (shipped by pyLDAvis).
EXPLORER_ASSETS = ("d3.v5.min.js", "ldavis.v3.0.0.js", "ldavis.v1.0.0.css")

_ALPHAS = ("auto", "symmetric", "asymmetric")
_ETAS = ("auto", "symmetric")
_ROUND = 6  # decimals kept in the in-memory tables, so tables compare equal across runs


@dataclass(frozen=True)
class TopicParams:
    """Parameters of the topic stage, validated on creation.

    Parameters
    ----------
    n_topics : int
        Number of topics; 0 chooses K by the sweep (:data:`K_RULE`).
    k_min, k_max, k_step : int
        The K range of the sweep (inclusive).
    passes, iterations : int
        gensim ``LdaModel`` passes over the corpus and inference iterations per
        document. Small corpora need many passes to converge.
    alpha : str or float
        Document-topic prior: ``"auto"``, ``"symmetric"``, ``"asymmetric"`` or a
        positive number.
    eta : str, float or None
        Topic-word prior: ``None`` (gensim's symmetric 1/K), ``"auto"``,
        ``"symmetric"`` or a positive number.
    n_stability_seeds : int
        Refits of the chosen K used to score stability (0 skips it).
    stability_threshold : float
        Topics whose stability (mean matched cosine) is below this are flagged
        unstable.
    min_diversity : float
        Diversity floor of the K rule (:data:`K_RULE`): below it, topics
        repeat each other's top words.
    top_n : int
        Top words per topic used for coherence, diversity, Jaccard and labels.
    relevance_lambda : float
        λ of Sievert & Shirley's (2014) relevance, in [0, 1]; 1 ranks terms by
        probability, lower values favour terms specific to the topic.
    n_representative : int
        Representative units listed per topic.
    coherence_sample : int
        Units (a seeded random sample) on which the K sweep scores coherence
        when the corpus has more; 0 scores on all units. Coherence estimates
        from word co-occurrence settle long before 20,000 units, and scoring
        costs a pass over every token per K and measure.

    Examples
    --------
    >>> TopicParams(k_min=2, k_max=4).k_range()
    [2, 3, 4]
    """

    n_topics: int = 0
    k_min: int = 2
    k_max: int = 8
    k_step: int = 1
    passes: int = 20
    iterations: int = 100
    alpha: str | float = "symmetric"
    eta: str | float | None = None
    n_stability_seeds: int = 3
    stability_threshold: float = 0.8
    min_diversity: float = 0.5
    top_n: int = 10
    relevance_lambda: float = 0.6
    n_representative: int = 3
    coherence_sample: int = 20_000

    def __post_init__(self):
        for name in ("n_topics", "k_min", "k_max", "k_step", "passes", "iterations",
                     "n_stability_seeds", "top_n", "n_representative", "coherence_sample"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise AnalysisError(f"parameter {name} must be an integer, got {value!r}")
        if self.n_topics < 0 or self.n_topics == 1:
            raise AnalysisError(f"parameter n_topics must be 0 (choose K) or at least 2, got {self.n_topics}")
        if self.k_min < 2:
            raise AnalysisError(f"parameter k_min must be at least 2, got {self.k_min}")
        if self.k_max < self.k_min:
            raise AnalysisError(f"parameter k_max ({self.k_max}) must be at least k_min ({self.k_min})")
        if self.k_step < 1:
            raise AnalysisError(f"parameter k_step must be at least 1, got {self.k_step}")
        for name in ("passes", "iterations", "top_n", "n_representative"):
            if getattr(self, name) < 1:
                raise AnalysisError(f"parameter {name} must be at least 1, got {getattr(self, name)}")
        if self.coherence_sample < 0:
            raise AnalysisError(f"parameter coherence_sample must be 0 (all units) or more, got {self.coherence_sample}")
        if self.n_stability_seeds < 0:
            raise AnalysisError(f"parameter n_stability_seeds must be 0 or more, got {self.n_stability_seeds}")
        if not _valid_prior(self.alpha, _ALPHAS):
            raise AnalysisError(f"parameter alpha must be one of {', '.join(_ALPHAS)} or a positive number, got {self.alpha!r}")
        if self.eta is not None and not _valid_prior(self.eta, _ETAS):
            raise AnalysisError(f"parameter eta must be None, one of {', '.join(_ETAS)} or a positive number, got {self.eta!r}")
        if not 0.0 <= float(self.relevance_lambda) <= 1.0:
            raise AnalysisError(f"parameter relevance_lambda must lie in [0, 1], got {self.relevance_lambda}")
        if not 0.0 <= float(self.min_diversity) <= 1.0:
            raise AnalysisError(f"parameter min_diversity must lie in [0, 1], got {self.min_diversity}")
        if not 0.0 <= float(self.stability_threshold) <= 1.0:
            raise AnalysisError(f"parameter stability_threshold must lie in [0, 1], got {self.stability_threshold}")

    def k_range(self) -> list[int]:
        """Return the K values to fit: ``[n_topics]`` if fixed, else the sweep range."""
        if self.n_topics:
            return [self.n_topics]
        return list(range(self.k_min, self.k_max + 1, self.k_step))


def _valid_prior(value, names) -> bool:
    if isinstance(value, str):
        return value in names
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


@dataclass
class TopicResult:
    """What :func:`fit_topics` computed; every table is also written as CSV.

    ``doc_topics`` is wide (``unit_id``, ``article_id``, ``topic_0`` …), as in
    ``doc_topics.parquet``; every other table is tidy (one row per
    topic × unit/article/outlet/date/term), as in the CSVs.
    """

    n_topics: int
    k_reason: str
    sweep: pd.DataFrame
    stability: pd.DataFrame
    terms: pd.DataFrame
    labels: pd.DataFrame
    prevalence: pd.DataFrame
    doc_topics: pd.DataFrame
    doc_topics_units: pd.DataFrame
    doc_topics_articles: pd.DataFrame
    prevalence_outlet: pd.DataFrame
    prevalence_date: pd.DataFrame
    representative: pd.DataFrame
    n_units: int
    n_empty_units: int
    model_path: Path
    explorer_path: Path | None
    tables: dict[str, Path] = field(default_factory=dict)


# --------------------------------------------------------------------------- input


class TokenStream:
    """Re-iterable token lists read from ``tokens.parquet`` in batches.

    gensim's sliding-window coherence measures (``c_v``, ``c_npmi``) need the
    texts; this streams them so a large corpus is never held whole.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "tokens.parquet"
    >>> pd.DataFrame({"unit_id": ["a"], "article_id": ["a"], "tokens": [["x", "y"]]}).to_parquet(p)
    >>> list(TokenStream(p))
    [['x', 'y']]
    """

    def __init__(self, path: Path, batch_size: int = 10_000):
        self.path = Path(path)
        self.batch_size = batch_size

    def __iter__(self) -> Iterator[list[str]]:
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=self.batch_size, columns=["tokens"]):
            for tokens in batch.column(0).to_pylist():
                yield list(tokens or [])


def load_bow(data_dir: Path):
    """Load the text stage's dictionary, bag-of-words corpus and unit ids.

    Returns ``(dictionary, corpus, ids)`` where ``corpus`` is a streamed
    ``MmCorpus`` and ``ids`` a DataFrame (``unit_id``, ``article_id``) whose
    row i is corpus document i. A missing, unreadable or misaligned file raises
    :class:`AnalysisError` naming it.

    Examples
    --------
    >>> load_bow(Path("/nonexistent"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.errors.AnalysisError: /nonexistent/dictionary.gensim: missing; run the text stage first
    """
    from gensim.corpora import Dictionary, MmCorpus

    data_dir = Path(data_dir)
    paths = {name: data_dir / name for name in ("dictionary.gensim", "bow.mm", "tokens.parquet")}
    for path in paths.values():
        if not path.exists():
            raise AnalysisError("missing; run the text stage first", path=path)
    try:
        dictionary = Dictionary.load(str(paths["dictionary.gensim"]))
    except Exception as exc:  # a pickle of something else, truncated file, …
        raise AnalysisError(f"not a gensim Dictionary ({type(exc).__name__})", path=paths["dictionary.gensim"]) from None
    try:
        corpus = MmCorpus(str(paths["bow.mm"]))
    except Exception as exc:
        raise AnalysisError(f"not a Matrix Market corpus ({type(exc).__name__})", path=paths["bow.mm"]) from None
    try:
        ids = pd.read_parquet(paths["tokens.parquet"], columns=["unit_id", "article_id"])
    except Exception as exc:
        raise AnalysisError(f"cannot read unit_id and article_id ({type(exc).__name__})", path=paths["tokens.parquet"]) from None
    if len(ids) != len(corpus):
        raise AnalysisError(
            f"has {len(ids)} rows but bow.mm has {len(corpus)} documents; re-run the text stage",
            path=paths["tokens.parquet"],
        )
    if len(dictionary) == 0:
        raise AnalysisError("the vocabulary is empty; relax no_below/no_above", path=paths["dictionary.gensim"])
    if corpus.num_terms > len(dictionary):
        raise AnalysisError("uses term ids the dictionary does not have", path=paths["bow.mm"])
    return dictionary, corpus, ids.astype(str)


def _doc_lengths(corpus) -> np.ndarray:
    return np.fromiter((sum(c for _, c in doc) for doc in corpus), dtype=np.int64, count=len(corpus))


def _term_frequencies(corpus, n_terms: int) -> np.ndarray:
    freq = np.zeros(n_terms, dtype=np.float64)
    for doc in corpus:
        for term_id, count in doc:
            freq[term_id] += count
    return freq


def check_k(params: TopicParams, n_docs: int) -> None:
    """Raise :class:`AnalysisError` if the K range cannot be fitted on ``n_docs`` documents.

    LDA needs more documents than topics; the message names the parameter.

    Examples
    --------
    >>> check_k(TopicParams(k_max=8), 5)
    Traceback (most recent call last):
    analysis.errors.AnalysisError: parameter k_max (8) must be smaller than the number of non-empty units (5)
    """
    name = "n_topics" if params.n_topics else "k_max"
    k = max(params.k_range())
    if n_docs < 3:
        raise AnalysisError(f"too few non-empty units ({n_docs}) for a topic model; at least 3 are needed")
    if k >= n_docs:
        raise AnalysisError(f"parameter {name} ({k}) must be smaller than the number of non-empty units ({n_docs})")


# --------------------------------------------------------------------------- fitting


def fit_lda(corpus, dictionary, n_topics: int, *, params: TopicParams | None = None, seed: int = 0):
    """Fit one deterministic gensim ``LdaModel`` with ``random_state=seed``.

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> d = Dictionary([["a", "b"], ["c", "d"]])
    >>> m = fit_lda([d.doc2bow(["a", "b"]), d.doc2bow(["c", "d"])], d, 2, seed=1)
    >>> m.get_topics().shape
    (2, 4)
    """
    from gensim.models import LdaModel

    params = params or TopicParams()
    return LdaModel(
        corpus=corpus,
        id2word=dictionary,
        num_topics=int(n_topics),
        passes=params.passes,
        iterations=params.iterations,
        alpha=params.alpha,
        eta=params.eta,
        random_state=int(seed),
        eval_every=None,  # perplexity logging costs a pass and decides nothing here
        minimum_probability=0.0,
        dtype=np.float64,
    )


def topic_diversity(topic_word: np.ndarray, top_n: int = 10) -> float:
    """Return the share of unique words among all topics' top ``top_n`` words.

    Dieng, Ruiz & Blei (2020): 1 means no two topics share a top word, values
    near 1/K mean the topics repeat each other.

    Examples
    --------
    >>> topic_diversity(np.array([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]]), top_n=2)
    1.0
    """
    top = _top_ids(topic_word, top_n)
    return float(len(np.unique(top)) / top.size)


def _top_ids(topic_word: np.ndarray, top_n: int) -> np.ndarray:
    # stable sort: ties broken by term id, so the same matrix gives the same words
    return np.argsort(-topic_word, axis=1, kind="stable")[:, :top_n]


def score_coherence(model, corpus, dictionary, texts, top_n: int = 10) -> dict[str, float]:
    """Return the model's mean ``c_v``, ``c_npmi`` and ``u_mass`` coherence.

    ``texts`` is a re-iterable of token lists (e.g. :class:`TokenStream`);
    ``u_mass`` uses the bag-of-words ``corpus``. Run in one process so the
    result does not depend on the machine.
    """
    from gensim.models import CoherenceModel

    topics = [[dictionary[i] for i in row] for row in _top_ids(model.get_topics(), top_n)]
    scores = {}
    for measure in ("c_v", "c_npmi", "u_mass"):
        source = {"corpus": corpus} if measure == "u_mass" else {"texts": texts}
        cm = CoherenceModel(topics=topics, dictionary=dictionary, coherence=measure, topn=top_n, processes=1, **source)
        scores[measure] = float(cm.get_coherence())
    return scores


def sample_for_coherence(corpus, texts, n: int, seed: int) -> tuple[list, list]:
    """Return a seeded random sample of ``n`` units as (bag-of-words list, token lists).

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
            coherence_corpus=None, model_dir: Path | None = None) -> pd.DataFrame:
    """Fit one model per K in ``params.k_range()`` and score it.

    Returns a tidy table with one row per K: ``k``, ``c_v``, ``c_npmi``,
    ``u_mass``, ``diversity``. Models are not held in memory (it stays
    bounded for large corpora); with ``model_dir`` each is saved there as
    ``lda-k<K>.model``, so the chosen one is loaded rather than fitted again
    (:func:`sweep_model_path`). ``texts`` (and ``coherence_corpus`` for
    u_mass, default ``corpus``) are the units coherence is scored on, e.g. a sample.

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> texts = [["a", "b", "a"], ["c", "d", "c"], ["a", "b"], ["c", "d"]]
    >>> d = Dictionary(texts)
    >>> s = sweep_k([d.doc2bow(t) for t in texts], d, texts, params=TopicParams(k_max=3, top_n=2), seed=1)
    >>> list(s["k"])
    [2, 3]
    """
    params = params or TopicParams()
    rows = []
    for k in params.k_range():
        model = fit_lda(corpus, dictionary, k, params=params, seed=seed)
        scores = score_coherence(model, corpus if coherence_corpus is None else coherence_corpus,
                                 dictionary, texts, params.top_n)
        rows.append({"k": k, **scores, "diversity": topic_diversity(model.get_topics(), params.top_n)})
        if model_dir is not None:
            model.save(str(sweep_model_path(model_dir, k)))
    return pd.DataFrame(rows, columns=["k", "c_v", "c_npmi", "u_mass", "diversity"]).round(_ROUND)


def sweep_model_path(model_dir: Path, k: int) -> Path:
    """Where :func:`sweep_k` saves the model of ``k`` topics."""
    return Path(model_dir) / f"lda-k{int(k)}.model"


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
    sweep["score"] = ranks.mean(axis=1).round(_ROUND)
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


# --------------------------------------------------------------------------- stability


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
    ref_top = _top_ids(reference, top_n)
    cosines, jaccards = [], []
    for other in refits:
        index, cos = match_topics(reference, other)
        other_top = _top_ids(other, top_n)[index]
        cosines.append(cos)
        jaccards.append([len(set(a) & set(b)) / len(set(a) | set(b)) for a, b in zip(ref_top, other_top)])
    cosines, jaccards = np.array(cosines), np.array(jaccards)
    table = pd.DataFrame({
        "topic": np.arange(k) + 1,
        "stability": cosines.mean(axis=0),
        "min_cosine": cosines.min(axis=0),
        "jaccard": jaccards.mean(axis=0),
        "n_refits": len(refits),
    }).round(_ROUND)
    table["unstable"] = table["stability"] < threshold
    return table


def assess_stability(corpus, dictionary, reference, *, params: TopicParams | None = None,
                     seed: int = 0) -> pd.DataFrame:
    """Refit the reference model's K with :func:`stability_seeds` and score its topics.

    See :func:`score_stability` for the columns.
    """
    params = params or TopicParams()
    k = reference.num_topics
    refits = [fit_lda(corpus, dictionary, k, params=params, seed=s).get_topics()
              for s in stability_seeds(seed, params.n_stability_seeds)]
    return score_stability(reference.get_topics(), refits, top_n=params.top_n,
                           threshold=params.stability_threshold)


# --------------------------------------------------------------------------- tables


def document_topics(model, corpus, ids: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
    """Return the wide document-topic matrix of the non-empty units.

    Columns ``unit_id``, ``article_id``, ``topic_0`` … ``topic_{K-1}``; every
    row sums to 1 (``minimum_probability=0``). Units with an empty bag of words
    are left out (see the module docstring).
    """
    from gensim.utils import get_random_state

    k = model.num_topics
    # inference starts from random values; resetting the state makes the matrix
    # independent of whatever the model computed before
    model.random_state = get_random_state(int(seed))
    rows, keep = [], []
    for i, doc in enumerate(corpus):
        if not doc:
            continue
        theta = np.zeros(k)
        for topic, weight in model.get_document_topics(doc, minimum_probability=0.0):
            theta[topic] = weight
        rows.append(theta / theta.sum())
        keep.append(i)
    matrix = np.vstack(rows) if rows else np.zeros((0, k))
    table = ids.iloc[keep].reset_index(drop=True)
    topics = pd.DataFrame(matrix.round(_ROUND), columns=[f"topic_{t}" for t in range(k)])
    return pd.concat([table, topics], axis=1)


def topic_terms(topic_word: np.ndarray, term_frequency: np.ndarray, dictionary, *, top_n: int = 10,
                relevance_lambda: float = 0.6) -> pd.DataFrame:
    """Return each topic's top ``top_n`` terms ranked by relevance.

    Relevance (Sievert & Shirley 2014) is ``λ·log p(w|k) + (1-λ)·log lift`` with
    ``lift = p(w|k) / p(w)`` and ``p(w)`` the term's share of all corpus
    tokens, the same definition the pyLDAvis explorer uses, so its ranking at
    the same λ matches this table. Rank 1 is the most relevant term.

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> d = Dictionary([["a", "b", "c"]])
    >>> t = topic_terms(np.array([[0.7, 0.2, 0.1]]), np.array([1.0, 1.0, 1.0]), d, top_n=2, relevance_lambda=1)
    >>> t["term"].tolist()
    ['a', 'b']
    """
    p_w = term_frequency / term_frequency.sum()
    seen = p_w > 0  # a dictionary term absent from the corpus has no lift
    with np.errstate(divide="ignore"):
        log_phi = np.log(topic_word)
        lift = np.where(seen, topic_word / np.where(seen, p_w, 1.0), np.nan)
        relevance = relevance_lambda * log_phi + (1 - relevance_lambda) * np.log(lift)
    relevance = np.where(seen, relevance, -np.inf)
    rows = []
    for topic in range(topic_word.shape[0]):
        order = np.lexsort((np.arange(len(p_w)), -relevance[topic]))[:top_n]
        for rank, term_id in enumerate(order, start=1):
            rows.append((topic + 1, rank, dictionary[int(term_id)], topic_word[topic, term_id],
                         relevance[topic, term_id], lift[topic, term_id]))
    table = pd.DataFrame(rows, columns=["topic", "rank", "term", "probability", "relevance", "lift"])
    return table.round(_ROUND)


def labels_path(run_name: str) -> Path:
    """Return where a user's topic label file for run ``run_name`` is looked for.

    It lives with the human coding sheets, ``data/coding/<run_name>/topic_labels.yml``,
    because labels are a researcher's interpretation, not a computed output.
    See ``analysis/resources/topic_labels.example.yml`` for the format.
    """
    return DATA_CODING / check_run_name(run_name) / "topic_labels.yml"


def load_labels(path: Path, n_topics: int) -> dict[int, str]:
    """Read a user label file (YAML: ``n_topics`` and ``labels: {topic: label}``).

    Topic keys are the topic numbers of the tables and the explorer (from 1). The file must state
    the K it was written for, so labels written for one model are never put
    on another. Problems raise :class:`AnalysisError` naming the file.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "l.yml"
    >>> _ = p.write_text("n_topics: 2\\nlabels:\\n  1: Defence pact\\n")
    >>> load_labels(p, 2)
    {1: 'Defence pact'}
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnalysisError("label file not found", path=path) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AnalysisError(f"not valid UTF-8 YAML ({type(exc).__name__})", path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("labels"), dict):
        raise AnalysisError("expected a mapping with 'n_topics' and 'labels: {topic: label}'", path=path)
    if data.get("n_topics") != n_topics:
        raise AnalysisError(
            f"field n_topics is {data.get('n_topics')!r} but the model has {n_topics} topics; "
            "relabel the topics of this model", path=path)
    labels = {}
    for key, label in data["labels"].items():
        if isinstance(key, bool) or not isinstance(key, int) or not 1 <= key <= n_topics:
            raise AnalysisError(f"labels key {key!r} is not a topic number 1..{n_topics}", path=path)
        if not isinstance(label, str) or not label.strip():
            raise AnalysisError(f"label of topic {key} must be a non-empty string", path=path)
        labels[key] = " ".join(label.split())
    return dict(sorted(labels.items()))


def label_topics(terms: pd.DataFrame, n_topics: int, user_labels: dict[int, str] | None = None,
                 n_terms: int = 3) -> pd.DataFrame:
    """Return one label per topic: the user's where given, else its top relevant terms.

    Columns ``topic``, ``label``, ``top_terms`` (the top terms by relevance,
    comma-separated), ``source`` (``user`` or ``terms``).

    Examples
    --------
    >>> t = pd.DataFrame({"topic": [1, 1], "rank": [1, 2], "term": ["a", "b"]})
    >>> label_topics(t, 1, n_terms=2)["label"].tolist()
    ['a, b']
    """
    user_labels = user_labels or {}
    rows = []
    for topic in range(1, n_topics + 1):
        words = terms[terms["topic"] == topic].sort_values("rank")["term"].tolist()
        auto = ", ".join(words[:n_terms])
        rows.append({"topic": topic, "label": user_labels.get(topic, auto), "top_terms": ", ".join(words),
                     "source": "user" if topic in user_labels else "terms"})
    return pd.DataFrame(rows, columns=["topic", "label", "top_terms", "source"])


def tidy_doc_topics(doc_topics: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return a wide document-topic table in long form: ``keys``, ``topic``, ``weight``.

    >>> w = pd.DataFrame({"unit_id": ["u"], "topic_0": [0.25], "topic_1": [0.75]})
    >>> tidy_doc_topics(w, ["unit_id"])["weight"].tolist()
    [0.25, 0.75]
    """
    cols = _topic_columns(doc_topics)
    long = doc_topics.melt(id_vars=keys, value_vars=cols, var_name="topic", value_name="weight")
    long["topic"] = long["topic"].map(topic_number)
    return long.sort_values([*keys, "topic"], kind="stable").reset_index(drop=True)


def _topic_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c.startswith("topic_")]


def topic_column(number: int) -> str:
    """Return the ``doc_topics.parquet`` column of topic ``number`` (counted from 1).

    >>> topic_column(1)
    'topic_0'
    """
    return f"topic_{int(number) - 1}"


def topic_number(column: str) -> int:
    """Return the topic number (counted from 1) of a ``doc_topics.parquet`` column.

    >>> topic_number("topic_0")
    1
    """
    return int(str(column).removeprefix("topic_")) + 1


def aggregate_topics(doc_topics: pd.DataFrame, lengths: pd.Series, by: list[str]) -> pd.DataFrame:
    """Return topic prevalence per group as a tidy table (``by``, ``topic``, ``prevalence``, ``n_units``).

    Prevalence is the share of the group's words assigned to the topic: unit
    distributions are averaged with the units' word counts as weights, so a
    one-line unit counts less than a long paragraph. With ``by=[]`` it is the
    corpus-wide prevalence.

    Examples
    --------
    >>> w = pd.DataFrame({"g": ["a", "a"], "topic_0": [1.0, 0.0], "topic_1": [0.0, 1.0]})
    >>> aggregate_topics(w, pd.Series([3, 1]), ["g"])["prevalence"].tolist()
    [0.75, 0.25]
    """
    cols = _topic_columns(doc_topics)
    weights = np.asarray(lengths, dtype=float)
    weighted = doc_topics[cols].mul(weights, axis=0)
    weighted["_w"] = weights
    weighted["n_units"] = 1
    if by:
        sums = weighted.join(doc_topics[by]).groupby(by, sort=True, dropna=False)[[*cols, "_w", "n_units"]].sum()
    else:
        sums = weighted[[*cols, "_w", "n_units"]].sum().to_frame().T
    shares = sums[cols].div(sums["_w"].where(sums["_w"] > 0), axis=0)
    shares["n_units"] = sums["n_units"].astype(int)
    shares = shares.reset_index(drop=not by)
    long = shares.melt(id_vars=[*by, "n_units"], value_vars=cols, var_name="topic", value_name="prevalence")
    long["topic"] = long["topic"].map(topic_number)
    long = long[[*by, "topic", "prevalence", "n_units"]]
    return long.sort_values([*by, "topic"], kind="stable").reset_index(drop=True).round(_ROUND)


def representative_units(doc_topics: pd.DataFrame, units: pd.DataFrame, articles: pd.DataFrame,
                         n: int = 3, width: int = 160) -> pd.DataFrame:
    """Return the ``n`` units with the highest weight on each topic, with short snippets.

    Columns ``topic``, ``rank``, ``unit_id``, ``article_id``, ``outlet``,
    ``weight``, ``snippet``. Only a short snippet of the text is
    kept (news text is copyrighted). Ties are broken by ``unit_id``.
    """
    text = units.set_index("unit_id")["text"]
    outlet = articles.set_index("article_id")["outlet"] if "outlet" in articles else pd.Series(dtype=str)
    rows = []
    for col in _topic_columns(doc_topics):
        top = doc_topics.sort_values([col, "unit_id"], ascending=[False, True], kind="stable").head(n)
        for rank, row in enumerate(top.itertuples(index=False), start=1):
            rows.append({
                "topic": topic_number(col), "rank": rank, "unit_id": row.unit_id,
                "article_id": row.article_id, "outlet": _text_or_empty(outlet.get(row.article_id)),
                "weight": getattr(row, col), "snippet": outputs.snippet(text.get(row.unit_id, ""), width=width),
            })
    return pd.DataFrame(rows, columns=["topic", "rank", "unit_id", "article_id", "outlet", "weight", "snippet"])


def representative_html(representative: pd.DataFrame, labels: pd.DataFrame | None = None, *,
                        caption: str | None = None, csv: Path | None = None) -> str:
    """Return the representative units as an HTML table for the site, every cell escaped once.

    Snippets are plain text (as in the CSV); :func:`analysis.outputs.html_table`
    escapes them. Topics are shown as "T<n> label".

    >>> r = pd.DataFrame({"topic": [1], "rank": [1], "unit_id": ["a-p000"], "article_id": ["a"],
    ...                   "outlet": ["X"], "weight": [0.9], "snippet": ["<b> &amp;"]})
    >>> "<b>" in representative_html(r), "&lt;b&gt; &amp;amp;" in representative_html(r)
    (False, True)
    """
    names = {} if labels is None else dict(zip(labels["topic"], labels["label"]))
    shown = representative.assign(
        topic=[f"T{t} {names.get(t, '')}".strip() for t in representative["topic"]],
        weight=representative["weight"].round(3),
    )
    return outputs.html_table(shown, caption=caption, csv=csv)


def _text_or_empty(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value) else str(value)


# --------------------------------------------------------------------------- explorer


def write_explorer(topic_word: np.ndarray, doc_topics: pd.DataFrame, doc_lengths: np.ndarray,
                   term_frequency: np.ndarray, dictionary, folder: Path, *,
                   relevance_lambda: float = 0.6, n_terms: int = 30) -> Path:
    """Write the pyLDAvis explorer to ``folder/ldavis.html`` with local JS and CSS.

    Topic numbers match the tables (``sort_topics=False``; both count from 1).
    The page opens at ``relevance_lambda`` (LDAvis reads its state from the
    URL; a page opened without one gets ``#topic=0&lambda=<λ>&term=`` before
    LDAvis starts), so it ranks terms as the tables do.
    d3, LDAvis and its CSS are copied from pyLDAvis's package into ``folder``
    and referenced by relative URL, so the page works offline and from
    ``file://``. Principal coordinates (``mds="pcoa"``) are deterministic, and
    the page's element id is fixed, so the same model gives the same page.
    """
    import pyLDAvis
    import pyLDAvis.urls

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXPLORER_ASSETS:
        shutil.copyfile(Path(pyLDAvis.urls.LOCAL_JS_DIR) / name, folder / name)
    seen = term_frequency > 0
    vocab = [dictionary[i] for i in np.flatnonzero(seen)]
    phi = topic_word[:, seen]
    theta = doc_topics[_topic_columns(doc_topics)].to_numpy()
    prepared = pyLDAvis.prepare(
        topic_term_dists=phi / phi.sum(axis=1, keepdims=True),
        doc_topic_dists=theta,
        doc_lengths=np.asarray(doc_lengths, dtype=float),
        vocab=vocab,
        term_frequency=term_frequency[seen],
        R=min(n_terms, len(vocab)),
        mds="pcoa",
        n_jobs=1,
        sort_topics=False,  # keep the model's order, so explorer topic N is table topic N
        start_index=1,  # the LDAvis page treats 0 as "no topic selected"
    )
    fragment = pyLDAvis.prepared_data_to_html(
        prepared, d3_url=EXPLORER_ASSETS[0], ldavis_url=EXPLORER_ASSETS[1], ldavis_css_url=EXPLORER_ASSETS[2],
        template_type="simple", visid="ldavis_topics",
    )
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Topic explorer</title>\n"
        f"<script>if (!window.location.hash) {{ history.replaceState(null, '', '#topic=0&lambda={relevance_lambda:g}&term='); }}"
        "</script>\n</head>\n<body>\n"
        "<p><a href=\"../index.html\">← Findings of this run</a></p>\n"
        "<p>Topic N here is topic N in every table and figure of this run (numbered from 1). "
        "Set λ with the slider; the tables rank terms at λ = "
        f"{relevance_lambda:g}.</p>\n{fragment}\n</body>\n</html>\n"
    )
    path = folder / "ldavis.html"
    path.write_text(page, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- stage


def fit_topics(paths: RunPaths, *, params: TopicParams | None = None, labels_file: Path | None = None,
               seed: int = 0, explorer: bool = True) -> TopicResult:
    """Run the topic stage on a run folder and write its outputs.

    Reads ``data/{tokens.parquet,dictionary.gensim,bow.mm,units.parquet,articles.parquet}``;
    writes ``data/lda.model*``, ``data/doc_topics.parquet``, the tables
    ``topic_terms``, ``k_sweep``, ``topic_stability``, ``topic_labels``,
    ``topic_prevalence``, ``doc_topics_units``, ``doc_topics_articles``,
    ``topic_prevalence_outlet``, ``topic_prevalence_date`` and
    ``representative_units`` (CSV, tidy), and ``explorer/ldavis.html``.

    Parameters
    ----------
    paths : RunPaths
        The run folder.
    params : TopicParams
        Model, sweep and stability parameters.
    labels_file : Path, optional
        A user label YAML (see :func:`load_labels`); used when it exists.
    seed : int
        random_state of every model; refit seeds are derived from it.
    explorer : bool
        Write the pyLDAvis explorer.

    Examples
    --------
    >>> result = fit_topics(run_paths("demo"), seed=20240619)  # doctest: +SKIP
    >>> result.n_topics, result.k_reason  # doctest: +SKIP
    """
    params = params or TopicParams()
    paths.create()
    dictionary, corpus, ids = load_bow(paths.data)
    units = outputs.read_parquet(paths.units, "run the corpus stage first", ("unit_id", "text"))
    articles = outputs.read_parquet(paths.articles, "run the corpus stage first", ("article_id",))
    for col in ("outlet", "date", "date_precision"):
        if col not in articles:
            articles[col] = ""
    articles = articles.astype({"article_id": str})

    lengths = _doc_lengths(corpus)
    n_docs = int((lengths > 0).sum())
    check_k(params, n_docs)
    texts = TokenStream(paths.data / "tokens.parquet")

    coherence_corpus = None
    if params.coherence_sample and len(ids) > params.coherence_sample:
        coherence_corpus, texts = sample_for_coherence(corpus, texts, params.coherence_sample, seed)
    # The sweep's model of the chosen K is the final model (same data, parameters and
    # seed), so it is kept on disk and loaded instead of being fitted a second time.
    with tempfile.TemporaryDirectory(dir=paths.data, prefix=".sweep-") as sweep_dir:
        sweep = sweep_k(corpus, dictionary, texts, params=params, seed=seed, coherence_corpus=coherence_corpus,
                        model_dir=Path(sweep_dir))
        k, reason, sweep = choose_k(sweep, params.n_topics, params.min_diversity)
        saved = sweep_model_path(Path(sweep_dir), k)
        if saved.exists():
            from gensim.models import LdaModel

            model = LdaModel.load(str(saved))
        else:
            model = fit_lda(corpus, dictionary, k, params=params, seed=seed)
    model_path = paths.data / "lda.model"
    model.save(str(model_path))
    stability = assess_stability(corpus, dictionary, model, params=params, seed=seed)

    topic_word = model.get_topics()
    term_freq = _term_frequencies(corpus, len(dictionary))
    doc_topics = document_topics(model, corpus, ids, seed=seed)
    doc_topics.to_parquet(paths.data / "doc_topics.parquet", index=False)
    unit_lengths = pd.Series(lengths[lengths > 0])

    terms = topic_terms(topic_word, term_freq, dictionary, top_n=params.top_n,
                        relevance_lambda=params.relevance_lambda)
    user = load_labels(labels_file, k) if labels_file is not None and Path(labels_file).exists() else {}
    labels = label_topics(terms, k, user)
    prevalence = aggregate_topics(doc_topics, unit_lengths, [])
    with_meta = doc_topics.merge(articles[["article_id", "outlet", "date", "date_precision"]], on="article_id",
                                 how="left", validate="many_to_one")
    with_meta[["outlet", "date", "date_precision"]] = with_meta[["outlet", "date", "date_precision"]].fillna("")
    art = aggregate_topics(doc_topics, unit_lengths, ["article_id"])
    doc_articles = art.rename(columns={"prevalence": "weight"})
    prev_outlet = aggregate_topics(with_meta, unit_lengths, ["outlet"])
    dated = with_meta["date"].astype(str) != ""
    prev_date = aggregate_topics(with_meta[dated].reset_index(drop=True), unit_lengths[dated.to_numpy()],
                                 ["date", "date_precision"])
    representative = representative_units(doc_topics, units, articles, n=params.n_representative)

    explorer_path = None
    if explorer:
        explorer_path = write_explorer(topic_word, doc_topics, unit_lengths.to_numpy(), term_freq, dictionary,
                                       paths.explorer, relevance_lambda=params.relevance_lambda)

    result = TopicResult(
        n_topics=k, k_reason=reason, sweep=sweep, stability=stability, terms=terms, labels=labels,
        prevalence=prevalence, doc_topics=doc_topics,
        doc_topics_units=tidy_doc_topics(doc_topics, ["unit_id", "article_id"]),
        doc_topics_articles=doc_articles, prevalence_outlet=prev_outlet, prevalence_date=prev_date,
        representative=representative, n_units=len(ids), n_empty_units=len(ids) - n_docs,
        model_path=model_path, explorer_path=explorer_path,
    )
    result.tables = write_topic_tables(result, paths.tables)
    return result


_TABLES = {
    "topic_terms": "terms", "k_sweep": "sweep", "topic_stability": "stability", "topic_labels": "labels",
    "topic_prevalence": "prevalence", "doc_topics_units": "doc_topics_units",
    "doc_topics_articles": "doc_topics_articles", "topic_prevalence_outlet": "prevalence_outlet",
    "topic_prevalence_date": "prevalence_date", "representative_units": "representative",
}


def write_topic_tables(result: TopicResult, folder: Path) -> dict[str, Path]:
    """Write every tidy table of ``result`` as CSV into ``folder``; return name → path."""
    return {name: outputs.write_table(getattr(result, attr), folder, name) for name, attr in _TABLES.items()}


