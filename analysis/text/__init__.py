"""The text stage: analysis units → tokens, dictionary and bag of words (notebook ``02-fit-topics``).

The stage function is :func:`prepare_text` (in :mod:`.prepare`, which states
the order of the steps and the rules they keep). Its parts:

* :mod:`.tokens` — the tokenizer, token kinds, Indonesian reduplication;
* :mod:`.lexicon` — stopwords, protected terms, connector words and the alias
  table (shared with the actors stage: :func:`load_aliases`, :func:`apply_aliases`);
* :mod:`.phrases` — collocations learned and joined with gensim ``Phrases``;
* :mod:`.stemming` — PySastrawi / Snowball stemming, memoised;
* :mod:`.prepare` — :class:`TextParams`, :func:`default_params` and the stage.
"""

from .lexicon import (ALIAS_KINDS, ALIASES_FILE, INDONESIAN_CONNECTOR_WORDS, STOPWORDS_DIR, Alias, AliasTable,
                      apply_aliases, clean_word_list, connector_words, load_aliases, load_protected_terms,
                      load_stopwords, remove_stopwords)
from .phrases import apply_phrases, learn_phrases, merge_phrases, new_phrases
from .prepare import STEPS, TextParams, TextResult, default_params, prepare_text, scale_params, worker_pool
from .stemming import stem_tokens, tabulate_stems
from .tokens import GAP, LANGUAGES, check_language, is_reduplication, tokenize

__all__ = [
    "ALIAS_KINDS", "ALIASES_FILE", "INDONESIAN_CONNECTOR_WORDS", "STOPWORDS_DIR", "Alias", "AliasTable",
    "apply_aliases", "clean_word_list", "connector_words", "load_aliases", "load_protected_terms", "load_stopwords",
    "remove_stopwords", "apply_phrases", "learn_phrases", "merge_phrases", "new_phrases", "STEPS", "TextParams", "TextResult",
    "default_params", "prepare_text", "scale_params", "worker_pool", "stem_tokens", "tabulate_stems", "GAP", "LANGUAGES",
    "check_language", "is_reduplication", "tokenize",
]
