"""Run parameters: read from the notebooks, documented, validated before a run.

The notebooks' ``parameters`` cells are the single source of truth: each
parameter's name, type, default, meaning and allowed values are read from
them with papermill's own inspection (the same that ``papermill
--help-notebook`` shows). A comment ends with its rule: ``[lo, hi]`` for a
number's inclusive range, ``{a, b, c}`` for a string's choices. The stages'
parameter dataclasses take their defaults from :func:`default` and check
their values with :func:`check_values`, so there is one schema and one range
check. A parameters file is a flat YAML mapping of name to value; every key
must be a parameter of some stage notebook, of the right type and within its
rule. Problems are reported in one line that names the file and the
parameter.
"""

from __future__ import annotations

import ast
import difflib
import re
import shlex
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

import yaml

from .paths import NOTEBOOKS
from .errors import AnalysisError

# Stage notebooks in run order, then the report pages that read their outputs.
STAGES = ("01-build-corpus", "02-fit-topics", "03-analyse-frames", "04-actors-and-sources", "05-validate")
PAGES = ("index", "methods", "data", "notebooks")

# Parameters the runner sets itself; a parameters file may not set them.
RUNNER_SET = ("run_name", "corpus")

# Parameters that name a user's own resource file (YAML): extra cleaning rules,
# an alias table, a replacement codebook, frames added to the codebook. Empty
# means the shipped resource alone. See resolve_files.
FILE_PARAMETERS = ("extra_rules", "aliases_file", "codebook_file", "codebook_extra", "sources_file")

_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool, "list": list, "dict": dict}


_RANGE = re.compile(r"\[(-?[\d.]+(?:e[+-]?\d+)?), (-?[\d.]+(?:e[+-]?\d+)?)\]\s*$")
_CHOICES = re.compile(r"\{([\w.-]+(?:, [\w.-]+)*)\}\s*$")


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter: its name, type, default, meaning, rule and notebooks."""

    name: str
    type: str
    default: object
    help: str
    notebooks: tuple[str, ...]

    @property
    def rule(self) -> tuple | frozenset | None:
        """``(lo, hi)`` for a number, a set of choices for a string, from the comment's end; else None.

        >>> Parameter("k", "int", 3, "smallest K [2, 500]", ()).rule
        (2, 500)
        >>> sorted(Parameter("l", "str", "id", "language {id, en}", ()).rule)
        ['en', 'id']
        """
        m = _RANGE.search(self.help)
        if m:
            cast = float if self.type == "float" else int
            return cast(float(m.group(1))), cast(float(m.group(2)))
        m = _CHOICES.search(self.help)
        return frozenset(m.group(1).split(", ")) if m else None


def notebook_path(name: str) -> Path:
    """Return the source notebook of a stage or page name."""
    return NOTEBOOKS / (f"pages/{name}.ipynb" if name in PAGES else f"{name}.ipynb")


def read_notebook_parameters(path: Path) -> dict[str, Parameter]:
    """Return the parameters declared in a notebook's ``parameters`` cell."""
    import papermill

    found = {}
    for name, p in papermill.inspect_notebook(str(path)).items():
        try:
            default = ast.literal_eval(p["default"])
        except (ValueError, SyntaxError):
            default = p["default"]
        found[name] = Parameter(name, p["inferred_type_name"], default, p["help"], (path.stem,))
    return found


def parameter_schema(names=STAGES + PAGES) -> dict[str, Parameter]:
    """Return every parameter of the given notebooks, merged by name.

    A parameter shared by several notebooks (``run_name``, ``seed``,
    ``language``) must have the same type and default in each of them.
    """
    schema: dict[str, Parameter] = {}
    for nb in names:
        path = notebook_path(nb)
        if not path.exists():
            continue
        for name, p in read_notebook_parameters(path).items():
            if name in schema:
                old = schema[name]
                if (old.type, old.default) != (p.type, p.default):
                    raise AnalysisError(f"parameter {name!r} differs between notebooks {old.notebooks} and {nb}")
                schema[name] = Parameter(name, old.type, old.default, old.help or p.help, old.notebooks + (nb,))
            else:
                schema[name] = p
    return schema


