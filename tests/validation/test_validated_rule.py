"""A frame is validated only when the coders agree on it AND the machine agrees with their reference."""

import math

import pandas as pd

from analysis.validation.sentences import describe_methods
from analysis.validation.stage import require_reliable_reference


def _methods(alphas):
    return pd.DataFrame({"frame": list(alphas), "method": "indicators", "alpha": list(alphas.values()),
                         "alpha_lo": 0.5, "alpha_hi": 0.9, "validated": [a >= 0.667 for a in alphas.values()],
                         "in_sample": False, "reason": "best α"})


def test_machine_alpha_alone_does_not_validate_an_unreliable_reference():
    methods = _methods({"a": 0.70, "b": 0.80, "c": 0.50, "d": 0.90})
    rel = pd.DataFrame({"item": ["a", "b", "c", "d"], "kind": "frame", "n_coders": 2,
                        "alpha": [0.634, 0.82, 0.95, math.nan]})
    out = require_reliable_reference(methods, rel).set_index("frame")
    assert out["validated"].to_dict() == {"a": False, "b": True, "c": False, "d": False}
    assert "between coders 0.63" in out.loc["a", "reason"]
    assert "undefined" in out.loc["d", "reason"]
    assert out.loc["b", "coder_alpha"] == 0.82


def test_one_coder_rests_on_the_machine_alpha_and_says_so():
    methods = _methods({"a": 0.70})
    rel = pd.DataFrame({"item": ["a"], "kind": "frame", "n_coders": 1, "alpha": [math.nan]})
    out = require_reliable_reference(methods, rel)
    assert bool(out.loc[0, "validated"]) and "one coder" in out.loc[0, "reason"]
    assert math.isnan(out.loc[0, "coder_alpha"])


def test_sentences_label_each_alpha():
    methods = require_reliable_reference(_methods({"a": 0.70, "b": 0.80}), pd.DataFrame(
        {"item": ["a", "b"], "kind": "frame", "n_coders": 2, "alpha": [0.6, 0.9]}))
    text = describe_methods(methods, {})
    assert "machine vs adjudicated codes 0.80" in text and "between coders 0.90" in text
    assert "between coders 0.60" in text  # the failing frame says why
