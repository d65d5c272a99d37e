"""Fixtures of the corpus tests: the Indonesian rules, and the seed corpus built once by the corpus stage."""

from __future__ import annotations

import pytest

from analysis import corpus

from .samples import SEEDS


@pytest.fixture(scope="session")
def rules():
    return corpus.load_rules("id")


@pytest.fixture(scope="session")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    summary = corpus.build_corpus(SEEDS, out)
    return summary, summary.articles().set_index("article_id"), summary.units(), summary.cleaning_log()
