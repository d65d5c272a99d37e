"""The topic stage: reads the text stage's outputs, writes the model, the topic tables and the explorer.

:func:`fit_topics` reads, through the registry, the text stage's dictionary,
bag of words and tokens and the corpus stage's units and articles. It fits
the model on the documents ``topic_unit`` names (:mod:`.documents`: articles
or paragraphs) and writes the chosen model (``lda_model``), the wide
``doc_topics`` table of the units that the frames stage reads (inferred from
an article model when articles are the documents), the tables ``topic_params``
(as used), ``k_sweep``, ``topic_stability``, ``topic_junk``, ``topic_terms``,
``topic_labels``, ``topic_prevalence``, ``doc_topics_units``,
``doc_topics_articles``, ``topic_prevalence_outlet``, ``topic_prevalence_date``,
``representative_units``, the intrusion tasks and their scores, the explorer,
and what the frames stage needs to build and re-build the topic network
(:mod:`.cooccurrence`: ``topic_network_nodes``, ``topic_network_pairs``,
``topic_refit_units``) for the chosen model, its stability refits and the
sweep's neighbouring K. The same seed gives byte-identical tables (see
:mod:`.model` for why).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import registry
from ..errors import AnalysisError
from ..outputs import params_table
from ..registry import RunPaths
from .cooccurrence import REFIT_SAMPLE, network_inputs, sample_positions, topic_specificity
from .documents import FitDocuments, TopicUnit, fit_documents, fit_k_range
from .explorer import representative_units, write_explorer
from .intrusion import describe_intrusion, intrusion_tasks, score_intrusion
from .intrusion_sheets import read_imported
from .model import (TokenStream, TopicParams, doc_lengths, document_topics, fit_lda, label_topics, load_bow,
                    load_labels, models_topics, term_frequencies, topic_terms)
from .pool import fit_models, load_model
from .scaling import scale_params, scale_text, sweep_size
from .selection import choose_k, sample_for_coherence, sweep_k, sweep_model_path
from .stability import assess_stability, refit_jobs
from .tables import aggregate_topics, tidy_doc_topics, tidy_parts, topic_columns

#: How the notebook and the pages tell a user to write the intrusion sheets.
INTRUSION_COMMAND = "python -m analysis intrusion-sheet --run {run}"


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
    junk: pd.DataFrame
    terms: pd.DataFrame
    labels: pd.DataFrame
    prevalence: pd.DataFrame
    doc_topics: pd.DataFrame
    doc_topics_articles: pd.DataFrame
    prevalence_outlet: pd.DataFrame
    prevalence_date: pd.DataFrame
    representative: pd.DataFrame
    word_intrusion: pd.DataFrame
    topic_intrusion: pd.DataFrame
    n_units: int
    n_empty_units: int
    model_path: Path
    explorer_path: Path | None
    topic_unit: TopicUnit | None = None
    n_documents: int = 0
    intrusion_text: str = ""
    params: TopicParams | None = None
    scaling: dict[str, str] = field(default_factory=dict)
    tables: dict[str, Path] = field(default_factory=dict)

    def describe_scale(self) -> str:
        """The sentence on what the models were fitted on, with the values the scaling rule gave (:func:`scale_text`)."""
        return scale_text({**self.scaling, "n_documents": str(self.n_documents), "passes": str(self.params.passes),
                           "iterations": str(self.params.iterations),
                           "n_stability_seeds": str(self.params.n_stability_seeds), "n_jobs": str(self.params.n_jobs)})

    def describe_junk(self) -> str:
        """The sentence on junk topics, with their labels."""
        junk = self.junk[self.junk["junk"]]
        if junk.empty:
            return f"No topic of the {self.n_topics} is junk by the rule."
        named = "; ".join(f"T{r.topic} {r.label} ({r.reason})" for r in junk.itertuples())
        verb = "is" if len(junk) == 1 else "are"
        return (f"{len(junk)} of {self.n_topics} topics {verb} junk by the rule and left out of the topic network: "
                f"{named}.")


#: Registry key of each topic table → the :class:`TopicResult` attribute that holds it.
TABLES = {
    "topic_terms": "terms", "k_sweep": "sweep", "topic_stability": "stability", "topic_junk": "junk",
    "topic_labels": "labels", "topic_prevalence": "prevalence",
    "doc_topics_articles": "doc_topics_articles", "topic_prevalence_outlet": "prevalence_outlet",
    "topic_prevalence_date": "prevalence_date", "representative_units": "representative",
    "word_intrusion": "word_intrusion", "topic_intrusion": "topic_intrusion",
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


def _fit_params(params: TopicParams, docs: FitDocuments) -> tuple[TopicParams, str]:
    """The parameters as fitted: the K range cut to fewer topics than documents (:func:`fit_k_range`)."""
    ks, note = fit_k_range(params.k_range(), docs.n_documents, fixed=bool(params.n_topics), unit=docs.topic_unit.unit)
    return (dataclasses.replace(params, k_max=ks[-1]) if not params.n_topics else params), note


@dataclass(frozen=True)
class _Sweep:
    """What every model is fitted on: the documents (a sample or all), the parameters as resolved."""

    corpus: object
    texts: object
    n_documents: int
    params: TopicParams
    on_all: bool


def _sweep_documents(docs: FitDocuments, params: TopicParams, seed: int) -> _Sweep:
    """The documents every model is fitted and scored on, by :data:`~.scaling.SCALE_RULE` (a sample when there are more).

    A K fixed by the user is fitted on the same documents as a sweep's models would be.
    """
    n_sweep = sweep_size(params, docs.n_documents)
    if n_sweep >= docs.n_documents:
        return _Sweep(docs.corpus, docs.texts, docs.n_documents, scale_params(params, docs.n_documents), True)
    corpus, texts = sample_for_coherence(docs.corpus, docs.texts, n_sweep, seed)
    return _Sweep(corpus, texts, n_sweep, scale_params(params, n_sweep), False)


def _choose_k(docs: FitDocuments, dictionary, params: TopicParams, seed: int, folder: Path):
    """Sweep K and apply the K rule; return ``(k, reason, sweep table, what the sweep fitted on)``.

    The sweep's models stay in ``folder`` (:func:`sweep_model_path`).
    """
    swept = _sweep_documents(docs, params, seed)
    sweep = sweep_k(swept.corpus, dictionary, swept.texts, params=swept.params, seed=seed, model_dir=folder,
                    n_jobs=swept.params.n_jobs)
    k, reason, sweep = choose_k(sweep, params.n_topics, params.min_diversity)
    return k, reason, sweep, swept


def _refits(dictionary, swept: _Sweep, k: int, seed: int, folder: Path) -> list[tuple[int, object, Path]]:
    """The chosen K's stability refits, on the documents and with the parameters of the sweep (and so of the model).

    The chosen model is the sweep's model of K (same documents, parameters and
    seed), so it is loaded, not fitted again; on a large corpus it was fitted
    on the sample and infers the topics of every unit afterwards
    (:data:`~.scaling.SCALE_RULE`). Returns ``[(seed, model, path), …]``.
    """
    jobs = refit_jobs(k, seed, swept.params.n_stability_seeds, folder)
    fit_models(swept.corpus, dictionary, jobs, params=swept.params, n_jobs=swept.params.n_jobs,
               what=f"chosen K = {k}")
    return [(job.seed, load_model(job.path), job.path) for job in jobs]


def _alternatives(refits: list, sweep_dir: Path, k: int, seed: int) -> list[tuple[str, str, int, object, Path]]:
    """The models the inductive frames are re-built from: each refit seed, then the sweep's K − 1 and K + 1.

    Each comes with the path it is saved at. On a large corpus every model was
    fitted on the sample (:data:`~.scaling.SCALE_RULE`).
    """
    out = [(f"seed-{s}", "seed", s, m, path) for s, m, path in refits]
    for other in (k - 1, k + 1):
        path = sweep_model_path(sweep_dir, other)
        model = load_model(path)
        if model is not None:
            out.append((f"k-{other}", "k", seed, model, path))
    return out


def _subset(corpus, ids: pd.DataFrame, positions: np.ndarray):
    keep = set(positions.tolist())
    return [doc for i, doc in enumerate(corpus) if i in keep], ids.iloc[positions].reset_index(drop=True)


def _network_tables(model, docs: FitDocuments, fit_theta: pd.DataFrame, unit_sample, unit_theta: pd.DataFrame,
                    alternatives: list, term_freq: np.ndarray, seed: int, paragraph: bool, n_jobs: int) -> dict:
    """``topic_network_nodes`` / ``_pairs`` and ``topic_refit_units`` for the chosen model and its alternatives.

    The chosen model's network uses every document; each alternative is read on
    the same random sample (fixed seed) of at most :data:`REFIT_SAMPLE` documents and units, the models
    side by side in ``n_jobs`` processes (:func:`~.model.models_topics`: the same tables as one by one).
    """
    nonempty = np.flatnonzero(docs.lengths > 0)
    doc_pos = nonempty[sample_positions(len(nonempty), REFIT_SAMPLE, seed)]
    doc_bows, doc_ids = _subset(docs.corpus, docs.ids, doc_pos)
    unit_bows, unit_ids = unit_sample
    nodes, pairs, units = [], [], []

    def add(name, kind, model_seed, m, theta, lengths, unit_table):
        n, p = network_inputs(name, kind, model_seed, theta, lengths, m.get_topics(), term_freq)
        nodes.append(n)
        pairs.append(p)
        long = tidy_doc_topics(unit_table, ["unit_id"]).assign(model=name)
        units.append(long[["model", "unit_id", "topic", "weight"]])

    add("reference", "reference", seed, model, fit_theta[topic_columns(fit_theta)].to_numpy(),
        docs.lengths[docs.lengths > 0], unit_theta)
    saved = [path for *_, path in alternatives]
    thetas = models_topics(saved, doc_bows, doc_ids, seed=seed, n_jobs=n_jobs)
    unit_thetas = ([theta.rename(columns={"document_id": "unit_id"}) for theta in thetas] if paragraph
                   else models_topics(saved, unit_bows, unit_ids, seed=seed, n_jobs=n_jobs))
    for (name, kind, model_seed, m, _), theta, at_units in zip(alternatives, thetas, unit_thetas):
        add(name, kind, model_seed, m, theta[topic_columns(theta)].to_numpy(), docs.lengths[doc_pos], at_units)
    return {"topic_network_nodes": pd.concat(nodes, ignore_index=True),
            "topic_network_pairs": pd.concat(pairs, ignore_index=True),
            "topic_refit_units": pd.concat(units, ignore_index=True)}


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


def _top_units_text(paths: RunPaths, doc_topics: pd.DataFrame, n: int) -> pd.DataFrame:
    """The text of the units that may represent a topic (the ``n`` heaviest of each), read alone from ``units``.

    A large corpus's text is never read whole for a few snippets.
    """
    from ..files import read_parquet

    wanted = set()
    for col in topic_columns(doc_topics):
        # at least the n heaviest; every unit tied with the n-th, so the caller's tie rule still decides
        cut = doc_topics[col].nlargest(n, keep="all")
        wanted.update(doc_topics.loc[cut.index, "unit_id"])
    if not wanted:
        return pd.DataFrame({"unit_id": [], "text": []})
    return read_parquet(paths.file("units"), columns=("unit_id", "text"), hint=f"run notebook {registry.STAGES['corpus']} first",
                        filters=[("unit_id", "in", sorted(wanted))])


def _user_labels(labels_file: Path | None, k: int) -> dict[int, str]:
    return load_labels(labels_file, k) if labels_file is not None and Path(labels_file).exists() else {}


def _junk_table(fit_theta: pd.DataFrame, docs: FitDocuments, topic_word, term_freq, labels) -> pd.DataFrame:
    junk = topic_specificity(fit_theta[topic_columns(fit_theta)].to_numpy(), docs.lengths[docs.lengths > 0],
                             topic_word, term_freq)
    junk.insert(1, "label", junk["topic"].map(dict(zip(labels["topic"], labels["label"]))))
    return junk


def _intrusion(terms, topic_word, dictionary, fit_theta, intrusion_dir, seed, run_name):
    tasks = intrusion_tasks(terms, topic_word, dictionary, fit_theta, seed=seed)
    answers, stale = read_imported(intrusion_dir, tasks) if intrusion_dir is not None else (None, 0)
    if answers is None or answers.empty:
        word, topic = score_intrusion(tasks, pd.DataFrame(columns=["coder", "item", "answer"]))
    else:
        word, topic = score_intrusion(tasks, answers)
    text = describe_intrusion(word, topic, n_stale=stale, command=INTRUSION_COMMAND.format(run=run_name))
    return tasks, word, topic, text


def _scaling(swept: _Sweep) -> dict[str, str]:
    """What every model was fitted on, as ``topic_params`` rows (its passes and iterations are the table's own)."""
    return {"model_documents": str(swept.n_documents), "sweep_on_sample": str(not swept.on_all).lower()}


def _used_params(params: TopicParams, docs: FitDocuments, k_note: str, scaling: dict[str, str]) -> pd.DataFrame:
    """``topic_params``: the parameters as fitted (zeros resolved), the document level and why, and the sweep's."""
    rows = {"document": docs.topic_unit.unit, "document_reason": docs.topic_unit.reason,
            "n_documents": str(docs.n_documents), "k_range_note": k_note, **scaling}
    extra = pd.DataFrame({"parameter": list(rows), "value": list(rows.values())})
    return pd.concat([params_table(params), extra], ignore_index=True)


def fit_topics(paths: RunPaths, *, params: TopicParams | Mapping | None = None, labels_file: Path | None = None,
               intrusion_dir: Path | None = None, seed: int = 0, explorer: bool = True) -> TopicResult:
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
    intrusion_dir : Path, optional
        Imported intrusion answers (:func:`~analysis.topics.intrusion.intrusion_path`); scored when present.
    seed : int
        random_state of every model; refit seeds are derived from it.
    explorer : bool
        Write the pyLDAvis explorer.

    Examples
    --------
    >>> result = fit_topics(run_paths("demo"), seed=20240619)  # doctest: +SKIP
    >>> result.n_topics, result.k_reason, result.topic_unit.unit  # doctest: +SKIP
    """
    params = _stage_params(params)
    paths.create()
    dictionary, corpus, ids = load_bow(paths)
    articles = _read_articles(paths)
    lengths = doc_lengths(corpus)
    with tempfile.TemporaryDirectory(dir=paths.file("lda_model").parent, prefix=".topics-") as tmp:
        docs = fit_documents(corpus, TokenStream(paths.file("tokens")), ids, lengths, params.topic_unit,
                             min(params.k_range()), Path(tmp))
        cut, k_note = _fit_params(params, docs)
        k, reason, sweep, swept = _choose_k(docs, dictionary, cut, seed, Path(tmp))
        reason = f"{reason} {k_note}".strip()
        fitted = swept.params
        model = load_model(sweep_model_path(Path(tmp), k))
        # gensim logs the time, the platform and the absolute path into a saved model; those belong in provenance.json
        model.lifecycle_events = model.state.lifecycle_events = None
        model.save(str(paths.file("lda_model")))
        # The refits and the inference of every unit need only the chosen model, so they run side by side: the
        # inference's processes take the cores the last refits leave idle. Each result is the same either way.
        with ThreadPoolExecutor(1) as beside:
            inferred = beside.submit(document_topics, model, corpus, ids, seed=seed,
                                     progress="inferring the topics of every unit", n_jobs=fitted.n_jobs,
                                     model_path=paths.file("lda_model"))
            refits = _refits(dictionary, swept, k, seed, Path(tmp))
            doc_topics = inferred.result()
        stability = assess_stability(docs.corpus, dictionary, model, params=fitted, seed=seed,
                                     refits=[(s, m) for s, m, _ in refits])
        alternatives = _alternatives(refits, Path(tmp), k, seed)
        paragraph = docs.topic_unit.unit == "paragraph"
        fit_theta = (doc_topics.rename(columns={"unit_id": "document_id"}) if paragraph
                     else document_topics(model, docs.corpus, docs.ids, seed=seed, n_jobs=fitted.n_jobs,
                                          model_path=paths.file("lda_model")))
        nonempty = np.flatnonzero(lengths > 0)
        unit_pos = nonempty[sample_positions(len(nonempty), REFIT_SAMPLE, seed)]
        unit_sample = _subset(corpus, ids, unit_pos)
        unit_theta = doc_topics.iloc[sample_positions(len(nonempty), REFIT_SAMPLE, seed)].reset_index(drop=True)
        term_freq = term_frequencies(corpus, len(dictionary))
        network = _network_tables(model, docs, fit_theta, unit_sample, unit_theta, alternatives, term_freq, seed,
                                  paragraph, fitted.n_jobs)
    registry.write(paths, "doc_topics", doc_topics)
    for key, table in network.items():
        registry.write(paths, key, table)
    topic_word = model.get_topics()
    unit_lengths = pd.Series(lengths[lengths > 0])

    terms = topic_terms(topic_word, term_freq, dictionary, top_n=params.top_n,
                        relevance_lambda=params.relevance_lambda)
    labels = label_topics(terms, k, _user_labels(labels_file, k))
    explorer_path = None
    if explorer:
        explorer_path = write_explorer(topic_word, fit_theta, docs.lengths[docs.lengths > 0], term_freq, dictionary,
                                       paths.file("explorer").parent, relevance_lambda=params.relevance_lambda,
                                       labels=labels)
    tasks, word, topic, intrusion_text = _intrusion(terms, topic_word, dictionary, fit_theta, intrusion_dir, seed,
                                                    paths.name)
    registry.write(paths, "intrusion_choices", tasks)
    result = TopicResult(
        n_topics=k, k_reason=reason, sweep=sweep, stability=stability,
        junk=_junk_table(fit_theta, docs, topic_word, term_freq, labels), terms=terms, labels=labels,
        doc_topics=doc_topics,
        **_prevalence_tables(doc_topics, unit_lengths, articles),
        representative=representative_units(doc_topics, _top_units_text(paths, doc_topics, params.n_representative),
                                            articles, n=params.n_representative),
        word_intrusion=word.merge(labels[["topic", "label"]], on="topic", how="left")[
            ["topic", "label", "n_coders", "n_correct", "model_precision"]],
        topic_intrusion=topic, n_units=len(ids), n_empty_units=len(ids) - int((lengths > 0).sum()),
        model_path=paths.file("lda_model"), explorer_path=explorer_path, topic_unit=docs.topic_unit,
        n_documents=docs.n_documents, intrusion_text=intrusion_text, params=fitted, scaling=_scaling(swept),
    )
    result.tables = write_topic_tables(result, paths)
    # units × topics rows: written in parts, never built whole
    result.tables["doc_topics_units"] = registry.write_parts(paths, "doc_topics_units",
                                                             tidy_parts(doc_topics, ["unit_id", "article_id"]))
    used = _used_params(fitted, docs, k_note, result.scaling)
    registry.write(paths, "topic_params", used)
    return result
