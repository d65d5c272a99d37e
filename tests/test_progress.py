"""Progress lines: written by the stages to the runner's file, never to a notebook's outputs."""

from __future__ import annotations

import json
import os
import threading

import nbformat
import papermill

from analysis import progress


def test_report_without_a_listener_does_nothing(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    progress.report("topics", "K sweep: fitting K = 3", done=0, total=6)
    assert capsys.readouterr() == ("", "") and not any(tmp_path.iterdir())


def test_report_appends_one_json_line_per_call_from_many_threads(monkeypatch, tmp_path):
    path = tmp_path / "p.jsonl"
    monkeypatch.setenv(progress.ENV, str(path))
    threads = [threading.Thread(target=lambda i=i: [progress.report("frames", f"units coded {i}", done=j, total=9)
                                                     for j in range(50)]) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200 and all(json.loads(line)["stage"] == "frames" for line in lines)


def test_a_half_written_line_waits_for_the_next_poll(tmp_path):
    path = tmp_path / "p.jsonl"
    seen = []
    tail = progress.ProgressTail(path, seen.append)
    path.write_bytes(b'{"stage": "topics", "message": "a"}\n{"stage": "top')
    tail.poll()
    assert seen == ["topics: a"]
    with open(path, "ab") as fh:
        fh.write(b'ics", "message": "b", "done": 1, "total": 2}\nnot json\n')
    tail.poll()
    assert seen == ["topics: a", "topics: b (1/2)"]  # the malformed line is skipped, not fatal


def test_a_notebook_reports_to_the_file_and_its_outputs_stay_clean(monkeypatch, tmp_path):
    path = tmp_path / "progress.jsonl"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from analysis import progress\n"
                                          "progress.report('topics', 'refit 1 of 3 fitted', done=1, total=3)\n"
                                          "print('visible')")]
    nbformat.write(nb, tmp_path / "in.ipynb")
    monkeypatch.setenv(progress.ENV, str(path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(progress.__file__).rsplit("/analysis/", 1)[0],
                                                      os.environ.get("PYTHONPATH", "")]))
    papermill.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3",
                               progress_bar=False)
    assert [r["message"] for r in progress.read_records(path)] == ["refit 1 of 3 fitted"]
    out = (tmp_path / "out.ipynb").read_text(encoding="utf-8")
    assert "visible" in out and "refit 1 of 3" not in out.replace("progress.report('topics', 'refit 1 of 3", "")
