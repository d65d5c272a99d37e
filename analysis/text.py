"""Text preprocessing: from analysis units to the tokens, dictionary and bag of words
that the topic model reads.

Topic and frame quality is decided here, so every step is explicit, reported and
deterministic. The steps run in this order, and the order matters:

1. **tokenize** — NFKC-normalise, then split with an NLTK ``RegexpTokenizer``.
   Case is kept for one step only, so that case-sensitive aliases can tell the
   Indonesian "AS" (United States) from "as", or the English "US" from "us".
   Indonesian reduplication stays one token ("negara-negara"); other hyphenated
   words split ("Rusia-Korut" → rusia, korut). URLs, e-mail addresses, web
   domains ("Tempo.co"), dates ("23/6/2024") and bare numbers are dropped;
   quotes and punctuation never become tokens.
2. **aliases** — surface forms, including multi-word names, are matched on the
   token sequence, longest match first, *before* stopwords can remove parts of
   them ("Organisasi Kerja Sama Shanghai" → ``sco``, "Amerika Serikat" →
   ``amerika_serikat``, "Dewan Keamanan PBB" → ``dewan_keamanan_pbb``). Every
   other token is lowercased here. Metonyms (Washington, Kremlin, Moskow,
   Beijing, Pyongyang, Pentagon) are mapped to their country and reported with
   kind ``metonym``. "Duyeon Kim" is an analyst, never ``kim_jong_un``.
3. **stopwords** — multi-word protected terms are joined first ("kerja sama" →
   ``kerja_sama``: both parts are stopwords alone), then stopwords (shipped list
   + news-domain list + the user's list, minus protected terms), tokens shorter
   than ``min_token_len`` and tokens without a letter are removed. Alias tokens
   and protected terms are never removed.
4. **phrases** — gensim ``Phrases`` (NPMI scoring, fixed settings, one pass in
   corpus order) joins frequent collocations ("asia_tengah"). Phrases never
   cross a removed word or an entity token, and may span a connector word
   ("dan", "di", "untuk"…; gensim's English connector words for English).
5. **stemming** (off by default: stems hurt topic readability) — PySastrawi
   for Indonesian, NLTK's Snowball stemmer for English, memoized over the
   vocabulary so that each distinct word is stemmed once. Joined tokens,
   entities and protected terms are never stemmed.
6. **doc-frequency filters** — gensim ``Dictionary.filter_extremes`` with
   ``no_below`` (absolute), ``no_above`` (share) and ``keep_n``.

Rules kept: nothing here is random (``seed`` is accepted so that every stage
has the same signature); the same units and parameters give the same tokens and
the same bytes in ``dictionary.gensim`` and ``bow.mm``. Units whose tokens are
all filtered out are kept, with an empty token list and an empty bag-of-words
row, because the topic stage aligns rows with ``tokens.parquet``. The corpus is
streamed in batches and spilled to disk between passes, so it is never held
whole in memory. Resources (stopword lists, protected terms, alias table) are
shipped in ``analysis/resources/`` with their sources and licences.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from .paths import RESOURCES
from .errors import AnalysisError

LANGUAGES = ("id", "en")
STOPWORDS_DIR = RESOURCES / "stopwords"
ALIASES_FILE = RESOURCES / "aliases.yml"
ALIAS_KINDS = ("country", "organisation", "person", "region", "metonym")

# Indonesian words that may sit inside a phrase without breaking it
# (names like "bank dunia untuk rekonstruksi"); gensim never lets a
# phrase start or end with one. English uses gensim's ENGLISH_CONNECTOR_WORDS.
INDONESIAN_CONNECTOR_WORDS = frozenset(
    {"dan", "di", "ke", "dari", "yang", "untuk", "dengan", "atau", "pada", "dalam", "bagi", "serta", "oleh"}
)

_UNITS_COLUMNS = ("unit_id", "article_id", "text")
_BATCH_ROWS = 5_000
_GAP = ""  # marks a removed word inside a unit: phrases never bridge it
_TOKENS_SCHEMA = pa.schema(
    [("unit_id", pa.string()), ("article_id", pa.string()), ("tokens", pa.list_(pa.string()))]
)

# --------------------------------------------------------------------------- tokenize

_DOMAIN_TLDS = r"com|co|id|net|org|gov|edu|info|io|news|tv|me|ru|cn|uk|us|au|de|fr|jp|kr|sg|my"
# One alternative per kind of token, tried in this order; the kinds in
# _DROPPED_KINDS never become tokens (a number or a URL says nothing about a frame).
_TOKEN_KINDS = (
    ("url", r"(?:https?://|www\.)\S+"),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("domain", rf"(?i:[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:{_DOMAIN_TLDS}))\b(?:/\S*)?"),
    ("date", r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?\b"),
    ("abbrev", r"(?:[^\W\d_]\.){2,}"),
    ("number", r"\d+(?:[.,]\d+)*%?(?![\w-])"),
    ("word", r"[^\W_]+(?:[-'’][^\W_]+)*"),
)
_DROPPED_KINDS = frozenset({"url", "email", "domain", "date", "number"})
_KIND_REGEXES = tuple((kind, re.compile(pattern)) for kind, pattern in _TOKEN_KINDS)


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer("|".join(f"(?:{pattern})" for _, pattern in _TOKEN_KINDS))


def _kind(token: str) -> str:
    return next((kind for kind, regex in _KIND_REGEXES if regex.fullmatch(token)), "word")


def _is_reduplication(left: str, right: str) -> bool:
    # Indonesian reduplication repeats a base: whole ("negara-negara"), with a
    # suffix or prefix ("besar-besaran", "berbeda-beda", "sekutu-sekutunya"), around
    # affixes ("sebaik-baiknya", "kemerah-merahan") or with a sound change
    # ("sayur-mayur"). Compounds of names ("Rusia-Korut", "Asia-Pasifik") repeat
    # nothing and are split.
    a, b = left.lower(), right.lower()
    if a == b or b.startswith(a) or a.endswith(b) or b.endswith(a):
        return True
    if len(a) >= 4 and a[1:] == b[1:]:
        return True
    return any(a.endswith(b[:k]) for k in range(3, min(len(a), len(b)) + 1))


def _split_word(word: str, language: str) -> list[str]:
    word = word.replace("’", "'")
    if language == "en" and word.lower().endswith("'s"):
        word = word[:-2]  # possessive: "Russia's" is Russia
    word = word.replace("'", "")  # "don't" -> "dont" (listed as an English stopword)
    if "-" not in word:
        return [word] if word else []
    parts = [p for p in word.split("-") if p]
    if any(ch.isdigit() for ch in word):
        return [word]  # "G-20", "Banjarmasin-592": codes, not compounds
    if len(parts) == 2 and _is_reduplication(*parts):
        return [word]
    return parts


def tokenize(text: str, language: str = "id", *, lower: bool = True) -> list[str]:
    """Split ``text`` into word tokens, deterministically.

    Keeps Indonesian reduplication ("negara-negara") as one token, splits other
    hyphenated words, turns "U.S." into "US", drops URLs, e-mail addresses, web
    domains, dates, bare numbers, quotes and punctuation. Codes that mix letters
    and digits ("G20") are kept. No NLTK data is needed.

    Parameters
    ----------
    text : str
        Any text; ``None`` gives an empty list.
    language : {"id", "en"}
        English also strips the possessive "'s".
    lower : bool
        Lowercase the tokens (``prepare_text`` keeps case until the alias step).

    Examples
    --------
    >>> tokenize("Negara-negara Rusia-Korut, lihat https://x.id (23/6/2024) “kerja sama” 40 G20")
    ['negara-negara', 'rusia', 'korut', 'lihat', 'kerja', 'sama', 'g20']
    >>> tokenize("The U.S. and Russia's allies", "en", lower=False)
    ['The', 'US', 'and', 'Russia', 'allies']
    """
    language = _check_language(language)
    if text is None or (isinstance(text, float) and text != text):
        return []
    if not isinstance(text, str):
        raise AnalysisError(f"text must be a string, got {type(text).__name__}", path="tokenize")
    text = unicodedata.normalize("NFKC", text)
    tokens: list[str] = []
    for raw in _tokenizer().tokenize(text):
        kind = _kind(raw)
        if kind in _DROPPED_KINDS:
            continue
        if kind == "abbrev":
            tokens.append(raw.replace(".", ""))
            continue
        tokens.extend(_split_word(raw, language))
    return [t.lower() for t in tokens] if lower else tokens


# --------------------------------------------------------------------------- word lists


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise AnalysisError(f"unsupported language {language!r}; use one of {', '.join(LANGUAGES)}", path="language")
    return language


@functools.lru_cache(maxsize=None)
def _read_word_list(path: Path) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(" ".join(line.lower().split()))
    return frozenset(words)


def _clean_extra(extra: Iterable[str], name: str) -> set[str]:
    if isinstance(extra, str):
        raise AnalysisError("must be a list of words, not a single string", path=name)
    out = set()
    for word in extra:
        if not isinstance(word, str) or not word.strip():
            raise AnalysisError(f"entries must be non-empty strings, got {word!r}", path=name)
        out.add(" ".join(word.lower().split()))
    return out


def load_protected_terms(language: str = "id", extra: Iterable[str] = ()) -> frozenset[str]:
    """Return the terms that are never removed as stopwords nor stemmed.

    Multi-word terms ("kerja sama") are kept as one joined token
    (``kerja_sama``) by :func:`remove_stopwords`.

    Examples
    --------
    >>> {"kerja", "kerja sama", "pertahanan", "aliansi"} <= load_protected_terms("id")
    True
    """
    language = _check_language(language)
    return frozenset(_read_word_list(STOPWORDS_DIR / f"protected_{language}.txt") | _clean_extra(extra, "protected_terms"))


def load_stopwords(language: str = "id", extra: Iterable[str] = (), protected: Iterable[str] = ()) -> frozenset[str]:
    """Return the effective stopword set: shipped list + news-domain list + ``extra``,
    minus the protected terms.

    Indonesian: the stopwords-iso "id" list (MIT); English: scikit-learn's
    ``ENGLISH_STOP_WORDS`` (BSD-3). Both are shipped as files in
    ``analysis/resources/stopwords/``, so no package is needed at run time.

    Examples
    --------
    >>> sw = load_stopwords("id", extra=["rusia"])
    >>> "yang" in sw, "menurut" in sw, "rusia" in sw, "sama" in sw, "kerja" in sw
    (True, True, True, True, False)
    """
    language = _check_language(language)
    words = (
        _read_word_list(STOPWORDS_DIR / f"{language}.txt")
        | _read_word_list(STOPWORDS_DIR / f"{language}_news.txt")
        | _clean_extra(extra, "extra_stopwords")
    )
    keep = load_protected_terms(language) | _clean_extra(protected, "protected_terms")
    return frozenset(words - keep)


def connector_words(language: str = "id") -> frozenset[str]:
    """Return the words a phrase may span (gensim's English list for English).

    >>> "dan" in connector_words("id"), "of" in connector_words("en")
    (True, True)
    """
    if _check_language(language) == "en":
        from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS

        return frozenset(ENGLISH_CONNECTOR_WORDS)
    return INDONESIAN_CONNECTOR_WORDS


# --------------------------------------------------------------------------- aliases


@dataclass(frozen=True)
class Alias:
    """One surface form of an entity.

    ``canonical`` is the token it becomes; for ``kind == "metonym"`` it is the
    country the place stands for.
    """

    surface: str
    canonical: str
    kind: str
    label: str
    case_sensitive: bool


@dataclass(frozen=True)
class AliasTable:
    """Surface forms (token tuples) → :class:`Alias`, for one language.

    Use :func:`load_aliases` to build it, :func:`apply_aliases` to use it and
    :meth:`to_frame` to inspect it (surface, canonical, kind, label,
    case_sensitive).
    """

    language: str
    aliases: tuple[Alias, ...]
    literal_after: frozenset[str] = frozenset()
    _lower: dict = field(default_factory=dict, repr=False, compare=False)
    _cased: dict = field(default_factory=dict, repr=False, compare=False)
    max_len: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self):
        for alias in self.aliases:
            key = tuple(tokenize(alias.surface, self.language, lower=not alias.case_sensitive))
            if key:  # "kim jong un" and "kim jong-un" are one key: the first listed wins
                (self._cased if alias.case_sensitive else self._lower).setdefault(key, alias)
        object.__setattr__(self, "max_len", max((len(k) for k in (*self._lower, *self._cased)), default=0))

    def lookup(self, surface: str) -> Alias | None:
        """Return the alias for ``surface`` (tokenized like text), or ``None``.

        >>> load_aliases("id").lookup("Korut").canonical
        'korea_utara'
        """
        key = tuple(tokenize(surface, self.language, lower=False))
        return self._cased.get(key) or self._lower.get(tuple(t.lower() for t in key))

    @property
    def entity_tokens(self) -> frozenset[str]:
        """Every token an alias can produce (canonicals and literal place names)."""
        places = {"_".join(k).lower() for k, a in (*self._lower.items(), *self._cased.items()) if a.kind == "metonym"}
        return frozenset({a.canonical for a in self.aliases} | places)

    def to_frame(self) -> pd.DataFrame:
        """Return the table as a DataFrame, one row per surface form."""
        rows = [asdict(a) for a in self.aliases]
        cols = [f.name for f in fields(Alias)]
        return pd.DataFrame(rows, columns=cols).sort_values(["canonical", "kind", "surface"], ignore_index=True)


def _read_alias_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnalysisError("alias file not found", path=path) from None
    except UnicodeDecodeError:
        raise AnalysisError("alias file is not UTF-8 text", path=path) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise AnalysisError(f"malformed YAML{line}", path=path) from None
    if not isinstance(data, dict):
        raise AnalysisError("alias file must be a mapping with an 'entities' list", path=path)
    return data


def _parse_entities(data: dict, path: Path, language: str) -> list[Alias]:
    entities = data.get("entities", [])
    if not isinstance(entities, list):
        raise AnalysisError("'entities' must be a list", path=path)
    out = []
    seen: dict[tuple[str, bool], str] = {}
    for i, entity in enumerate(entities):
        where = f"entities[{i}]"
        if not isinstance(entity, dict):
            raise AnalysisError(f"{where} must be a mapping", path=path)
        canonical, kind = entity.get("canonical"), entity.get("kind")
        if not isinstance(canonical, str) or not re.fullmatch(r"[a-z0-9_]+", canonical):
            raise AnalysisError(f"{where}.canonical must be a lowercase [a-z0-9_] token, got {canonical!r}", path=path)
        if kind not in ALIAS_KINDS:
            raise AnalysisError(f"{where}.kind must be one of {', '.join(ALIAS_KINDS)}, got {kind!r}", path=path)
        surfaces = entity.get("surfaces")
        if isinstance(surfaces, list):
            surfaces = {"any": surfaces}
        if not isinstance(surfaces, dict) or not set(surfaces) <= {"any", *LANGUAGES}:
            raise AnalysisError(f"{where}.surfaces must be a list or a mapping with keys any/id/en", path=path)
        label = str(entity.get("label") or canonical)
        for key in ("any", language):
            listed = surfaces.get(key) or []
            if not isinstance(listed, list) or not all(isinstance(s, str) and s.strip() for s in listed):
                raise AnalysisError(f"{where}.surfaces.{key} must be a list of non-empty strings", path=path)
            for surface in listed:
                surface = " ".join(surface.split())
                key = (surface.lower(), surface != surface.lower())
                if key in seen:
                    raise AnalysisError(f"{where}: surface {surface!r} is already listed in {seen[key]}", path=path)
                seen[key] = where
                out.append(Alias(surface, canonical, kind, label, key[1]))
    return out


def load_aliases(language: str = "id", extra_file: str | Path | None = None) -> AliasTable:
    """Return the shipped alias table for ``language``, with a user file merged over it.

    A surface listed in ``extra_file`` replaces the shipped mapping of the same
    surface; ``drop: [surface, ...]`` in it removes shipped surfaces. Bad files
    raise :class:`AnalysisError` naming the file and the field.

    Examples
    --------
    >>> table = load_aliases("id")
    >>> [table.lookup(s).canonical for s in ("Korut", "Korea Utara", "Duyeon Kim", "Kim")]
    ['korea_utara', 'korea_utara', 'duyeon_kim', 'kim_jong_un']
    >>> table.lookup("Washington").kind
    'metonym'
    """
    language = _check_language(language)
    shipped = _read_alias_yaml(ALIASES_FILE)
    aliases = {(a.surface.lower(), a.case_sensitive): a for a in _parse_entities(shipped, ALIASES_FILE, language)}
    literal = shipped.get("metonym_literal_after", {}).get(language, [])
    if extra_file is not None:
        path = Path(extra_file).expanduser()
        user = _read_alias_yaml(path)
        drop = user.get("drop", [])
        if not isinstance(drop, list):
            raise AnalysisError("'drop' must be a list of surfaces", path=path)
        dropped = {" ".join(str(s).split()).lower() for s in drop}
        aliases = {k: a for k, a in aliases.items() if k[0] not in dropped}
        for alias in _parse_entities(user, path, language):
            aliases[(alias.surface.lower(), alias.case_sensitive)] = alias
        literal = user.get("metonym_literal_after", {}).get(language, literal)
    ordered = tuple(sorted(aliases.values(), key=lambda a: (a.canonical, a.kind, a.surface)))
    return AliasTable(language, ordered, frozenset(str(w).lower() for w in literal))


def apply_aliases(tokens: Sequence[str], table: AliasTable, *, metonyms: bool = True) -> tuple[list[str], Counter]:
    """Replace surface forms by canonical tokens, longest match first; lowercase the rest.

    A metonym right after one of the table's ``literal_after`` words ("di
    Moskow") or with ``metonyms=False`` is kept as a place token (``moskow``).
    A gloss such as "Korea Utara (Korut)" yields one token, not two.

    Returns
    -------
    tokens : list[str]
    hits : collections.Counter
        ``(surface, canonical, kind) -> count``; ``kind`` is ``"place"`` for a
        metonym kept literally.

    Examples
    --------
    >>> table = load_aliases("id")
    >>> toks, hits = apply_aliases(tokenize("Korea Utara (Korut) dan Duyeon Kim di Moskow", lower=False), table)
    >>> toks
    ['korea_utara', 'dan', 'duyeon_kim', 'di', 'moskow']
    >>> hits[("korut", "korea_utara", "country")]
    1
    """
    lowered = [t.lower() for t in tokens]
    out: list[str] = []
    hits: Counter = Counter()
    previous_alias = None
    i, n = 0, len(tokens)
    while i < n:
        alias, length = None, 0
        for length in range(min(table.max_len, n - i), 0, -1):
            alias = table._cased.get(tuple(tokens[i : i + length])) or table._lower.get(tuple(lowered[i : i + length]))
            if alias is not None:
                break
        if alias is None:
            out.append(lowered[i])
            previous_alias = None
            i += 1
            continue
        token, kind = alias.canonical, alias.kind
        if kind == "metonym" and (not metonyms or (i > 0 and lowered[i - 1] in table.literal_after)):
            token, kind = "_".join(lowered[i : i + length]), "place"
        hits[(alias.surface, token, kind)] += 1
        # "Organisasi Kerja Sama Shanghai (SCO)" names one organisation once.
        if previous_alias != token:
            out.append(token)
        previous_alias = token
        i += length
    return out, hits


# --------------------------------------------------------------------------- stopwords


def _join_multiword(tokens: list[str], terms: dict[tuple[str, ...], str], max_len: int) -> list[str]:
    out, i, n = [], 0, len(tokens)
    while i < n:
        for length in range(min(max_len, n - i), 1, -1):
            joined = terms.get(tuple(tokens[i : i + length]))
            if joined:
                out.append(joined)
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def remove_stopwords(
    tokens: Sequence[str],
    stopwords: frozenset[str],
    *,
    protected: frozenset[str] = frozenset(),
    keep: frozenset[str] = frozenset(),
    min_token_len: int = 2,
    connectors: frozenset[str] = frozenset(),
    gaps: bool = False,
) -> list[str]:
    """Remove stopwords, short tokens and tokens without a letter.

    Multi-word protected terms are joined first ("kerja sama" → ``kerja_sama``).
    Protected terms and tokens in ``keep`` (entity tokens) are never removed.
    With ``gaps=True`` a removed word leaves ``""`` and words in ``connectors``
    stay, so that :func:`apply_phrases` never joins across a removed word; the
    pipeline uses that, callers normally do not.

    Examples
    --------
    >>> sw = load_stopwords("id")
    >>> remove_stopwords("kerja sama yang erat antara rusia dan x".split(), sw,
    ...                  protected=load_protected_terms("id"))
    ['kerja_sama', 'erat', 'rusia']
    """
    multi = {tuple(t.split()): "_".join(t.split()) for t in protected if " " in t}
    joined = _join_multiword(list(tokens), multi, max((len(k) for k in multi), default=0)) if multi else list(tokens)
    out: list[str] = []
    for token in joined:
        if token in keep or token in protected or "_" in token:
            out.append(token)
        elif gaps and token in connectors:
            out.append(token)
        elif token in stopwords or len(token) < min_token_len or not any(ch.isalpha() for ch in token):
            if gaps and (not out or out[-1] != _GAP):
                out.append(_GAP)
        else:
            out.append(token)
    return out


# --------------------------------------------------------------------------- phrases


def _sentences(tokens: Sequence[str], unjoinable: frozenset[str]) -> Iterator[list[str]]:
    # Entity tokens and gaps cut the unit into runs; phrases are learned and
    # applied inside runs only, so "presiden" + "vladimir_putin" never fuse.
    run: list[str] = []
    for token in tokens:
        if token == _GAP or token in unjoinable or "_" in token:
            if run:
                yield run
            run = []
            if token != _GAP:
                yield [token]
        else:
            run.append(token)
    if run:
        yield run


def learn_phrases(
    docs: Iterable[Sequence[str]],
    language: str = "id",
    *,
    min_count: int = 2,
    threshold: float = 0.7,
    unjoinable: frozenset[str] = frozenset(),
    phrases=None,
):
    """Learn collocations with gensim ``Phrases`` and return them frozen.

    Scoring is NPMI (bounded in [-1, 1], so one threshold works for small and
    large corpora); connector words are Indonesian (:data:`INDONESIAN_CONNECTOR_WORDS`)
    or gensim's English ones. ``""`` tokens and tokens in ``unjoinable`` cut a
    document into runs that phrases never cross. Pass ``phrases`` (an unfrozen
    ``Phrases``) to keep adding batches; the result is deterministic for a given
    document order.

    Examples
    --------
    >>> docs = [["asia", "tengah", "kawasan"], ["asia", "tengah", "ekonomi"]] * 3
    >>> frozen = learn_phrases(docs, min_count=2, threshold=0.5)
    >>> apply_phrases(["asia", "tengah", "kawasan"], frozen)
    ['asia_tengah', 'kawasan']
    """
    from gensim.models.phrases import Phrases

    connectors = connector_words(language)
    model = phrases or Phrases(
        min_count=min_count, threshold=threshold, scoring="npmi", connector_words=connectors, delimiter="_"
    )
    model.add_vocab(s for doc in docs for s in _sentences(doc, unjoinable))
    return model if phrases is not None else model.freeze()


def apply_phrases(
    tokens: Sequence[str], phrases, *, unjoinable: frozenset[str] = frozenset(), connectors: frozenset[str] = frozenset()
) -> list[str]:
    """Join learned phrases in ``tokens``; drop gaps and connector words left unjoined.

    ``phrases`` is a result of :func:`learn_phrases` (or ``None`` for no
    joining). See :func:`learn_phrases` for an example.
    """
    out: list[str] = []
    for run in _sentences(tokens, unjoinable):
        joined = phrases[run] if phrases is not None and len(run) > 1 else run
        out.extend(t for t in joined if t not in connectors)
    return out


# --------------------------------------------------------------------------- stemming


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

    Indonesian uses PySastrawi (``StemmerFactory().create_stemmer()``),
    English NLTK's Snowball stemmer. Tokens with ``_`` (phrases, entities) and
    tokens in ``keep`` are left as they are. ``memo`` (word → stem) is reused
    and extended, so batches share the work.

    Examples
    --------
    >>> stemmed, memo = stem_tokens([["pertemuan", "bertemu", "kerja_sama"]], "id")
    >>> stemmed
    [['temu', 'temu', 'kerja_sama']]
    """
    stem = _stemmer(_check_language(language))
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


# --------------------------------------------------------------------------- parameters


@dataclass
class TextParams:
    """Parameters of :func:`prepare_text`, validated on creation.

    Defaults fit about a hundred paragraph units (the seeds). For larger
    corpora use :func:`default_params` or set: ``no_below`` ≈ 5–20 (a term must
    occur in that many units), ``no_above`` = 0.5, ``keep_n`` = 50_000–100_000,
    ``phrase_min_count`` ≈ 20 and ``phrase_threshold`` = 0.5 for 100,000 articles.
    On a hundred units a pair seen twice can reach the highest NPMI by chance,
    hence the stricter small-corpus threshold (0.7).

    Attributes
    ----------
    extra_stopwords : list of str
        Added to the shipped lists.
    protected_terms : list of str
        Added to the shipped protected terms (never removed, never stemmed).
    aliases_file : str or None
        A user alias YAML merged over the shipped table.
    metonyms : bool
        Map metonyms (Washington, Kremlin…) to their country (default) or keep
        them as place tokens.
    phrases : bool
        Learn and join collocations with gensim ``Phrases``.
    phrase_min_count : int
        Minimum count of a collocation.
    phrase_threshold : float
        NPMI threshold in (-1, 1]; higher joins fewer.
    stem : bool
        Stem (off by default: stems hurt topic readability).
    no_below : int
        Keep terms found in at least this many units.
    no_above : float
        Drop terms found in more than this share of units.
    keep_n : int or None
        Keep at most this many most frequent terms.
    min_token_len : int
        Drop shorter tokens.
    n_jobs : int
        Processes for tokenizing (results are in input order whatever n_jobs).

    Examples
    --------
    >>> TextParams(no_below=1).no_below
    1
    >>> TextParams(no_above=2.0)
    Traceback (most recent call last):
    analysis.errors.AnalysisError: no_above: must be a share in (0, 1], got 2.0
    """

    extra_stopwords: list[str] = field(default_factory=list)
    protected_terms: list[str] = field(default_factory=list)
    aliases_file: str | None = None
    metonyms: bool = True
    phrases: bool = True
    phrase_min_count: int = 2
    phrase_threshold: float = 0.7
    stem: bool = False
    no_below: int = 2
    no_above: float = 0.5
    keep_n: int | None = None
    min_token_len: int = 2
    n_jobs: int = 1

    def __post_init__(self):
        for name in ("extra_stopwords", "protected_terms"):
            value = getattr(self, name)
            if value is None:
                value = []
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise AnalysisError(f"must be a list of words, got {value!r}", path=name)
            _clean_extra(value, name)
            setattr(self, name, list(value))
        if self.aliases_file is not None and not isinstance(self.aliases_file, (str, Path)):
            raise AnalysisError(f"must be a path or None, got {self.aliases_file!r}", path="aliases_file")
        for name in ("metonyms", "phrases", "stem"):
            if not isinstance(getattr(self, name), bool):
                raise AnalysisError(f"must be true or false, got {getattr(self, name)!r}", path=name)
        for name, low in (("phrase_min_count", 1), ("no_below", 1), ("min_token_len", 1), ("n_jobs", 1)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise AnalysisError(f"must be an integer >= {low}, got {value!r}", path=name)
        if self.keep_n is not None and (not isinstance(self.keep_n, int) or isinstance(self.keep_n, bool) or self.keep_n < 1):
            raise AnalysisError(f"must be a positive integer or None, got {self.keep_n!r}", path="keep_n")
        if not _is_real(self.no_above) or not 0 < self.no_above <= 1:
            raise AnalysisError(f"must be a share in (0, 1], got {self.no_above!r}", path="no_above")
        if not _is_real(self.phrase_threshold) or not -1 < self.phrase_threshold <= 1:
            raise AnalysisError(
                f"must be an NPMI threshold in (-1, 1], got {self.phrase_threshold!r}", path="phrase_threshold"
            )

    @classmethod
    def from_dict(cls, values: dict) -> "TextParams":
        """Build from a mapping (e.g. a params.yaml section); unknown keys raise.

        >>> TextParams.from_dict({"stem": True}).stem
        True
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise AnalysisError(f"unknown text parameter(s): {', '.join(unknown)}", path="params")
        return cls(**values)


def _is_real(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def default_params(n_units: int, **overrides) -> TextParams:
    """Return :class:`TextParams` scaled to a corpus of ``n_units`` units.

    Up to 1,000 units: ``no_below=2``, ``phrase_min_count=2``,
    ``phrase_threshold=0.7``, no ``keep_n``.
    Beyond that the minimum document frequency grows with the corpus (about one
    unit in 5,000, at least 5: 20 for 100,000 articles), phrases need about
    one occurrence per 5,000 units (at least 5, at most 50) with an NPMI
    threshold of 0.5, and the vocabulary is capped at 100,000 terms.
    ``overrides`` win, except that ``no_below=0`` keeps the scaled value and
    ``n_jobs=0`` means all cores beyond 2,000 units and one process below
    (starting worker processes costs more than it saves on a small corpus).

    >>> default_params(80).no_below, default_params(100_000).no_below, default_params(80, no_below=0).no_below
    (2, 20, 2)
    >>> default_params(80, n_jobs=0).n_jobs
    1
    """
    if not isinstance(n_units, int) or n_units < 0:
        raise AnalysisError(f"must be a non-negative integer, got {n_units!r}", path="n_units")
    if overrides.get("no_below") == 0:
        del overrides["no_below"]
    if overrides.get("n_jobs") == 0:
        overrides["n_jobs"] = (os.cpu_count() or 1) if n_units > 2_000 else 1
    if n_units <= 1_000:
        base = {"no_below": 2, "phrase_min_count": 2, "phrase_threshold": 0.7, "keep_n": None}
    else:
        base = {
            "no_below": max(5, n_units // 5_000),
            "phrase_min_count": min(50, max(5, n_units // 5_000)),
            "phrase_threshold": 0.5,
            "keep_n": 100_000,
        }
    return TextParams(**{**base, **overrides})


# --------------------------------------------------------------------------- pipeline


@dataclass
class TextResult:
    """What :func:`prepare_text` wrote and reports.

    ``steps`` (step, n_tokens, vocab_size), ``top_terms`` (term, count,
    doc_freq; the 100 most frequent final terms), ``alias_hits`` (surface,
    canonical, kind, count), ``stemming`` (stem, n_words, words; stems that merged
    two or more words; ``None`` when stemming is off).
    """

    dictionary: object
    tokens_path: Path
    dictionary_path: Path
    bow_path: Path
    steps: pd.DataFrame
    top_terms: pd.DataFrame
    alias_hits: pd.DataFrame
    stemming: pd.DataFrame | None
    n_units: int
    n_empty_units: int
    params: TextParams
    language: str


@dataclass(frozen=True)
class _StageOne:
    language: str
    table: AliasTable
    stopwords: frozenset[str]
    protected: frozenset[str]
    keep: frozenset[str]
    connectors: frozenset[str]
    min_token_len: int
    metonyms: bool


def _stage_one(texts: list, cfg: _StageOne):
    counts = {"tokenize": Counter(), "aliases": Counter(), "stopwords": Counter()}
    hits: Counter = Counter()
    rows = []
    for text in texts:
        cased = tokenize(text, cfg.language, lower=False)
        counts["tokenize"].update(t.lower() for t in cased)
        aliased, unit_hits = apply_aliases(cased, cfg.table, metonyms=cfg.metonyms)
        hits.update(unit_hits)
        counts["aliases"].update(aliased)
        kept = remove_stopwords(
            aliased,
            cfg.stopwords,
            protected=cfg.protected,
            keep=cfg.keep,
            min_token_len=cfg.min_token_len,
            connectors=cfg.connectors,
            gaps=True,
        )
        # Connector words kept only so that phrases may span them are not counted.
        counts["stopwords"].update(t for t in kept if t != _GAP and t not in cfg.connectors)
        rows.append(kept)
    return rows, counts, hits


def _iter_batches(units) -> Iterator[pd.DataFrame]:
    if isinstance(units, (str, Path)):
        path = Path(units)
        try:
            parquet = pq.ParquetFile(path)
        except FileNotFoundError:
            raise AnalysisError("units file not found", path=path) from None
        except (pa.ArrowException, OSError) as exc:
            raise AnalysisError(f"not a readable Parquet file ({type(exc).__name__})", path=path) from None
        missing = [c for c in _UNITS_COLUMNS if c not in parquet.schema_arrow.names]
        if missing:
            raise AnalysisError(f"missing column(s) {', '.join(missing)}", path=path)
        for batch in parquet.iter_batches(batch_size=_BATCH_ROWS, columns=list(_UNITS_COLUMNS)):
            yield batch.to_pandas()
        return
    if isinstance(units, pd.DataFrame):
        for start in range(0, max(len(units), 1), _BATCH_ROWS):
            yield units.iloc[start : start + _BATCH_ROWS]
        return
    if not isinstance(units, Iterable):
        raise AnalysisError(f"must be a DataFrame, a Parquet path or an iterable of DataFrames, got {type(units).__name__}", path="units")
    for batch in units:
        if not isinstance(batch, pd.DataFrame):
            raise AnalysisError(f"batches must be DataFrames, got {type(batch).__name__}", path="units")
        yield batch


def _check_batch(batch: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _UNITS_COLUMNS if c not in batch.columns]
    if missing:
        raise AnalysisError(f"missing column(s) {', '.join(missing)}", path="units")
    bad = batch["text"].map(lambda t: not (t is None or isinstance(t, str) or (isinstance(t, float) and t != t)))
    if bad.any():
        unit = batch.loc[bad, "unit_id"].iloc[0]
        raise AnalysisError(f"unit {unit}: text is not a string", path="units")
    return batch


def _chunks(items: list, n: int) -> list[list]:
    size = max(1, -(-len(items) // n))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _write_rows(writer: pq.ParquetWriter, unit_ids, article_ids, rows) -> None:
    table = pa.table(
        {"unit_id": [str(u) for u in unit_ids], "article_id": [str(a) for a in article_ids], "tokens": rows},
        schema=_TOKENS_SCHEMA,
    )
    writer.write_table(table)


def _read_rows(path: Path) -> Iterator[tuple[list, list, list]]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS):
        data = batch.to_pydict()
        yield data["unit_id"], data["article_id"], data["tokens"]


def _step_row(step: str, counts: Counter) -> dict:
    return {"step": step, "n_tokens": int(sum(counts.values())), "vocab_size": len(counts)}


def prepare_text(
    units,
    out_dir: Path,
    *,
    language: str = "id",
    params: TextParams | None = None,
    seed: int = 0,
) -> TextResult:
    """Turn analysis units into final tokens, a gensim dictionary and a bag of words.

    Steps, in order: tokenize → aliases → stopwords → phrases → stemming
    (optional) → doc-frequency filters (see the module docstring). Writes into
    ``out_dir``:

    * ``tokens.parquet`` — unit_id, article_id, tokens (list of str), one row per
      input unit in input order. Units whose tokens are all filtered out are
      **kept with an empty list** (and an empty row in ``bow.mm``), so rows stay
      aligned with the units.
    * ``dictionary.gensim`` — gensim ``Dictionary`` after the vocabulary filters.
    * ``bow.mm`` (+ ``bow.mm.index``) — gensim ``MmCorpus``; row *i* is row *i*
      of ``tokens.parquet``.

    Parameters
    ----------
    units : DataFrame, path to units.parquet, or iterable of DataFrames
        Columns unit_id, article_id, text. A path or an iterable is read in
        batches, so a large corpus is never held whole in memory.
    out_dir : Path
        The run's ``paths.data``.
    language : {"id", "en"}
    params : TextParams, optional
        Defaults to ``TextParams()`` (fits ~100 units; see :func:`default_params`).
    seed : int
        Accepted for a uniform stage signature; no step here is random.

    Examples
    --------
    >>> import tempfile
    >>> units = pd.DataFrame({"unit_id": ["a-p000", "a-p001", "a-p002"], "article_id": ["a"] * 3,
    ...     "text": ["Rusia dan Korut memperkuat kerja sama pertahanan.",
    ...              "Korea Utara dan Rusia: kerja sama militer.", "Baca juga: 23/6/2024"]})
    >>> result = prepare_text(units, Path(tempfile.mkdtemp()), params=TextParams(no_above=1.0))
    >>> pd.read_parquet(result.tokens_path)["tokens"].map(list).tolist()
    [['rusia', 'korea_utara', 'kerja_sama'], ['korea_utara', 'rusia', 'kerja_sama'], []]
    """
    from gensim.corpora import Dictionary, MmCorpus

    language = _check_language(language)
    params = TextParams() if params is None else params
    if not isinstance(params, TextParams):
        raise AnalysisError(f"must be a TextParams, got {type(params).__name__}", path="params")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    table = load_aliases(language, params.aliases_file)
    protected = load_protected_terms(language, params.protected_terms)
    connectors = connector_words(language) if params.phrases else frozenset()
    cfg = _StageOne(
        language=language,
        table=table,
        stopwords=load_stopwords(language, params.extra_stopwords, params.protected_terms),
        protected=protected,
        keep=table.entity_tokens,
        connectors=connectors,
        min_token_len=params.min_token_len,
        metonyms=params.metonyms,
    )
    unjoinable = table.entity_tokens | protected
    counts = {name: Counter() for name in ("tokenize", "aliases", "stopwords", "phrases", "stemming")}
    hits: Counter = Counter()
    n_units = 0

    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".text-") as tmp:
        stage1, stage2 = Path(tmp) / "stage1.parquet", Path(tmp) / "stage2.parquet"

        # Pass 1: tokenize, aliases, stopwords (parallel over processes, order kept);
        # phrase statistics are gathered from the same batches.
        phrase_model = None
        if params.phrases:
            from gensim.models.phrases import Phrases

            phrase_model = Phrases(
                min_count=params.phrase_min_count,
                threshold=params.phrase_threshold,
                scoring="npmi",
                connector_words=connector_words(language),
                delimiter="_",
            )
        # Workers come from a fork server, not a fork of this process: the notebooks
        # run in a threaded Jupyter kernel, which a plain fork could deadlock.
        pool = (ProcessPoolExecutor(params.n_jobs, mp_context=multiprocessing.get_context("forkserver"))
                if params.n_jobs > 1 else None)
        try:
            with pq.ParquetWriter(stage1, _TOKENS_SCHEMA) as writer:
                for batch in _iter_batches(units):
                    batch = _check_batch(batch)
                    if batch.empty:
                        continue
                    texts = batch["text"].tolist()
                    if pool is None:
                        parts = [_stage_one(texts, cfg)]
                    else:
                        parts = list(pool.map(functools.partial(_stage_one, cfg=cfg), _chunks(texts, params.n_jobs * 4)))
                    rows = [row for part_rows, _, _ in parts for row in part_rows]
                    for _, part_counts, part_hits in parts:
                        for name, c in part_counts.items():
                            counts[name].update(c)
                        hits.update(part_hits)
                    if phrase_model is not None:
                        learn_phrases(rows, language, unjoinable=unjoinable, phrases=phrase_model)
                    _write_rows(writer, batch["unit_id"], batch["article_id"], rows)
                    n_units += len(batch)
        finally:
            if pool is not None:
                pool.shutdown()
        if n_units == 0:
            raise AnalysisError("no units to process (empty input)", path="units")
        frozen = phrase_model.freeze() if phrase_model is not None else None

        # Pass 2: phrases, stemming; the dictionary sees the pre-filter vocabulary.
        dictionary = Dictionary()
        # gensim logs timestamps, paths and platform into the saved file; those
        # belong in the run's provenance.json, and would make the bytes differ.
        dictionary.lifecycle_events = None
        memo: dict[str, str] = {}
        with pq.ParquetWriter(stage2, _TOKENS_SCHEMA) as writer:
            for unit_ids, article_ids, rows in _read_rows(stage1):
                rows = [apply_phrases(r, frozen, unjoinable=unjoinable, connectors=connectors) for r in rows]
                for r in rows:
                    counts["phrases"].update(r)
                if params.stem:
                    rows, memo = stem_tokens(rows, language, keep=unjoinable, memo=memo)
                    for r in rows:
                        counts["stemming"].update(r)
                dictionary.add_documents(rows, prune_at=None)
                _write_rows(writer, unit_ids, article_ids, rows)

        dictionary.filter_extremes(no_below=params.no_below, no_above=params.no_above, keep_n=params.keep_n)
        if len(dictionary) == 0:
            raise AnalysisError(
                f"no terms left after the vocabulary filters (no_below={params.no_below}, "
                f"no_above={params.no_above}) on {n_units} units; lower no_below or raise no_above",
                path="no_below",
            )

        # Pass 3: keep only dictionary terms; write the final tokens.
        tokens_path = out_dir / "tokens.parquet"
        final = Counter()
        n_empty = 0
        with pq.ParquetWriter(tokens_path, _TOKENS_SCHEMA) as writer:
            for unit_ids, article_ids, rows in _read_rows(stage2):
                rows = [[t for t in r if t in dictionary.token2id] for r in rows]
                for r in rows:
                    final.update(r)
                    n_empty += not r
                _write_rows(writer, unit_ids, article_ids, rows)

    # Pass 4: the bag of words, streamed from the final tokens.
    bow_path = out_dir / "bow.mm"
    MmCorpus.serialize(
        str(bow_path),
        (dictionary.doc2bow(r) for _, _, rows in _read_rows(tokens_path) for r in rows),
        id2word=dictionary,
    )
    dictionary_path = out_dir / "dictionary.gensim"
    dictionary.save(str(dictionary_path))

    step_names = ["tokenize", "aliases", "stopwords"] + (["phrases"] if params.phrases else [])
    step_names += ["stemming"] if params.stem else []
    steps = pd.DataFrame(
        [_step_row(s, counts[s]) for s in step_names] + [_step_row("doc_frequency", final)],
        columns=["step", "n_tokens", "vocab_size"],
    )
    top_terms = pd.DataFrame(
        [(dictionary[i], int(dictionary.cfs.get(i, 0)), int(dictionary.dfs.get(i, 0))) for i in dictionary.keys()],
        columns=["term", "count", "doc_freq"],
    )
    top_terms = top_terms.sort_values(["count", "term"], ascending=[False, True], ignore_index=True).head(100)
    alias_hits = pd.DataFrame(
        [(s, c, k, n) for (s, c, k), n in hits.items()], columns=["surface", "canonical", "kind", "count"]
    ).sort_values(["count", "canonical", "surface"], ascending=[False, True, True], ignore_index=True)
    stemming = _stemming_table(memo, counts["phrases"]) if params.stem else None
    return TextResult(
        dictionary=dictionary,
        tokens_path=tokens_path,
        dictionary_path=dictionary_path,
        bow_path=bow_path,
        steps=steps,
        top_terms=top_terms,
        alias_hits=alias_hits,
        stemming=stemming,
        n_units=n_units,
        n_empty_units=n_empty,
        params=params,
        language=language,
    )


def _stemming_table(memo: dict[str, str], seen: Counter) -> pd.DataFrame:
    groups: dict[str, list[str]] = {}
    for word, stem in memo.items():
        if word in seen:
            groups.setdefault(stem, []).append(word)
    rows = [(stem, len(words), ", ".join(sorted(words))) for stem, words in groups.items() if len(words) > 1]
    df = pd.DataFrame(rows, columns=["stem", "n_words", "words"])
    return df.sort_values(["n_words", "stem"], ascending=[False, True], ignore_index=True)
