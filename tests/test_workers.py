"""Tests for analysis.workers: results in input order wherever they run, and the run's cluster checked before use."""

import functools
import os

import pytest

from analysis import progress, workers
from analysis.errors import AnalysisError


def test_the_pool_keeps_input_order_in_this_process_and_in_local_processes(monkeypatch):
    monkeypatch.delenv(workers.ENV, raising=False)
    items = list(range(-20, 20))
    with workers.pool(1) as serial, workers.pool(2) as local:
        assert (serial.kind, serial.parallel) == ("serial", False)
        assert (local.kind, local.size, local.parallel) == ("processes", 2, True)
        assert list(serial.map(abs, items)) == list(local.map(abs, items)) == [abs(i) for i in items]


def test_chunks_cover_every_item_once():
    bounds = workers.chunks(10, 3)
    assert bounds == [(0, 3), (3, 6), (6, 9), (9, 10)]
    assert [i for a, b in bounds for i in range(a, b)] == list(range(10))


@pytest.mark.parametrize("address, says", [
    ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
    ("nonsense", "not a Dask scheduler address: 'nonsense'"),
    ("", "give a scheduler address"),
])
def test_a_scheduler_that_cannot_be_reached_is_one_line_naming_it(address, says, monkeypatch):
    monkeypatch.delenv(workers.ENV, raising=False)
    with pytest.raises(AnalysisError) as err:
        with workers.cluster(address, timeout=2):
            pytest.fail("must not get here")
    assert says in str(err.value) and "\n" not in str(err.value)
    assert workers.ENV not in os.environ


def test_a_negative_number_of_workers_is_refused():
    with pytest.raises(AnalysisError, match="--workers must be 0"):
        with workers.cluster("local", -1):
            pass


def test_the_package_digest_follows_the_code(tmp_path, monkeypatch):
    before = workers.package_digest()
    assert before == workers.package_digest()  # the same files, the same digest
    fake = tmp_path / "analysis"
    fake.mkdir()
    (fake / "workers.py").write_text("x = 1\n")
    monkeypatch.setattr(workers, "__file__", str(fake / "workers.py"))
    assert workers.package_digest() != before


@pytest.mark.slow
def test_a_local_cluster_runs_the_pool_in_order_with_the_runs_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(workers.ENV, raising=False)
    progress_file = tmp_path / "progress.jsonl"
    monkeypatch.setenv(progress.ENV, str(progress_file))  # before the cluster: its workers must see it
    with workers.cluster("local", 2) as found:
        assert (found.kind, found.workers, found.threads) == ("local", 2, 2)
        assert found.provenance() == {"kind": "local", "workers": 2, "threads": 2}  # no address
        assert os.environ[workers.ENV] == found.address
        with workers.pool(1) as pool:  # n_jobs does not matter with a cluster
            assert (pool.kind, pool.size) == ("dask", 2)
            assert list(pool.map(abs, range(-50, 0))) == list(range(50, 0, -1))
            list(pool.map(functools.partial(progress.report, "probe"), ["a", "b", "c"]))
        from distributed import Client

        with Client(found.address, set_as_default=False) as client:
            # The workers import this package from this checkout, and see the progress file.
            seen = client.run(lambda: (workers.package_digest(), os.environ.get(progress.ENV)))
        assert set(seen.values()) == {(workers.package_digest(), str(progress_file))}
    assert workers.ENV not in os.environ  # restored
    assert sorted(r["message"] for r in progress.read_records(progress_file)) == ["a", "b", "c"]
    with pytest.raises(AnalysisError, match="cannot reach"):  # the local cluster is closed
        with workers.cluster(found.address, timeout=2):
            pass
