"""Synthetic corpora for the benchmarks: Indonesian-like news articles at any size.

Rules this module keeps:

* **Seeded.** Everything random draws from one ``numpy.random.Generator``
  built from ``seed``; the same seed and size give the same bytes.
* **Realistic shape.** The vocabulary is the default corpus's own words
  (``data/raw/ru-alliances-id``, read through the corpus stage and tokenized
  by the text stage, stopwords included, with their observed frequencies)
  plus a Zipfian tail of synthetic Indonesian-like words (syllables and
  Indonesian affixes), so vocabulary growth with corpus size resembles real
  news. Each article is a mixture of ``n_topics`` planted topics (sparse
  Dirichlet weights) over background words, has 8–20 paragraphs and 400–700
  words in total, a title and a dateline ("JAKARTA, Outlet.com - ", followed
  by a date such as "Rabu (19/6/2024)") that the corpus stage parses.
* **Never in git.** Corpora go to ``benchmarks/corpora/`` (git-ignored) as a
  folder of ``.txt`` files and as one Parquet file (``id``, ``text``,
  ``title``, ``outlet``, ``date``), with a ``generator.json`` stating the
  parameters. A corpus whose ``generator.json`` matches is reused.

Usage::

    .venv/bin/python benchmarks/generate.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import corpus, text

from analysis.paths import DATA_RAW, DEFAULT_CORPUS
from analysis.errors import AnalysisError

CORPORA = Path(__file__).resolve().parent / "corpora"
GENERATOR_VERSION = 2

# Outlets and places of the datelines: invented names in the shape of real
# Indonesian online outlets, so that no real outlet is misattributed.
OUTLETS = ("Kabarnusa.com", "Warta24.id", "Beritaraya.co", "Suaratimur.com", "Harianpagi.id",
           "Lensanews.co.id", "Detakkota.com", "Nusantarapost.id")
PLACES = ("JAKARTA", "BANDUNG", "SURABAYA", "MOSKOW", "BEIJING", "PYONGYANG", "WASHINGTON", "MEDAN")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

_ONSETS = ("b", "c", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "y", "ng", "ny", "")
_VOWELS = ("a", "a", "i", "u", "e", "o")
_CODAS = ("", "", "", "n", "ng", "r", "k", "t", "s", "l", "m", "h")
_PREFIXES = ("", "", "", "me", "mem", "men", "ber", "di", "pe", "per", "ke", "ter")
_SUFFIXES = ("", "", "", "kan", "an", "nya", "i")


def seed_vocabulary(raw: Path | None = None) -> Counter:
    """Return the word frequencies of the default corpus (or ``raw``), stopwords included.

    The corpus stage reads and cleans the raw files; the text stage's tokenizer
    splits the units, so the synthetic words look like the ones the pipeline
    will see.

    Examples
    --------
    >>> vocab = seed_vocabulary()
    >>> vocab["rusia"] > 10
    True
    """
    raw = raw or DATA_RAW / DEFAULT_CORPUS
    with tempfile.TemporaryDirectory() as tmp:
        summary = corpus.build_corpus(raw, Path(tmp), seed=0)
        units = summary.units()
    counts: Counter = Counter()
    for unit in units["text"]:
        counts.update(t for t in text.tokenize(unit, "id") if t.isalpha())
    if not counts:
        raise AnalysisError("no words in the seed corpus", path=raw)
    return counts


def synthetic_words(n: int, *, seed: int) -> list[str]:
    """Return ``n`` distinct Indonesian-like words (affix + 2–3 syllables + affix).

    Examples
    --------
    >>> words = synthetic_words(5, seed=1)
    >>> len(set(words)), all(w.isalpha() for w in words)
    (5, True)
    """
    rng = np.random.default_rng(seed)
    words: dict[str, None] = {}
    parts = [np.array(p, dtype=object) for p in (_PREFIXES, _ONSETS, _VOWELS, _CODAS, _SUFFIXES)]
    pre, ons, vow, cod, suf = parts
    while len(words) < n:
        m = 2 * (n - len(words)) + 100
        pick = lambda a, size=m: a[rng.integers(len(a), size=size)]  # noqa: E731
        two = pick(ons) + pick(vow) + pick(ons) + pick(vow)
        third = np.where(rng.random(m) < 0.5, pick(ons) + pick(vow), "")
        candidates = pick(pre) + two + third + pick(cod) + pick(suf)
        for word in candidates:
            if 4 <= len(word) <= 16 and len(words) < n:
                words.setdefault(word)
    return list(words)


class _Sampler:
    """Draws the words of articles from background and planted-topic distributions."""

    def __init__(self, vocab: Counter, *, n_tail: int, n_topics: int, seed: int):
        rng = np.random.default_rng(seed)
        seed_words = [w for w, _ in vocab.most_common()]
        seed_freq = np.array([vocab[w] for w in seed_words], dtype=float)
        tail = [w for w in synthetic_words(n_tail, seed=seed + 1) if w not in vocab]
        self.words = np.array(seed_words + tail, dtype=object)
        # Background: the seed words keep their observed frequencies (function
        # words dominate, as in real text); the synthetic tail follows Zipf's law
        # (exponent 1.07, the usual estimate for news text) and carries a third
        # of the background mass, so new words keep appearing as the corpus grows.
        ranks = np.arange(1, len(tail) + 1, dtype=float)
        tail_p = ranks ** -1.07
        background = np.concatenate([seed_freq / seed_freq.sum() * 2 / 3, tail_p / tail_p.sum() / 3])
        self.background = background / background.sum()
        # Planted topics: 30 content words from the seed (length >= 5, outside the
        # 150 most frequent, so not function words) and 30 from the tail, each
        # topic with Zipfian weights over its own words.
        content = np.array([i for i, w in enumerate(seed_words[150:], start=150) if len(w) >= 5])
        tail_ids = np.arange(len(seed_words), len(self.words))
        self.topics = []
        for _ in range(n_topics):
            ids = np.concatenate([rng.choice(content, 30, replace=False), rng.choice(tail_ids[:20_000], 30, replace=False)])
            weights = np.arange(1, len(ids) + 1, dtype=float) ** -0.8
            self.topics.append((ids, weights / weights.sum()))
        self.n_topics = n_topics

    def article(self, rng: np.random.Generator) -> tuple[str, list[list[str]]]:
        n_words = int(rng.integers(394, 695))  # + the 6-word dateline = 400–700 words in the body
        n_paragraphs = int(rng.integers(8, 21))
        theta = rng.dirichlet(np.full(self.n_topics, 0.3))
        from_topic = rng.random(n_words) < 0.45  # 45 % topical words, the rest background
        ids = rng.choice(len(self.words), size=n_words, p=self.background)
        topic_of = rng.choice(self.n_topics, size=int(from_topic.sum()), p=theta)
        picks = np.empty(len(topic_of), dtype=ids.dtype)
        for t in np.unique(topic_of):
            where = topic_of == t
            picks[where] = rng.choice(self.topics[t][0], size=int(where.sum()), p=self.topics[t][1])
        ids[from_topic] = picks
        words = list(self.words[ids])
        # Paragraph lengths: at least 12 words each (above min_unit_words), the rest shared at random.
        extra = rng.multinomial(n_words - 12 * n_paragraphs, np.full(n_paragraphs, 1 / n_paragraphs))
        cuts = np.cumsum(12 + extra)[:-1]
        paragraphs = [list(p) for p in np.split(np.array(words, dtype=object), cuts)]
        title = [str(w) for w in self.words[rng.choice(len(self.words), size=int(rng.integers(6, 11)), p=self.background)]]
        return " ".join(title).title(), paragraphs


def _sentences(words: list[str], rng: np.random.Generator) -> str:
    out, i = [], 0
    while i < len(words):
        n = int(rng.integers(8, 21))
        chunk = [str(w) for w in words[i : i + n]]
        chunk[0] = chunk[0].capitalize()
        out.append(" ".join(chunk) + ".")
        i += n
    return " ".join(out)


def generate(n_articles: int, out_dir: Path | None = None, *, seed: int = 20240619, n_topics: int = 12,
             n_tail: int = 60_000, force: bool = False) -> tuple[Path, Path]:
    """Write ``n_articles`` synthetic articles; return ``(txt_folder, parquet_file)``.

    Parameters
    ----------
    n_articles : int
        Number of articles (at least 1).
    out_dir : Path, optional
        Where ``synth-<n>/`` and ``synth-<n>.parquet`` go (default ``benchmarks/corpora``).
    seed : int
        Seed of every random draw.
    n_topics : int
        Planted topics.
    n_tail : int
        Size of the synthetic Zipfian vocabulary tail.
    force : bool
        Regenerate even if a matching corpus exists.

    Examples
    --------
    >>> import tempfile
    >>> folder, table = generate(3, Path(tempfile.mkdtemp()), seed=1, n_tail=2000)
    >>> len(list(folder.glob("*.txt")))
    3
    """
    if not isinstance(n_articles, int) or n_articles < 1:
        raise AnalysisError(f"must be a positive integer, got {n_articles!r}", path="n_articles")
    out_dir = Path(out_dir or CORPORA)
    folder, table = out_dir / f"synth-{n_articles}", out_dir / f"synth-{n_articles}.parquet"
    spec = {"version": GENERATOR_VERSION, "n_articles": n_articles, "seed": seed, "n_topics": n_topics, "n_tail": n_tail}
    stamp = folder / "generator.json"
    if not force and stamp.exists() and table.exists() and json.loads(stamp.read_text()) == spec:
        return folder, table
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sampler = _Sampler(seed_vocabulary(), n_tail=n_tail, n_topics=n_topics, seed=seed)
    rng = np.random.default_rng(seed)
    start = dt.date(2022, 1, 1)
    schema = pa.schema([(name, pa.string()) for name in ("id", "text", "title", "outlet", "date")])
    rows: dict[str, list] = {name: [] for name in schema.names}
    with pq.ParquetWriter(table, schema) as writer:
        for i in range(n_articles):
            title, paragraphs = sampler.article(rng)
            outlet, place = OUTLETS[int(rng.integers(len(OUTLETS)))], PLACES[int(rng.integers(len(PLACES)))]
            day = start + dt.timedelta(days=int(rng.integers(0, 1000)))
            when = f"{WEEKDAYS[day.weekday()]} ({day.day}/{day.month}/{day.year})"
            body = [_sentences(p, rng) for p in paragraphs]
            body[0] = f"{place}, {outlet} - Pada {when}, {body[0][0].lower()}{body[0][1:]}"
            article_text = "\n\n".join(body)
            article_id = f"synth{i:06d}"
            (folder / f"{article_id}.txt").write_text(f"{title}\n\n{article_text}\n", encoding="utf-8")
            for name, value in zip(schema.names, (article_id, article_text, title, outlet, day.isoformat())):
                rows[name].append(value)
            if len(rows["id"]) >= 2_000 or i == n_articles - 1:
                writer.write_table(pa.table(rows, schema=schema))
                rows = {name: [] for name in schema.names}
    stamp.write_text(json.dumps(spec), encoding="utf-8")
    return folder, table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Generate synthetic Indonesian-like news corpora.")
    p.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of articles")
    p.add_argument("--out", type=Path, default=CORPORA, help="output folder (default benchmarks/corpora)")
    p.add_argument("--seed", type=int, default=20240619)
    p.add_argument("--force", action="store_true", help="regenerate even if a matching corpus exists")
    args = p.parse_args(argv)
    try:
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            folder, table = generate(size, args.out, seed=args.seed, force=args.force)
            print(f"{size} articles: {folder} and {table}")
    except (AnalysisError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
