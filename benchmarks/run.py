"""Benchmarks: wall time, documents per second and peak RSS of every stage at several corpus sizes.

Rules this script keeps:

* **One fresh process per stage.** Each stage runs in its own child process,
  so the peak resident set size it reports is the stage's own (the maximum of
  the process and of every process it waited for: preprocessing workers,
  notebook kernels). Stages read what the stage before wrote in
  ``benchmarks/out/<size>/``, exactly as the pipeline does.
* **What a user gets.** The stages of the pipeline (``topics``, ``frames``,
  ``pipeline``) run with the notebooks' defaults, exactly as ``python -m
  analysis run`` does; ``--params FILE`` (a parameters file, as ``analysis run
  --params`` takes) changes them for every such stage alike. Only the
  LDA-against-bare-gensim ratio (``lda``, ``lda_bare``) fits one model with
  ``--k``, ``--passes`` and ``--iterations``, the same on both sides.
* **Fixed seeds.** Corpora come from ``benchmarks/generate.py`` with
  ``--seed``, which is also every model's seed. Speed is measured, never asserted.
* **Ratios in the same run.** The pipeline's LDA stage against bare gensim
  ``LdaModel`` on the same bag of words; memoized against naive per-token
  PySastrawi stemming (naive measured on a sample of tokens and extrapolated);
  the whole pipeline at the largest size against the smallest.
* **Where the time goes.** ``--profile`` runs every stage under cProfile and
  writes ``<stage>.prof`` and the 25 most expensive calls as text.

Usage (``make bench`` runs the defaults)::

    .venv/bin/python benchmarks/run.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = ("corpus", "corpus_parquet", "text", "lda", "lda_bare", "stemming", "topics", "frames", "actors",
          "validation", "coders", "pipeline", "site", "dask")
DEFAULT_STAGES = tuple(s for s in STAGES if s != "dask")  # opt-in: it starts two local clusters
#: What a user runs, measured at every size; every other stage is a side measurement (see --side-sizes).
WHOLE_STAGES = ("pipeline", "site")

HEADER = f"{'stage':<16}{'size':>8}{'units':>10}{'wall s':>10}{'docs/s':>10}{'peak RSS MB':>13}{'tree RSS MB':>13}"
_MARK = "BENCH_RESULT "


# --------------------------------------------------------------------------- stages (run in the child)


def _paths(cfg: dict) -> dict:
    from analysis.registry import RunPaths

    work = Path(cfg["out"]) / str(cfg["size"])
    return {"work": work, "run": RunPaths(work / "run"), "prun": RunPaths(work / "run_parquet"), "runs": work / "runs",
            "site": work / "site", "folder": Path(cfg["folder"]), "table": Path(cfg["table"])}


def _user_params(cfg: dict) -> dict:
    """The ``--params`` file's values, validated as ``analysis run`` validates them ({} without one: the defaults)."""
    from analysis import parameters as P

    if not cfg.get("params"):
        return {}
    return P.read_params_file(Path(cfg["params"]))


def _stage_fields(cls, values: dict) -> dict:
    from dataclasses import fields

    return {f.name: values[f.name] for f in fields(cls) if f.name in values}


# The pipeline's own stage functions, each as the stage notebook calls it.

def _stage_corpus(cfg, p):
    from analysis import corpus

    return {"units": corpus.build_corpus(p["folder"], p["run"].create(), seed=cfg["seed"]).n_units}


def _stage_corpus_parquet(cfg, p):
    from analysis import corpus

    return {"units": corpus.build_corpus(p["table"], p["prun"].create(), seed=cfg["seed"]).n_units}


def _n_units(run) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(run.units).num_rows


def _stage_text(cfg, p):
    from analysis import text

    result = text.prepare_text(p["run"], params={"n_jobs": cfg["jobs"], "stem": cfg["stem"]}, language="id",
                               seed=cfg["seed"])
    return {"units": _n_units(p["run"]), "vocabulary": len(result.dictionary), "n_jobs": cfg["jobs"]}


def _stage_topics(cfg, p):
    from analysis import topics

    result = topics.fit_topics(p["run"], params=_stage_fields(topics.TopicParams, _user_params(cfg)),
                               seed=cfg["seed"])
    return {"units": result.n_units, "k": result.n_topics}


