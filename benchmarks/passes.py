"""How many passes a topic model needs: held-out fit and coherence against passes, on a run's own documents.

The scaling rule (``analysis.topics.scaling.SCALE_RULE``) sets the passes of
every model from the number of documents it is fitted on. This benchmark is
the evidence for it: on a run's bag of words (``python -m analysis run``, or a
benchmark run), it draws a training sample of ``--n`` documents and a disjoint
held-out sample (fixed seed), fits a model of ``--k`` topics with each of
``--passes``, and prints for each

* the topic updates it made (passes × chunks of 2,000 documents),
* the held-out log-likelihood per word by document completion (higher is better; it
  does not depend on the training size, which gensim's bound does),
* c_npmi and c_v coherence of its top 10 words on the held-out documents,
* the fit's time in seconds.

The rule is supported where the passes it gives score, on the held-out likelihood
and on coherence, within noise of twice as many; where more passes still gain,
the rule gives too few.

Usage::

    .venv/bin/python benchmarks/passes.py RUN_FOLDER --n 20000 --k 8 --passes 1,2,4,8
    .venv/bin/python benchmarks/passes.py runs/synth-10000 --n 150000 --passes 1,2 --jobs 2
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.topics.scaling import scaled_passes  # noqa: E402
from analysis.topics.model import TokenStream, TopicParams, fit_lda, load_bow, text_files  # noqa: E402
from analysis.topics.selection import score_coherence  # noqa: E402

#: Documents per online update in gensim's ``LdaModel`` (its ``chunksize`` default, which the pipeline keeps).
CHUNK = 2_000


def _split(n_docs: int, sizes: list[int], n_heldout: int, seed: int) -> tuple[set, dict[int, set]]:
    """One held-out set, and nested training samples of each size drawn from the rest (fixed seed)."""
    order = np.random.default_rng(seed).permutation(n_docs)
    heldout, rest = order[:n_heldout], order[n_heldout:]
    return set(heldout.tolist()), {n: set(rest[:min(n, len(rest))].tolist()) for n in sizes}


def completion_likelihood(model, docs, seed: int = 0) -> float:
    """Held-out log-likelihood per word by document completion (Wallach et al. 2009).

    Each document's words are split in two by alternation; its topic mixture
    is inferred from the first half, and the second half is scored under that
    mixture and the model's topics. Unlike gensim's bound, this does not
    depend on how many documents the model was trained on.
    """
    from gensim.utils import get_random_state

    model.random_state = get_random_state(seed)
    topics = model.get_topics()
    total, words = 0.0, 0
    for bow in docs:
        tokens = [term for term, count in bow for _ in range(int(count))]
        seen, scored = tokens[0::2], tokens[1::2]
        if not scored:
            continue
        theta = np.zeros(model.num_topics)
        for topic, weight in model.get_document_topics(sorted(Counter(seen).items()), minimum_probability=0.0):
            theta[topic] = weight
        total += float(np.log(theta @ topics[:, scored]).sum())
        words += len(scored)
    return total / max(words, 1)


def _fit(job) -> dict:
    corpus, heldout, heldout_texts, dictionary, k, passes, seed = job
    start = time.perf_counter()
    model = fit_lda(corpus, dictionary, k, params=TopicParams(passes=passes, iterations=50), seed=seed)
    seconds = time.perf_counter() - start
    # scored on the held-out documents, the same for every model, so the training size does not bias the score
    scores = score_coherence(model, heldout, dictionary, heldout_texts)
    return {"documents": len(corpus), "k": k, "passes": passes, "updates": passes * -(-len(corpus) // CHUNK),
            "heldout_ll": round(completion_likelihood(model, heldout), 4), "c_npmi": round(scores["c_npmi"], 4),
            "c_v": round(scores["c_v"], 4), "fit_s": round(seconds, 1), "seed": seed}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run", type=Path, help="a run folder (its data/ holds the text stage's bag of words)")
    ap.add_argument("--n", default="20000", help="comma-separated training sizes (nested random samples)")
    ap.add_argument("--heldout", type=int, default=10_000, help="held-out documents, disjoint (default 10,000)")
    ap.add_argument("--k", type=int, default=8, help="topics (default 8)")
    ap.add_argument("--passes", default="1,2,4,8",
                    help="comma-separated passes to compare; 'rule' gives each size the scaling rule's passes")
    ap.add_argument("--seeds", default="0", help="comma-separated model seeds (the samples' seed is fixed)")
    ap.add_argument("--jobs", type=int, default=1, help="models fitted side by side")
    args = ap.parse_args(argv)
    data = args.run / "data"
    dictionary, corpus, _ = load_bow(data)
    sizes = [int(n) for n in args.n.split(",")]
    heldout_ids, train_ids = _split(len(corpus), sizes, args.heldout, seed=12345)
    train = {n: [] for n in sizes}
    heldout, heldout_texts = [], []
    for i, (bow, tokens) in enumerate(zip(corpus, TokenStream(text_files(data)["tokens"]))):
        if i in heldout_ids:
            heldout.append(bow)
            heldout_texts.append(tokens)
        for n in sizes:
            if i in train_ids[n]:
                train[n].append(bow)
    jobs = []
    for n in sizes:
        passes = [scaled_passes(len(train[n]))] if args.passes == "rule" else [int(p) for p in args.passes.split(",")]
        jobs += [(train[n], heldout, heldout_texts, dictionary, args.k, p, int(s))
                 for s in args.seeds.split(",") for p in passes]
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(_fit, jobs)) if args.jobs > 1 else [_fit(j) for j in jobs]
    print(f"# {args.run}: {len(heldout):,} held-out documents, K = {args.k}")
    print(pd.DataFrame(rows).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
