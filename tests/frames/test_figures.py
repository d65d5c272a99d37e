"""The inductive-frame figures read on a 390 px phone and draw cleanly when there is nothing to show."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.frames.figures import plot_frame_stability, plot_topic_network
from test_plots import _displayed_min_font_px


def _network():
    nodes = pd.DataFrame({"node": [f"t{i}" for i in range(6)], "frame": [0, 0, 1, 1, 2, 2],
                          "prevalence": [0.3, 0.2, 0.15, 0.15, 0.1, 0.1],
                          "label": [f"T{i} korea_utara, vladimir_putin, amerika_serikat" for i in range(6)]})
    edges = pd.DataFrame({"source": ["t0", "t0", "t2", "t4"], "target": ["t1", "t2", "t3", "t5"],
                          "weight": [0.6, 0.2, 0.5, 0.4], "backbone": [True, False, True, False]})
    return nodes, edges


def test_topic_network_labels_read_on_a_phone():
    assert _displayed_min_font_px(plot_topic_network(*_network(), seed=1).figure) >= 9


def test_frame_stability_reads_on_a_phone():
    s = pd.DataFrame({"model": ["seed-1", "k-4", "reference-leiden"], "kind": ["seed", "k", "method"],
                      "ari": [0.9, 0.4, 1.0]})
    assert _displayed_min_font_px(plot_frame_stability(s, threshold=0.65).figure) >= 9


def test_undefined_stability_draws_a_clean_message_without_warnings(tmp_path):
    s = pd.DataFrame({"model": ["seed-1", "seed-2"], "kind": ["seed", "seed"], "ari": [np.nan, np.nan]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_frame_stability(s, threshold=0.65)
        ax.figure.savefig(tmp_path / "x.png", bbox_inches="tight")
    texts = [t.get_text() for t in ax.texts]
    assert not ax.axison and len(texts) == 1 and "not defined" in texts[0]
