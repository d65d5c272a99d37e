"""The Dask path of a run (``analysis run --scheduler``): checked before any notebook, closed after, same tables.

The first tests replace papermill by a fake (as tests/test_runner.py does)
and check the runner's rules with a real ``distributed.LocalCluster``; the
last runs the real pipeline twice, without and with a 2-worker cluster, and
compares every table.
"""

import functools
import json
import os
from pathlib import Path

import papermill
import pytest

from analysis import progress, runner, workers
from analysis.errors import AnalysisError

from test_runner import _fake_execute, corpus  # noqa: F401  (the runner tests' corpus fixture)


def test_an_unreachable_scheduler_stops_the_run_before_any_notebook(isolated_runs, corpus, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("must not run"))
    monkeypatch.setattr(workers, "CONNECT_TIMEOUT", 2)
    with pytest.raises(AnalysisError) as err:
        runner.run_pipeline(str(corpus), name="t", progress=False, scheduler="tcp://127.0.0.1:1")
    assert str(err.value) == "--scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:1 (Connection refused)"
    assert not any(isolated_runs.rglob("*"))  # nothing staged, nothing kept as failed
    assert workers.ENV not in os.environ and progress.ENV not in os.environ


def test_the_cli_prints_an_unreachable_scheduler_in_one_line(isolated_runs, corpus, monkeypatch, capsys):
    from analysis.__main__ import main

    monkeypatch.setattr(workers, "CONNECT_TIMEOUT", 2)
    assert main(["run", "--corpus", str(corpus), "--quiet", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --scheduler: cannot reach") and err.count("\n") == 1 and "Traceback" not in err


def _execute_on_the_cluster(seen: dict, fail_on: str | None = None):
    """A fake papermill that, like a stage in its kernel, sends work to the pool and reports from the workers."""
    fake = _fake_execute(fail_on=fail_on)

    def execute(src, out, parameters, **kwargs):
        nb = Path(out).stem
        if nb == "02-fit-topics":
            seen["address"] = os.environ.get(workers.ENV)
            with workers.pool(1) as pool:
                seen["kind"] = pool.kind
                list(pool.map(functools.partial(progress.report, "probe"), ["from a worker 1", "from a worker 2"]))
        fake(src, out, parameters, **kwargs)
    return execute


@pytest.mark.slow
def test_a_local_cluster_serves_the_run_reports_to_its_log_and_is_closed(isolated_runs, corpus, monkeypatch):
    seen = {}
    monkeypatch.setattr(papermill, "execute_notebook", _execute_on_the_cluster(seen))
    final = runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None, scheduler="local",
                                n_workers=2)
    assert seen["kind"] == "dask" and seen["address"].startswith("tcp://")
    log = (final / "run.log").read_text(encoding="utf-8")
    # Progress lines written in the worker processes reach the run's log.
    assert "[02-fit-topics] probe: from a worker 1" in log and "[02-fit-topics] probe: from a worker 2" in log
    manifest = json.loads((final / "provenance.json").read_text())
    assert manifest["scheduler"] == {"kind": "local", "workers": 2, "threads": 2}
    assert "tcp://" not in (final / "provenance.json").read_text()
    assert workers.ENV not in os.environ
    with pytest.raises(AnalysisError, match="cannot reach"):  # closed with the run
        with workers.cluster(seen["address"], timeout=2):
            pass


@pytest.mark.slow
def test_a_failed_run_closes_its_local_cluster(isolated_runs, corpus, monkeypatch):
    seen = {}
    monkeypatch.setattr(papermill, "execute_notebook", _execute_on_the_cluster(seen, fail_on="02-fit-topics"))
    with pytest.raises(AnalysisError, match="02-fit-topics.ipynb"):
        runner.run_pipeline(str(corpus), name="t", progress=False, scheduler="local", n_workers=1)
    assert seen["kind"] == "dask" and workers.ENV not in os.environ
    with pytest.raises(AnalysisError, match="cannot reach"):
        with workers.cluster(seen["address"], timeout=2):
            pass


def test_a_run_without_a_scheduler_records_none(isolated_runs, corpus, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", _fake_execute())
    final = runner.run_pipeline(str(corpus), name="t", progress=False, log=lambda *_: None)
    assert json.loads((final / "provenance.json").read_text())["scheduler"] == {"kind": "none"}


# ------------------------------------------------------------------ the same tables on a 2-worker cluster

# Parts of a run's data/ files that hold when and where they were written, not a result:
# the coding sheets' workbook properties (XLSX docProps), and gensim's lifecycle events in
# its pickles (time, path, seconds taken) with its list of attributes saved apart (a set,
# so in hash order). Everything else is compared byte for byte.
_TIME_STAMPED_MEMBERS = ("docProps/core.xml",)
_GENSIM_PICKLES = ("lda.model", "lda.model.state")


def _gensim_contents(path: Path) -> bytes:
    import pickle

    with open(path, "rb") as fh:
        attributes = dict(vars(pickle.load(fh)))
    attributes.pop("lifecycle_events", None)
    attributes["__ignoreds"] = sorted(attributes.get("__ignoreds", []))
    return pickle.dumps(sorted(attributes.items(), key=lambda kv: kv[0]), protocol=4)


def _data_files(run: Path) -> dict[str, bytes]:
    """Every file under the run's data/ folder by relative name; workbooks without their time stamp."""
    import zipfile

    files = {}
    for path in sorted((run / "data").rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(run / "data").as_posix()
        if name in _GENSIM_PICKLES:
            files[name] = _gensim_contents(path)
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                files[name] = b"".join(m.encode() + zf.read(m) for m in sorted(zf.namelist())
                                       if m not in _TIME_STAMPED_MEMBERS)
        else:
            files[name] = path.read_bytes()
    return files


@pytest.mark.slow
def test_a_two_worker_local_cluster_gives_the_same_tables_as_one_machine(isolated_runs):
    """Every table of the default corpus's run, with and without a cluster, byte for byte.

    The test grows with the stages: every stage that sends its chunks to
    :func:`analysis.workers.pool` runs them on the cluster here, and every
    file it writes is compared. The task stream shows that work did run
    there (the embeddings at least).
    """
    from distributed import Client, LocalCluster, get_task_stream

    plain = runner.run_pipeline("ru-alliances-id", name="plain", progress=False, log=lambda *_: None)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      worker_dashboard_address=None) as cluster, Client(cluster) as client:
        with get_task_stream(client) as tasks:
            on_cluster = runner.run_pipeline("ru-alliances-id", name="dask", progress=False, log=lambda *_: None,
                                             scheduler=cluster.scheduler_address)
    ran = {t["key"][0] if isinstance(t["key"], tuple) else t["key"] for t in tasks.data}
    assert any(str(key).startswith("_embed_chunk") for key in ran), sorted(ran)[:10]
    manifest = json.loads((on_cluster / "provenance.json").read_text())
    assert manifest["scheduler"] == {"kind": "address", "workers": 2, "threads": 2}
    a, b = _data_files(plain), _data_files(on_cluster)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
