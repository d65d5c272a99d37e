"""Corpus: the first stage. Raw scraped news in; articles, units and a log of every cleaning step out.

A folder of ``.txt`` files (one article per file) or a CSV / JSONL / Parquet
table with a ``text`` column becomes the run's ``articles``, ``units`` and
``cleaning_log`` tables, the ``corpus_manifest`` and two published tables
(see :func:`build_corpus`). The subpackage holds one part per module:

* :mod:`~analysis.corpus.rules`: the cleaning rules, datelines and calendar
  words of each language, read from ``resources/cleaning/*.yaml``;
* :mod:`~analysis.corpus.readers`: the raw files as a stream of documents
  (encodings, mojibake, ``metadata.csv``, sha256 of every raw file);
* :mod:`~analysis.corpus.cleaning`: one article through the rules, and its
  title, outlet, place and date;
* :mod:`~analysis.corpus.credits`: wire and translation credits, recorded
  before cleaning removes them;
* :mod:`~analysis.corpus.segmentation`: the cleaned text cut into typed units
  (headline, lead, subheading, body, list item);
* :mod:`~analysis.corpus.duplicates`: exact and near duplicates (MinHash);
* :mod:`~analysis.corpus.language`: the language a corpus states in its
  ``corpus.yml``, the languages its articles are detected in, and the line
  that says they differ;
* :mod:`~analysis.corpus.build`: the stage function :func:`build_corpus`,
  its parameters and the tables notebook 01 shows.

Rules the stage keeps: raw files are read, never written; every removal is
logged; metadata given with the corpus wins over what is extracted, and what
cannot be found stays empty, never guessed; reading and writing stream, so a
large corpus is never held whole; a failed build never destroys earlier
outputs; bad input raises :class:`~analysis.errors.AnalysisError` naming the
file, or is skipped with a logged reason naming it.
"""

from .build import (CorpusParams, CorpusSummary, articles_overview, build_corpus, cleaning_summary,
                    describe_cleaning, describe_duplicates, describe_unit_types, duplicates_table, inputs_table,
                    missing_metadata, publication_date_rule, removal_examples, resolve_language, unit_types_table,
                    unit_typing_rule)
from .cleaning import CleanArticle, clean_article, date_line, extract_date, extract_dateline
from .credits import Credits, CreditRules, extract_credits, load_credit_rules
from .duplicates import NEAR_DUPLICATE_THRESHOLD, DuplicateFinder
from .language import CORPUS_CARD, corpus_card, detect_languages, language_mismatch, stated_language
from .readers import (META_FIELDS, SIDECAR, TABLE_SUFFIXES, Document, corpus_sha256, file_sha256, iter_documents,
                      read_sidecar, repair_mojibake)
from .rules import CLEANING_DIR, Rule, Ruleset, detect_language, load_rules
from .segmentation import (STRUCTURAL_TYPES, UNIT_TYPES, UNITS, Unit, count_words, is_list_item, looks_like_title,
                           segment_article, segment_text, split_glued_items, type_paragraphs, unit_id)

__all__ = [
    "CORPUS_CARD", "corpus_card", "detect_languages", "language_mismatch", "stated_language",
    "describe_unit_types", "publication_date_rule", "unit_types_table", "unit_typing_rule",
    "CLEANING_DIR", "META_FIELDS", "NEAR_DUPLICATE_THRESHOLD", "SIDECAR", "STRUCTURAL_TYPES", "TABLE_SUFFIXES",
    "UNITS", "UNIT_TYPES", "CleanArticle", "CorpusParams", "CorpusSummary", "CreditRules", "Credits", "Document",
    "DuplicateFinder", "Rule", "Ruleset", "Unit", "articles_overview", "build_corpus", "clean_article",
    "cleaning_summary", "corpus_sha256", "count_words", "date_line", "describe_cleaning", "describe_duplicates",
    "detect_language", "duplicates_table", "extract_credits", "extract_date", "extract_dateline", "file_sha256",
    "inputs_table", "is_list_item", "iter_documents", "load_credit_rules", "load_rules", "looks_like_title",
    "missing_metadata", "read_sidecar", "removal_examples", "repair_mojibake", "resolve_language",
    "segment_article", "segment_text", "split_glued_items", "type_paragraphs", "unit_id",
]
