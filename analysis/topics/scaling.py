"""How the topic stage's cost follows the corpus: passes, iterations and the K sweep's sample, by one stated rule.

Rules kept here:

* **One rule, stated once.** :data:`SCALE_RULE` is what Methods and notebook
  02 print (:func:`scale_rule_text`); :func:`scale_params` applies it. A
  parameter left at 0 follows the rule, any other value is used as given (as
  ``no_below: 0`` does in the text stage).
* **Why the rule.** gensim's ``LdaModel`` is online variational Bayes
  (Hoffman, Blei & Bach 2010): it updates the topics once per chunk of 2,000
  documents, so a pass over a large corpus already makes many updates and a
  few passes converge, while a small corpus needs many passes to make enough
  of them. Passes and the inference iterations per document therefore fall
  with the square root of the documents beyond 1,000, from the small-corpus
  values (20 passes, 100 iterations) to a floor (1 pass, 50 iterations); the
  cost of a model, tokens × passes, then grows with √n instead of n.
* **One sample for every model.** On a corpus of more than
  :data:`SWEEP_SAMPLE` documents, every model (the K sweep's, and so the
  chosen one, and its stability refits) is fitted on one random sample (fixed
  seed) of that many documents, with passes by the same rule for the sample's
  size; the chosen model then infers the topics of every unit, in parallel
  (and on a Dask cluster). The cost of the fits is then bounded whatever the
  corpus, and only inference grows with it. Measured on the 10k benchmark
  corpus (``benchmarks/passes.py``, two seeds each), a model of 8 topics
  fitted on 20,000 of its 150,000 paragraphs predicts 10,000 held-out ones as
  well as one fitted on 140,000 (document completion, −6.62 against −6.63 per
  word), with c_v coherence in the same range (0.558–0.576 against
  0.572–0.584) and c_npmi a little lower (0.034–0.039 against 0.042–0.044).
  The stability refits differ from the chosen model in their seed alone. On a
  smaller corpus every model uses every document.
"""

from __future__ import annotations

import dataclasses
import math
import os

#: Passes and inference iterations a small corpus gets, and the documents up to which it gets them.
PASSES, ITERATIONS, BASE_DOCUMENTS = 20, 100, 1_000

#: The floor of passes and iterations on a large corpus.
MIN_PASSES, MIN_ITERATIONS = 1, 50

#: Documents (a random sample with a fixed seed) on which the K sweep fits and scores its models when there are more.
SWEEP_SAMPLE = 20_000

#: Documents beyond which ``n_jobs: 0`` fits models in parallel, one process per core (the text stage's threshold).
PARALLEL_DOCUMENTS = 2_000

#: The rule, as Methods and notebook 02 state it (one template; see :func:`scale_rule_text`).
SCALE_RULE = (
    "a model fitted on n documents gets {passes} passes over them and at most {iterations} inference iterations "
    "per document up to {base:,} documents; beyond that, passes = {passes}·√({base:,}/n) and iterations = "
    "{iterations}·√({base:,}/n), rounded, with at least {min_passes} pass and {min_iterations} iterations, because "
    "online variational Bayes updates the topics once per chunk of 2,000 documents, so that a pass over a large "
    "corpus already makes many updates (Hoffman, Blei & Bach 2010). On a corpus of more than {sample:,} documents, "
    "every model (the K sweep's, the chosen one and its stability refits) is fitted on one random sample (fixed seed) "
    "of {sample:,} documents, with passes by the same rule for the sample, and the chosen model then infers the topics "
    "of every unit: the cost of fitting is bounded whatever the corpus, and the stability refits differ from the "
    "chosen model in their seed alone. The K range (k_min to k_max) is not widened on a large corpus: K sets how fine "
    "the topics are, which is the researcher's choice, not the cost of a fit; it is only cut to fewer topics than "
    "documents on a small corpus. A parameter set to a value other than 0 (passes, iterations, coherence_sample) is "
    "used as given"
)


def scale_rule_text() -> str:
    """Return the scaling rule with its numbers filled in.

    >>> scale_rule_text().startswith("a model fitted on n documents gets 20 passes")
    True
    """
    return SCALE_RULE.format(passes=PASSES, iterations=ITERATIONS, base=BASE_DOCUMENTS, min_passes=MIN_PASSES,
                             min_iterations=MIN_ITERATIONS, sample=SWEEP_SAMPLE)


def _shrink(value: int, floor: int, n_docs: int) -> int:
    factor = math.sqrt(BASE_DOCUMENTS / n_docs) if n_docs > BASE_DOCUMENTS else 1.0
    return max(floor, min(value, round(value * factor)))


