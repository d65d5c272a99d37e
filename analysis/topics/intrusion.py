"""Topics checked by people: word-intrusion and topic-intrusion tasks and their scores (Chang et al. 2009).

* **Word intrusion.** A topic's top words are shown with one *intruder*: a word
  that is improbable in this topic but among the top words of another. If the
  topic is coherent, people spot the intruder. A topic's **model precision**
  is the share of coders who picked it.
* **Topic intrusion.** A document is shown with its most probable topics (each
  as its top words) and one improbable topic. A coder picks the topic that
  does not belong. A document's **topic log odds** is the mean, over coders,
  of ``log θ(intruder) − log θ(chosen)``: 0 when the intruder is found, more
  negative the more probable the topic taken for it.

Rules kept here:

* Tasks are drawn with the run's seed, so the same model gives the same tasks
  and the same sheet id (:func:`sheet_id`); a sheet filled for another model is
  refused where it is imported (:mod:`.intrusion_sheets`).
* The words shown are the top words by relevance, the ones every table and
  figure of the run shows, so people check what readers see.
* No answers, no scores: without imported answers the tables are empty and the
  page says that no one has answered, never a number.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import DATA_CODING, check_run_name
from .tables import ROUND, topic_columns, topic_number

#: Top words shown with the intruder in a word-intrusion task (Chang et al. show five).
N_WORDS = 5
#: Words that show a topic in a topic-intrusion task (Chang et al. show eight).
N_TOPIC_WORDS = 8
#: Documents in the topic-intrusion tasks (a random sample drawn with the run's seed).
N_DOCUMENTS = 20
#: Most probable topics shown with the intruder in a topic-intrusion task (fewer when K is small).
N_TOP_TOPICS = 3
#: Floor of a document-topic weight in the log odds (weights are stored to 6 decimals).
MIN_WEIGHT = 1e-6

CHOICE_COLUMNS = ("task", "item", "topic", "document_id", "choice", "word", "weight", "intruder")


def intrusion_path(run_name: str) -> Path:
    """Where the imported answers of run ``run_name`` are kept: ``data/coding/<run>/intrusion/`` (one CSV per coder).

    >>> intrusion_path("demo").parts[-3:]
    ('coding', 'demo', 'intrusion')
    """
    return DATA_CODING / check_run_name(run_name) / "intrusion"


def _word_tasks(terms: pd.DataFrame, topic_word: np.ndarray, dictionary, rng) -> list[dict]:
    top = {t: g.sort_values("rank")["term"].tolist() for t, g in terms.groupby("topic")}
    index = {dictionary[i]: i for i in range(len(dictionary))}
    rows = []
    for topic in sorted(top):
        shown = top[topic][:N_WORDS]
        probs = topic_word[topic - 1]
        low = float(np.median(probs))
        others = sorted({w for t, words in top.items() if t != topic for w in words} - set(top[topic]))
        # Chang et al.: improbable in this topic (below its median word), probable in another.
        pool = [w for w in others if probs[index[w]] < low] or others
        if len(shown) < 2 or not pool:
            continue
        intruder = pool[int(rng.integers(len(pool)))]
        words = [*shown, intruder]
        for choice, j in enumerate(rng.permutation(len(words)), start=1):
            rows.append({"task": "word", "item": f"W{topic:02d}", "topic": topic, "document_id": "", "choice": choice,
                         "word": words[j], "weight": float(probs[index[words[j]]]), "intruder": words[j] == intruder})
    return rows


def _topic_tasks(doc_topics: pd.DataFrame, terms: pd.DataFrame, rng) -> list[dict]:
    cols = topic_columns(doc_topics)
    k = len(cols)
    if k < 2 or doc_topics.empty:
        return []
    words = {t: ", ".join(g.sort_values("rank")["term"].head(N_TOPIC_WORDS)) for t, g in terms.groupby("topic")}
    n_top = min(N_TOP_TOPICS, k - 1)
    picked = np.sort(rng.choice(len(doc_topics), size=min(N_DOCUMENTS, len(doc_topics)), replace=False))
    rows = []
    for n, pos in enumerate(picked, start=1):
        theta = doc_topics.iloc[pos][cols].to_numpy(dtype=float)
        order = np.lexsort((np.arange(k), -theta))  # most probable first; ties to the smaller topic
        top, rest = order[:n_top], order[n_top:]
        low = [t for t in rest if theta[t] < 1 / k] or [rest[-1]]
        intruder = int(low[int(rng.integers(len(low)))])
        shown = [*map(int, top), intruder]
        for choice, j in enumerate(rng.permutation(len(shown)), start=1):
            t = shown[j]
            rows.append({"task": "topic", "item": f"D{n:02d}", "topic": topic_number(cols[t]),
                         "document_id": str(doc_topics.iloc[pos]["document_id"]), "choice": choice,
                         "word": words.get(topic_number(cols[t]), ""), "weight": float(theta[t]),
                         "intruder": t == intruder})
    return rows


def intrusion_tasks(terms: pd.DataFrame, topic_word: np.ndarray, dictionary, doc_topics: pd.DataFrame, *,
                    seed: int) -> pd.DataFrame:
    """Draw the word- and topic-intrusion tasks of a model, one row per task and choice.

    ``terms`` is the ``topic_terms`` table, ``topic_word`` the model's topics ×
    terms, ``doc_topics`` the wide document-topic table of the documents the
    model was fitted on (``document_id``, ``topic_0`` …).

    Returns
    -------
    task (``word`` or ``topic``), item (``W03``: topic 3; ``D07``: document 7),
    topic, document_id, choice (from 1), word (the word; for a topic task the
    topic's top words), weight (p(word | topic), or the document's weight on the
    topic), intruder.

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> d = Dictionary([["a", "b", "c", "x", "y", "z"]])
    >>> phi = np.array([[.3, .3, .3, .03, .03, .04], [.03, .03, .04, .3, .3, .3]])
    >>> terms = pd.DataFrame({"topic": [1, 1, 1, 2, 2, 2], "rank": [1, 2, 3] * 2,
    ...                       "term": ["a", "b", "c", "x", "y", "z"]})
    >>> dt = pd.DataFrame({"document_id": ["d1"], "topic_0": [.9], "topic_1": [.1]})
    >>> t = intrusion_tasks(terms, phi, d, dt, seed=1)
    >>> t.loc[(t["item"] == "W01") & t["intruder"], "word"].item() in {"x", "y", "z"}
    True
    >>> t.loc[t["task"] == "topic", ["topic", "intruder"]].sort_values("topic").values.tolist()
    [[1, False], [2, True]]
    """
    rng = np.random.default_rng(seed)
    rows = _word_tasks(terms, topic_word, dictionary, rng) + _topic_tasks(doc_topics, terms, rng)
    table = pd.DataFrame(rows, columns=list(CHOICE_COLUMNS))
    return table.astype({"topic": int, "choice": int, "intruder": bool}).round({"weight": ROUND})


def sheet_id(tasks: pd.DataFrame) -> str:
    """The id every row of an intrusion sheet carries: 12 hex digits of its tasks (hence of the model and seed).

    >>> sheet_id(pd.DataFrame({"task": ["word"], "item": ["W01"], "document_id": [""], "choice": [1],
    ...                        "word": ["a"]}))
    'b5605b889020'
    """
    text = "\n".join("\t".join(map(str, row)) for row in
                     tasks[["task", "item", "document_id", "choice", "word"]].itertuples(index=False))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# --------------------------------------------------------------------------- scores


def score_intrusion(tasks: pd.DataFrame, answers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return model precision per topic and topic log odds per document from people's answers.

    ``answers`` has ``coder``, ``item``, ``answer`` (the choice number picked).

    Returns
    -------
    word : topic, n_coders, n_correct, model_precision
    topic : document_id, n_coders, n_correct, log_odds

    Examples
    --------
    >>> tasks = pd.DataFrame({"task": "word", "item": "W01", "topic": 1, "document_id": "", "choice": [1, 2],
    ...                       "word": ["a", "x"], "weight": [.5, .01], "intruder": [False, True]})
    >>> ans = pd.DataFrame({"coder": ["ana", "budi"], "item": ["W01", "W01"], "answer": [2, 1]})
    >>> score_intrusion(tasks, ans)[0]["model_precision"].tolist()
    [0.5]
    """
    merged = answers.merge(tasks, left_on=["item", "answer"], right_on=["item", "choice"], how="inner")
    intruders = tasks[tasks["intruder"]].set_index("item")
    word = merged[merged["task"] == "word"]
    word_scores = (word.groupby("topic").agg(n_coders=("coder", "nunique"), n_correct=("intruder", "sum"))
                   .reset_index())
    word_scores["model_precision"] = word_scores["n_correct"] / word_scores["n_coders"]
    topic = merged[merged["task"] == "topic"].copy()
    if len(topic):
        true = intruders.loc[topic["item"], "weight"].to_numpy(dtype=float)
        topic["log_odds"] = np.log(np.maximum(true, MIN_WEIGHT)) - np.log(
            np.maximum(topic["weight"].to_numpy(dtype=float), MIN_WEIGHT))
    else:
        topic["log_odds"] = pd.Series(dtype=float)
    topic_scores = (topic.groupby("document_id").agg(n_coders=("coder", "nunique"), n_correct=("intruder", "sum"),
                                                     log_odds=("log_odds", "mean")).reset_index())
    word_scores = word_scores.astype({"topic": int, "n_coders": int, "n_correct": int})
    topic_scores = topic_scores.astype({"document_id": str, "n_coders": int, "n_correct": int})
    return (word_scores[["topic", "n_coders", "n_correct", "model_precision"]].round(ROUND),
            topic_scores[["document_id", "n_coders", "n_correct", "log_odds"]].round(ROUND))


