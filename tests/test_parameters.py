"""Tests for analysis.parameters: the notebooks' parameters, validated before a run."""

import nbformat
import pytest

from analysis import parameters as P
from analysis.errors import AnalysisError

SCHEMA = {
    "seed": P.Parameter("seed", "int", 1, "seed [0, 4294967295]", ("a",)),
    "n_topics": P.Parameter("n_topics", "int", 0, "K [0, 500]", ("b",)),
    "k_min": P.Parameter("k_min", "int", 2, "[2, 500]", ("b",)),
    "k_max": P.Parameter("k_max", "int", 8, "[2, 500]", ("b",)),
    "language": P.Parameter("language", "str", "id", "{id, en, auto}", ("a",)),
    "no_above": P.Parameter("no_above", "float", 0.5, "[0.0, 1.0]", ("b",)),
    "stem": P.Parameter("stem", "bool", False, "", ("b",)),
}


def test_defaults_are_filled_in():
    assert P.validate({"seed": 3}, SCHEMA)["n_topics"] == 0


@pytest.mark.parametrize("params, message", [
    ({"n_topic": 3}, "unknown parameter 'n_topic' (did you mean 'n_topics'?)"),
    ({"seed": "7"}, "'seed' must be of type int"),
    ({"seed": True}, "'seed' must be of type int"),
    ({"n_topics": -1}, "'n_topics' must be between"),
    ({"language": "fr"}, "language 'fr' is not supported (supported: id, en, auto). For a new language, supply a stopword list"),
    ({"no_above": 1.5}, "'no_above' must be between"),
    ({"k_min": 9}, "k_min (9) is larger than k_max (8)"),
    ({"run_name": "x"}, "set by the command line"),
])
def test_bad_parameters_get_one_line_errors(params, message):
    with pytest.raises(AnalysisError) as err:
        P.validate(params, SCHEMA, source="p.yaml")
    assert message in str(err.value) and str(err.value).startswith("p.yaml")
    assert "\n" not in str(err.value)


def test_int_is_accepted_for_float():
    assert P.validate({"no_above": 1}, SCHEMA)["no_above"] == 1


@pytest.mark.parametrize("text, message", [("a: [1\n", "not valid YAML"), ("- 1\n", "must hold a mapping")])
def test_params_file_errors_name_the_file(tmp_path, text, message):
    f = tmp_path / "p.yaml"
    f.write_text(text)
    with pytest.raises(AnalysisError, match=message) as err:
        P.read_params_file(f)
    assert str(f) in str(err.value)


def test_missing_params_file(tmp_path):
    with pytest.raises(AnalysisError, match="parameters file not found"):
        P.read_params_file(tmp_path / "nope.yaml")


def test_read_notebook_parameters(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('k: int = 3  # number of topics\nname: str = "x"  # a name')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    found = P.read_notebook_parameters(path)
    assert found["k"].default == 3 and found["k"].type == "int" and found["k"].help == "number of topics"
    assert found["name"].default == "x"


def test_every_notebook_has_exactly_one_parameters_cell_of_literals():
    for name in P.STAGES + P.PAGES:
        path = P.notebook_path(name)
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        assert "run_name" in P.read_notebook_parameters(path), name
        for c in nb.cells:
            assert not c.get("outputs"), f"{name} is committed with outputs"
            if c.cell_type == "code":
                assert not any(line.startswith(("def ", "class ")) for line in c.source.splitlines()), name


def test_shipped_defaults_file_matches_the_notebooks(tmp_path):
    from analysis.paths import DEFAULT_PARAMS

    fresh = P.write_defaults_file(P.parameter_schema(), tmp_path / "params.yaml")
    assert DEFAULT_PARAMS.read_text() == fresh.read_text(), "run: python -m analysis params --write analysis/resources/params.yaml"
    # It is the file users copy: it must load and validate as it is.
    schema = P.parameter_schema()
    assert P.validate(P.read_params_file(DEFAULT_PARAMS), schema) == P.validate({}, schema)


def test_describe_documents_every_parameter():
    schema = P.parameter_schema()
    text = P.describe(schema)
    for name in schema:
        if name not in P.RUNNER_SET:
            assert f"{name}:" in text


def test_resolve_files_reads_paths_from_the_params_folder_then_the_cwd(tmp_path, monkeypatch):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "codebook.yml").write_text("frames: []\n")
    (tmp_path / "aliases.yml").write_text("entities: []\n")
    monkeypatch.chdir(tmp_path)
    out = P.resolve_files({"codebook_file": "codebook.yml", "aliases_file": "aliases.yml", "extra_rules": "",
                           "seed": 3}, tmp_path / "conf")
    assert out == {"codebook_file": str(tmp_path / "conf" / "codebook.yml"), "aliases_file": str(tmp_path / "aliases.yml"),
                   "extra_rules": "", "seed": 3}


def test_resolve_files_refuses_a_missing_or_binary_file_in_one_line(tmp_path):
    with pytest.raises(AnalysisError, match=r"missing\.yml: parameter codebook_extra: file not found") as err:
        P.resolve_files({"codebook_extra": "missing.yml"}, tmp_path)
    assert "\n" not in str(err.value)
    (tmp_path / "bin.yml").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(AnalysisError, match="parameter extra_rules: cannot read the file as UTF-8 text"):
        P.resolve_files({"extra_rules": "bin.yml"}, tmp_path)


def test_every_numeric_and_choice_parameter_states_its_rule():
    """The notebooks are the one schema: each number and each choice states its range or choices."""
    for name, p in P.parameter_schema().items():
        if p.type in ("int", "float") or name in ("language", "unit", "alpha"):
            assert p.rule is not None, f"{name} ({', '.join(p.notebooks)}) states no [lo, hi] or {{choices}}"
        if p.rule is not None and p.name not in P.RUNNER_SET:
            P.check(name, P.default(name))  # the default obeys its own rule


def test_check_values_uses_the_notebook_rules():
    from dataclasses import dataclass

    @dataclass
    class Toy:
        k_min: int = 3
        k_max: int = 2

    with pytest.raises(AnalysisError, match="k_min \\(3\\) is larger than k_max \\(2\\)"):
        P.check_values(Toy())
    with pytest.raises(AnalysisError, match="'k_min' must be between 2 and 500"):
        P.check_values(Toy(k_min=1))