def _stage_frames(cfg, p):
    from analysis import frames

    values = {**_stage_fields(frames.FrameParams, _user_params(cfg)), "seed": cfg["seed"]}
    result = frames.analyse_frames(p["run"], frames.FrameParams(**values))
    return {"units": _n_units(p["run"]), "inductive_frames": int(result.inductive["frame"].nunique())}


def _stage_actors(cfg, p):
    from analysis import actors

    result = actors.analyse_actors(p["run"], actors.ActorParams())
    return {"units": _n_units(p["run"]), "sources": len(result.sources), "mentions": len(result.mentions)}


def _stage_validation(cfg, p):
    from analysis import validation

    validation.validate(p["run"], validation.ValidationParams(corpus=str(p["folder"]), coding_set="",
                                                              seed=cfg["seed"]))
    return {"units": _n_units(p["run"])}


def _stage_coders(cfg, p):
    """The supervised coders at this size: tf-idf and combined coders trained on a coded sample, then every unit coded.

    The coded sample (``--coded`` units) is labelled by the codebook's indicators, a stand-in
    for people that costs nothing: the timing is what matters here, not the scores.
    Embeddings are timed on ``--embed-sample`` units and extrapolated to the corpus.
    """
    import numpy as np
    import pandas as pd

    from analysis import frames, registry
    from analysis.validation import coders, embeddings, evaluate

    units = registry.read(p["run"], "units", ["unit_id", "article_id", "text"])
    codebook = frames.load_codebook()
    t = time.perf_counter()
    codes = frames.score_units(frames.code_units(units, codebook, "id"))
    code_s = time.perf_counter() - t
    labels_all = codes.pivot(index="unit_id", columns="frame", values="present").reindex(units["unit_id"]).fillna(0)
    rng = np.random.default_rng(cfg["seed"])
    coded = np.sort(rng.choice(len(units), size=min(cfg["coded"], len(units)), replace=False))
    every = coders.Features(units["unit_id"].to_numpy(), units["text"].to_numpy())
    train = every.take(coded)
    labels = labels_all.iloc[coded].astype(int)
    t = time.perf_counter()
    oof = coders.out_of_fold("tfidf", train, labels, units["article_id"].to_numpy()[coded], seed=cfg["seed"])
    oof_s = time.perf_counter() - t
    t = time.perf_counter()
    coders.predict_all("tfidf", train, labels, every, seed=cfg["seed"])
    predict_s = time.perf_counter() - t
    sample = units["text"].iloc[:cfg["embed_sample"]].tolist()
    t = time.perf_counter()
    embeddings.embed(sample, None)
    embed_s = time.perf_counter() - t
    per_unit = embed_s / max(len(sample), 1)
    return {"units": len(units), "coded": len(coded), "indicator_coding_s": round(code_s, 1),
            "tfidf_out_of_fold_s": round(oof_s, 1), "tfidf_predict_all_s": round(predict_s, 1),
            "supervised_tfidf_s": round(oof_s + predict_s, 1), "embed_sample_units": len(sample),
            "embed_sample_s": round(embed_s, 1), "embed_units_per_s": round(1 / max(per_unit, 1e-9)),
            "embed_all_extrapolated_s": round(per_unit * len(units)),
            "embed_per_100k_articles_extrapolated_s": round(per_unit * len(units) * 100_000 / cfg["size"])}


def _unit_texts(run, n: int) -> list[str]:
    """The first ``n`` unit texts of a run, read by row group."""
    import pyarrow.parquet as pq

    texts: list[str] = []
    for batch in pq.ParquetFile(run.units).iter_batches(columns=["text"], batch_size=8_192):
        texts.extend(batch.column(0).to_pylist()[: n - len(texts)])
        if len(texts) >= n:
            break
    return texts


