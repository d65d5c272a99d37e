"""The registry of a run's files: every artefact's name, format, columns, writer stage and publication.

A run folder (``runs/<name>/``) holds what the stages write. This module is
the only place that spells those file names. Each :class:`Artifact` says

* its key (what code calls it) and its file, relative to the run folder;
* its format, and for tables the columns and their types;
* the stage that writes it, and whether it is published on the site.

Rules it keeps:

* **Stages read each other's tables from internal Parquet**, through
  :func:`read`. Every table is written by :func:`write` as typed Parquet
  under ``data/``; a published table is also written as CSV under
  ``tables/`` for readers to download. The CSV is an output only: no code
  reads it back, so a boolean stays a boolean and a string id a string.
* **A table's columns are its contract.** :func:`write` refuses a frame whose
  columns or types differ from the declaration, so a drift is caught where it
  is made, not three stages later.
* **Publication is an allow-list.** Only artefacts marked ``published`` go
  into the site's downloads and the run's zip; a new internal file stays
  private (article text is copyrighted) until someone decides otherwise.

``docs/architecture.md`` shows this registry as a picture of stages and
artefacts; a test regenerates the table there and fails when it drifts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from .errors import AnalysisError
from .paths import check_run_name, runs_root

# The stages in run order and the notebooks that run them.
STAGES = {
    "corpus": "01-build-corpus",
    "text": "02-fit-topics",
    "topics": "02-fit-topics",
    "frames": "03-analyse-frames",
    "actors": "04-actors-and-sources",
    "validation": "05-validate",
    "runner": "the runner (python -m analysis run)",
    "report": "the report pages",
}

# Column types: what pandas holds and what Parquet stores.
TYPES = ("str", "int", "float", "bool", "list")


@dataclass(frozen=True)
class Artifact:
    """One file (or folder) of a run.

    ``file`` is where the artefact lives (for a table, its internal Parquet);
    ``csv`` is a published table's download; ``columns`` pairs each column
    with one of :data:`TYPES`; ``extra`` is ``(regex, type)`` for columns
    whose names depend on the run (``topic_0`` …, the codebook's items).
    """

    key: str
    stage: str
    format: str
    file: str
    published: bool
    description: str
    columns: tuple[tuple[str, str], ...] = ()
    extra: tuple[str, str] | None = None
    csv: str | None = None
    read_by: tuple[str, ...] = ()

    @property
    def is_table(self) -> bool:
        return self.format == "table"

    def files(self) -> tuple[str, ...]:
        """Every path (relative to the run folder) this artefact occupies."""
        return tuple(f for f in (self.file, self.csv) if f)


def _cols(spec: str) -> tuple[tuple[str, str], ...]:
    """``"unit_id:str article_id:str n:int"`` → ``(("unit_id", "str"), …)``."""
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        assert kind in TYPES, (name, kind)
        out.append((name, kind))
    return tuple(out)


def _table(key, stage, spec, description, *, published=True, csv_name=None, extra=None, read_by=()):
    return Artifact(key, stage, "table", f"data/{key}.parquet", published, description, _cols(spec), extra,
                    f"tables/{csv_name or key}.csv" if published else None, tuple(read_by))


def _file(key, stage, fmt, file, description, *, published=False, read_by=()):
    return Artifact(key, stage, fmt, file, published, description, read_by=tuple(read_by))


def _figure(name, stage, description):
    # Figures have a namespace of their own (a table and its figure share a name).
    return Artifact(f"fig_{name}", stage, "figure", f"figures/{name}.png", True, description)


_PREVALENCE = "group:str frame:str n_units:int prevalence:float lo:float hi:float"

ARTIFACTS: tuple[Artifact, ...] = (
    # corpus ------------------------------------------------------------------------------------
    _table("articles", "corpus",
           "article_id:str source:str sha256:str encoding:str title:str outlet:str place:str date:str "
           "date_precision:str url:str accessed:str language:str wire_source:str translated_from:str credits:str n_words:int "
           "n_units:int n_removals:int duplicate_of:str text:str",
           "One row per article: metadata, wire and translation credits, and cleaned full text (internal: copyrighted "
           "text).",
           published=False, read_by=("text", "topics", "frames", "actors", "validation", "report")),
    _table("units", "corpus", "unit_id:str article_id:str position:int unit_type:str start:int end:int text:str",
           "One row per analysis unit (headline, lead, subheading, body or list item), with character offsets into "
           "the article's cleaned text (internal).",
           published=False, read_by=("text", "topics", "frames", "actors", "validation")),
    _table("cleaning_log", "corpus", "article_id:str rule:str category:str block:int line_no:int text:str",
           "Every line the cleaning rules removed, with the rule (internal: holds removed text).",
           published=False, read_by=("corpus",)),
    _file("corpus_manifest", "corpus", "json", "data/corpus_manifest.json",
          "Raw files, encodings, languages, skips and duplicates of the corpus stage.", published=True,
          read_by=("report",)),
    _table("articles_overview", "corpus",
           "article_id:str outlet:str place:str date:str date_precision:str title:str language:str encoding:str "
           "wire_source:str translated_from:str n_words:int n_units:int n_removals:int duplicate_of:str snippet:str",
           "Articles with metadata, counts and a short snippet.", csv_name="articles", read_by=("report",)),
    _table("cleaning_summary", "corpus", "rule:str category:str blocks:int lines:int articles:int",
           "Removals per cleaning rule.", read_by=("report",)),
    _figure("units_per_article", "corpus", "Units per article after cleaning."),
    # text --------------------------------------------------------------------------------------
    _table("tokens", "text", "unit_id:str article_id:str tokens:list",
           "Each unit's tokens after every preprocessing step (internal).", published=False, read_by=("topics",)),
    _file("dictionary", "text", "gensim", "data/dictionary.gensim", "gensim Dictionary after the vocabulary filters.",
          published=True, read_by=("topics",)),
    _file("bow", "text", "mm", "data/bow.mm", "Bag of words, Matrix Market (with its .index).", read_by=("topics",)),
    _table("text_params", "text", "parameter:str value:str", "Preprocessing parameters as resolved for this run.",
           read_by=("report",)),
    _table("text_steps", "text", "step:str n_tokens:int vocab_size:int", "Tokens and vocabulary after each step.",
           read_by=("report",)),
    _table("text_top_terms", "text", "term:str count:int doc_freq:int", "Most frequent terms after preprocessing."),
    _table("alias_hits", "text", "surface:str canonical:str kind:str count:int", "Aliases mapped to canonical actors.",
           read_by=("report",)),
    # topics ------------------------------------------------------------------------------------
    _file("lda_model", "topics", "gensim", "data/lda.model", "The chosen LdaModel (with its sidecar files)."),
    _table("doc_topics", "topics", "unit_id:str article_id:str",
           "Document-topic matrix: one row per unit, one column per topic.", extra=(r"topic_\d+", "float"),
           published=False, read_by=("frames",)),
    _table("topic_params", "topics", "parameter:str value:str", "Topic-model parameters as resolved for this run.",
           read_by=("report",)),
    _table("topic_terms", "topics", "topic:int rank:int term:str probability:float relevance:float lift:float",
           "Top terms per topic by relevance.", read_by=("frames",)),
    _table("k_sweep", "topics", "k:int c_v:float c_npmi:float u_mass:float diversity:float score:float "
           "eligible:bool chosen:bool", "Coherence and diversity per K of the sweep.", read_by=("report",)),
    _table("topic_stability", "topics", "topic:int stability:float min_cosine:float jaccard:float n_refits:int "
           "unstable:bool", "Stability of each topic across refits with other seeds.", read_by=("report",)),
    _table("topic_labels", "topics", "topic:int label:str top_terms:str source:str", "Topic labels and top terms.",
           read_by=("frames", "report")),
    _table("topic_junk", "topics", "topic:int label:str doc_divergence:float word_divergence:float junk:bool "
           "reason:str", "Junk topics: spread evenly over the documents, or as common as the corpus words.",
           read_by=("report",)),
    _table("topic_network_nodes", "topics", "model:str kind:str k:int seed:int topic:int prevalence:float "
           "doc_divergence:float word_divergence:float junk:bool",
           "Topics of the chosen model, its refits and neighbouring K: prevalence and junk flags (internal).",
           published=False, read_by=("frames",)),
    _table("topic_network_pairs", "topics", "model:str source:int target:int weight:float",
           "Cosine of every two topics' document-topic columns, per model (internal).", published=False,
           read_by=("frames",)),
    _table("topic_refit_units", "topics", "model:str unit_id:str topic:int weight:float",
           "Unit-topic weights of each model on a random sample of units, fixed seed (internal).", published=False,
           read_by=("frames",)),
    _table("intrusion_choices", "topics", "task:str item:str topic:int document_id:str choice:int word:str "
           "weight:float intruder:bool", "Word- and topic-intrusion tasks with their key (internal: the answers).",
           published=False),
    _file("intrusion_sheets", "topics", "folder", "data/intrusion_sheets",
          "One XLSX and one CSV intrusion sheet per coder (internal; python -m analysis intrusion-sheet)."),
    _table("word_intrusion", "topics", "topic:int label:str n_coders:int n_correct:int model_precision:float",
           "Word intrusion answered by people: model precision per topic (empty until someone answers).",
           read_by=("report",)),
    _table("topic_intrusion", "topics", "document_id:str n_coders:int n_correct:int log_odds:float",
           "Topic intrusion answered by people: topic log odds per document (empty until someone answers).",
           read_by=("report",)),
    _table("topic_prevalence", "topics", "topic:int prevalence:float n_units:int", "Share of words per topic."),
    _table("doc_topics_units", "topics", "unit_id:str article_id:str topic:int weight:float",
           "Document-topic weights per unit, tidy.", read_by=("report",)),
    _table("doc_topics_articles", "topics", "article_id:str topic:int weight:float n_units:int",
           "Document-topic weights per article, tidy."),
    _table("topic_prevalence_outlet", "topics", "outlet:str topic:int prevalence:float n_units:int",
           "Topic shares per outlet."),
    _table("topic_prevalence_date", "topics", "date:str date_precision:str topic:int prevalence:float n_units:int",
           "Topic shares per publication date."),
    _table("representative_units", "topics", "topic:int rank:int unit_id:str article_id:str outlet:str weight:float "
           "snippet:str", "Representative units per topic (snippets)."),
    _file("explorer", "topics", "html", "explorer/ldavis.html", "The offline pyLDAvis topic explorer (with its assets).",
          published=True),
    _figure("k_sweep", "topics", "Coherence and diversity against K."),
    _figure("top_terms", "topics", "Top terms per topic."),
    _figure("topic_stability", "topics", "Topic stability."),
    _figure("topic_prevalence", "topics", "Topic prevalence."),
    _figure("topic_prevalence_outlet", "topics", "Topic shares per outlet."),
    # frames ------------------------------------------------------------------------------------
    _table("codebook", "frames", "frame:str frame_name:str kind:str source:str question:str text:str indicators:str",
           "The codebook as used: frames, questions and indicators.", read_by=("actors", "report", "validation")),
    _table("frame_codes_units", "frames", "unit_id:str article_id:str frame:str question:str present:int evidence:str",
           "The yes codes: every question a unit answered yes, with the indicators that fired (sparse: a unit and "
           "question without a row is a no; every unit of the corpus stage was coded).", read_by=("validation",)),
    _table("frames_units", "frames", "unit_id:str article_id:str frame:str score:float present:int evidence:str",
           "Frame score and presence per unit, for the units and frames with a score above 0 (sparse: a unit and "
           "frame without a row has score 0 and no frame).", read_by=("actors", "validation")),
    _table("frames_articles", "frames", "article_id:str frame:str n_units:int n_units_coded:int score:float present:int",
           "Frame presence per article (roll-up rule in the codebook).", read_by=("report",)),
    _table("frame_evidence", "frames", "unit_id:str frame:str question:str evidence:str snippet:str",
           "Every yes code with its indicators and a snippet."),
    _table("frame_prevalence", "frames", _PREVALENCE, "Share of units with each frame, bootstrap interval.",
           read_by=("report",)),
    _table("frame_prevalence_outlet", "frames", _PREVALENCE, "Frame prevalence by outlet.", read_by=("report",)),
    _table("frame_prevalence_date", "frames", _PREVALENCE, "Frame prevalence by publication date.",
           read_by=("report",)),
    _table("frame_prevalence_unit_type", "frames", _PREVALENCE,
           "Frame prevalence by unit type (headline, lead, subheading, body, list item) and for headline and lead "
           "together, bootstrap interval over articles.", read_by=("report",)),
    _table("inductive_frames", "frames", "frame:int topics:str n_topics:int prevalence:float top_terms:str "
           "topic_labels:str", "Inductive frames: communities of the topic network.", read_by=("report",)),
    _table("inductive_topics", "frames", "topic:int label:str junk:bool prevalence:float louvain:int leiden:int "
           "frame:int", "Each topic's community by Louvain and by Leiden, and its frame (0: left out as junk).",
           read_by=("report",)),
    _table("inductive_stability", "frames", "model:str kind:str k:int seed:int n_units:int n_frames:int ari:float",
           "Agreement (adjusted Rand index) of the inductive frames with those of refits, neighbouring K and the "
           "other community algorithm.", read_by=("report",)),
    _table("inductive_prevalence_outlet", "frames", "group:str frame:int n_units:int prevalence:float lo:float hi:float",
           "Inductive frame shares by outlet."),
    _table("inductive_prevalence_article", "frames", "group:str frame:int n_units:int prevalence:float",
           "Inductive frame shares by article."),
    _table("frame_comparison", "frames", "deductive:str inductive:int rho:float n_units:int",
           "Spearman ρ between deductive scores and inductive shares.", read_by=("report",)),
    _file("topic_network", "frames", "graphml", "tables/topic_network.graphml", "The topic network (Gephi).",
          published=True),
    _figure("frame_prevalence", "frames", "Frame prevalence."),
    _figure("frame_prevalence_outlet", "frames", "Frame prevalence by outlet."),
    _figure("topic_network", "frames", "The topic network."),
    _figure("inductive_stability", "frames", "Agreement of the inductive frames across refits, neighbouring K and algorithms."),
    # actors ------------------------------------------------------------------------------------
    _table("statements", "actors",
           "statement_id:str article_id:str unit_id:str speaker:str speaker_start:int speaker_end:int cue:str "
           "kind:str quote_start:int quote_end:int source_type:str origin:str type_rule:str canonical:str "
           "identity:str role:str origin_rule:str via:str surface:str snippet:str",
           "Every attributed statement: speaker (resolved) and its span in the unit (-1 when absent), cue, kind "
           "(direct, indirect, continuation), the content's offsets in the unit, type and origin with the rules "
           "that decided, the outlet it came through.", read_by=("report",)),
    _table("sources", "actors", "canonical:str source:str source_type:str origin:str identity:str type_rule:str "
           "origin_rule:str n_statements:int n_direct:int n_units:int n_articles:int via:str",
           "One row per source (an unnamed one per article), with how often it speaks."),
    _table("source_types", "actors", "source_type:str label:str n_sources:int n_statements:int n_units:int "
           "n_articles:int", "Sources and statements per type, unknown included.", read_by=("report",)),
    _table("source_origins", "actors", "origin:str label:str n_sources:int n_statements:int n_units:int "
           "n_articles:int", "Sources and statements per origin (country or bloc), unknown included.",
           read_by=("report",)),
    _table("voice_frames", "actors", "span_id:str article_id:str unit_id:str statement_id:str voice:str "
           "n_words:int frame:str present:int evidence:str",
           "Frame codes of every voice span: the quoted and reported words of each statement and the "
           "journalist's words of each unit."),
    _table("quote_frames", "actors", "voice:str frame:str n_spans:int n_articles:int n_sources:int n_short:int "
           "n_present:int share:float lo:float hi:float", "Share of quoted, attributed (quoted + reported) and "
           "journalist spans with each frame (article-bootstrap interval; n_short spans left out as too short).",
           read_by=("report",)),
    _table("source_frames", "actors", "source_type:str source:str canonical:str voice:str frame:str "
           "n_statements:int n_with_frame:int share:float",
           "Frames in each source's own quoted (or reported) words, never the paragraph around them.",
           read_by=("report",)),
    _table("story_origins", "actors", "article_id:str outlet:str wire_source:str translated_from:str credits:str "
           "story:str", "Each article's wire and translation credits and its group (wire, own, unknown).",
           read_by=("report",)),
    _table("wire_frames", "actors", "story:str frame:str n_articles:int n_units:int n_present:int share:float "
           "lo:float hi:float", "Frame shares of wire-based stories against the outlets' own reporting.",
           read_by=("report",)),
    _table("attribution_scores", "actors", "item:str n_gold:int n_machine:int n_matched:int tp:int "
           "precision:float precision_lo:float precision_hi:float recall:float recall_lo:float recall_hi:float "
           "agreement:float", "Precision and recall of speaker extraction, and of type, origin and kind with it, "
           "against the speaker coding (article-bootstrap intervals).", read_by=("report",)),
    _table("attribution_mismatches", "actors", "article_id:str unit_id:str problem:str coded_speaker:str "
           "machine_speaker:str coded:str machine:str", "Statements where the machine and the speaker coding differ."),
    _table("attribution_summary", "actors", "status:str coding_set:str produced_by:str n_gold:int n_machine:int "
           "n_articles:int precision:float recall:float type_precision:float type_recall:float holds:bool",
           "One-row summary of the attribution check for the report pages (who coded, P/R, whether it holds).",
           read_by=("report",)),
    _table("actor_mentions", "actors", "unit_id:str article_id:str actor:str label:str kind:str surface:str start:int",
           "Every mention of a known actor."),
    _file("actor_network", "actors", "graphml", "tables/actor_network.graphml", "The actor co-mention network (Gephi).",
          published=True),
    _figure("source_types", "actors", "Who speaks: statements by source type and origin."),
    _figure("source_frames", "actors", "Frames in each source type's quoted words."),
    _figure("quote_frames", "actors", "Frames inside quotes against the journalist's words."),
    _figure("actor_network", "actors", "The actor co-mention network."),
    # validation --------------------------------------------------------------------------------
    _file("coding_sheets", "validation", "folder", "data/coding_sheets",
          "One XLSX and one CSV coding sheet per coder, with full unit text, and the coder guide (internal)."),
    _file("coder_guide", "validation", "txt", "tables/coder_guide.txt",
          "The coder guide generated from the codebook: definitions, questions, inclusion and exclusion rules.",
          published=True),
    _file("embeddings", "validation", "npz", "data/embeddings.npz",
          "Multilingual sentence embeddings per unit text (cache of the supervised coders' features)."),
    _table("coding_sample", "validation", "unit_id:str article_id:str stratum:str overlap:bool coders:str sheet_id:str",
           "The coding sample: units drawn for coders (stratum, overlap coded by all, who codes it)."),
    _table("coder_codes", "validation", "coder:str unit_id:str item:str value:int",
           "The coding set's codes, one row per coder, unit and item (who coded: see the coding set's README)."),
    _table("gold_codes", "validation", "unit_id:str item:str value:int source:str",
           "The adjudicated codes (or the coders' majority) that machine coders are scored against."),
    _table("gold_unit_type", "validation", "frame:str group:str n_units:int share:float",
           "The coding set's share of each frame in headline + lead units and in body units.", read_by=("report",)),
    _table("reliability", "validation", "item:str kind:str frame:str n_coders:int n_units:int alpha:float "
           "alpha_lo:float alpha_hi:float percent_agreement:float verdict:str",
           "Intercoder reliability per frame and question: α with an article-bootstrap 95% interval."),
    _table("coder_scores", "validation",
           "frame:str method:str n:int tp:int fp:int fn:int tn:int precision:float precision_lo:float "
           "precision_hi:float recall:float recall_lo:float recall_hi:float f1:float f1_lo:float f1_hi:float "
           "alpha:float alpha_lo:float alpha_hi:float verdict:str",
           "Each machine coder against the gold codes, out of fold, per frame, with article-bootstrap intervals."),
    _table("learning_curve", "validation", "method:str frame:str n_train:float share:float f1:float alpha:float",
           "Out-of-fold F1 and α against the number of coded units a supervised coder was trained on."),
    _table("frame_methods", "validation", "frame:str method:str alpha:float alpha_lo:float alpha_hi:float "
           "validated:bool in_sample:bool reason:str coder_alpha:float", "The coder each frame's final code comes from, its "
           "α against the adjudicated codes, the α between coders (coder_alpha), and whether the frame is validated "
           "(both α ≥ .667).", read_by=("report",)),
    _table("frame_codes_final", "validation", "unit_id:str article_id:str frame:str code:int method:str "
           "out_of_fold:bool", "The final machine codes, sparse: every unit and frame coded 1, and every unit of the "
           "coded sample (its out-of-fold code); a unit and frame without a row is 0."),
    _table("prevalence_corrected", "validation",
           "by:str group:str frame:str method:str n_units:int n_articles:int n_coded:int raw:float raw_lo:float raw_hi:float "
           "sensitivity:float specificity:float corrected:float lo:float hi:float",
           "Frame prevalence: coded units count their adjudicated code, uncoded ones are corrected for the coder's "
           "error rates (Rogan–Gladen), with a joint article bootstrap; "
           "overall, by outlet, by date and per article.", read_by=("report",)),
    _table("validity", "validation", "item:str kind:str frame:str n_units:int n_ties:int tp:int fp:int fn:int tn:int "
           "precision:float recall:float f1:float alpha:float", "Machine codes against the coders' majority."),
    _table("confusion", "validation", "item:str coders:int machine:int n:int", "Confusion table per item: the coders' majority code against the indicators'."),
    _table("disagreements", "validation", "unit_id:str item:str machine:int coders:int evidence:str snippet:str",
           "Units where machine and coders differ."),
    _table("validation_summary", "validation",
           "status:str coding_set:str n_coders:int n_units:int produced_by:str n_frames:int n_frames_alpha:int "
           "mean_alpha_frames:float min_alpha_frames:float mean_percent_agreement_frames:float macro_f1_frames:float "
           "mean_alpha_machine_frames:float gold_source:str n_gold_units:int n_frames_validated:int "
           "n_rows_dropped:int embeddings:bool", "One-row summary of the validation for the report pages.",
           read_by=("report",)),
    _figure("validation_reliability", "validation", "Intercoder reliability."),
    _figure("validation_validity", "validation", "Validity of the indicator codes against the coders' majority."),
    _figure("coder_scores", "validation", "Out-of-fold α of every machine coder per frame, with intervals."),
    _figure("learning_curve", "validation", "F1 against the number of coded units."),
    _figure("prevalence_corrected", "validation", "Corrected and raw frame prevalence."),
    # runner ------------------------------------------------------------------------------------
    _file("params", "runner", "yaml", "params.yaml", "The run's parameters; --params repeats the run.",
          published=True, read_by=("report",)),
    _file("provenance", "runner", "json", "provenance.json",
          "Corpus hashes, parameters, package versions, git commit, times.", published=True, read_by=("report",)),
    _file("run_log", "runner", "txt", "run.log",
          "What the run reported as it went: each notebook's start and time, and the long stages' progress."),
    _file("run_zip", "report", "zip", "downloads/{run}.zip", "Every published file of the run, zipped.",
          published=True),
    _file("notebooks_zip", "runner", "zip", "downloads/{run}-notebooks.zip", "The executed notebooks, zipped.",
          published=True),
)

BY_KEY: dict[str, Artifact] = {a.key: a for a in ARTIFACTS}
assert len(BY_KEY) == len(ARTIFACTS), "duplicate artefact key"

# Folders of a run. Figures are published as PNG and SVG; the explorer's assets sit beside it.
FOLDERS = ("data", "tables", "figures", "explorer", "downloads")


def artifact(key: str) -> Artifact:
    """Return the artefact registered as ``key``.

    >>> artifact("units").file
    'data/units.parquet'
    """
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"no run file is registered as {key!r} (analysis/registry.py)") from None


@dataclass(frozen=True)
class RunPaths:
    """One run folder and the files the registry places in it.

    ``paths.file("units")`` is where an artefact lives, ``paths.csv("k_sweep")``
    a published table's download.
    """

    root: Path

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def tables(self) -> Path:
        return self.root / "tables"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def explorer(self) -> Path:
        return self.root / "explorer"

    @property
    def downloads(self) -> Path:
        return self.root / "downloads"

    def file(self, key: str) -> Path:
        """The path of artefact ``key`` in this run."""
        return self.root / artifact(key).file.format(run=self.name)

    def csv(self, key: str) -> Path:
        """The published CSV of table ``key``."""
        a = artifact(key)
        if not a.csv:
            raise KeyError(f"table {key!r} is not published as CSV")
        return self.root / a.csv

    @property
    def units(self) -> Path:
        return self.file("units")

    @property
    def articles(self) -> Path:
        return self.file("articles")

    @property
    def params(self) -> Path:
        return self.file("params")

    @property
    def provenance(self) -> Path:
        return self.file("provenance")

    def notebook(self, name: str) -> Path:
        """The executed notebook ``name`` (a stage or page name) of this run."""
        return self.root / f"{name}.ipynb"

    def create(self) -> "RunPaths":
        """Create the run's folders and return self."""
        for folder in FOLDERS:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        return self


def run_paths(run_name: str) -> RunPaths:
    """Return the (created) folders of run ``run_name`` under :func:`analysis.paths.runs_root`.

    Examples
    --------
    >>> import os, tempfile; os.environ["ANALYSIS_RUNS_ROOT"] = tempfile.mkdtemp()
    >>> run_paths("demo").tables.is_dir()
    True
    >>> del os.environ["ANALYSIS_RUNS_ROOT"]
    """
    return RunPaths(runs_root() / check_run_name(run_name)).create()


# -- tables -----------------------------------------------------------------------------------

def arrow_schema(key: str, extra_columns: Iterable[str] = ()):
    """Return the pyarrow schema of table ``key`` (streaming writers use it).

    >>> arrow_schema("units").names[:2]
    ['unit_id', 'article_id']
    """
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
             "list": pa.list_(pa.string())}
    a = artifact(key)
    fields = [pa.field(name, types[kind]) for name, kind in a.columns]
    if a.extra:
        fields += [pa.field(name, types[a.extra[1]]) for name in extra_columns]
    return pa.schema(fields)