@lru_cache(maxsize=1)
def _schema() -> dict[str, Parameter]:
    return parameter_schema()


def default(name: str):
    """The default of parameter ``name`` as its notebook declares it (the stage dataclasses use it).

    >>> default("k_min")
    3
    """
    value = _schema()[name].default
    return list(value) if isinstance(value, list) else value


def notebook_default(name: str):
    """A dataclass field whose default is parameter ``name``'s notebook default (read when an instance is made).

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class P:
    ...     k_min: int = notebook_default("k_min")
    >>> P().k_min
    3
    """
    from dataclasses import field
    from functools import partial

    return field(default_factory=partial(default, name))


def check(name: str, value, *, source: str = "parameters", schema: dict[str, Parameter] | None = None) -> None:
    """Check one value against its parameter's type and rule; raise one line naming ``source`` and the parameter.

    >>> check("k_min", 1)
    Traceback (most recent call last):
    ...
    analysis.errors.AnalysisError: parameters: parameter 'k_min' must be between 2 and 500, got 1
    """
    schema = schema or _schema()
    p = schema[name]
    expected = _TYPES.get(p.type)
    wrong_bool = isinstance(value, bool) and p.type in ("int", "float")
    if expected and (wrong_bool or not isinstance(value, expected)):
        raise AnalysisError(f"{source}: parameter {name!r} must be of type {p.type}, got {value!r}")
    rule = p.rule
    if name == "language" and value not in rule:
        raise AnalysisError(
            f"{source}: language {value!r} is not supported (supported: id, en, auto). For a new language, supply "
            f"a stopword list (analysis/resources/stopwords/{value}.txt), cleaning and dateline rules "
            f"(analysis/resources/cleaning/{value}.yaml), codebook indicators ({value}: keys in codebook.yml) "
            f"and attribution patterns (attribution.yml)")
    if isinstance(rule, frozenset) and value not in rule:
        raise AnalysisError(f"{source}: parameter {name!r} must be one of {sorted(rule)}, got {value!r}")
    if isinstance(rule, tuple) and not (rule[0] <= value <= rule[1]):
        raise AnalysisError(f"{source}: parameter {name!r} must be between {rule[0]} and {rule[1]}, got {value!r}")


def check_together(values: dict, *, source: str = "parameters") -> None:
    """The rules that join two parameters (K range, number of topics)."""
    if "k_min" in values and "k_max" in values and values["k_min"] > values["k_max"]:
        raise AnalysisError(f"{source}: k_min ({values['k_min']}) is larger than k_max ({values['k_max']})")
    if values.get("n_topics") == 1:
        raise AnalysisError(f"{source}: parameter 'n_topics' must be 0 (choose K) or at least 2, got 1")


def check_values(obj, *, source: str = "parameters") -> None:
    """Check every field of a stage's parameter dataclass that is a notebook parameter, then the joint rules."""
    from dataclasses import fields

    schema = _schema()
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    for name, value in values.items():
        if name in schema and name not in RUNNER_SET:
            check(name, value, source=source, schema=schema)
    check_together(values, source=source)


def defaults(schema: dict[str, Parameter]) -> dict[str, object]:
    """Return ``{name: default}`` for every parameter the user may set."""
    return {n: p.default for n, p in sorted(schema.items()) if n not in RUNNER_SET}


def read_params_file(path: Path) -> dict[str, object]:
    """Read a YAML parameters file (a flat mapping of name: value); errors name the file and row."""
    from .files import read_yaml

    return read_yaml(path, what="parameters file", expect="a mapping of name: value")