def _stage_dask(cfg, p):
    """The chunked stages on a 1-worker and a 2-worker ``LocalCluster``: seconds, speedup, identical results.

    What runs is what ``--scheduler local`` sends to the cluster: today the
    embeddings of ``--dask-units`` units (in chunks of
    ``embeddings.CHUNK``); each worker loads the model once, inside the time,
    as in a run. A cluster's start is timed apart.
    """
    import hashlib

    from analysis import workers
    from analysis.validation import embeddings

    texts = _unit_texts(p["run"], cfg["dask_units"])
    info = {"units": len(texts), "chunks": len(workers.chunks(len(texts), embeddings.CHUNK)),
            "load_average_start": round(os.getloadavg()[0], 2)}
    digests = []
    for n in (1, 2):
        t = time.perf_counter()
        with workers.cluster(workers.LOCAL, n):
            info[f"start_{n}_workers_s"] = round(time.perf_counter() - t, 1)
            t = time.perf_counter()
            vectors = embeddings.embed(texts, None)
            info[f"embed_{n}_workers_s"] = round(time.perf_counter() - t, 1)
        digests.append(hashlib.sha256(vectors.tobytes()).hexdigest())
    info["speedup"] = round(info["embed_1_workers_s"] / max(info["embed_2_workers_s"], 1e-9), 2)
    info["identical"] = len(set(digests)) == 1
    info["load_average_end"] = round(os.getloadavg()[0], 2)
    return info


# Components measured against a reference in the same run (the ratios below).

def _stage_lda(cfg, p):
    from analysis import topics

    dictionary, corpus, _ = topics.load_bow(p["run"])
    params = topics.TopicParams.from_dict({"passes": cfg["passes"], "iterations": cfg["iterations"]})
    t = time.perf_counter()
    topics.fit_lda(corpus, dictionary, cfg["k"], params=params, seed=cfg["seed"])
    return {"units": len(corpus), "fit_s": round(time.perf_counter() - t, 2)}


def _stage_lda_bare(cfg, p):
    # What a researcher would write with gensim alone: the bag of words in a
    # Python list, gensim's defaults apart from K, passes, iterations and seed.
    from gensim.corpora import Dictionary, MmCorpus
    from gensim.models import LdaModel

    dictionary = Dictionary.load(str(p["run"].file("dictionary")))
    bow = list(MmCorpus(str(p["run"].file("bow"))))
    t = time.perf_counter()
    LdaModel(corpus=bow, id2word=dictionary, num_topics=cfg["k"], passes=cfg["passes"],
             iterations=cfg["iterations"], random_state=cfg["seed"], eval_every=None)
    fit = time.perf_counter() - t
    return {"units": len(bow), "fit_s": round(fit, 2)}


def _stage_stemming(cfg, p):
    """Memoized (the text stage's ``stem_tokens``) against naive per-token PySastrawi."""
    import pyarrow.parquet as pq
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from analysis import text

    docs = [[t for t in (row or []) if "_" not in t]
            for row in pq.read_table(p["run"].file("tokens"), columns=["tokens"]).column(0).to_pylist()]
    n_tokens = sum(map(len, docs))
    text.stem_tokens([["warmup"]], "id")  # build the stemmer's dictionary outside the timing, for both sides
    t = time.perf_counter()
    _, memo = text.stem_tokens(docs, "id", keep=frozenset())
    memo_s = time.perf_counter() - t
    # Naive: PySastrawi's own (uncached) Stemmer called on every token occurrence,
    # timed on a sample of the first tokens and extrapolated to the corpus.
    naive = StemmerFactory().create_stemmer().delegatedStemmer.stem
    sample = [tok for doc in docs for tok in doc][: cfg["stem_sample"]]
    t = time.perf_counter()
    for token in sample:
        naive(token)
    naive_sample_s = time.perf_counter() - t
    naive_s = naive_sample_s / max(len(sample), 1) * n_tokens
    return {"units": len(docs), "tokens": n_tokens, "distinct_words": len(memo), "memo_s": round(memo_s, 3),
            "naive_sample_tokens": len(sample), "naive_sample_s": round(naive_sample_s, 2),
            "naive_extrapolated_s": round(naive_s, 1), "speedup": round(naive_s / max(memo_s, 1e-9), 1)}


