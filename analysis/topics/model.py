"""The topic model: its parameters, its inputs, one deterministic LDA fit, and what is read from it.

Rules kept here:

* **Deterministic.** Every model is a single-process ``gensim.models.LdaModel``
  with ``random_state`` set from an explicit ``seed``. ``LdaMulticore`` is never
  used: its workers update the model in an order the operating system decides,
  so two runs with the same seed can differ. Inference (``get_document_topics``)
  also draws random starting values, so its random state is reset from the seed
  before the document-topic matrix is computed.
* **Streamed.** The bag of words is read from the text stage's Matrix Market
  file (``MmCorpus``) and the token lists from its Parquet batch by batch
  (:class:`TokenStream`); the corpus is never held as Python lists.
* **Units without words.** A unit whose bag of words is empty (every token was
  filtered) carries no evidence about topics; it is left out of the
  document-topic matrix and of every topic table rather than given the prior.
* **Terms by relevance** (Sievert & Shirley 2014), the definition the explorer
  uses, so its ranking at the same λ matches the tables.
* **Labels are a researcher's.** A topic is labelled by its most relevant terms
  unless a label file, written for this K, says otherwise.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from .. import workers
from ..errors import AnalysisError
from ..files import read_parquet, read_yaml
from ..parameters import check_values, notebook_default
from ..paths import DATA_CODING, check_run_name
from ..registry import STAGES, RunPaths, artifact
from .tables import ROUND, topic_column

_ETAS = ("auto", "symmetric")


@dataclass(frozen=True)
class TopicParams:
    """Parameters of the topic stage, validated on creation.

    Fields that are parameters of notebook ``02-fit-topics`` take their default
    from its parameters cell and are checked against its rules
    (:func:`analysis.parameters.check_values`); the others are documented
    constants of the method. Defaults are read when an instance is made
    (``default_factory``): reading the notebooks on import would slow every import.

    Parameters
    ----------
    n_topics : int
        Number of topics; 0 chooses K by the sweep (:data:`~analysis.topics.selection.K_RULE`).
    k_min, k_max, k_step : int
        The K range of the sweep (inclusive).
    passes, iterations : int
        gensim ``LdaModel`` passes over the corpus and inference iterations per
        document. Small corpora need many passes to converge; 0 follows the
        corpus by :data:`~analysis.topics.scaling.SCALE_RULE` (resolved by
        :func:`~analysis.topics.scaling.scale_params`).
    alpha : str
        Document-topic prior: ``"symmetric"``, ``"asymmetric"`` or ``"auto"``.
    eta : str, float or None
        Topic-word prior: ``None`` (gensim's symmetric 1/K), ``"auto"``,
        ``"symmetric"`` or a positive number. Not a notebook parameter.
    n_stability_seeds : int
        Refits of the chosen K used to score stability (0 skips it).
    stability_threshold : float
        Topics whose stability (mean matched cosine) is below this are flagged
        unstable.
    min_diversity : float
        Diversity floor of the K rule: below it, topics repeat each other's top
        words. Not a notebook parameter: it is part of the rule Methods states.
    top_n : int
        Top words per topic used for coherence, diversity, Jaccard and labels.
        Not a notebook parameter.
    relevance_lambda : float
        λ of Sievert & Shirley's (2014) relevance, in [0, 1]; 1 ranks terms by
        probability, lower values favour terms specific to the topic.
    n_representative : int
        Representative units listed per topic. Not a notebook parameter.
    coherence_sample : int
        Documents (a random sample drawn with a fixed seed) on which every
        model (the sweep's, the chosen one, the refits) is fitted and scored
        when the corpus has more; the chosen model then infers the topics of
        every unit. 0 takes :data:`~analysis.topics.scaling.SWEEP_SAMPLE`
        (20,000); a number at least the corpus's documents uses all of them.
        Eight topics are estimated as well from 20,000 documents as from
        140,000 (``benchmarks/passes.py``), and every model costs passes over
        every token it is fitted on.
    n_jobs : int
        Processes that fit the sweep's models and the refits side by side
        (:mod:`~analysis.topics.pool`; the same models whatever the number);
        0 uses every core beyond 2,000 documents.
    topic_unit : str
        The model's document: ``"article"``, ``"paragraph"`` (each unit) or
        ``"auto"`` (the rule of :data:`~analysis.topics.documents.TOPIC_UNIT_RULE`).

    Examples
    --------
    >>> TopicParams(k_min=2, k_max=4).k_range()
    [2, 3, 4]
    >>> TopicParams().k_min  # notebook 02's default
    3
    """

    n_topics: int = notebook_default("n_topics")
    k_min: int = notebook_default("k_min")
    k_max: int = notebook_default("k_max")
    k_step: int = notebook_default("k_step")
    passes: int = notebook_default("passes")
    iterations: int = notebook_default("iterations")
    alpha: str = notebook_default("alpha")
    eta: str | float | None = None
    n_stability_seeds: int = notebook_default("n_stability_seeds")
    stability_threshold: float = notebook_default("stability_threshold")
    min_diversity: float = 0.5
    top_n: int = 10
    relevance_lambda: float = notebook_default("relevance_lambda")
    n_representative: int = 3
    coherence_sample: int = notebook_default("coherence_sample")
    topic_unit: str = notebook_default("topic_unit")
    n_jobs: int = notebook_default("n_jobs")

    def __post_init__(self):
        check_values(self)
        # eta is no notebook parameter, and its forms (None, a name or a positive number) are not one notebook rule.
        if self.eta is not None and not _valid_prior(self.eta, _ETAS):
            raise AnalysisError(f"parameter eta must be None, one of {', '.join(_ETAS)} or a positive number, "
                                f"got {self.eta!r}")
        # Constants of the method, not notebook parameters: no notebook rule checks them.
        for name in ("top_n", "n_representative"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise AnalysisError(f"parameter {name} must be an integer of at least 1, got {value!r}")
        if not 0.0 <= float(self.min_diversity) <= 1.0:
            raise AnalysisError(f"parameter min_diversity must lie in [0, 1], got {self.min_diversity}")

    @classmethod
    def from_dict(cls, values: Mapping) -> "TopicParams":
        """Build from a mapping (e.g. a notebook's values); unknown keys raise.

        >>> TopicParams.from_dict({"k_max": 5}).k_range()
        [3, 4, 5]
        """
        unknown = sorted(set(values) - {f.name for f in fields(cls)})
        if unknown:
            raise AnalysisError(f"unknown topic parameter(s): {', '.join(unknown)}", path="params")
        return cls(**values)

    def k_range(self) -> list[int]:
        """Return the K values to fit: ``[n_topics]`` if fixed, else the sweep range."""
        if self.n_topics:
            return [self.n_topics]
        return list(range(self.k_min, self.k_max + 1, self.k_step))


def _valid_prior(value, names) -> bool:
    if isinstance(value, str):
        return value in names
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


# --------------------------------------------------------------------------- input


class TokenStream:
    """Re-iterable token lists read from the text stage's tokens table in batches.

    gensim's sliding-window coherence measures (``c_v``, ``c_npmi``) need the
    texts; this streams them so a large corpus is never held whole.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.parquet"
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


_TEXT_FILES = ("dictionary", "bow", "tokens")


def text_files(source: RunPaths | Path) -> dict[str, Path]:
    """Return where the text stage's dictionary, bag of words and tokens are: in a run, or in one folder.

    A folder holds them under their registered names (the benchmarks pass a run's ``data/``).

    >>> text_files(Path("/x"))["bow"] == Path("/x") / RunPaths(Path("/run")).file("bow").name
    True
    """
    if isinstance(source, RunPaths):
        return {key: source.file(key) for key in _TEXT_FILES}
    return {key: Path(source) / Path(artifact(key).file).name for key in _TEXT_FILES}


def load_bow(source: RunPaths | Path):
    """Load the text stage's dictionary, bag-of-words corpus and unit ids.

    ``source`` is a run (:class:`~analysis.registry.RunPaths`) or a folder that
    holds the files (see :func:`text_files`). Returns ``(dictionary, corpus, ids)``
    where ``corpus`` is a streamed ``MmCorpus`` and ``ids`` a DataFrame
    (``unit_id``, ``article_id``) whose row i is corpus document i. A missing,
    unreadable or misaligned file raises :class:`AnalysisError` naming it.

    Examples
    --------
    >>> load_bow(Path("/nonexistent"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.errors.AnalysisError: /nonexistent/dictionary.gensim: missing: run the text stage (notebook 02-fit-topics) first
    """
    from gensim.corpora import Dictionary, MmCorpus

    files = text_files(source)
    hint = f"run the text stage (notebook {STAGES['text']}) first"
    for path in files.values():
        if not path.exists():
            raise AnalysisError(f"missing: {hint}", path=path)
    try:
        dictionary = Dictionary.load(str(files["dictionary"]))
    except Exception as exc:  # a pickle of something else, truncated file, …
        raise AnalysisError(f"not a gensim Dictionary ({type(exc).__name__})", path=files["dictionary"]) from None
    try:
        corpus = MmCorpus(str(files["bow"]))
    except Exception as exc:
        raise AnalysisError(f"not a Matrix Market corpus ({type(exc).__name__})", path=files["bow"]) from None
    ids = read_parquet(files["tokens"], columns=("unit_id", "article_id"), hint=hint)
    if len(ids) != len(corpus):
        raise AnalysisError(f"has {len(ids)} rows but {files['bow'].name} has {len(corpus)} documents; "
                            "re-run the text stage", path=files["tokens"])
    if len(dictionary) == 0:
        raise AnalysisError("the vocabulary is empty; relax no_below/no_above", path=files["dictionary"])
    if corpus.num_terms > len(dictionary):
        raise AnalysisError("uses term ids the dictionary does not have", path=files["bow"])
    return dictionary, corpus, ids.astype(str)


def doc_lengths(corpus) -> np.ndarray:
    """Return the number of tokens of every document of a bag-of-words corpus.

    >>> doc_lengths([[(0, 2), (1, 1)], []]).tolist()
    [3, 0]
    """
    return np.fromiter((sum(c for _, c in doc) for doc in corpus), dtype=np.int64, count=len(corpus))


def term_frequencies(corpus, n_terms: int) -> np.ndarray:
    """Return every term's count over the corpus (term id → count).

    >>> term_frequencies([[(0, 2)], [(0, 1), (2, 1)]], 3).tolist()
    [3.0, 0.0, 1.0]
    """
    freq = np.zeros(n_terms, dtype=np.float64)
    for doc in corpus:
        for term_id, count in doc:
            freq[term_id] += count
    return freq


# --------------------------------------------------------------------------- fitting and reading the model


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


def top_term_ids(topic_word: np.ndarray, top_n: int) -> np.ndarray:
    """Return each topic's ``top_n`` term ids by probability; ties go to the smaller term id.

    >>> top_term_ids(np.array([[0.2, 0.5, 0.3]]), 2).tolist()
    [[1, 2]]
    """
    # stable sort: ties broken by term id, so the same matrix gives the same words
    return np.argsort(-topic_word, axis=1, kind="stable")[:, :top_n]


#: Documents per inference chunk. Each chunk's random starting values come from its own seed
#: (:func:`chunk_seed`), so the matrix is the same whether the chunks run in one process or in several.
INFERENCE_CHUNK = 20_000


def chunk_seed(seed: int, chunk: int) -> int:
    """The seed of inference chunk ``chunk``: the run's seed for the first, one derived from it for the others.

    The first chunk keeps the seed itself, so a corpus of one chunk gets the matrix it always got.

    >>> chunk_seed(7, 0), chunk_seed(7, 1) == chunk_seed(7, 1) != chunk_seed(7, 2)
    (7, True)
    """
    if chunk == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), int(chunk)]).generate_state(1)[0])


