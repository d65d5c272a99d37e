"""The topic stage: reads the text stage's outputs, writes the model, the topic tables and the explorer.

:func:`fit_topics` reads, through the registry, the text stage's dictionary,
bag of words and tokens and the corpus stage's units and articles. It writes
the chosen model (``lda_model``), the wide ``doc_topics`` table that the
frames stage reads, the tables ``topic_params`` (as used), ``k_sweep``,
``topic_stability``, ``topic_terms``, ``topic_labels``, ``topic_prevalence``,
``doc_topics_units``, ``doc_topics_articles``, ``topic_prevalence_outlet``,
``topic_prevalence_date`` and ``representative_units``, and the explorer.
The same seed gives byte-identical tables (see :mod:`.model` for why).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import registry
from ..errors import AnalysisError
from ..outputs import params_table
from ..registry import RunPaths
from .explorer import representative_units, write_explorer
from .model import (TokenStream, TopicParams, check_k, doc_lengths, document_topics, fit_lda, label_topics,
                    load_bow, load_labels, term_frequencies, topic_terms)
from .selection import choose_k, sample_for_coherence, sweep_k, sweep_model_path
from .stability import assess_stability
from .tables import aggregate_topics, tidy_doc_topics


@dataclass
class TopicResult:
    """What :func:`fit_topics` computed; every table is also written through the registry.

    ``doc_topics`` is wide (``unit_id``, ``article_id``, ``topic_0`` …), as
    the internal ``doc_topics`` table; every other table is tidy (one row per
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
    params: TopicParams | None = None
    tables: dict[str, Path] = field(default_factory=dict)


#: Registry key of each topic table → the :class:`TopicResult` attribute that holds it.
TABLES = {
    "topic_terms": "terms", "k_sweep": "sweep", "topic_stability": "stability", "topic_labels": "labels",
    "topic_prevalence": "prevalence", "doc_topics_units": "doc_topics_units",
    "doc_topics_articles": "doc_topics_articles", "topic_prevalence_outlet": "prevalence_outlet",
    "topic_prevalence_date": "prevalence_date", "representative_units": "representative",
}


def write_topic_tables(result: TopicResult, paths: RunPaths) -> dict[str, Path]:
    """Write every tidy table of ``result`` through the registry; return key → written path (the CSV)."""
    return {key: registry.write(paths, key, getattr(result, attr)) for key, attr in TABLES.items()}


def _stage_params(params) -> TopicParams:
    if params is None:
        return TopicParams()
    if isinstance(params, Mapping):
        return TopicParams.from_dict(params)
    if isinstance(params, TopicParams):
        return params
    raise AnalysisError(f"must be a TopicParams or a mapping of its fields, got {type(params).__name__}", path="params")


def _read_articles(paths: RunPaths) -> pd.DataFrame:
    articles = registry.read(paths, "articles", columns=["article_id", "outlet", "date", "date_precision"])
    return articles.astype({"article_id": str})


def _choose_model(paths: RunPaths, corpus, dictionary, n_units: int, params: TopicParams, seed: int):
    """Sweep K, apply the K rule, and return ``(model, k, reason, sweep)``."""
    texts = TokenStream(paths.file("tokens"))
    coherence_corpus = None
    if params.coherence_sample and n_units > params.coherence_sample:
        coherence_corpus, texts = sample_for_coherence(corpus, texts, params.coherence_sample, seed)
    # The sweep's model of the chosen K is the final model (same data, parameters and
    # seed), so it is kept on disk and loaded instead of being fitted a second time.
    with tempfile.TemporaryDirectory(dir=paths.file("lda_model").parent, prefix=".sweep-") as sweep_dir:
        sweep = sweep_k(corpus, dictionary, texts, params=params, seed=seed, coherence_corpus=coherence_corpus,
                        model_dir=Path(sweep_dir))
        k, reason, sweep = choose_k(sweep, params.n_topics, params.min_diversity)
        saved = sweep_model_path(Path(sweep_dir), k)
        if saved.exists():
            from gensim.models import LdaModel

            model = LdaModel.load(str(saved))
        else:
            model = fit_lda(corpus, dictionary, k, params=params, seed=seed)
    return model, k, reason, sweep


def _prevalence_tables(doc_topics: pd.DataFrame, unit_lengths: pd.Series, articles: pd.DataFrame) -> dict:
    """Topic shares over the corpus, per article, per outlet and per publication date."""
    meta = ["outlet", "date", "date_precision"]
    with_meta = doc_topics.merge(articles[["article_id", *meta]], on="article_id", how="left",
                                 validate="many_to_one")
    with_meta[meta] = with_meta[meta].fillna("")
    dated = with_meta["date"].astype(str) != ""
    return {
        "prevalence": aggregate_topics(doc_topics, unit_lengths, []),
        "doc_topics_articles": aggregate_topics(doc_topics, unit_lengths, ["article_id"]).rename(
            columns={"prevalence": "weight"}),
        "prevalence_outlet": aggregate_topics(with_meta, unit_lengths, ["outlet"]),
        "prevalence_date": aggregate_topics(with_meta[dated].reset_index(drop=True),
                                            unit_lengths[dated.to_numpy()], ["date", "date_precision"]),
    }


def _user_labels(labels_file: Path | None, k: int) -> dict[int, str]:
    return load_labels(labels_file, k) if labels_file is not None and Path(labels_file).exists() else {}


def fit_topics(paths: RunPaths, *, params: TopicParams | Mapping | None = None, labels_file: Path | None = None,
               seed: int = 0, explorer: bool = True) -> TopicResult:
    """Run the topic stage on a run folder and write its outputs (see the module docstring).

    Parameters
    ----------
    paths : RunPaths
        The run folder; the corpus and text stages have written theirs.
    params : TopicParams or mapping, optional
        Model, sweep and stability parameters; a mapping (a notebook's values)
        is read by :meth:`TopicParams.from_dict`. Default: ``TopicParams()``.
    labels_file : Path, optional
        A user label YAML (see :func:`~analysis.topics.model.load_labels`); used when it exists.
    seed : int
        random_state of every model; refit seeds are derived from it.
    explorer : bool
        Write the pyLDAvis explorer.

    Examples
    --------
    >>> result = fit_topics(run_paths("demo"), seed=20240619)  # doctest: +SKIP
    >>> result.n_topics, result.k_reason  # doctest: +SKIP
    """
    params = _stage_params(params)
    paths.create()
    dictionary, corpus, ids = load_bow(paths)
    units = registry.read(paths, "units", columns=["unit_id", "text"])
    articles = _read_articles(paths)
    lengths = doc_lengths(corpus)
    n_docs = int((lengths > 0).sum())
    check_k(params, n_docs)

    model, k, reason, sweep = _choose_model(paths, corpus, dictionary, len(ids), params, seed)
    model.save(str(paths.file("lda_model")))
    stability = assess_stability(corpus, dictionary, model, params=params, seed=seed)
    topic_word = model.get_topics()
    term_freq = term_frequencies(corpus, len(dictionary))
    doc_topics = document_topics(model, corpus, ids, seed=seed)
    registry.write(paths, "doc_topics", doc_topics)
    unit_lengths = pd.Series(lengths[lengths > 0])

    terms = topic_terms(topic_word, term_freq, dictionary, top_n=params.top_n,
                        relevance_lambda=params.relevance_lambda)
    explorer_path = None
    if explorer:
        explorer_path = write_explorer(topic_word, doc_topics, unit_lengths.to_numpy(), term_freq, dictionary,
                                       paths.file("explorer").parent, relevance_lambda=params.relevance_lambda)
    result = TopicResult(
        n_topics=k, k_reason=reason, sweep=sweep, stability=stability, terms=terms,
        labels=label_topics(terms, k, _user_labels(labels_file, k)), doc_topics=doc_topics,
        doc_topics_units=tidy_doc_topics(doc_topics, ["unit_id", "article_id"]),
        **_prevalence_tables(doc_topics, unit_lengths, articles),
        representative=representative_units(doc_topics, units, articles, n=params.n_representative),
        n_units=len(ids), n_empty_units=len(ids) - n_docs, model_path=paths.file("lda_model"),
        explorer_path=explorer_path, params=params,
    )
    result.tables = write_topic_tables(result, paths)
    registry.write(paths, "topic_params", params_table(params))
    return result
