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
* **A sample for the sweep.** Which K is most coherent is settled on a random
  sample (fixed seed) of :data:`SWEEP_SAMPLE` documents: the sweep's models are
  fitted and scored on it, with passes by the same rule for the sample's size,
  and the chosen K is then fitted on every document. On a smaller corpus the
  sweep uses every document and its model of the chosen K is the final model.
* **Refits on the sweep's documents.** The stability refits (other seeds,
  same K) are fitted on the documents and with the parameters of the sweep,
  side by side with the final model (see :mod:`.pool`). On a small corpus
  those are every document and the final model's parameters. On a large one
  they are the sweep's sample: three more fits on every document would cost
  more than the rest of the stage, while fewer refits would weaken the
  estimate. Each refit then differs from the final model in its seed *and*
  its documents, so the stability it measures is a conservative bound: a
  topic that survives both is stable.
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
    "corpus already makes many updates (Hoffman, Blei & Bach 2010). The K sweep fits and scores its models on a "
    "random sample (fixed seed) of {sample:,} documents when there are more, with passes by the same rule for the "
    "sample, and the chosen K is then fitted on every document. The stability refits (other seeds) are fitted on the "
    "sweep's documents with its passes: on a large corpus they therefore differ from the final model in their "
    "documents as well as their seed, which makes the stability a conservative bound. The K range (k_min to k_max) is "
    "not widened on a large corpus: K sets how fine the topics are, which is the researcher's choice, not the cost of a "
    "fit; it is only cut to fewer topics than documents on a small corpus. A parameter set to a value other than 0 "
    "(passes, iterations, coherence_sample) is used as given"
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

    >>> scale_text({"n_documents": "150000", "passes": "2", "iterations": "50", "sweep_documents": "20000",
    ...             "sweep_passes": "4", "sweep_iterations": "50", "sweep_on_sample": "true", "n_jobs": "2",
    ...             "n_stability_seeds": "3"}).split(" inference")[0]
    'The chosen model was fitted on all 150,000 documents with 2 passes and at most 50'
    """
    def number(key):
        return int(float(used.get(key) or 0))

    n, sweep_n = number("n_documents"), number("sweep_documents")
    text = (f"The chosen model was fitted on all {n:,} documents with {number('passes')} passes and at most "
            f"{number('iterations')} inference iterations per document")
    if str(used.get("sweep_on_sample", "")).lower() == "true":
        text += (f"; the K sweep fitted and scored its models on a random sample (fixed seed) of {sweep_n:,} of "
                 f"them, with {number('sweep_passes')} passes and {number('sweep_iterations')} iterations")
    else:
        text += "; the K sweep used every document with the same settings"
    refits = number("n_stability_seeds")
    if refits and str(used.get("sweep_on_sample", "")).lower() == "true":
        text += (f", and the {refits} stability refits the same sample with the same settings (so they differ from "
                 f"the chosen model in documents as well as seed: a conservative test)")
    elif refits:
        text += f", and the {refits} stability refits every document with the chosen model's settings"
    jobs = number("n_jobs")
    if jobs > 1:
        text += f". Models were fitted side by side in {jobs} processes, which changes no result"
    return text + "."
