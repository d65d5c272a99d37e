"""Real news text for the benchmarks: kumparan's news sentences from the ``nlp-id`` package.

Source
    ``nlp-id`` 0.1.23.0 on PyPI (kumparan's NLP services, repository
    ``kumparan/NLP-ID`` on GitHub), file ``nlp_id/data/dataset_postag.txt``
    inside the wheel: 32,851 part-of-speech-tagged sentences (one token and
    its tag per line, a blank line after each sentence). The package README
    says its tagger "is trained using stories from kumparan as the dataset":
    the sentences are from kumparan.com, an Indonesian online news outlet,
    2018–2019 (Asian Games 2018, Garuda's A330-900neo, Tokopedia). They come
    shuffled: consecutive sentences are from different stories.
Licence
    MIT, "Copyright (c) 2025 kumparan.com": the wheel's ``LICENSE`` file and
    its metadata (``License: MIT``); the copyright holder is the outlet itself
    and the data file is part of the licensed package. Keep the notice with
    any copy. The text is never committed here: it is rebuilt from the
    registry on demand into ``benchmarks/corpora/`` (git-ignored).
Citation
    kumparan (2019–2025), *NLP-ID: kumparan's NLP Services*, version 0.1.23.0,
    Zenodo, doi:10.5281/zenodo.4556870.

Rules this module keeps:

* **Deterministic.** The data file's sha256 is checked against the pinned
  one; the same wheel gives the same Parquet bytes.
* **One sentence, one article.** The sentences are shuffled, so grouping them
  would make articles of unrelated stories; each sentence becomes an article
  of one paragraph (``--per-article N`` groups N consecutive sentences as N
  paragraphs, for scaling runs that need more units per article, knowing the
  articles are then not coherent). Fragments of fewer than 5 words (the
  default ``min_unit_words``: "RT .", address pieces the tokenizer split off)
  are left out, since the corpus stage would drop them anyway and leave
  empty articles.
* **Detokenized as written.** The tokens are joined with the spelling rules
  the tokenizer undid: no space before closing punctuation or after opening
  brackets, paired straight quotes attached inward, and the enclitics the
  tokenizer splits (``nya``, ``lah``, ``kah``, ``ku``, ``mu``) joined to the
  word before them (``ada nya`` → ``adanya``). ``pun`` stays apart, as the
  standard spelling writes ``apa pun``.
* The Parquet file has the columns :mod:`generate` writes (``id``, ``text``,
  ``title``, ``outlet``, ``date``); outlet is ``kumparan``; title and date
  are unknown (null), so the corpus stage takes none.

Usage::

    .venv/bin/python benchmarks/realtext.py                      # pip-downloads nlp-id==0.1.23.0
    .venv/bin/python benchmarks/realtext.py --wheel nlp_id-0.1.23.0-py3-none-any.whl
    .venv/bin/python -m analysis run --corpus benchmarks/corpora/kumparan-0.1.23.0.parquet
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from analysis.errors import AnalysisError

CORPORA = Path(__file__).resolve().parent / "corpora"
PACKAGE, VERSION = "nlp-id", "0.1.23.0"
MEMBER = "nlp_id/data/dataset_postag.txt"
# sha256 of MEMBER in nlp-id 0.1.23.0: another release may hold other sentences,
# and a benchmark corpus must not change under the same name.
MEMBER_SHA256 = "c2b6ef45dc1c5ddb8df0a6b2e0cf28270a9ff0a7518f71c9a60a5e0dbf8aa9b0"
OUTLET = "kumparan"
MIN_WORDS = 5
CONVERTER_VERSION = 1

_NO_SPACE_BEFORE = frozenset(",.:;?!)]%…")
_NO_SPACE_AFTER = frozenset("([")
_ENCLITICS = frozenset(("nya", "lah", "kah", "ku", "mu"))
_QUOTES = frozenset(('"', "'"))


def fetch(out_dir: Path, version: str = VERSION) -> Path:
    """Download the ``nlp-id`` wheel into ``out_dir`` with pip (no dependencies); return its path.

    Examples
    --------
    >>> fetch(Path(tempfile.mkdtemp())).name  # doctest: +SKIP
    'nlp_id-0.1.23.0-py3-none-any.whl'
    """
    out_dir = Path(out_dir)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           f"{PACKAGE}=={version}", "-d", str(out_dir)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    wheels = sorted(out_dir.glob(f"nlp_id-{version}-*.whl"))
    if done.returncode != 0 or not wheels:
        last = (done.stderr.strip().splitlines() or ["no wheel"])[-1]
        raise AnalysisError(f"pip download {PACKAGE}=={version} failed: {last}", path=out_dir)
    return wheels[0]


def read_sentences(lines: Iterable[str]) -> Iterator[list[tuple[str, str]]]:
    """Yield the sentences of a token-per-line file as lists of ``(token, tag)``.

    Examples
    --------
    >>> list(read_sentences(["Saya\\tPR", "pergi\\tVB", "", "Ya\\tUH", ""]))
    [[('Saya', 'PR'), ('pergi', 'VB')], [('Ya', 'UH')]]
    """
    sentence: list[tuple[str, str]] = []
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        if not fields[0].strip():
            if sentence:
                yield sentence
            sentence = []
            continue
        sentence.append((fields[0], fields[1] if len(fields) > 1 else ""))
    if sentence:
        yield sentence


def detokenize(tokens: list[str]) -> str:
    """Return the sentence as written from its tokens.

    Examples
    --------
    >>> detokenize('" Ada nya ( kata dia ) 50 % , apa kah benar ? "'.split())
    '"Adanya (kata dia) 50%, apakah benar?"'
    >>> detokenize("Ma ' ruf datang .".split())
    "Ma'ruf datang."
    """
    # A quote character that occurs an even number of times pairs up (open,
    # close, open, ...); an odd one out is an apostrophe split off a word.
    paired = {q: tokens.count(q) % 2 == 0 for q in _QUOTES}
    seen = dict.fromkeys(_QUOTES, 0)
    out = ""
    glue = True  # no space before the next token
    for token in tokens:
        if token in _QUOTES:
            seen[token] += 1
            if not paired[token]:
                out, glue = out + token, True
            elif seen[token] % 2:  # opening: spaced before, glued after
                out, glue = out + ("" if glue else " ") + token, True
            else:  # closing: glued before
                out, glue = out + token, False
            continue
        joins = (token in _NO_SPACE_BEFORE or (token.lower() in _ENCLITICS and out[-1:].isalpha()))
        out += token if glue or joins else " " + token
        glue = token in _NO_SPACE_AFTER
    return out


def _articles(sentences: Iterable[list[tuple[str, str]]], per_article: int) -> Iterator[str]:
    group: list[str] = []
    for sentence in sentences:
        text = detokenize([token for token, _ in sentence])
        if sum(any(c.isalpha() for c in w) for w in text.split()) < MIN_WORDS:
            continue
        group.append(text)
        if len(group) == per_article:
            yield "\n\n".join(group)
            group = []
    if group:
        yield "\n\n".join(group)


def _member_lines(wheel: Path) -> list[str]:
    try:
        with zipfile.ZipFile(wheel) as archive:
            raw = archive.read(MEMBER)
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise AnalysisError(f"not an nlp-id wheel with {MEMBER} ({exc})", path=wheel) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != MEMBER_SHA256:
        raise AnalysisError(f"{MEMBER} has sha256 {digest[:12]}…, expected {MEMBER_SHA256[:12]}… "
                            f"(the data of {PACKAGE} {VERSION})", path=wheel)
    return raw.decode("utf-8").splitlines()


def build(wheel: Path, out_dir: Path | None = None, *, per_article: int = 1,
          lines: list[str] | None = None) -> Path:
    """Convert the wheel's sentences into ``kumparan-<version>.parquet`` in ``out_dir``; return its path.

    ``lines`` replaces the wheel's data file (tests use a tiny fixture in the
    same format; the sha256 check is then skipped). A ``.json`` beside the
    table states the source, licence and counts.

    Examples
    --------
    >>> out = Path(tempfile.mkdtemp())
    >>> table = build(out / "x.whl", out, lines=["Harga", "cabai", "naik", "lagi", "hari", "ini", "."])
    >>> pq.read_table(table).column("text").to_pylist()
    ['Harga cabai naik lagi hari ini.']
    """
    if not isinstance(per_article, int) or per_article < 1:
        raise AnalysisError(f"must be a positive integer, got {per_article!r}", path="per_article")
    source_lines = _member_lines(Path(wheel)) if lines is None else lines
    out_dir = Path(out_dir or CORPORA)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "" if per_article == 1 else f"-x{per_article}"
    table_path = out_dir / f"kumparan-{VERSION}{suffix}.parquet"
    texts = list(_articles(read_sentences(source_lines), per_article))
    if not texts:
        raise AnalysisError(f"no sentence of {MIN_WORDS} words or more", path=wheel)
    schema = pa.schema([(name, pa.string()) for name in ("id", "text", "title", "outlet", "date")])
    table = pa.table({"id": [f"kumparan{i:06d}" for i in range(len(texts))], "text": texts,
                      "title": [None] * len(texts), "outlet": [OUTLET] * len(texts), "date": [None] * len(texts)},
                     schema=schema)
    pq.write_table(table, table_path, row_group_size=5_000)
    stamp = {"converter": CONVERTER_VERSION, "package": f"{PACKAGE}=={VERSION}", "member": MEMBER,
             "member_sha256": MEMBER_SHA256 if lines is None else None, "licence": "MIT (c) kumparan.com",
             "per_article": per_article, "articles": len(texts),
             "paragraphs": sum(t.count("\n\n") + 1 for t in texts)}
    table_path.with_suffix(".json").write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    return table_path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Build a benchmark corpus of real Indonesian news sentences (nlp-id, MIT).")
    p.add_argument("--wheel", type=Path, help=f"a downloaded {PACKAGE} {VERSION} wheel (default: pip download it)")
    p.add_argument("--out", type=Path, default=CORPORA, help="output folder (default benchmarks/corpora)")
    p.add_argument("--per-article", type=int, default=1,
                   help="consecutive sentences per article, one paragraph each (default 1; >1 mixes stories)")
    args = p.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            wheel = args.wheel or fetch(Path(tmp))
            table = build(wheel, args.out, per_article=args.per_article)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{json.loads(table.with_suffix('.json').read_text())['articles']} articles: {table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