def write_run_params(params: dict[str, object], path: Path) -> Path:
    """Write a run's parameters so that ``--params`` accepts the file as it is.

    The runner-set keys (``run_name``, ``corpus``) are recorded as comments:
    they come from the command line, and a parameters file may not set them.
    """
    def arg(name):
        return shlex.quote(str(params.get(name, name.upper()))).replace("\n", " ")

    head = ["# Parameters of this run. Re-run with:",
            f"#   python -m analysis run --corpus {arg('corpus')} --name {arg('run_name')} --params params.yaml"]
    body = {k: v for k, v in sorted(params.items()) if k not in RUNNER_SET}
    path.write_text("\n".join(head) + "\n" + yaml.safe_dump(body, sort_keys=True, default_flow_style=False,
                                                             allow_unicode=True), encoding="utf-8")
    return path


def resolve_files(params: dict[str, object], base: Path) -> dict[str, object]:
    """Return ``params`` with every :data:`FILE_PARAMETERS` value as an absolute path to an existing file.

    A relative path is read from ``base`` (the parameters file's folder), then
    from the current folder. A missing or unreadable file is refused with a
    one-line error naming the parameter and the file, before anything runs.

    Examples
    --------
    >>> resolve_files({"codebook_file": "", "seed": 1}, Path("."))
    {'codebook_file': '', 'seed': 1}
    """
    out = dict(params)
    for name in FILE_PARAMETERS:
        value = out.get(name)
        if not value:
            continue
        given = Path(str(value)).expanduser()
        candidates = [given] if given.is_absolute() else [Path(base) / given, Path.cwd() / given]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise AnalysisError(f"parameter {name}: file not found", path=candidates[0])
        try:
            found.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as exc:
            raise AnalysisError(f"parameter {name}: cannot read the file as UTF-8 text ({exc.__class__.__name__})",
                                path=found) from None
        out[name] = str(found.resolve())
    return out


def validate(params: dict[str, object], schema: dict[str, Parameter], *, source: str = "parameters") -> dict[str, object]:
    """Check names, types and ranges of ``params``; return them with defaults filled in.

    Examples
    --------
    >>> schema = {"seed": Parameter("seed", "int", 1, "", ("x",))}
    >>> validate({"seed": 3}, schema)
    {'seed': 3}
    """
    for name, value in params.items():
        if name in RUNNER_SET:
            raise AnalysisError(f"{source}: {name!r} is set by the command line (--corpus/--name), not in a parameters file")
        if name not in schema:
            close = difflib.get_close_matches(str(name), list(schema), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise AnalysisError(f"{source}: unknown parameter {name!r}{hint}")
        check(name, value, source=source, schema=schema)
    merged = {**defaults(schema), **params}
    check_together(merged, source=source)
    return merged


def describe(schema: dict[str, Parameter]) -> str:
    """Return a plain-text table documenting every user-settable parameter."""
    lines = []
    for name, p in sorted(schema.items()):
        if name in RUNNER_SET:
            continue
        rule = p.rule
        allowed = f" (one of {', '.join(sorted(rule))})" if isinstance(rule, frozenset) else (
            f" ({rule[0]}..{rule[1]})" if isinstance(rule, tuple) else "")
        lines.append(f"{name}: {p.type} = {p.default!r}{allowed}\n    {p.help}  [{', '.join(p.notebooks)}]")
    return "\n".join(lines)


def write_defaults_file(schema: dict[str, Parameter], path: Path) -> Path:
    """Write the documented default parameters file (every parameter, commented)."""
    out = ["# Default parameters of a run. Copy this file, change what you need, and pass it with",
           "#   python -m analysis run --corpus PATH_OR_ID --params my-params.yaml",
           "# Generated from the notebooks' parameters cells by `python -m analysis params --write`;",
           "# tests check that it matches them.", ""]
    for name, p in sorted(schema.items()):
        if name in RUNNER_SET:
            continue
        rule = p.rule
        allowed = f"; one of {sorted(rule)}" if isinstance(rule, frozenset) else (
            f"; range {rule[0]}..{rule[1]}" if isinstance(rule, tuple) else "")
        out.append(f"# {p.help} ({p.type}{allowed}; used by {', '.join(p.notebooks)})")
        out.append(yaml.safe_dump({name: p.default}, default_flow_style=False, allow_unicode=True, width=1000).strip())
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")
    return path