def _stage_pipeline(cfg, p):
    from analysis import runner
    from analysis.registry import RunPaths

    # The notebooks' defaults, as `python -m analysis run` uses them, unless --params names a file.
    params_file = Path(cfg["params"]) if cfg.get("params") else None
    os.environ["ANALYSIS_RUNS_ROOT"] = str(p["runs"])
    stages = {}
    runner.run_pipeline(str(p["folder"]), name=_run_name(cfg), params_file=params_file, progress=False,
                        log=lambda msg: stages.setdefault("log", msg))
    run = RunPaths(p["runs"] / _run_name(cfg))
    return {"units": _n_units(run), "params": _user_params(cfg), "notebooks": stages.get("log", ""),
            "topic_params": _topic_params_used(run), "notebook_times": _notebook_times(run.root / "run.log")}


_DONE = re.compile(r"^(\d\d):(\d\d):(\d\d)\s+\[(?P<nb>[^\]]+)\] done in (?P<s>[\d.]+) s")


def _notebook_times(log: Path) -> list[list]:
    """``[notebook, end (seconds since midnight, local time), wall s]`` of every notebook, from the run's log."""
    out = []
    for line in log.read_text(encoding="utf-8").splitlines() if log.is_file() else []:
        m = _DONE.match(line)
        if m:
            h, mi, sec = (int(x) for x in m.groups()[:3])
            out.append([m["nb"], h * 3600 + mi * 60 + sec, float(m["s"])])
    return out


def _notebook_peaks(samples: list[tuple[float, int]], times: list[list]) -> dict[str, float]:
    """The process tree's peak RSS (MB) while each notebook ran: the samples inside its window of the run log."""
    peaks = {}
    for nb, end, wall in times:
        start = end - wall - 1  # the log has whole seconds
        inside = [rss for t, rss in samples if start <= _time_of_day(t) % 86400 <= end + 1]
        if inside:
            peaks[nb] = round(max(inside) / 1024 ** 2)
    return peaks


def _time_of_day(epoch: float) -> float:
    t = time.localtime(epoch)
    return t.tm_hour * 3600 + t.tm_min * 60 + t.tm_sec + (epoch % 1)


def _topic_params_used(run) -> dict:
    """The topic stage's parameters as resolved for this corpus (the scaling rule's values)."""
    from analysis import registry

    if not registry.exists(run, "topic_params"):
        return {}
    table = registry.read(run, "topic_params")
    keep = ("n_documents", "document", "passes", "iterations", "model_documents", "sweep_documents", "sweep_passes",
            "sweep_iterations", "sweep_on_sample", "n_jobs", "k_min", "k_max", "n_stability_seeds")
    return {k: v for k, v in zip(table["parameter"], table["value"]) if k in keep}


def _stage_site(cfg, p):
    from analysis import site

    from analysis.registry import RunPaths

    site.build_site(output_dir=p["site"], force_offline=True, runs=p["runs"], log=lambda msg: None)
    return {"units": _n_units(RunPaths(p["runs"] / _run_name(cfg)))}


def _run_name(cfg: dict) -> str:
    """The run's name: ``synth-<size>`` for a generated corpus, the file's stem for ``--corpus-file``."""
    return cfg.get("name") or f"synth-{cfg['size']}"


def _vm_hwm_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best there is