def describe_intrusion(word: pd.DataFrame, topic: pd.DataFrame, *, n_stale: int = 0, command: str = "") -> str:
    """The sentence on the intrusion tests: their scores, or plainly that no one has answered.

    >>> describe_intrusion(pd.DataFrame(columns=["topic", "n_coders"]), pd.DataFrame(columns=["document_id"]))[:47]
    'No one has answered the word- and topic-intrusi'
    """
    stale = (f" {n_stale} answer file(s) were filled for another model and are not used." if n_stale else "")
    if word.empty and topic.empty:
        how = f" Write the sheets with `{command}`, have people fill them, and import them." if command else ""
        return ("No one has answered the word- and topic-intrusion tasks (Chang et al. 2009) for this model yet, so "
                "whether people recognise its topics is not measured." + how + stale)
    parts = []
    if not word.empty:
        parts.append(f"word intrusion: mean model precision {word['model_precision'].mean():.2f} over "
                     f"{len(word)} topics (lowest {word['model_precision'].min():.2f}; chance is 1/{N_WORDS + 1}), "
                     f"{int(word['n_coders'].max())} coder(s)")
    if not topic.empty:
        parts.append(f"topic intrusion: mean topic log odds {topic['log_odds'].mean():.2f} over {len(topic)} "
                     "documents (0 is best)")
    return "People checked the topics (Chang et al. 2009): " + "; ".join(parts) + "." + stale
