"""Small inputs shared by the frames tests: a two-question codebook, three units, a planted doc-topic matrix."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import yaml

GOOD = {
    "name": "test",
    "version": "1",
    "frames": [
        {
            "id": "conflict",
            "name": "Conflict",
            "kind": "generic",
            "definition": "d",
            "source": "semetko2000",
            "questions": [
                {"id": "c_q1", "text": {"en": "War?"}, "indicators": {"en": ["war"], "id": ["perang", r"re:\bmenentang\w*"]}},
                {"id": "c_q2", "text": {"en": "Blame?"}, "indicators": {"en": ["blame"], "id": ["menuduh"]}},
            ],
        }
    ],
}


def write_yaml(tmp_path, data, name="cb.yml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def broken(mutate):
    data = copy.deepcopy(GOOD)
    mutate(data)
    return data


def units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["a-p000", "a-p001", "b-p000"],
            "article_id": ["a", "a", "b"],
            "text": ["Perang dan pihak yang menentangnya.", "Cuaca cerah hari ini.", "Mereka menuduh Barat."],
        }
    )


def block_matrix(seed=0, n=60) -> pd.DataFrame:
    """Doc-topic matrix with two planted frames: topics {0,1,2} and {3,4,5} co-occur."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        block = [0, 1, 2] if i % 2 == 0 else [3, 4, 5]
        w = np.full(6, 0.01)
        w[block] += rng.dirichlet([1, 1, 1])
        rows.append(w / w.sum())
    dt = pd.DataFrame(rows, columns=[f"topic_{k}" for k in range(6)])
    dt.insert(0, "article_id", [f"a{i // 4}" for i in range(n)])
    dt.insert(0, "unit_id", [f"a{i // 4}-p{i % 4:03d}" for i in range(n)])
    return dt