def _extra_columns(a: Artifact, columns: list[str]) -> list[str]:
    declared = [c for c, _ in a.columns]
    rest = [c for c in columns if c not in declared]
    if a.extra:
        pattern = re.compile(a.extra[0])
        return [c for c in rest if pattern.fullmatch(c)]
    return []


def check_columns(key: str, df: pd.DataFrame) -> list[str]:
    """Check ``df`` against table ``key``'s declared columns; return its run-specific columns.

    A missing, unexpected or misplaced column is a programming error, not a
    user's: it raises ``ValueError`` naming the table.
    """
    a = artifact(key)
    declared = [c for c, _ in a.columns]
    columns = [str(c) for c in df.columns]
    extra = _extra_columns(a, columns)
    expected = declared + extra
    if columns != expected:
        missing = [c for c in declared if c not in columns]
        unexpected = [c for c in columns if c not in expected]
        raise ValueError(f"table {key!r} does not match the registry: missing {missing}, unexpected {unexpected}, "
                         f"order {columns} (declared {declared})")
    return extra


def empty(key: str) -> pd.DataFrame:
    """An empty table ``key`` with its declared columns and types (a stage that found nothing writes this).

    >>> empty("confusion").columns.tolist()
    ['item', 'coders', 'machine', 'n']
    """
    return arrow_schema(key).empty_table().to_pandas()


