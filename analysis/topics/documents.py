"""The topic model's document: a paragraph (a unit) or a whole article, chosen by a stated rule.

Rules kept here:

* **One parameter, one rule.** ``topic_unit`` is ``"paragraph"`` (every unit is
  a document), ``"article"`` (the units of an article are one document) or
  ``"auto"``, which applies :data:`TOPIC_UNIT_RULE`. Methods and notebook 02
  state the rule from the same template (:func:`topic_unit_rule_text`).
* **Why the rule.** LDA learns a document's topic mix from the words of that
  document. A document of a handful of tokens cannot hold a mix: its topic
  distribution is close to one-hot, so topics never co-occur in it, and the
  topic network of ANTMN, whose edges *are* co-occurrence, is flat by
  construction, whatever the corpus says. Short-text studies find LDA's topics
  and mixtures degrade when documents are this short (Tang et al. 2014;
  Qiang et al. 2022), and Walter & Ophir (2019) fit whole articles.
* **Documents must outnumber topics.** The K range is cut to fewer topics than
  documents (:func:`fit_k_range`); a range that cannot be cut so is refused in
  one line naming the parameter.
* **Streamed.** Article documents are written as a Matrix Market file one
  article at a time; the units' bags of words are never held together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AnalysisError

#: Settings of the parameter ``topic_unit``.
TOPIC_UNITS = ("article", "paragraph", "auto")

#: Below this median length (tokens after preprocessing, over the units that keep any), ``auto`` fits articles.
MIN_PARAGRAPH_TOKENS = 20

#: The rule ``topic_unit: auto`` applies, as the site states it (one template; see :func:`topic_unit_rule_text`).
TOPIC_UNIT_RULE = (
    "whole articles are the documents when the median unit has fewer than {min_tokens} tokens after "
    "preprocessing, and units (paragraphs) otherwise. So short a document holds too few words for a mixture of "
    "topics: its topic distribution is nearly one topic, topics cannot co-occur in it, and the topic network, "
    "whose links are co-occurrence, is flat by construction{short}. ANTMN fits articles{walter}. Paragraphs are "
    "kept when there are no more articles than the smallest K, because a topic model needs more documents than topics"
)


def topic_unit_rule_text(min_tokens: int | None = None, *, cite: bool = False) -> str:
    """Return the ``auto`` rule with its threshold filled in (``cite``: with pandoc citations, for Methods).

    >>> topic_unit_rule_text().startswith("whole articles are the documents when the median unit has fewer than 20")
    True
    >>> "[@walter2019]" in topic_unit_rule_text(cite=True)
    True
    """
    return TOPIC_UNIT_RULE.format(
        min_tokens=MIN_PARAGRAPH_TOKENS if min_tokens is None else int(min_tokens),
        short=" [@tang2014; @qiang2022]" if cite else "", walter=" [@walter2019]" if cite else "")


@dataclass(frozen=True)
class TopicUnit:
    """The document the model is fitted on (``"article"`` or ``"paragraph"``) and the sentence that says why."""

    unit: str
    reason: str

    @property
    def noun(self) -> str:
        """"articles" or "paragraphs", for sentences."""
        return f"{self.unit}s"


def choose_topic_unit(setting: str, unit_lengths, n_articles: int, k_needed: int) -> TopicUnit:
    """Apply ``topic_unit`` (:data:`TOPIC_UNIT_RULE` for ``"auto"``) and say why.

    ``unit_lengths`` are the tokens of every unit (empty units are ignored),
    ``n_articles`` the articles that keep any token, ``k_needed`` the smallest K
    to be fitted (``n_topics`` or ``k_min``).

    Examples
    --------
    >>> choose_topic_unit("auto", [9, 10, 12], n_articles=5, k_needed=3).unit
    'article'
    >>> choose_topic_unit("auto", [40, 35, 60], n_articles=5, k_needed=3).unit
    'paragraph'
    >>> choose_topic_unit("auto", [9, 10, 12], n_articles=3, k_needed=3).unit
    'paragraph'
    """
    if setting not in TOPIC_UNITS:
        raise AnalysisError(f"parameter topic_unit must be one of {', '.join(TOPIC_UNITS)}, got {setting!r}")
    lengths = np.asarray(unit_lengths, dtype=float)
    lengths = lengths[lengths > 0]
    median = float(np.median(lengths)) if len(lengths) else 0.0
    measured = f"the median unit has {median:g} tokens after preprocessing"
    if setting != "auto":
        return TopicUnit(setting, f"The documents of the topic model are {setting}s, as the parameter topic_unit "
                                  f"sets ({measured}).")
    if median >= MIN_PARAGRAPH_TOKENS:
        return TopicUnit("paragraph", f"The documents of the topic model are paragraphs (units): {measured}, at "
                                      f"least the {MIN_PARAGRAPH_TOKENS} the rule asks for (topic_unit auto).")
    if n_articles <= k_needed:
        return TopicUnit("paragraph", f"The documents of the topic model are paragraphs (units), although {measured} "
                                      f"(fewer than {MIN_PARAGRAPH_TOKENS}): the {n_articles} articles are too few "
                                      f"for K = {k_needed} topics (topic_unit auto). Read the topic network with care: "
                                      "topics can hardly co-occur in so short a document.")
    return TopicUnit("article", f"The documents of the topic model are whole articles: {measured}, fewer than the "
                                f"{MIN_PARAGRAPH_TOKENS} the rule asks for, so topics could not co-occur in a "
                                "paragraph (topic_unit auto).")


def fit_k_range(ks: list[int], n_docs: int, *, fixed: bool, unit: str = "document") -> tuple[list[int], str]:
    """Return the K values that ``n_docs`` documents can be fitted with, and a sentence when the range was cut.

    A topic model needs more documents than topics. A sweep is cut to
    ``K < n_docs``; a fixed K, or a sweep whose smallest K is already too
    large, is refused in one line naming the parameter.

    Examples
    --------
    >>> fit_k_range([3, 4, 5, 6], 5, fixed=False, unit="article")
    ([3, 4], 'The sweep was cut from K = 3–6 to K = 3–4: a topic model needs more documents than topics, and there are 5 articles.')
    >>> fit_k_range([3, 4], 10, fixed=False)
    ([3, 4], '')
    """
    if n_docs < 3:
        raise AnalysisError(f"too few non-empty {unit}s ({n_docs}) for a topic model; at least 3 are needed")
    kept = [k for k in ks if k < n_docs]
    if fixed and not kept:
        raise AnalysisError(f"parameter n_topics ({ks[0]}) must be smaller than the number of non-empty "
                            f"{unit}s ({n_docs})")
    if not kept:
        raise AnalysisError(f"parameter k_min ({min(ks)}) must be smaller than the number of non-empty "
                            f"{unit}s ({n_docs})")
    if kept == ks:
        return ks, ""
    return kept, (f"The sweep was cut from K = {ks[0]}–{ks[-1]} to K = {kept[0]}–{kept[-1]}: a topic model needs "
                  f"more documents than topics, and there are {n_docs} {unit}s.")


def _article_order(articles: pd.Series) -> tuple[list[str], list[np.ndarray]]:
    """Articles in order of first appearance, and the corpus positions of each one's units."""
    codes, uniques = pd.factorize(articles, sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return [str(a) for a in uniques], [order[bounds[i]:bounds[i + 1]] for i in range(len(uniques))]


def _merged(docs) -> list[tuple[int, int]]:
    counts: dict[int, int] = {}
    for doc in docs:
        for term, n in doc:
            counts[int(term)] = counts.get(int(term), 0) + int(n)
    return sorted(counts.items())


def article_corpus(corpus, ids: pd.DataFrame, path: Path):
    """Write every article's bag of words (the sum of its units') to ``path`` and return it with its ids.

    Returns ``(corpus, doc_ids)``: a streamed ``MmCorpus`` with one document per
    article, in order of first appearance, and a DataFrame (``document_id``,
    ``article_id``) whose row i is document i. Units of one article are
    usually adjacent (reading order); when they are not, they are read by
    position, so the result is the same.

    Examples
    --------
    >>> import tempfile
    >>> ids = pd.DataFrame({"unit_id": ["a-p0", "b-p0", "a-p1"], "article_id": ["a", "b", "a"]})
    >>> c, d = article_corpus([[(0, 1)], [(1, 2)], [(0, 1), (2, 1)]], ids, Path(tempfile.mkdtemp()) / "a.mm")
    >>> [list(doc) for doc in c], d["document_id"].tolist()
    ([[(0, 2.0), (2, 1.0)], [(1, 2.0)]], ['a', 'b'])
    """
    from gensim.corpora import MmCorpus

    names, members = _article_order(ids["article_id"])
    adjacent = all(len(m) == 0 or m[-1] - m[0] == len(m) - 1 for m in members)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    MmCorpus.serialize(str(path), _article_bows(corpus, members, adjacent))
    return MmCorpus(str(path)), pd.DataFrame({"document_id": names, "article_id": names})


def _article_bows(corpus, members: list[np.ndarray], adjacent: bool):
    if not adjacent:
        for positions in members:
            yield _merged(corpus[int(i)] for i in positions)
        return
    ends = {int(m[-1]): k for k, m in enumerate(members)}
    current = []
    for i, doc in enumerate(corpus):
        current.append(doc)
        if i in ends:
            yield _merged(current)
            current = []


def unit_documents(ids: pd.DataFrame) -> pd.DataFrame:
    """The document ids of a paragraph-level fit: each unit is its own document.

    >>> unit_documents(pd.DataFrame({"unit_id": ["a-p0"], "article_id": ["a"]})).columns.tolist()
    ['document_id', 'article_id']
    """
    return pd.DataFrame({"document_id": ids["unit_id"].astype(str), "article_id": ids["article_id"].astype(str)})


class ArticleTokens:
    """Re-iterable token lists of whole articles (their units' tokens in reading order), as :func:`article_corpus` orders them.

    Coherence of an article model is scored on articles, as the model was fitted.

    >>> toks = [["a"], ["b"], ["c"]]
    >>> ids = pd.DataFrame({"unit_id": ["x-p0", "y-p0", "x-p1"], "article_id": ["x", "y", "x"]})
    >>> list(ArticleTokens(toks, ids))
    [['a', 'c'], ['b']]
    """

    def __init__(self, texts, ids: pd.DataFrame):
        self.texts = texts
        self.names, members = _article_order(ids["article_id"])
        self.adjacent = all(len(m) == 0 or m[-1] - m[0] == len(m) - 1 for m in members)
        self.ends = {int(m[-1]) for m in members if len(m)}
        self.article = ids["article_id"].astype(str).tolist()

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self):
        if not self.adjacent:  # units of an article apart: gather them (rare; the corpus stage writes reading order)
            whole: dict[str, list[str]] = {name: [] for name in self.names}
            for article, tokens in zip(self.article, self.texts):
                whole[article].extend(tokens)
            yield from whole.values()
            return
        current: list[str] = []
        for i, tokens in enumerate(self.texts):
            current.extend(tokens)
            if i in self.ends:
                yield current
                current = []