def scaled_passes(n_docs: int) -> int:
    """Passes of a model fitted on ``n_docs`` documents by :data:`SCALE_RULE`.

    >>> [scaled_passes(n) for n in (100, 1_000, 15_000, 150_000, 1_500_000)]
    [20, 20, 5, 2, 1]
    """
    return _shrink(PASSES, MIN_PASSES, int(n_docs))


def scaled_iterations(n_docs: int) -> int:
    """Inference iterations per document of a model fitted on ``n_docs`` documents by :data:`SCALE_RULE`.

    >>> [scaled_iterations(n) for n in (1_000, 2_000, 15_000)]
    [100, 71, 50]
    """
    return _shrink(ITERATIONS, MIN_ITERATIONS, int(n_docs))


def sweep_size(params, n_docs: int) -> int:
    """Documents the K sweep fits on: all of them, or the sample ``coherence_sample`` sets (0: :data:`SWEEP_SAMPLE`).

    >>> from analysis.topics import TopicParams
    >>> sweep_size(TopicParams(coherence_sample=0), 50_000), sweep_size(TopicParams(coherence_sample=0), 900)
    (20000, 900)
    """
    sample = params.coherence_sample or SWEEP_SAMPLE
    return min(int(n_docs), int(sample))


def scale_params(params, n_docs: int):
    """Resolve the zeros of a :class:`~analysis.topics.TopicParams` for a model fitted on ``n_docs`` documents.

    ``passes`` and ``iterations`` follow :data:`SCALE_RULE`; ``coherence_sample``
    becomes :data:`SWEEP_SAMPLE`; ``n_jobs`` becomes every core beyond
    :data:`PARALLEL_DOCUMENTS` documents and one process below (starting
    processes costs more than it saves on a small corpus). Values other than 0
    are kept.

    >>> from analysis.topics import TopicParams
    >>> p = scale_params(TopicParams(passes=0, iterations=0), 150_000)
    >>> p.passes, p.iterations, p.coherence_sample
    (2, 50, 20000)
    >>> scale_params(TopicParams(passes=7), 150_000).passes
    7
    """
    changes = {}
    if params.passes == 0:
        changes["passes"] = scaled_passes(n_docs)
    if params.iterations == 0:
        changes["iterations"] = scaled_iterations(n_docs)
    if params.coherence_sample == 0:
        changes["coherence_sample"] = SWEEP_SAMPLE
    if params.n_jobs == 0:
        changes["n_jobs"] = (os.cpu_count() or 1) if n_docs > PARALLEL_DOCUMENTS else 1
    return dataclasses.replace(params, **changes) if changes else params


def scale_text(used) -> str:
    """The sentence on what this run's models were fitted on, from ``topic_params`` (parameter → value).

    Methods and notebook 02 print it (the stage's ``TopicResult.describe_scale``).
    ``model_documents`` is what the chosen model was fitted on; a run from
    before it (``sweep_documents``: the chosen model fitted on every document
    beside a sampled sweep) is described as it was fitted.

    >>> scale_text({"n_documents": "150000", "model_documents": "20000", "passes": "4", "iterations": "50",
    ...             "sweep_on_sample": "true", "n_stability_seeds": "3"}).split(";")[0]
    'The chosen model was fitted on a random sample (fixed seed) of 20,000 of the 150,000 documents with 4 passes and at most 50 inference iterations per document, and then inferred the topics of every unit'
    """
    def number(key):
        return int(float(used.get(key) or 0))

    n, sweep_n, refits = number("n_documents"), number("sweep_documents"), number("n_stability_seeds")
    settings = f"{number('passes')} passes and at most {number('iterations')} inference iterations per document"
    on_sample = str(used.get("sweep_on_sample", "")).lower() == "true"
    if on_sample and "model_documents" in used:
        text = (f"The chosen model was fitted on a random sample (fixed seed) of {number('model_documents'):,} of the "
                f"{n:,} documents with {settings}, and then inferred the topics of every unit; the K sweep fitted and "
                f"scored its models on the same sample with the same settings")
        if refits:
            text += f", and so did the {refits} stability refits (which differ from the chosen model in seed alone)"
    elif on_sample:
        text = (f"The chosen model was fitted on all {n:,} documents with {settings}; the K sweep fitted and scored its "
                f"models on a random sample (fixed seed) of {sweep_n:,} of them, with {number('sweep_passes')} passes "
                f"and {number('sweep_iterations')} iterations")
        if refits:
            text += (f", and the {refits} stability refits the same sample with the same settings (so they differ "
                     f"from the chosen model in documents as well as seed: a conservative test)")
    else:
        text = (f"The chosen model was fitted on all {n:,} documents with {settings}; the K sweep used every document "
                f"with the same settings")
        if refits:
            text += f", and the {refits} stability refits every document with the chosen model's settings"
    jobs = number("n_jobs")
    if jobs > 1:
        text += f". Models were fitted side by side in {jobs} processes, which changes no result"
    return text + "."
