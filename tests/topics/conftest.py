"""Fixtures of the topic stage's tests: one small run fitted twice with the same seed."""

from __future__ import annotations

import pytest

from analysis import topics

from .planted import FAST, block_corpus, write_run


@pytest.fixture(scope="package")
def two_runs(tmp_path_factory):
    """The same small run fitted twice with the same seed (plus one empty unit)."""
    _, texts = block_corpus(seed=0)
    texts = texts[:60] + [[]] + texts[60:]
    params = topics.TopicParams(k_min=2, k_max=4, n_stability_seeds=2, **FAST)
    results = []
    for name in ("first", "second"):
        paths = write_run(tmp_path_factory.mktemp(name), texts)
        results.append((paths, topics.fit_topics(paths, params=params, seed=11)))
    return results