def _child(stage: str, cfg: dict) -> None:
    """Run one stage, then print its measurements as one JSON line."""
    p = _paths(cfg)
    p["work"].mkdir(parents=True, exist_ok=True)
    func = globals()[f"_stage_{stage}"]
    # Imports are paid once per process, not per document: load them before the clock starts.
    import gensim.models  # noqa: F401

    from analysis import actors, corpus, frames, parameters, text, topics, validation  # noqa: F401
    parameters.default("seed")  # the notebooks' schema (papermill's inspection) is read once, untimed
    t = time.perf_counter()
    if cfg.get("profile"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        info = profiler.runcall(func, cfg, p)
        prof = p["work"] / f"{stage}.prof"
        profiler.dump_stats(prof)
        with open(prof.with_suffix(".txt"), "w") as fh:
            pstats.Stats(str(prof), stream=fh).sort_stats("cumulative").print_stats(25)
    else:
        info = func(cfg, p)
    wall = time.perf_counter() - t
    # Peak RSS in KiB. Our own is VmHWM: ru_maxrss would carry over the parent's
    # peak across exec. RUSAGE_CHILDREN covers the workers and kernels we waited for.
    own = _vm_hwm_kib()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(_MARK + json.dumps({"stage": stage, "size": cfg["size"], "wall_s": wall,
                              "peak_rss_mb": max(own, kids) / 1024, **info}, default=str))


# --------------------------------------------------------------------------- driver (the parent)


def _tree_rss(pid: int) -> int:
    """Bytes resident in process ``pid`` and every process below it (kernels, workers, Dask workers) now."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


class _TreeSampler:
    """Samples the resident memory of a process tree every ``interval`` seconds; ``peak`` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.5):
        import threading

        self.pid, self.interval, self.peak = pid, interval, 0
        self.samples: list[tuple[float, int]] = []  # (time, bytes): per-notebook peaks of a pipeline run
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _tree_rss(self.pid)
            self.samples.append((time.time(), rss))
            self.peak = max(self.peak, rss)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _run_stage(stage: str, cfg: dict) -> dict:
    proc = subprocess.Popen([sys.executable, __file__, "--child", stage, "--config", json.dumps(cfg)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _TreeSampler(proc.pid)
    stdout, stderr = proc.communicate()
    tree = sampler.stop()
    lines = [line for line in stdout.splitlines() if line.startswith(_MARK)]
    if proc.returncode != 0 or not lines:
        tail = " | ".join((stderr or stdout).strip().splitlines()[-3:])
        return {"stage": stage, "size": cfg["size"], "error": tail or f"exit code {proc.returncode}"}
    # The whole tree's peak (sampled every 0.5 s, so a spike shorter than that can be missed) beside each process's own.
    info = json.loads(lines[-1][len(_MARK):])
    if info.get("notebook_times"):
        info["notebook_tree_rss_mb"] = _notebook_peaks(sampler.samples, info["notebook_times"])
    return {**info, "tree_rss_mb": tree / 1024 ** 2}


def _row(r: dict) -> str:
    if "error" in r:
        return f"{r['stage']:<16}{r['size']:>8}  FAILED: {r['error']}"
    docs_s = r["size"] / r["wall_s"] if r["wall_s"] > 0 else float("inf")
    return (f"{r['stage']:<16}{r['size']:>8}{r.get('units', 0):>10}{r['wall_s']:>10.1f}"
            f"{docs_s:>10.0f}{r['peak_rss_mb']:>13.0f}{r.get('tree_rss_mb', 0):>13.0f}")


def _ratios(results: list[dict]) -> list[str]:
    """Return the side-by-side ratios as lines of text, from the results of one run."""
    by = {(r["stage"], r["size"]): r for r in results if "error" not in r}
    sizes = sorted({r["size"] for r in results})
    lines = []
    for size in sizes:
        lda, bare = by.get(("lda", size)), by.get(("lda_bare", size))
        if lda and bare:
            lines.append(f"LDA stage vs bare gensim LdaModel at {size}: fit {lda['fit_s']:.1f} s vs {bare['fit_s']:.1f} s "
                         f"= {lda['fit_s'] / max(bare['fit_s'], 1e-9):.2f}x; whole stage (load + fit + save) "
                         f"{lda['wall_s']:.1f} s vs {bare['wall_s']:.1f} s = {lda['wall_s'] / max(bare['wall_s'], 1e-9):.2f}x "
                         "(target <= 1.2x)")
        cod = by.get(("coders", size))
        if cod:
            lines.append(f"Supervised coders at {size} articles ({cod['units']:,} units, {cod['coded']:,} coded): tf-idf "
                         f"out of fold {cod['tfidf_out_of_fold_s']:.1f} s + every unit coded {cod['tfidf_predict_all_s']:.1f} s "
                         f"= {cod['supervised_tfidf_s']:.1f} s (target < 120 s at 10k); embeddings "
                         f"{cod['embed_units_per_s']:,} units/s, so {cod['embed_all_extrapolated_s']:,} s for this corpus and "
                         f"{cod['embed_per_100k_articles_extrapolated_s']:,} s for 100k articles (extrapolated)")
        dk = by.get(("dask", size))
        if dk:
            lines.append(f"Dask at {size} articles: embeddings of {dk['units']:,} units in {dk['chunks']} chunks on a "
                         f"LocalCluster: 1 worker {dk['embed_1_workers_s']:.1f} s, 2 workers {dk['embed_2_workers_s']:.1f} s "
                         f"= {dk['speedup']:.2f}x (cluster start {dk['start_1_workers_s']:.1f} s and "
                         f"{dk['start_2_workers_s']:.1f} s apart); vectors identical: {'yes' if dk['identical'] else 'NO'}; "
                         f"load average {dk['load_average_start']:.1f} at start, {dk['load_average_end']:.1f} at end")
        stem = by.get(("stemming", size))
        if stem:
            lines.append(f"Memoized vs naive PySastrawi stemming at {size}: {stem['tokens']:,} tokens, "
                         f"{stem['distinct_words']:,} distinct words; memoized {stem['memo_s']:.2f} s, naive "
                         f"{stem['naive_extrapolated_s']:.0f} s (extrapolated from {stem['naive_sample_tokens']:,} tokens "
                         f"in {stem['naive_sample_s']:.1f} s) = {stem['speedup']:.0f}x faster (target >= 50x)")
    for size in sizes:
        pipe = by.get(("pipeline", size))
        if pipe and pipe.get("notebook_times"):
            peaks = pipe.get("notebook_tree_rss_mb", {})
            lines.append(f"Pipeline at {size} articles, per notebook (wall s, peak RSS of the process tree MB): "
                         + "; ".join(f"{nb} {wall:.1f} s, {peaks.get(nb, 0):,} MB" for nb, _end, wall in pipe["notebook_times"]))
    piped = [s for s in sizes if ("pipeline", s) in by]
    if len(piped) >= 2:
        small, large = piped[0], piped[-1]
        a, b = by[("pipeline", small)], by[("pipeline", large)]
        sa = by.get(("site", small), {"wall_s": 0.0, "peak_rss_mb": 0.0})
        sb = by.get(("site", large), {"wall_s": 0.0, "peak_rss_mb": 0.0})
        size_x = large / small
        time_x = (b["wall_s"] + sb["wall_s"]) / max(a["wall_s"] + sa["wall_s"], 1e-9)
        rss_x = max(b["peak_rss_mb"], sb["peak_rss_mb"]) / max(a["peak_rss_mb"], sa["peak_rss_mb"], 1e-9)
        lines.append(f"Whole pipeline + site, {large} vs {small} articles ({size_x:.0f}x the corpus): "
                     f"time {time_x:.2f}x, peak RSS {rss_x:.2f}x (targets: time close to {size_x:.0f}x, RSS below it)")
    return lines


def _machine() -> str:
    import analysis  # noqa: F401  (fails early, before any child, if the package is not importable)

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        mem_gb = int(mem.split()[1]) / 1024 ** 2
    except (OSError, StopIteration):
        mem_gb = float("nan")
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} logical CPUs, {mem_gb:.1f} GiB RAM, "
            f"Python {platform.python_version()}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark every pipeline stage at several corpus sizes.")
    p.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of articles (100000 is opt-in)")
    p.add_argument("--stages", default=",".join(DEFAULT_STAGES), help=f"comma-separated, from: {', '.join(STAGES)}")
    p.add_argument("--out", type=Path, default=HERE / "out", help="work folder (default benchmarks/out)")
    p.add_argument("--corpora", type=Path, default=HERE / "corpora", help="generated corpora (default benchmarks/corpora)")
    p.add_argument("--seed", type=int, default=20240619, help="seed of the generator and of every model")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="preprocessing processes (default: all cores)")
    p.add_argument("--params", type=Path, help="a parameters file for the pipeline's stages (default: the defaults)")
    p.add_argument("--k", type=int, default=10, help="topics of the LDA-vs-bare-gensim ratio (lda, lda_bare)")
    p.add_argument("--passes", type=int, default=2, help="passes of the LDA-vs-bare-gensim ratio")
    p.add_argument("--iterations", type=int, default=50, help="iterations of the LDA-vs-bare-gensim ratio")
    p.add_argument("--stem-sample", type=int, default=5000, help="tokens stemmed naively (then extrapolated)")
    p.add_argument("--stem", action="store_true", help="stem in the preprocess stage")
    p.add_argument("--coded", type=int, default=1000, help="coded units the supervised coders train on (coders stage)")
    p.add_argument("--embed-sample", type=int, default=2000, help="units embedded to time the embeddings")
    p.add_argument("--corpus-file", type=Path, default=None,
                   help="a Parquet corpus file (e.g. realtext.py's) measured instead of generated ones; "
                        "its size is its number of articles")
    p.add_argument("--side-sizes", default="",
                   help="comma-separated sizes at which every stage but pipeline and site runs (the side "
                        "measurements: lda, lda_bare, dask, ...); default: every size")
    p.add_argument("--dask-units", type=int, default=8192, help="units the dask stage embeds on 1 and 2 workers")
    p.add_argument("--profile", action="store_true", help="run every stage under cProfile (files in the work folder)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--config", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(args.child, json.loads(args.config))
        return 0

    from analysis.errors import AnalysisError

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        if not sizes or min(sizes) < 1:
            raise ValueError
    except ValueError:
        print("error: --sizes must be positive integers", file=sys.stderr)
        return 2
    given = None
    if args.corpus_file is not None:
        import pyarrow.parquet as pq

        if not args.corpus_file.is_file() or args.corpus_file.suffix != ".parquet":
            print(f"error: --corpus-file: not a Parquet corpus file: {args.corpus_file}", file=sys.stderr)
            return 2
        given = args.corpus_file.resolve()
        sizes = [pq.read_metadata(given).num_rows]
    if args.params is not None and not args.params.is_file():
        print(f"error: --params: no such file {args.params}", file=sys.stderr)
        return 2
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        print(f"error: --stages: unknown stage(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    stages = [s for s in STAGES if s in stages]  # always in pipeline order
    try:
        side_sizes = {int(x) for x in args.side_sizes.split(",") if x.strip()}
    except ValueError:
        print(f"error: --side-sizes: not a list of numbers: {args.side_sizes!r}", file=sys.stderr)
        return 2

    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", HERE / "generate.py")  # the script next to this one
    gen_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_module)
    generate = gen_module.generate

    started = dt.datetime.now().astimezone()
    print(f"machine: {_machine()}")
    print(f"date: {started.isoformat(timespec='seconds')}; load average at start: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"parameters: seed={args.seed} jobs={args.jobs}; pipeline stages: "
          f"{args.params or 'the defaults of python -m analysis run'}; LDA ratio: K={args.k} passes={args.passes} "
          f"iterations={args.iterations}")
    print()
    print(HEADER)
    results = []
    for size in sizes:
        try:
            t = time.perf_counter()
            folder, table = (given, given) if given else generate(size, args.corpora, seed=args.seed)
            gen_s = time.perf_counter() - t
        except AnalysisError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        cfg = {"size": size, "out": str(args.out), "folder": str(folder), "table": str(table), "seed": args.seed,
               "jobs": args.jobs, "k": args.k, "passes": args.passes, "iterations": args.iterations,
               "params": str(args.params.resolve()) if args.params else "", "stem_sample": args.stem_sample,
               "stem": args.stem,
               "coded": args.coded, "embed_sample": args.embed_sample, "dask_units": args.dask_units,
               "profile": args.profile, "name": given.stem if given else ""}
        results.append({"stage": "generate", "size": size, "wall_s": gen_s, "peak_rss_mb": float("nan")})
        for stage in stages:
            if stage not in WHOLE_STAGES and side_sizes and size not in side_sizes:
                continue
            result = _run_stage(stage, cfg)
            results.append(result)
            print(_row(result), flush=True)
    print()
    ratios = _ratios(results)
    for line in ratios:
        print(line)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps({
        "machine": _machine(), "date": started.isoformat(timespec="seconds"), "argv": sys.argv,
        "results": results, "ratios": ratios}, indent=1, default=str), encoding="utf-8")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