def write(paths: RunPaths, key: str, df: pd.DataFrame) -> Path:
    """Write table ``key``: typed Parquet under ``data/``, and its CSV download when published.

    Returns the CSV path of a published table, else the Parquet path.

    Examples
    --------
    >>> import tempfile
    >>> run = RunPaths(Path(tempfile.mkdtemp()))
    >>> write(run, "text_steps", pd.DataFrame({"step": ["raw"], "n_tokens": [3], "vocab_size": [2]})).name
    'text_steps.csv'
    >>> read(run, "text_steps")["n_tokens"].tolist()
    [3]
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .outputs import FLOAT_FORMAT

    a = artifact(key)
    if not a.is_table:
        raise KeyError(f"{key!r} is a {a.format} file, not a table")
    extra = check_columns(key, df)
    schema = arrow_schema(key, extra)
    try:
        table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(f"table {key!r}: a column does not have its registered type ({exc})") from None
    path = paths.file(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)
    if a.csv:
        csv = paths.csv(key)
        csv.parent.mkdir(parents=True, exist_ok=True)
        tmp = csv.with_name(csv.name + ".tmp")
        df.to_csv(tmp, index=False, float_format=FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")
        tmp.replace(csv)
        return csv
    return path


# Rows per Parquet row group of a table written in pieces by :class:`TableWriter`: what it
# buffers, and what a reader streams by. A table up to this size has the bytes :func:`write` gives it.
ROW_GROUP = 128 * 1024


class TableWriter:
    """Write table ``key`` piece by piece (a stage that streams), in row groups of :data:`ROW_GROUP` rows.

    Pieces are buffered into row groups of a fixed size, so the file does not
    depend on how the rows were cut (and a table of one row group has the
    bytes of :func:`write`); the CSV download is appended.
    Use as a context manager; :attr:`path` is what :func:`write` returns.

    Examples
    --------
    >>> import tempfile
    >>> run = RunPaths(Path(tempfile.mkdtemp()))
    >>> with TableWriter(run, "text_steps") as w:
    ...     w.write(pd.DataFrame({"step": ["raw"], "n_tokens": [3], "vocab_size": [2]}))
    ...     w.write(pd.DataFrame({"step": ["clean"], "n_tokens": [2], "vocab_size": [1]}))
    >>> read(run, "text_steps")["n_tokens"].tolist(), w.n_rows
    ([3, 2], 2)
    """

    def __init__(self, paths: RunPaths, key: str):
        a = artifact(key)
        if not a.is_table:
            raise KeyError(f"{key!r} is a {a.format} file, not a table")
        self.paths, self.key, self.artifact, self.n_rows = paths, key, a, 0
        self.path = paths.csv(key) if a.csv else paths.file(key)
        self._writer = self._schema = self._first = None
        self._buffer: list = []
        self._buffered = 0

    def write(self, df: pd.DataFrame) -> None:
        """Add the rows of ``df`` (the table's columns)."""
        import pyarrow as pa

        from .outputs import FLOAT_FORMAT

        if not len(df):
            return
        extra = check_columns(self.key, df)
        try:
            table = pa.Table.from_pandas(df, schema=arrow_schema(self.key, extra), preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise ValueError(f"table {self.key!r}: a column does not have its registered type ({exc})") from None
        if self._schema is None:
            self._schema, self._first = table.schema, df.iloc[:0]
        self._buffer.append(table.replace_schema_metadata(self._schema.metadata))
        self._buffered += len(table)
        self.n_rows += len(table)
        self._flush(ROW_GROUP)
        if self.artifact.csv:
            csv = self.paths.csv(self.key)
            csv.parent.mkdir(parents=True, exist_ok=True)
            df.to_csv(csv.with_name(csv.name + ".tmp"), index=False, float_format=FLOAT_FORMAT, lineterminator="\n",
                      encoding="utf-8", mode="a" if self.n_rows > len(df) else "w", header=self.n_rows == len(df))

    def _flush(self, at_least: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        while self._buffer and self._buffered >= at_least:
            table = pa.concat_tables(self._buffer)
            if self._writer is None:
                path = self.paths.file(self.key)
                path.parent.mkdir(parents=True, exist_ok=True)
                self._writer = pq.ParquetWriter(path.with_name(path.name + ".tmp"), self._schema)
            self._writer.write_table(table.slice(0, ROW_GROUP))
            rest = table.slice(ROW_GROUP)
            self._buffer, self._buffered = ([rest] if len(rest) else []), len(rest)

    def close(self) -> Path:
        """Finish the files (an empty table when nothing was written); return the CSV or Parquet path."""
        if self._schema is None:
            return write(self.paths, self.key, empty(self.key))
        self._flush(1)
        self._writer.close()
        path = self.paths.file(self.key)
        path.with_name(path.name + ".tmp").replace(path)
        if self.artifact.csv:
            csv = self.paths.csv(self.key)
            csv.with_name(csv.name + ".tmp").replace(csv)
        return self.path

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.close()
            return
        # A failed stage leaves the earlier run's files as they were, and no partial file beside them.
        if self._writer is not None:
            self._writer.close()
        for path in (self.paths.file(self.key), self.paths.csv(self.key) if self.artifact.csv else None):
            if path is not None:
                path.with_name(path.name + ".tmp").unlink(missing_ok=True)


def write_parts(paths: RunPaths, key: str, parts: Iterable[pd.DataFrame]) -> Path:
    """Write table ``key`` from consecutive parts through a :class:`TableWriter`, never all in memory.

    The same rows as :func:`write` of the parts concatenated (a table of one
    row group has the same bytes); an empty iterable writes the empty table.
    Returns what :func:`write` returns.

    >>> import tempfile
    >>> run = RunPaths(Path(tempfile.mkdtemp()))
    >>> parts = (pd.DataFrame({"step": [s], "n_tokens": [n], "vocab_size": [1]}) for s, n in (("a", 1), ("b", 2)))
    >>> write_parts(run, "text_steps", parts).name, read(run, "text_steps")["n_tokens"].tolist()
    ('text_steps.csv', [1, 2])
    """
    with TableWriter(paths, key) as writer:
        for df in parts:
            writer.write(df)
    return writer.path


def read(paths: RunPaths, key: str, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Read table ``key`` of a run from its internal Parquet.

    A missing file says which notebook writes it; a corrupt one says so; both
    as one line naming the file.
    """
    from .files import read_parquet

    a = artifact(key)
    if not a.is_table:
        raise KeyError(f"{key!r} is a {a.format} file, not a table")
    return read_parquet(paths.file(key), columns=tuple(columns or ()),
                        hint=f"run notebook {STAGES[a.stage]} first")


def read_without(paths: RunPaths, key: str, *dropped: str) -> pd.DataFrame:
    """Read table ``key`` without the columns ``dropped`` (e.g. the articles' ``text``, when a stage needs only
    their metadata: at 100,000 articles the text is most of the table).

    The other columns are those the file holds (its Parquet schema), so a run of an older stage reads too.
    """
    import pyarrow.parquet as pq

    path = paths.file(key)
    try:
        names = pq.read_schema(path).names if path.is_file() else []
    except (OSError, ValueError):
        names = []  # read() below gives the registry's one-line error
    kept = [c for c in names if c not in dropped]
    return read(paths, key, kept or None)


def exists(paths: RunPaths, key: str) -> bool:
    """Whether artefact ``key`` has been written in this run."""
    return paths.file(key).exists()


def save_figure(paths: RunPaths, name: str, fig) -> Path:
    """Save the registered figure ``name`` as PNG and SVG under ``figures/`` and return the PNG path."""
    from .outputs import save_figure as _save

    png = paths.file(f"fig_{name}")
    return _save(fig, png.parent, png.stem)


def published_files(paths: RunPaths) -> list[Path]:
    """Every published file present in the run folder, sorted (for the Data page and the zip).

    Figures bring their SVG, the explorer its assets, graphs and tables their files.
    """
    found: set[Path] = set()
    for a in ARTIFACTS:
        if not a.published or a.format == "zip":
            continue
        for rel in (a.csv,) if a.is_table else (a.file,):
            p = paths.root / rel.format(run=paths.name)
            if p.exists():
                found.add(p)
        if a.format == "figure":
            svg = paths.file(a.key).with_suffix(".svg")
            if svg.exists():
                found.add(svg)
        if a.key == "explorer" and paths.explorer.is_dir():
            found.update(f for f in paths.explorer.iterdir() if f.is_file())
    return sorted(found)


def stage_table(stage: str | None = None) -> pd.DataFrame:
    """The registry as a table: key, file, format, stage, published, read by (for docs and the Data page).

    >>> stage_table("corpus")["key"].tolist()[:2]
    ['articles', 'units']
    """
    rows = [(a.key, a.csv or a.file, a.format, a.stage, "yes" if a.published else "no", ", ".join(a.read_by))
            for a in ARTIFACTS if stage is None or a.stage == stage]
    return pd.DataFrame(rows, columns=["key", "file", "format", "stage", "published", "read_by"])
