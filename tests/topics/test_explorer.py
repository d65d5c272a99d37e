"""Tests for analysis.topics.explorer: the offline pyLDAvis page and representative units."""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary

from analysis import registry, topics

def test_explorer_is_offline_and_matches_the_tables(two_runs):
    paths, result = two_runs[0]
    html = paths.file("explorer").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "//d3js" not in html
    for asset in topics.EXPLORER_ASSETS:
        assert f'"{asset}"' in html and (paths.explorer / asset).stat().st_size > 0
    # sort_topics=False: the explorer's topic N has the table's topic N top-probability term among its terms
    terms = registry.read(paths, "topic_terms")
    for topic in range(1, result.n_topics + 1):
        assert terms[terms["topic"] == topic]["term"].iloc[0] in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine")
def test_explorer_renders_in_headless_chromium_without_network(two_runs):
    paths, result = two_runs[0]
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
               # no proxy and no name resolution: any network request fails
               "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--dump-dom", paths.file("explorer").as_uri()]
    if shutil.which("unshare") and os.geteuid() == 0:
        command = ["unshare", "-n", *command]  # a network namespace with no interfaces at all
    dom = subprocess.run(command, capture_output=True, text=True, timeout=90).stdout
    assert "<svg" in dom  # d3 and LDAvis ran from the local copies
    for topic in range(1, result.n_topics + 1):
        assert f'id="ldavis_topics-topic{topic}"' in dom


def _explorer_data(html: str) -> dict:
    import json
    import re

    match = re.search(r'new LDAvis\("#" \+ "ldavis_topics", (\{.*?\})\);', html, re.S)
    assert match, "no LDAvis data in the page"
    return json.loads(match.group(1))


@pytest.fixture
def explorer_inputs():
    dictionary = Dictionary([["alpha", "beta", "gamma", "delta", "unseen"]])
    ids = {dictionary[i]: i for i in range(len(dictionary))}
    topic_word = np.zeros((3, 5))
    for k, weights in enumerate([{"alpha": 0.4, "beta": 0.3}, {"gamma": 0.4, "delta": 0.3}, {}]):
        topic_word[k] = 0.1
        for word, w in weights.items():
            topic_word[k, ids[word]] = w
    topic_word /= topic_word.sum(axis=1, keepdims=True)
    # Topic 3 is by far the most prevalent: a sorted explorer would show it as topic 1.
    doc_topics = pd.DataFrame({"unit_id": list("abcd"), "article_id": list("aabb"), "topic_0": [.1, .1, .1, .2],
                               "topic_1": [.1, .3, .3, .2], "topic_2": [.8, .6, .6, .6]})
    counts = {"alpha": 5.0, "beta": 4.0, "gamma": 3.0, "delta": 6.0, "unseen": 0.0}  # "unseen": not in the corpus
    term_frequency = np.array([counts[dictionary[i]] for i in range(len(dictionary))])
    return topic_word, doc_topics, np.array([3, 4, 5, 6]), term_frequency, dictionary


def test_write_explorer_keeps_the_models_topic_order_offline(tmp_path, explorer_inputs):
    topic_word, doc_topics, lengths, freq, dictionary = explorer_inputs
    folder = tmp_path / "run" / "explorer"  # created when missing
    path = topics.write_explorer(topic_word, doc_topics, lengths, freq, dictionary, folder, relevance_lambda=0.35,
                                 n_terms=4)
    assert path == folder / "ldavis.html" and path.name == registry.RunPaths(tmp_path).file("explorer").name
    html = path.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    for asset in topics.EXPLORER_ASSETS:
        assert f'"{asset}"' in html and (folder / asset).stat().st_size > 0
    assert "rank terms at λ = 0.35." in html
    # Opened without a URL state (a download list, a bookmark), it still starts at the run's λ.
    assert "history.replaceState(null, '', '#topic=0&lambda=0.35&term=')" in html
    assert html.index("replaceState") < html.index("LDAvis(")
    data = _explorer_data(html)
    assert data["mdsDat"]["topics"] == [1, 2, 3] and data["topic.order"] == [1, 2, 3]
    assert data["mdsDat"]["Freq"][2] > data["mdsDat"]["Freq"][1] > data["mdsDat"]["Freq"][0]  # not re-sorted
    tinfo = pd.DataFrame(data["tinfo"])
    assert "unseen" not in set(tinfo["Term"])  # a term absent from the corpus is not offered
    top = tinfo[tinfo["Category"] != "Default"].sort_values("logprob", ascending=False).groupby("Category")["Term"].first()
    assert top["Topic1"] == "alpha" and top["Topic2"] == "gamma"  # explorer topic N is model topic N
    # phi is renormalised over the terms the corpus has: p(alpha | topic 1) = 0.4 / 0.9
    p_alpha = tinfo[(tinfo["Category"] == "Topic1") & (tinfo["Term"] == "alpha")]["logprob"].item()
    assert p_alpha == pytest.approx(np.log(0.4 / 0.9), abs=1e-4)


def test_write_explorer_gives_the_same_page_twice(tmp_path, explorer_inputs):
    first = topics.write_explorer(*explorer_inputs, tmp_path / "one")
    second = topics.write_explorer(*explorer_inputs, tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()


def test_explorer_sizes_topics_by_their_words_and_holds_no_document(tmp_path, explorer_inputs):
    topic_word, doc_topics, lengths, freq, dictionary = explorer_inputs
    page = topics.write_explorer(topic_word, doc_topics, lengths, freq, dictionary, tmp_path / "few")
    # The circles: each topic's share of the corpus's words, Σ_d θ_dk n_d / Σ_d n_d (in percent).
    theta = doc_topics[["topic_0", "topic_1", "topic_2"]].to_numpy()
    words = theta.T @ lengths
    assert _explorer_data(page.read_text(encoding="utf-8"))["mdsDat"]["Freq"] == pytest.approx(
        list(100 * words / words.sum()), abs=1e-6)
    # The same corpus repeated 2,000 times (8,000 documents): the same topic shares, and a page of the same
    # size, so nothing per document is on it.
    many = pd.concat([doc_topics] * 2000, ignore_index=True).assign(unit_id=lambda d: [f"u{i}" for i in range(len(d))])
    big = topics.write_explorer(topic_word, many, np.tile(lengths, 2000), freq * 2000, dictionary, tmp_path / "many")
    assert _explorer_data(big.read_text(encoding="utf-8"))["mdsDat"]["Freq"] == pytest.approx(
        list(100 * words / words.sum()), abs=1e-6)
    assert abs(big.stat().st_size - page.stat().st_size) < 200


def test_explorer_term_shares_carry_four_digits(tmp_path, explorer_inputs):
    data = _explorer_data(topics.write_explorer(*explorer_inputs, tmp_path / "x").read_text(encoding="utf-8"))
    shares = np.array(data["token.table"]["Freq"])
    assert len(shares) and (shares > 0).all() and np.allclose(shares, shares.round(4), atol=1e-12)
    assert any(len(repr(v)) > 6 for v in data["mdsDat"]["Freq"])  # only the token table is rounded
