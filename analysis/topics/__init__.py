"""The topic stage: gensim LDA with a fixed random seed, K chosen by evidence, stability checks, people's checks.

The stage function is :func:`fit_topics` (in :mod:`.stage`; notebook
``02-fit-topics``). Its parts, each stating the rules it keeps:

* :mod:`.model` — :class:`TopicParams`, the text stage's inputs
  (:func:`load_bow`, :class:`TokenStream`), one deterministic fit
  (:func:`fit_lda`), document topics, terms by relevance, labels;
* :mod:`.documents` — the model's document, article or paragraph, by the rule
  :data:`TOPIC_UNIT_RULE` (:func:`topic_unit_rule_text`, :func:`choose_topic_unit`),
  and a K range that documents can hold (:func:`fit_k_range`);
* :mod:`.selection` — the K sweep, coherence, diversity and the K rule
  (:data:`K_RULE`, :func:`k_rule_text`, :func:`choose_k`);
* :mod:`.scaling` — passes, iterations and the sweep's sample by the corpus's
  size, one stated rule (:data:`SCALE_RULE`, :func:`scale_rule_text`, :func:`scale_params`);
* :mod:`.pool` — several seeded models fitted side by side (:func:`fit_models`);
* :mod:`.stability` — refits with derived seeds, Hungarian matching, scores;
* :mod:`.cooccurrence` — what the topic network needs from each model, and
  junk topics (:data:`JUNK_RULE`, :func:`junk_rule_text`);
* :mod:`.intrusion` and :mod:`.intrusion_sheets` — word and topic intrusion
  (Chang et al. 2009): tasks, sheets for people, their import and scores;
* :mod:`.explorer` — the offline pyLDAvis page and representative units;
* :mod:`.tables` — the one topic numbering (:func:`topic_column`,
  :func:`topic_number`) and prevalence.
"""

from .cooccurrence import (JUNK_COVERAGE, JUNK_DIVERGENCE, JUNK_RULE, REFIT_SAMPLE, even_spread_divergence,
                           js_divergence, junk_rule_text, network_inputs, topic_cosine, topic_specificity)
from .documents import (MIN_PARAGRAPH_TOKENS, TOPIC_UNIT_RULE, TOPIC_UNITS, TopicUnit, article_corpus,
                        choose_topic_unit, fit_k_range, topic_unit_rule_text)
from .explorer import EXPLORER_ASSETS, representative_html, representative_units, write_explorer
from .intrusion import describe_intrusion, intrusion_path, intrusion_tasks, score_intrusion, sheet_id
from .intrusion_sheets import import_intrusion, read_answers, write_intrusion_sheets
from .model import (TokenStream, TopicParams, doc_lengths, document_topics, fit_lda, label_topics, labels_path,
                    load_bow, load_labels, term_frequencies, text_files, top_term_ids, topic_terms)
from .pool import FitJob, fit_models, load_model
from .scaling import (SCALE_RULE, SWEEP_SAMPLE, scale_params, scale_rule_text, scale_text, scaled_iterations,
                      scaled_passes, sweep_size)
from .selection import (K_RULE, choose_k, k_rule_text, sample_for_coherence, score_coherence, score_sweep_coherence,
                        sweep_k, sweep_model_path, topic_diversity)
from .stability import assess_stability, match_topics, refit_jobs, refit_models, score_stability, stability_seeds
from .stage import INTRUSION_COMMAND, TABLES, TopicResult, fit_topics, write_topic_tables
from .tables import ROUND, aggregate_topics, tidy_doc_topics, topic_column, topic_columns, topic_number

__all__ = [
    "JUNK_COVERAGE", "JUNK_DIVERGENCE", "JUNK_RULE", "REFIT_SAMPLE", "even_spread_divergence", "js_divergence",
    "junk_rule_text", "network_inputs", "topic_cosine", "topic_specificity", "MIN_PARAGRAPH_TOKENS",
    "TOPIC_UNIT_RULE", "TOPIC_UNITS", "TopicUnit", "article_corpus", "choose_topic_unit", "fit_k_range",
    "topic_unit_rule_text", "EXPLORER_ASSETS", "representative_html", "representative_units", "write_explorer",
    "describe_intrusion", "intrusion_path", "intrusion_tasks", "score_intrusion", "sheet_id", "import_intrusion",
    "read_answers", "write_intrusion_sheets", "TokenStream", "TopicParams", "doc_lengths", "document_topics",
    "fit_lda", "label_topics", "labels_path", "load_bow", "load_labels", "term_frequencies", "text_files",
    "top_term_ids", "topic_terms", "FitJob", "fit_models", "load_model", "SCALE_RULE", "SWEEP_SAMPLE",
    "scale_params", "scale_rule_text", "scale_text", "scaled_iterations", "scaled_passes", "sweep_size",
    "K_RULE", "choose_k", "k_rule_text", "sample_for_coherence", "score_coherence", "score_sweep_coherence",
    "sweep_k", "sweep_model_path", "topic_diversity", "assess_stability", "match_topics", "refit_jobs", "refit_models",
    "score_stability", "stability_seeds", "INTRUSION_COMMAND", "TABLES", "TopicResult", "fit_topics",
    "write_topic_tables", "ROUND", "aggregate_topics", "tidy_doc_topics", "topic_column", "topic_columns",
    "topic_number",
]