def _infer(model, docs, first: int, seed: int, chunk: int, progress: str = "", total: int | None = None):
    """Topic mixtures of ``docs`` (corpus positions from ``first``), the random state reset at every chunk start."""
    from gensim.utils import get_random_state

    from ..progress import tick

    rows, keep = [], []
    for i, doc in enumerate(docs, first):
        if i % chunk == 0:
            # inference starts from random values; resetting the state makes the matrix
            # independent of whatever the model computed before, and of the process
            model.random_state = get_random_state(chunk_seed(seed, i // chunk))
        if progress:
            tick("topics", progress, i, total)
        if not doc:
            continue
        theta = np.zeros(model.num_topics)
        for topic, weight in model.get_document_topics(doc, minimum_probability=0.0):
            theta[topic] = weight
        rows.append(theta / theta.sum())
        keep.append(i)
    return keep, rows


def _infer_saved(bounds: tuple[int, int], model_path: str, corpus, seed: int, chunk: int):
    from gensim.models import LdaModel

    start, stop = bounds
    model = LdaModel.load(model_path)
    keep, rows = _infer(model, corpus[start:stop], start, seed, chunk)
    # one array per chunk travels back, not one per document
    return keep, (np.vstack(rows) if rows else np.zeros((0, model.num_topics)))


def _infer_parallel(model_path: Path, corpus, seed: int, n_jobs: int, progress: str):
    from ..progress import report

    n = len(corpus)
    chunk = INFERENCE_CHUNK  # sent to the workers, which read no setting of this process
    bounds = workers.chunks(n, chunk)
    keep, rows = [], []
    job = functools.partial(_infer_saved, model_path=str(model_path), corpus=corpus, seed=seed, chunk=chunk)
    with workers.pool(n_jobs) as pool:
        for (_, stop), (part_keep, part_rows) in zip(bounds, pool.map(job, bounds)):  # in corpus order
            keep += part_keep
            rows.append(part_rows)
            if progress:
                report("topics", progress, done=stop, total=n)
    return keep, rows


def document_topics(model, corpus, ids: pd.DataFrame, *, seed: int = 0, progress: str = "", n_jobs: int = 1,
                    model_path: Path | None = None) -> pd.DataFrame:
    """Return the wide document-topic matrix of the non-empty units.

    Columns ``unit_id``, ``article_id``, ``topic_0`` … ``topic_{K-1}``; every
    row sums to 1 (``minimum_probability=0``). Units with an empty bag of words
    are left out (see the module docstring). Documents are inferred in chunks
    of :data:`INFERENCE_CHUNK`, each with its own seed (:func:`chunk_seed`);
    given ``model_path`` (the model saved) and ``n_jobs`` above 1, the chunks
    run in that many processes, with the same result. With ``progress``, the
    documents done are reported under that message (:mod:`analysis.progress`).
    """
    k = model.num_topics
    total = len(corpus) if hasattr(corpus, "__len__") else None
    spread = workers.scheduler() or (n_jobs > 1 and total is not None and total > INFERENCE_CHUNK)
    if spread and model_path is not None and total is not None:
        keep, rows = _infer_parallel(Path(model_path), corpus, seed, n_jobs, progress)
    else:
        keep, rows = _infer(model, corpus, 0, seed, INFERENCE_CHUNK, progress, total)
    return _topic_table(ids, keep, rows, k)


def _topic_table(ids: pd.DataFrame, keep: list, rows: list, k: int) -> pd.DataFrame:
    matrix = np.vstack(rows) if rows else np.zeros((0, k))
    table = ids.iloc[keep].reset_index(drop=True)
    topics = pd.DataFrame(matrix.round(ROUND), columns=[topic_column(t + 1) for t in range(k)])
    return pd.concat([table, topics], axis=1)


def models_topics(model_paths: list[Path], corpus: list, ids: pd.DataFrame, *, seed: int = 0,
                  n_jobs: int = 1) -> list[pd.DataFrame]:
    """:func:`document_topics` of each saved model on the same documents, one model per process.

    Each table is the one ``document_topics(model, corpus, ids, seed=seed)``
    gives (the same chunks and chunk seeds), whichever process infers it.

    >>> import tempfile
    >>> from gensim.corpora import Dictionary
    >>> d = Dictionary([["a", "b"], ["c", "d"]])
    >>> bows = [d.doc2bow(["a", "b"]), d.doc2bow(["c", "d"])]
    >>> path = Path(tempfile.mkdtemp()) / "m.model"
    >>> fit_lda(bows, d, 2, seed=1).save(str(path))
    >>> ids = pd.DataFrame({"unit_id": ["u1", "u2"], "article_id": ["a", "a"]})
    >>> from gensim.models import LdaModel
    >>> models_topics([path], bows, ids)[0].equals(document_topics(LdaModel.load(str(path)), bows, ids))
    True
    """
    job = functools.partial(_infer_saved, (0, len(corpus)), corpus=corpus, seed=seed, chunk=INFERENCE_CHUNK)
    with workers.pool(min(n_jobs, len(model_paths)) if model_paths else 1) as pool:
        results = list(pool.map(job, [str(p) for p in model_paths]))
    return [_topic_table(ids, keep, [rows] if len(rows) else [], rows.shape[1]) for keep, rows in results]


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
    return table.round(ROUND)


# --------------------------------------------------------------------------- labels


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
    data = read_yaml(path, what="label file")
    lines = _label_lines(path)
    if not isinstance(data.get("labels"), dict):
        raise AnalysisError("expected a mapping with 'n_topics' and 'labels: {topic: label}'", path=path)
    if data.get("n_topics") != n_topics:
        raise AnalysisError(
            f"field n_topics is {data.get('n_topics')!r} but the model has {n_topics} topics; "
            "relabel the topics of this model", path=path, row=lines.get("n_topics"))
    labels = {}
    for key, label in data["labels"].items():
        if isinstance(key, bool) or not isinstance(key, int) or not 1 <= key <= n_topics:
            raise AnalysisError(f"labels key {key!r} names no topic of this model (topics are 1..{n_topics})",
                                path=path, row=lines.get(("labels", str(key))))
        if not isinstance(label, str) or not label.strip():
            raise AnalysisError(f"label of topic {key} must be a non-empty string", path=path,
                                row=lines.get(("labels", str(key))))
        labels[key] = " ".join(label.split())
    return dict(sorted(labels.items()))


def _label_lines(path: Path) -> dict:
    """Line numbers (from 1) of a label file's ``n_topics`` and of each ``labels`` key, for one-line errors."""
    import yaml

    lines: dict = {}
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:  # read_yaml has refused it already
        return lines
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[key.value] = key.start_mark.line + 1
        if key.value == "labels" and isinstance(value, yaml.MappingNode):
            for k, _ in value.value:
                lines[("labels", k.value)] = k.start_mark.line + 1
    return lines


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
