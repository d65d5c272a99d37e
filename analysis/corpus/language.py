"""Language: the language a corpus states, the language its articles are in, and the line that says they differ.

A run analyses one language's resources (stopwords, codebook indicators,
attribution patterns). Rules this module keeps:

* A corpus may state its language in its own corpus card, ``corpus.yml`` in
  the corpus folder (or beside a corpus file): ``language: id``. Any other
  corpus is detected (``auto``): each article's language is identified from
  its opening lines (py3langid, among the languages with shipped rules).
* When the language a researcher sets (``--language``, a parameters file or
  the corpus card) is not the one most articles are detected in, the run says
  so in one line before any notebook runs, and keeps the language as set.
* Detection reads the opening lines of the first :data:`LANGUAGE_SAMPLE`
  articles only, so the check costs seconds on any corpus.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from ..errors import AnalysisError
from ..files import read_yaml
from .readers import iter_documents
from .rules import detect_language

CORPUS_CARD = "corpus.yml"
LANGUAGE_SAMPLE = 200
_OPENING_LINES = 50
LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}


def corpus_card(source: Path) -> Path | None:
    """The corpus card of ``source``: ``corpus.yml`` in the corpus folder, or beside a corpus file (None if none)."""
    source = Path(source)
    card = (source if source.is_dir() else source.parent) / CORPUS_CARD
    return card if card.is_file() else None


def stated_language(source: Path) -> str:
    """Return the language the corpus card states (lower case), ``""`` when there is no card or it states none.

    Examples
    --------
    >>> from analysis.paths import DATA_RAW
    >>> stated_language(DATA_RAW / "ru-alliances-id")
    'id'
    """
    card = corpus_card(source)
    if card is None:
        return ""
    value = read_yaml(card, what="corpus card").get("language")
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise AnalysisError(f"language must be a code such as id or en, got {value!r}", path=card, key="language")
    return value.strip().lower()


def detect_languages(source: Path, *, n_articles: int = LANGUAGE_SAMPLE) -> Counter:
    """Return how many of the first ``n_articles`` articles are in each language (given, else detected).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("The minister said on Monday that talks would resume.", encoding="utf-8")
    >>> detect_languages(folder)
    Counter({'en': 1})
    """
    counts: Counter = Counter()
    for doc in itertools.islice(iter_documents(source), n_articles):
        given = doc.meta.get("language")
        counts[given.lower()[:2] if given else detect_language(list(itertools.islice(doc.lines, _OPENING_LINES)))] += 1
    return counts


def language_mismatch(language: str, detected: Counter, set_by: str) -> str:
    """Return one line when ``language`` (set by ``set_by``) is not the language of most articles; ``""`` otherwise.

    Examples
    --------
    >>> language_mismatch("id", Counter({"en": 18, "id": 2}), "--language")
    "language: --language sets 'id' (Indonesian), but 18 of the first 20 articles are detected as English ('en'); the run uses 'id' as set (--language auto detects each article's language)."
    >>> language_mismatch("en", Counter({"en": 18, "id": 2}), "--language"), language_mismatch("auto", Counter({"en": 1}), "x")
    ('', '')
    """
    if language == "auto" or not detected:
        return ""
    total = sum(detected.values())
    top, n = sorted(detected.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if top == language or n <= total / 2:
        return ""
    return (f"language: {set_by} sets {language!r} ({LANGUAGE_NAMES.get(language, language)}), but {n} of the first "
            f"{total} articles are detected as {LANGUAGE_NAMES.get(top, top)} ({top!r}); the run uses {language!r} as "
            "set (--language auto detects each article's language).")
