"""The benchmark runs end to end on a tiny corpus; speed is never asserted here."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _generate():
    # benchmarks/ is a folder of scripts, not a package: load the generator from its file.
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    folder, table = _generate().generate(12, out / "corpora", seed=7, n_tail=3000)
    return out, folder, table


def test_generator_writes_articles_of_the_stated_shape(tiny):
    _, folder, table = tiny
    files = sorted(folder.glob("*.txt"))
    assert len(files) == 12
    for path in files:
        title, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        assert 8 <= len(paragraphs) <= 20
        assert 400 <= len(body.split()) <= 700
        assert re.match(r"^[A-Z]+, \S+\.\S+ - Pada \w+ \(\d+/\d+/\d{4}\)", paragraphs[0])
    rows = pd.read_parquet(table)
    assert list(rows.columns) == ["id", "text", "title", "outlet", "date"] and len(rows) == 12


def test_generator_is_seeded(tiny, tmp_path):
    _, folder, _ = tiny
    again, _ = _generate().generate(12, tmp_path, seed=7, n_tail=3000)
    assert (again / "synth000003.txt").read_bytes() == (folder / "synth000003.txt").read_bytes()
    other, _ = _generate().generate(12, tmp_path / "other", seed=8, n_tail=3000)
    assert (other / "synth000003.txt").read_bytes() != (folder / "synth000003.txt").read_bytes()


def test_corpus_stage_reads_the_datelines(tiny, tmp_path):
    _, folder, table = tiny
    articles = corpus.build_corpus(folder, tmp_path / "txt").articles()
    # "JAKARTA, Outlet.com - Pada Rabu (19/6/2024) …": the outlet is the dateline's; the date stands in the
    # body ("on Wednesday …"), so it is an event's date, not the publication date, which the table gives.
    assert (articles["outlet"] != "").all() and (articles["date"] == "").all()
    given = corpus.build_corpus(table, tmp_path / "parquet").articles()
    assert (given["date_precision"] == "day").all()


def test_benchmark_script_runs_and_prints_the_table(tiny):
    out, _, _ = tiny
    # A user's parameters file, as `analysis run --params` takes it: the benchmark has no topic settings of its own.
    params = out / "params.yaml"
    params.write_text("k_min: 3\nk_max: 3\npasses: 1\niterations: 5\nn_stability_seeds: 1\nn_bootstrap: 20\n")
    cmd = [sys.executable, str(BENCH / "run.py"), "--sizes", "12", "--stages", "corpus,text,lda,lda_bare,stemming,topics,frames,actors,validation",
           "--out", str(out / "out"), "--corpora", str(out / "corpora"), "--seed", "7", "--jobs", "1",
           "--k", "2", "--passes", "1", "--iterations", "5", "--stem-sample", "200", "--params", str(params)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)  # nine fresh processes, each importing the package
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    header = next(line for line in lines if line.startswith("stage"))
    assert header.split() == ["stage", "size", "units", "wall", "s", "docs/s", "peak", "RSS", "MB", "tree", "RSS", "MB"]
    for stage in ("corpus", "text", "lda", "lda_bare", "stemming", "topics", "frames", "actors", "validation"):
        row = next(line for line in lines if line.split()[:1] == [stage])
        assert "FAILED" not in row
        assert float(row.split()[-2]) > 0 and float(row.split()[-1]) >= float(row.split()[-2]) * 0.5  # RSS measured
    assert any(line.startswith("LDA stage vs bare gensim") for line in lines)
    assert any(line.startswith("Memoized vs naive PySastrawi") for line in lines)
    saved = json.loads((out / "out" / "results.json").read_text())
    assert {r["stage"] for r in saved["results"]} >= {"corpus", "text", "lda", "lda_bare", "stemming", "topics"}


def test_benchmark_script_rejects_an_unknown_stage(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--stages", "nope", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "nope" in proc.stderr


def test_notebook_peaks_take_each_notebook_window_of_the_run_log(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    log = tmp_path / "run.log"
    log.write_text("10:00:05  [01-build-corpus] done in 5.0 s\n10:00:09  [02-fit-topics] done in 4.0 s\n"
                   "10:00:10  note\n", encoding="utf-8")
    times = run._notebook_times(log)
    assert times == [["01-build-corpus", 36005, 5.0], ["02-fit-topics", 36009, 4.0]]
    day = 1_800_000_000 - run._time_of_day(1_800_000_000)  # local midnight, whatever the time zone
    samples = [(day + 36002, 100 * 2**20), (day + 36004, 300 * 2**20), (day + 36008, 200 * 2**20)]
    assert run._notebook_peaks(samples, times) == {"01-build-corpus": 300, "02-fit-topics": 300}
    # A notebook whose window holds no sample has no peak.
    assert run._notebook_peaks(samples[:1], [["x", 36100, 2.0]]) == {}


def _passes():
    spec = importlib.util.spec_from_file_location("bench_passes", BENCH / "passes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_passes_benchmark_holds_out_one_set_and_nests_its_samples():
    passes = _passes()
    heldout, train = passes._split(100, [10, 40], 20, seed=3)
    assert len(heldout) == 20 and len(train[10]) == 10 and len(train[40]) == 40
    assert train[10] <= train[40] and not (heldout & train[40])  # nested, and never trained on the held-out set


def test_document_completion_scores_a_fitted_model_above_uniform_topics():
    import numpy as np
    from gensim.corpora import Dictionary

    from analysis import topics

    passes = _passes()
    rng = np.random.default_rng(2)
    blocks = [[f"{b}{i}" for i in range(8)] for b in "abc"]  # three topics of eight words each
    texts = [list(rng.choice(blocks[n % 3], size=30)) for n in range(90)]
    d = Dictionary(texts)
    bows = [d.doc2bow(t) for t in texts]
    model = topics.fit_lda(bows[:60], d, 3, params=topics.TopicParams(passes=10, iterations=50), seed=1)
    ll = passes.completion_likelihood(model, bows[60:])
    assert np.log(1 / len(d)) < ll < 0  # better than every word equally likely, and a log-probability
