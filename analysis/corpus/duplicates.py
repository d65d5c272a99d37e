"""Duplicates: exact and near-duplicate articles, found in reading order.

Rules this module keeps:

* An exact duplicate has the same text up to case and whitespace; a near
  duplicate has an estimated Jaccard similarity of its word 5-grams of at
  least :data:`NEAR_DUPLICATE_THRESHOLD` (MinHash LSH) with an earlier
  article. A duplicate points at the first article it repeats.
* Duplicates are marked, never removed here: the corpus stage decides
  (``drop_duplicates``) whether their units are left out.
* The MinHash permutations take an explicit seed.
"""

from __future__ import annotations

import hashlib
import itertools
import re

# The estimated Jaccard similarity of word 5-grams from which two articles
# count as near duplicates. A constant of the method, not a run parameter (no
# notebook sets it); the corpus manifest records it, so the notebook and
# Methods report the value used.
NEAR_DUPLICATE_THRESHOLD = 0.8
# Near-duplicate signatures use word 5-grams over at most this many words:
# copies of the same wire story already agree in their opening, and a cap
# keeps a 50 MB article from taking minutes to hash.
SHINGLE_WORDS = 5
_MAX_SIGNATURE_WORDS = 200_000
_NUM_PERM = 128

_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_WORD_END = re.compile(r"\S\s")


class DuplicateFinder:
    """Exact (normalised text) and near (MinHash LSH) duplicate finder, in reading order.

    Examples
    --------
    >>> finder = DuplicateFinder(seed=1)
    >>> finder.check("a", "Rusia dan Korea Utara"), finder.check("b", "rusia  dan korea utara")
    ('', 'a')
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD, seed: int = 0):
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.seed = seed
        self.exact: dict[str, str] = {}
        self.lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
        self.signatures: dict[str, object] = {}

    def check(self, article_id: str, text: str) -> str:
        """Return the id of the earlier article that ``text`` repeats, or ``""``; remember it otherwise."""
        return self.check_fingerprint(article_id, *fingerprint(text, self.seed))

    def check_fingerprint(self, article_id: str, key: str, signature) -> str:
        """:meth:`check` on a :func:`fingerprint` computed elsewhere (with this finder's seed), e.g. in a worker."""
        if key in self.exact:
            return self.exact[key]
        self.exact[key] = article_id
        matches = sorted(c for c in self.lsh.query(signature) if self.signatures[c].jaccard(signature) >= self.threshold)
        if matches:
            return matches[0]
        self.lsh.insert(article_id, signature)
        self.signatures[article_id] = signature
        return ""


def fingerprint(text: str, seed: int = 0) -> tuple[str, object]:
    """Return what :class:`DuplicateFinder` compares: the normalised text's sha256 and the MinHash of its 5-grams.

    It depends on the text and the seed alone, so it can be computed for many
    articles at once, anywhere; the check itself runs in reading order.

    >>> fingerprint("Rusia  dan Korea")[0] == fingerprint("rusia dan korea")[0]
    True
    """
    from datasketch import LeanMinHash

    # Lean: the hash values and seed only, the same comparisons at a fraction of the size (kept for every article).
    return _normalised_sha256(text), LeanMinHash(_signature(text, seed))


def _signature(text: str, seed: int):
    from datasketch import MinHash

    words = [m.group(0).casefold() for m in itertools.islice(_WORD.finditer(text), _MAX_SIGNATURE_WORDS)]
    k = min(SHINGLE_WORDS, len(words)) or 1
    shingles = {" ".join(words[i:i + k]).encode("utf-8") for i in range(max(len(words) - k + 1, 1))}
    signature = MinHash(num_perm=_NUM_PERM, seed=seed)
    signature.update_batch(list(shingles))
    return signature


def _normalised_sha256(text: str, chunk: int = 1 << 20) -> str:
    # Case- and whitespace-insensitive hash, computed in chunks cut at
    # whitespace so a huge article is never copied whole.
    digest = hashlib.sha256()
    text = text.strip()
    pos = 0
    while pos < len(text):
        end = len(text) if pos + chunk >= len(text) else _next_space(text, pos + chunk)
        digest.update(_SPACES.sub(" ", text[pos:end].casefold()).encode("utf-8"))
        pos = end
    return digest.hexdigest()


def _next_space(text: str, start: int) -> int:
    # The start of the next whitespace run after a word, never inside a run.
    match = _WORD_END.search(text, start)
    return match.start() + 1 if match else len(text)
