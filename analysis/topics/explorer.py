"""The explorer: the offline pyLDAvis page and the units that represent each topic best.

Rules kept here:

* **Offline.** The pyLDAvis page loads d3, LDAvis and its CSS from copies next
  to it (relative URLs), so it works from ``file://`` without a network and in
  an archived site.
* **Same numbering, same ranking.** pyLDAvis numbers topics from 1 and is run
  with ``sort_topics=False``, so explorer topic N is table topic N; the page
  opens at the run's λ, so it ranks terms as the tables do.
* **Deterministic.** Principal coordinates (``mds="pcoa"``) and a fixed element
  id give the same page for the same model.
* **Snippets only.** Representative units are shown as short snippets (news
  text is copyrighted), as plain text that the page escapes once.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from .. import outputs
from ..registry import artifact
from .tables import topic_columns, topic_number

#: Relative file names of the explorer's JavaScript and CSS (shipped by pyLDAvis).
EXPLORER_ASSETS = ("d3.v5.min.js", "ldavis.v3.0.0.js", "ldavis.v1.0.0.css")


def _label_list(labels: pd.DataFrame | None) -> str:
    """The topics' names as an HTML list (escaped), so the explorer's numbers read as the tables' labels."""
    if labels is None or labels.empty:
        return ""
    items = "".join(f"<li>T{int(r.topic)} {html.escape(str(r.label))}"
                    f"{' (label by the researcher)' if getattr(r, 'source', '') == 'user' else ''}</li>"
                    for r in labels.itertuples())
    return f"<details><summary>Topic labels</summary><ul>{items}</ul></details>\n"


def _page(fragment: str, relevance_lambda: float, labels: pd.DataFrame | None = None) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Topic explorer</title>\n"
        f"<script>if (!window.location.hash) {{ history.replaceState(null, '', '#topic=0&lambda={relevance_lambda:g}&term='); }}"
        "</script>\n</head>\n<body>\n"
        "<p><a href=\"../index.html\">← Findings of this run</a></p>\n"
        "<p>Topic N here is topic N in every table and figure of this run (numbered from 1). "
        "Set λ with the slider; the tables rank terms at λ = "
        f"{relevance_lambda:g}.</p>\n{_label_list(labels)}{fragment}\n</body>\n</html>\n"
    )


def corpus_topic_words(theta: np.ndarray, doc_lengths) -> tuple[np.ndarray, np.ndarray]:
    """Return the corpus as one pseudo-document for pyLDAvis: its topic shares (1 × K) and its length (1,).

    pyLDAvis uses the documents only for each topic's share of the corpus's
    words (the size of its circle), ``Σ_d θ_dk · n_d``; this pseudo-document
    gives the same shares. So the explorer costs the same for five documents
    as for 1.5 million (pyLDAvis would otherwise copy every document's row
    several times), and no document reaches the page.

    >>> shares, n = corpus_topic_words(np.array([[1.0, 0.0], [0.5, 0.5]]), [2, 2])
    >>> shares.tolist(), n.tolist()
    ([[0.75, 0.25]], [4.0])
    """
    lengths = np.asarray(doc_lengths, dtype=float)
    words = np.asarray(theta, dtype=float).T @ lengths  # each topic's words in the corpus
    total = float(words.sum())
    return (words / total if total > 0 else np.full_like(words, 1.0 / len(words)))[None, :], np.array([lengths.sum()])


# Digits of a term's share in each topic (the circles' sizes while a term is hovered). pyLDAvis writes
# 16; at K = 20 and 1,700 candidate terms they are most of a 1 MB page, and four are more than
# a circle's area can show (pyLDAvis itself writes the terms' log probabilities and lifts with four).
TOKEN_SHARE_DIGITS = 4


def _rounded_shares(prepared):
    """Return pyLDAvis's prepared data with the token table's shares rounded; shares that round to 0 dropped."""
    table = prepared.token_table.assign(Freq=prepared.token_table["Freq"].round(TOKEN_SHARE_DIGITS))
    return prepared._replace(token_table=table[table["Freq"] > 0])


