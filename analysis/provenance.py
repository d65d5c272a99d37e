"""Provenance: what exactly produced a run, written beside its results.

Every run gets ``provenance.json``: the corpus (its id, or its path relative
to the project, and the sha256 of every raw file), the parameters and seed, the sha256 of the user's own
resource files (codebook, aliases, cleaning rules) where given, Python and package versions, the
git commit and whether the work tree was dirty, start and end times with
the time each stage took, and the Dask scheduler's kind and size when one ran the chunked work. The site's "Data & provenance" page shows it, so a
reader can check which inputs and code produced a figure.

No local absolute path is ever written: a corpus or resource file inside the
project is named by its path relative to the project, one outside it by its
file name alone (its sha256 says which file it was). A researcher's home
folder is not published.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .paths import ROOT
from .corpus import file_sha256
from .parameters import FILE_PARAMETERS

# The packages whose versions can change a result; recorded in every manifest.
TRACKED_PACKAGES = (
    "analysis", "numpy", "pandas", "pyarrow", "scipy", "scikit-learn", "gensim", "nltk",
    "networkx", "pyLDAvis", "ftfy", "datasketch", "charset-normalizer", "py3langid",
    "PySastrawi", "krippendorff", "matplotlib", "papermill", "nbformat", "ipykernel",
    "smalldocs", "pypandoc-binary", "PyYAML",
)


def public_path(path: object, root: Path = ROOT) -> str:
    """Return ``path`` as it may be published: relative to the project, else its name alone.

    Values that are not paths to something (a corpus id, an empty string) are returned as they are.

    >>> public_path(ROOT / "data" / "raw" / "x")
    'data/raw/x'
    >>> public_path("/home/someone/news/My news.csv")
    'My news.csv'
    >>> public_path("ru-alliances-id"), public_path("")
    ('ru-alliances-id', '')
    """
    text = str(path)
    if not text or not Path(text).is_absolute():
        return text
    try:
        return Path(text).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(text).name


def public_parameters(parameters: dict) -> dict:
    """Return the parameters with the corpus and every resource file as :func:`public_path` gives them."""
    return {k: public_path(v) if k == "corpus" or k in FILE_PARAMETERS else v for k, v in parameters.items()}


def hash_corpus(source: Path) -> dict[str, str]:
    """Return ``{file name: sha256}`` of the raw files the corpus stage reads, sorted by name.

    For a folder these are its ``.txt`` files (a README or SOURCES.md is
    documentation, not data); hashing is the corpus stage's own.
    """
    from .corpus import corpus_sha256

    return dict(sorted(corpus_sha256(source).items()))


def corpus_digest(hashes: dict[str, str]) -> str:
    """Return one sha256 over a corpus' file hashes: a short id for 'the same corpus'."""
    lines = "".join(f"{name}\t{digest}\n" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def package_versions(names=TRACKED_PACKAGES) -> dict[str, str]:
    """Return installed versions of ``names`` (``"not installed"`` where missing)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_state(root: Path = ROOT) -> dict[str, object]:
    """Return the git commit of ``root`` and whether its tracked files differ from it."""
    def _git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit or "unknown", "dirty": bool(status) if status is not None else None}


def now() -> str:
    """Return the current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# A corpus folder may hold a corpus card: its title, research question, language and
# where the articles came from (source, url, accessed, selection_rule, licence, and
# publish_review, which opts the full-text review view into the site).
CORPUS_CARD = "corpus.yml"


def read_corpus_card(source: Path) -> dict:
    """Return the corpus card (``corpus.yml``) of a corpus folder, or ``{}`` when there is none.

    A card that is not a YAML mapping raises a one-line AnalysisError naming the file.
    """
    from .files import read_yaml

    card = Path(source) / CORPUS_CARD if Path(source).is_dir() else None
    return (read_yaml(card, what="corpus card") or {}) if card is not None and card.is_file() else {}


def build_manifest(*, run_name: str, corpus: str, source: Path, parameters: dict, started: str,
                   finished: str, stage_seconds: dict[str, float], scheduler: dict | None = None) -> dict:
    """Return the provenance manifest of one run as a JSON-ready dict.

    ``scheduler`` is where the chunked work ran (:meth:`analysis.workers.Cluster.provenance`:
    its kind and number of workers, never its address); without one, ``{"kind": "none"}``.
    """
    hashes = hash_corpus(source)
    return {
        "run_name": run_name,
        "corpus": {"id": public_path(corpus), "path": public_path(source), "files": hashes,
                   "digest": corpus_digest(hashes), "card": read_corpus_card(source)},
        "parameters": public_parameters(parameters),
        # The user's own resource files change results as much as the corpus does.
        "user_files": {name: {"path": public_path(parameters[name]), "sha256": file_sha256(Path(str(parameters[name])))}
                       for name in FILE_PARAMETERS if parameters.get(name)},
        "seed": parameters.get("seed"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
        "git": git_state(),
        "started": started,
        "finished": finished,
        "stage_seconds": {k: round(v, 2) for k, v in stage_seconds.items()},
        # Where the chunked work ran: tables are the same either way, times are not.
        "scheduler": dict(scheduler) if scheduler else {"kind": "none"},
    }


def write_manifest(manifest: dict, path: Path) -> Path:
    """Write ``manifest`` as pretty, key-sorted JSON to ``path``."""
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path

