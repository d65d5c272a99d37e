"""Stemming (off by default: stems hurt topic readability), memoised over the vocabulary.

Indonesian uses PySastrawi (``StemmerFactory().create_stemmer()``), English
NLTK's Snowball stemmer. Each distinct word is stemmed once and the result
reused (``memo``), because PySastrawi is slow per call and a corpus repeats
its words. Joined tokens (phrases, entities, protected multi-word terms) and
protected terms are never stemmed. The stage reports which words a stem
merged (:func:`tabulate_stems`), so a reader can see what stemming did.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence

import pandas as pd

from .tokens import check_language


@functools.lru_cache(maxsize=2)
def _stemmer(language: str):
    if language == "id":
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        return StemmerFactory().create_stemmer().stem
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english").stem


def stem_tokens(
    docs: Iterable[Sequence[str]],
    language: str = "id",
    *,
    keep: frozenset[str] = frozenset(),
    memo: dict[str, str] | None = None,
) -> tuple[list[list[str]], dict[str, str]]:
    """Stem every token of ``docs``, each distinct word once.

    Tokens with ``_`` (phrases, entities) and tokens in ``keep`` are left as
    they are. ``memo`` (word → stem) is reused and extended, so batches share
    the work.

    Examples
    --------
    >>> stemmed, memo = stem_tokens([["pertemuan", "bertemu", "kerja_sama"]], "id")
    >>> stemmed
    [['temu', 'temu', 'kerja_sama']]
    """
    stem = _stemmer(check_language(language))
    memo = {} if memo is None else memo
    out = []
    for doc in docs:
        row = []
        for token in doc:
            if token in keep or "_" in token:
                row.append(token)
                continue
            if token not in memo:
                memo[token] = stem(token) or token
            row.append(memo[token])
        out.append(row)
    return out, memo


def tabulate_stems(memo: dict[str, str], seen: Counter) -> pd.DataFrame:
    """Return the stems that merged two or more of the ``seen`` words: ``stem``, ``n_words``, ``words``.

    >>> tabulate_stems({"bertemu": "temu", "pertemuan": "temu", "baru": "baru"},
    ...                Counter(["bertemu", "pertemuan"])).to_dict("records")
    [{'stem': 'temu', 'n_words': 2, 'words': 'bertemu, pertemuan'}]
    """
    groups: dict[str, list[str]] = {}
    for word, stem in memo.items():
        if word in seen:
            groups.setdefault(stem, []).append(word)
    rows = [(stem, len(words), ", ".join(sorted(words))) for stem, words in groups.items() if len(words) > 1]
    df = pd.DataFrame(rows, columns=["stem", "n_words", "words"])
    return df.sort_values(["n_words", "stem"], ascending=[False, True], ignore_index=True)