def write_explorer(topic_word: np.ndarray, doc_topics: pd.DataFrame, doc_lengths: np.ndarray,
                   term_frequency: np.ndarray, dictionary, folder: Path, *,
                   relevance_lambda: float = 0.6, n_terms: int = 30, labels: pd.DataFrame | None = None) -> Path:
    """Write the pyLDAvis explorer into ``folder`` (under its registered name) with local JS and CSS.

    Topic numbers match the tables (``sort_topics=False``; both count from 1).
    The page opens at ``relevance_lambda`` (LDAvis reads its state from the
    URL; a page opened without one gets ``#topic=0&lambda=<λ>&term=`` before
    LDAvis starts), so it ranks terms as the tables do.
    d3, LDAvis and its CSS are copied from pyLDAvis's package into ``folder``
    and referenced by relative URL, so the page works offline and from
    ``file://``. Principal coordinates (``mds="pcoa"``) are deterministic, and
    the page's element id is fixed, so the same model gives the same page.
    ``labels`` (the ``topic_labels`` table) are listed above the explorer, escaped.
    The page holds K topics and their top terms only: the documents enter as
    their topics' word counts (:func:`corpus_topic_words`), so its size does
    not grow with the corpus.
    """
    import pyLDAvis
    import pyLDAvis.urls

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXPLORER_ASSETS:
        shutil.copyfile(Path(pyLDAvis.urls.LOCAL_JS_DIR) / name, folder / name)
    seen = term_frequency > 0
    vocab = [dictionary[i] for i in np.flatnonzero(seen)]
    phi = topic_word[:, seen]
    theta, lengths = corpus_topic_words(doc_topics[topic_columns(doc_topics)].to_numpy(), doc_lengths)
    prepared = pyLDAvis.prepare(
        topic_term_dists=phi / phi.sum(axis=1, keepdims=True),
        doc_topic_dists=theta,
        doc_lengths=lengths,
        vocab=vocab,
        term_frequency=term_frequency[seen],
        R=min(n_terms, len(vocab)),
        mds="pcoa",
        n_jobs=1,
        sort_topics=False,  # keep the model's order, so explorer topic N is table topic N
        start_index=1,  # the LDAvis page treats 0 as "no topic selected"
    )
    fragment = pyLDAvis.prepared_data_to_html(
        _rounded_shares(prepared), d3_url=EXPLORER_ASSETS[0], ldavis_url=EXPLORER_ASSETS[1], ldavis_css_url=EXPLORER_ASSETS[2],
        template_type="simple", visid="ldavis_topics",
    )
    path = folder / Path(artifact("explorer").file).name
    path.write_text(_page(fragment, relevance_lambda, labels), encoding="utf-8")
    return path


def representative_units(doc_topics: pd.DataFrame, units: pd.DataFrame, articles: pd.DataFrame,
                         n: int = 3, width: int = 160) -> pd.DataFrame:
    """Return the ``n`` units with the highest weight on each topic, with short snippets.

    Columns ``topic``, ``rank``, ``unit_id``, ``article_id``, ``outlet``,
    ``weight``, ``snippet``. Only a short snippet of the text is
    kept (news text is copyrighted). Ties are broken by ``unit_id``.
    """
    text = units.set_index("unit_id")["text"]
    outlet = articles.set_index("article_id")["outlet"] if "outlet" in articles else pd.Series(dtype=str)
    rows = []
    for col in topic_columns(doc_topics):
        top = doc_topics.sort_values([col, "unit_id"], ascending=[False, True], kind="stable").head(n)
        for rank, row in enumerate(top.itertuples(index=False), start=1):
            rows.append({
                "topic": topic_number(col), "rank": rank, "unit_id": row.unit_id,
                "article_id": row.article_id, "outlet": _text_or_empty(outlet.get(row.article_id)),
                "weight": getattr(row, col), "snippet": outputs.snippet(text.get(row.unit_id, ""), width=width),
            })
    return pd.DataFrame(rows, columns=["topic", "rank", "unit_id", "article_id", "outlet", "weight", "snippet"])


def representative_html(representative: pd.DataFrame, labels: pd.DataFrame | None = None, *,
                        caption: str | None = None, csv: Path | None = None) -> str:
    """Return the representative units as an HTML table for the site, every cell escaped once.

    Snippets are plain text (as in the CSV); :func:`analysis.outputs.html_table`
    escapes them. Topics are shown as "T<n> label".

    >>> r = pd.DataFrame({"topic": [1], "rank": [1], "unit_id": ["a-p000"], "article_id": ["a"],
    ...                   "outlet": ["X"], "weight": [0.9], "snippet": ["<b> &amp;"]})
    >>> "<b>" in representative_html(r), "&lt;b&gt; &amp;amp;" in representative_html(r)
    (False, True)
    """
    names = {} if labels is None else dict(zip(labels["topic"], labels["label"]))
    shown = representative.assign(
        topic=[f"T{t} {names.get(t, '')}".strip() for t in representative["topic"]],
        weight=representative["weight"].round(3),
    )
    return outputs.html_table(shown, caption=caption, csv=csv)


def _text_or_empty(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value) else str(value)
