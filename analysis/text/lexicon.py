"""The lexicon: stopwords, protected terms, connector words and actor aliases.

These are the word lists the text stage applies, and the alias table the
actors stage shares (:func:`load_aliases`, :func:`apply_aliases`). Each is
shipped in ``analysis/resources/`` with its source and licence, and a user may
add to it (extra stopwords, protected terms, an alias YAML merged over the
shipped table).

Rules kept here:

* **Aliases come before stopwords.** Surface forms, including multi-word names,
  are matched on the token sequence, longest match first, before stopwords
  can remove parts of them ("Organisasi Kerja Sama Shanghai" → ``sco``,
  "Amerika Serikat" → ``amerika_serikat``). Every other token is lowercased.
  Metonyms (Washington, Kremlin, Moskow, Beijing, Pyongyang, Pentagon) are
  mapped to their country and reported with kind ``metonym``, except right
  after a word such as "di" ("di Moskow" is the place). "Duyeon Kim" is an
  analyst, never ``kim_jong_un``.
* **Protected terms are never removed.** Multi-word protected terms are joined
  first ("kerja sama" → ``kerja_sama``: both parts are stopwords alone); the
  effective stopword set is the shipped list + the news-domain list + the
  user's list, minus every protected term. Alias tokens are never removed.
* **Connector words** ("dan", "di", "untuk"…; gensim's English list for
  English) may sit inside a phrase but never start or end one.
* Bad user files raise :class:`~analysis.errors.AnalysisError` naming the
  file and the field; YAML is read by :func:`analysis.files.read_yaml`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import pandas as pd

from ..errors import AnalysisError
from ..files import read_text, read_yaml
from ..paths import RESOURCES
from .tokens import GAP, LANGUAGES, check_language, tokenize

STOPWORDS_DIR = RESOURCES / "stopwords"
ALIASES_FILE = RESOURCES / "aliases.yml"
ALIAS_KINDS = ("country", "organisation", "person", "region", "metonym")

# Indonesian words that may sit inside a phrase without breaking it
# (names like "bank dunia untuk rekonstruksi"); gensim never lets a
# phrase start or end with one. English uses gensim's ENGLISH_CONNECTOR_WORDS.
INDONESIAN_CONNECTOR_WORDS = frozenset(
    {"dan", "di", "ke", "dari", "yang", "untuk", "dengan", "atau", "pada", "dalam", "bagi", "serta", "oleh"}
)


# --------------------------------------------------------------------------- word lists


@functools.lru_cache(maxsize=None)
def _read_word_list(path: Path) -> frozenset[str]:
    words = set()
    for line in read_text(path, what="word list").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(" ".join(line.lower().split()))
    return frozenset(words)


def clean_word_list(words: Iterable[str], name: str) -> set[str]:
    """Return a user's word list lowercased and whitespace-folded; raise naming ``name`` if it is not one.

    >>> sorted(clean_word_list(["Rusia", " kerja  sama "], "extra_stopwords"))
    ['kerja sama', 'rusia']
    """
    if isinstance(words, str):
        raise AnalysisError("must be a list of words, not a single string", path=name)
    out = set()
    for word in words:
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
    language = check_language(language)
    shipped = _read_word_list(STOPWORDS_DIR / f"protected_{language}.txt")
    return frozenset(shipped | clean_word_list(extra, "protected_terms"))


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
    language = check_language(language)
    words = (
        _read_word_list(STOPWORDS_DIR / f"{language}.txt")
        | _read_word_list(STOPWORDS_DIR / f"{language}_news.txt")
        | clean_word_list(extra, "extra_stopwords")
    )
    keep = load_protected_terms(language) | clean_word_list(protected, "protected_terms")
    return frozenset(words - keep)


def connector_words(language: str = "id") -> frozenset[str]:
    """Return the words a phrase may span (gensim's English list for English).

    >>> "dan" in connector_words("id"), "of" in connector_words("en")
    (True, True)
    """
    if check_language(language) == "en":
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
    # The first token of every cased and lowered key: a token that starts none is passed at once.
    _starts: tuple = field(default=(frozenset(), frozenset()), init=False, repr=False, compare=False)

    def __post_init__(self):
        for alias in self.aliases:
            key = tuple(tokenize(alias.surface, self.language, lower=not alias.case_sensitive))
            if key:  # "kim jong un" and "kim jong-un" are one key: the first listed wins
                (self._cased if alias.case_sensitive else self._lower).setdefault(key, alias)
        object.__setattr__(self, "max_len", max((len(k) for k in (*self._lower, *self._cased)), default=0))
        object.__setattr__(self, "_starts", (frozenset(k[0] for k in self._cased), frozenset(k[0] for k in self._lower)))

    def lookup(self, surface: str) -> Alias | None:
        """Return the alias for ``surface`` (tokenized like text), or ``None``.

        >>> load_aliases("id").lookup("Korut").canonical
        'korea_utara'
        """
        key = tuple(tokenize(surface, self.language, lower=False))
        return self._cased.get(key) or self._lower.get(tuple(t.lower() for t in key))

    def match(self, tokens: Sequence[str], lowered: Sequence[str], start: int) -> tuple[Alias | None, int]:
        """Return the longest alias starting at ``tokens[start]`` and its length in tokens (``None, 0`` if none)."""
        if tokens[start] not in self._starts[0] and lowered[start] not in self._starts[1]:
            return None, 0
        for length in range(min(self.max_len, len(tokens) - start), 0, -1):
            alias = self._cased.get(tuple(tokens[start : start + length])) or self._lower.get(
                tuple(lowered[start : start + length])
            )
            if alias is not None:
                return alias, length
        return None, 0

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


def _read_alias_file(path: Path) -> dict:
    return read_yaml(path, what="alias file (a mapping with an 'entities' list)")


def _check_entity(entity, where: str, path: Path) -> tuple[str, str, dict]:
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
    return canonical, kind, surfaces


def _parse_entities(data: dict, path: Path, language: str) -> list[Alias]:
    entities = data.get("entities", [])
    if not isinstance(entities, list):
        raise AnalysisError("'entities' must be a list", path=path)
    out = []
    seen: dict[tuple[str, bool], str] = {}
    for i, entity in enumerate(entities):
        where = f"entities[{i}]"
        canonical, kind, surfaces = _check_entity(entity, where, path)
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
    language = check_language(language)
    shipped = _read_alias_file(ALIASES_FILE)
    aliases = {(a.surface.lower(), a.case_sensitive): a for a in _parse_entities(shipped, ALIASES_FILE, language)}
    literal = shipped.get("metonym_literal_after", {}).get(language, [])
    if extra_file is not None:
        path = Path(extra_file).expanduser()
        user = _read_alias_file(path)
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
    i = 0
    while i < len(tokens):
        alias, length = table.match(tokens, lowered, i)
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
    With ``gaps=True`` a removed word leaves :data:`~analysis.text.tokens.GAP`
    and words in ``connectors`` stay, so that phrases never join across a
    removed word; the text stage uses that, callers normally do not.

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
            if gaps and (not out or out[-1] != GAP):
                out.append(GAP)
        else:
            out.append(token)
    return out
