"""Fitting several topic models at once: one single-process, seeded ``LdaModel`` per worker process.

The K sweep fits one model per K, and the stability refits one per derived
seed; they are independent, so they run side by side in ``n_jobs`` processes
(the text stage's pool, :func:`analysis.text.worker_pool`).

Rules kept here:

* **Identical to one process.** Each model is :func:`~.model.fit_lda` with
  its own seed on the same documents in the same order; which process fits
  it, and when, changes nothing (``LdaMulticore``, whose workers share one
  model, is never used; see :mod:`.model`). ``n_jobs`` changes the time, not a
  single table.
* **Saved, not returned.** Each model is saved to the path its job names; the
  stage loads the ones it needs, so no model travels between processes and
  memory holds at most one model per process.
* **Progress.** Each model started and fitted is reported
  (:func:`analysis.progress.report`), on the command line and in the run's
  log, never in the notebook.
"""

from __future__ import annotations

from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

from ..progress import report
from .model import TopicParams, fit_lda

#: The stage name progress lines carry.
STAGE = "topics"


@dataclass(frozen=True)
class FitJob:
    """One model to fit: ``k`` topics with ``seed``, saved to ``path``; ``name`` is how progress calls it."""

    name: str
    k: int
    seed: int
    path: Path


def _fit_one(corpus, dictionary, params: TopicParams, job: FitJob) -> Path:
    fit_lda(corpus, dictionary, job.k, params=params, seed=job.seed).save(str(job.path))
    return job.path


def fit_models(corpus, dictionary, jobs: list[FitJob], *, params: TopicParams, n_jobs: int = 1,
               what: str = "") -> list[Path]:
    """Fit every job's model on ``corpus`` and save it to the job's path; return the paths in job order.

    ``corpus`` and ``dictionary`` are sent to the worker processes (a streamed
    ``MmCorpus`` travels as its file name and index). With ``n_jobs`` of 1, or
    one job, the models are fitted here, one after the other.

    Examples
    --------
    >>> import tempfile
    >>> from gensim.corpora import Dictionary
    >>> d = Dictionary([["a", "b"], ["c", "d"]])
    >>> folder = Path(tempfile.mkdtemp())
    >>> jobs = [FitJob("K = 2", 2, 1, folder / "k2.model")]
    >>> fit_models([d.doc2bow(["a", "b"]), d.doc2bow(["c", "d"])], d, jobs, params=TopicParams())[0].exists()
    True
    """
    prefix = f"{what}: " if what else ""
    total = len(jobs)
    if n_jobs <= 1 or total <= 1:
        for i, job in enumerate(jobs):
            report(STAGE, f"{prefix}fitting {job.name}", done=i, total=total)
            _fit_one(corpus, dictionary, params, job)
        report(STAGE, f"{prefix}{total} model{'s' if total != 1 else ''} fitted", done=total, total=total)
        return [job.path for job in jobs]
    from ..text import worker_pool

    report(STAGE, f"{prefix}fitting {', '.join(job.name for job in jobs)} in {min(n_jobs, total)} processes",
           done=0, total=total)
    with worker_pool(min(n_jobs, total)) as pool:
        # the largest K first (a fit's cost grows with K), so the last to start are the quickest
        order = sorted(jobs, key=lambda job: job.k, reverse=True)
        futures = {pool.submit(_fit_one, corpus, dictionary, params, job): job for job in order}
        for done, future in enumerate(as_completed(futures), 1):
            future.result()  # a worker's error is raised here, as in one process
            report(STAGE, f"{prefix}{futures[future].name} fitted", done=done, total=total)
    return [job.path for job in jobs]


def load_model(path: Path):
    """Load a saved ``LdaModel`` (``None`` if there is none at ``path``)."""
    from gensim.models import LdaModel

    return LdaModel.load(str(path)) if Path(path).exists() else None
