"""Corpora drawn from planted topics, and run folders written as the corpus and text stages would.

The corpora come from the LDA generative process with a fixed seed, so the
true topics are known: a fitted model must recover them, refits must agree
on them, and a topic the data cannot pin down must score as unstable.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary, MmCorpus

from analysis.registry import RunPaths

FAST = dict(passes=10, iterations=50)


def _generate(beta: np.ndarray, *, n_docs: int, doc_len: int, alpha: float, seed: int) -> list[list[str]]:
    """Draw documents by LDA's generative process from topic-word matrix ``beta``."""
    rng = np.random.default_rng(seed)
    n_topics, n_terms = beta.shape
    vocab = [f"w{i:03d}" for i in range(n_terms)]
    texts = []
    for theta in rng.dirichlet(np.full(n_topics, alpha), size=n_docs):
        counts = sum(rng.multinomial(n, beta[k]) for k, n in enumerate(rng.multinomial(doc_len, theta)))
        texts.append([vocab[i] for i in range(n_terms) for _ in range(counts[i])])
    return texts


def planted_corpus(seed: int = 0, n_topics: int = 3, n_terms: int = 30, n_docs: int = 150, doc_len: int = 50):
    """Topics drawn from a sparse Dirichlet, documents from the LDA generative process."""
    rng = np.random.default_rng(seed)
    beta = rng.dirichlet(np.full(n_terms, 0.05), size=n_topics)
    return beta, _generate(beta, n_docs=n_docs, doc_len=doc_len, alpha=0.2, seed=seed + 1)


def block_corpus(seed: int = 0, n_topics: int = 3, block: int = 8, n_docs: int = 90, doc_len: int = 40):
    """Topics on disjoint blocks of exchangeable words (uniform within the block)."""
    beta = np.kron(np.eye(n_topics), np.full((1, block), 1 / block))
    return beta, _generate(beta, n_docs=n_docs, doc_len=doc_len, alpha=0.1, seed=seed)


def bow_corpus(texts):
    dictionary = Dictionary(texts)
    # dictionary ids follow first appearance; the planted matrices index w000.. in order
    dictionary = Dictionary([sorted(dictionary.token2id)])
    return dictionary, [dictionary.doc2bow(t) for t in texts]


def aligned(beta: np.ndarray, dictionary) -> np.ndarray:
    """The planted matrix with columns in the dictionary's term order."""
    return beta[:, [int(dictionary[i][1:]) for i in range(len(dictionary))]]


def article_corpus(seed: int = 0, n_articles: int = 30, n_paragraphs: int = 6, paragraph_len: int = 8,
                   n_topics: int = 3, block: int = 8) -> tuple[np.ndarray, list[list[str]], list[str]]:
    """Articles drawn from planted topics (each article its own topic mix), cut into short paragraphs.

    Returns ``(beta, paragraph token lists, article id of each paragraph)``, paragraphs of one
    article adjacent, as the corpus stage writes them.
    """
    beta = np.kron(np.eye(n_topics), np.full((1, block), 1 / block))
    articles = _generate(beta, n_docs=n_articles, doc_len=n_paragraphs * paragraph_len, alpha=0.3, seed=seed)
    texts, ids = [], []
    rng = np.random.default_rng(seed + 7)
    for a, words in enumerate(articles):
        words = [words[i] for i in rng.permutation(len(words))]
        for p in range(n_paragraphs):
            texts.append(words[p * paragraph_len:(p + 1) * paragraph_len])
            ids.append(f"art{a:02d}")
    return beta, texts, ids


def write_run(root: Path, texts: list[list[str]], articles: list[str] | None = None) -> RunPaths:
    """Write a run folder as the corpus and text stages would, from token lists (articles: each unit's article)."""
    paths = RunPaths(root).create()
    n = len(texts)
    article = articles or [f"art{i % 4}" for i in range(n)]
    unit = [f"{a}-p{i:03d}" for i, a in enumerate(article)]
    pd.DataFrame({"unit_id": unit, "article_id": article, "tokens": texts}).to_parquet(paths.file("tokens"))
    dictionary = Dictionary([t for t in texts if t])
    dictionary.save(str(paths.file("dictionary")))
    MmCorpus.serialize(str(paths.file("bow")), (dictionary.doc2bow(t) for t in texts))
    text = [" ".join(t[:30]) + " <script>x</script>" for t in texts]
    pd.DataFrame({"unit_id": unit, "article_id": article, "position": range(n), "text": text}).to_parquet(
        paths.file("units"))
    if articles is None:
        meta = pd.DataFrame({
            "article_id": ["art0", "art1", "art2", "art3"],
            "outlet": ["Tempo", "WahanaNews.co", "Tempo", ""],
            "date": ["2024-06-23", "--06-19", "", "2023-09-13"],
            "date_precision": ["day", "day-no-year", "", "day"],
            "title": ["a", "b", "c", "d"],
        })
    else:
        names = list(dict.fromkeys(articles))
        meta = pd.DataFrame({"article_id": names, "outlet": ["Tempo", "Kompas"] * (len(names) // 2) +
                             ["Tempo"] * (len(names) % 2), "date": "2024-06-23", "date_precision": "day",
                             "title": [f"Title {a}" for a in names]})
    meta.to_parquet(paths.file("articles"))
    return paths
