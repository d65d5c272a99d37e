"""The topic stage: gensim LDA with K chosen by evidence, stability checks and an offline explorer.

The stage function is :func:`fit_topics` (in :mod:`.stage`; notebook
``02-fit-topics``). Its parts, each stating the rules it keeps:

* :mod:`.model` — :class:`TopicParams`, the text stage's inputs
  (:func:`load_bow`, :class:`TokenStream`), one deterministic fit
  (:func:`fit_lda`), document topics, terms by relevance, labels;
* :mod:`.selection` — the K sweep, coherence, diversity and the K rule
  (:data:`K_RULE`, :func:`k_rule_text`, :func:`choose_k`);
* :mod:`.stability` — refits with derived seeds, Hungarian matching, scores;
* :mod:`.explorer` — the offline pyLDAvis page and representative units;
* :mod:`.tables` — the one topic numbering (:func:`topic_column`,
  :func:`topic_number`) and prevalence.
"""

from .explorer import EXPLORER_ASSETS, representative_html, representative_units, write_explorer
from .model import (TokenStream, TopicParams, check_k, doc_lengths, document_topics, fit_lda, label_topics,
                    labels_path, load_bow, load_labels, term_frequencies, text_files, top_term_ids, topic_terms)
from .selection import (K_RULE, choose_k, k_rule_text, sample_for_coherence, score_coherence, sweep_k,
                        sweep_model_path, topic_diversity)
from .stability import assess_stability, match_topics, score_stability, stability_seeds
from .stage import TABLES, TopicResult, fit_topics, write_topic_tables
from .tables import ROUND, aggregate_topics, tidy_doc_topics, topic_column, topic_columns, topic_number

__all__ = [
    "EXPLORER_ASSETS", "representative_html", "representative_units", "write_explorer", "TokenStream",
    "TopicParams", "check_k", "doc_lengths", "document_topics", "fit_lda", "label_topics", "labels_path",
    "load_bow", "load_labels", "term_frequencies", "text_files", "top_term_ids", "topic_terms", "K_RULE",
    "choose_k", "k_rule_text", "sample_for_coherence", "score_coherence", "sweep_k", "sweep_model_path",
    "topic_diversity", "assess_stability", "match_topics", "score_stability", "stability_seeds", "TABLES",
    "TopicResult", "fit_topics", "write_topic_tables", "ROUND", "aggregate_topics", "tidy_doc_topics",
    "topic_column", "topic_columns", "topic_number",
]