@dataclass
class FitDocuments:
    """The documents a model is fitted on: bag of words, token lists (for coherence), ids and lengths.

    ``ids`` has ``document_id`` and ``article_id``; row i is document i of
    ``corpus`` and of ``texts``. ``lengths`` counts every document's tokens.
    """

    topic_unit: TopicUnit
    corpus: object
    texts: object
    ids: pd.DataFrame
    lengths: np.ndarray

    @property
    def n_documents(self) -> int:
        """Documents that keep any token (the others carry no evidence about topics)."""
        return int((self.lengths > 0).sum())


def fit_documents(corpus, texts, ids: pd.DataFrame, unit_lengths: np.ndarray, setting: str, k_needed: int,
                  folder: Path) -> FitDocuments:
    """Choose the model's document (:func:`choose_topic_unit`) and return the documents at that level.

    ``corpus``, ``texts`` and ``ids`` (``unit_id``, ``article_id``) are the
    units'; article documents are written into ``folder``.
    """
    from .model import doc_lengths

    n_articles = ids.loc[np.asarray(unit_lengths) > 0, "article_id"].nunique()
    unit = choose_topic_unit(setting, unit_lengths, n_articles, k_needed)
    if unit.unit == "paragraph":
        return FitDocuments(unit, corpus, texts, unit_documents(ids), np.asarray(unit_lengths))
    articles, doc_ids = article_corpus(corpus, ids, Path(folder) / "articles.mm")
    return FitDocuments(unit, articles, ArticleTokens(texts, ids), doc_ids, doc_lengths(articles))
