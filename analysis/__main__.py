"""Command line: ``python -m analysis run|site|review|params|sample|import-coding|speaker-sheet|import-speakers|intrusion-sheet|import-intrusion``.

Errors a user can cause are printed as one line (``error: …``) with exit
code 2; a traceback is shown only for bugs, i.e. for anything that is not an
:class:`~analysis.errors.AnalysisError`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import AnalysisError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis", description="Topic modeling and framing analysis of news.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run every stage notebook on a corpus into runs/<name>/")
    r.add_argument("--corpus", required=True, help="corpus id under data/raw/, or a folder of .txt files, or a .csv/.jsonl/.parquet file")
    r.add_argument("--name", help="run name (folder under runs/); default: the corpus id or file name")
    r.add_argument("--params", type=Path, help="YAML file of parameters (see: python -m analysis params)")
    r.add_argument("--language", help="corpus language: id, en, or auto (detect per article)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--scheduler", metavar="ADDRESS|local",
                   help="run the stages' chunked work on a Dask cluster: a scheduler address (tcp://host:port), "
                        "or 'local' for a LocalCluster of --workers processes (see docs/scaling.md)")
    r.add_argument("--workers", type=int, default=2, metavar="N",
                   help="worker processes of --scheduler local (default 2; 0 = one per core)")

    s = sub.add_parser("site", help="build the website from every run in runs/ (Quarto, or the offline preview)")
    s.add_argument("--output", type=Path, help="output folder (default: _site)")
    s.add_argument("--offline", action="store_true", help="build the offline preview even when Quarto is installed")

    v = sub.add_parser("review", help="build a run's review view (full text, codes and quotes marked) into review/<run>/")
    v.add_argument("--run", required=True, help="run name (folder under runs/)")
    v.add_argument("--output", type=Path, help="output folder (default: review/<run>/, outside the site)")

    q = sub.add_parser("params", help="print every parameter with its type, default and meaning")
    q.add_argument("--write", type=Path, help="write the documented default parameters file to this path")

    c = sub.add_parser("sample", help="draw a new coding sample of a finished run and write one sheet per coder")
    c.add_argument("--run", required=True, help="run name (folder under runs/)")
    c.add_argument("--coders", help="comma-separated coder names (default: the run's `coders` parameter)")
    c.add_argument("--size", type=int, help="units every coder codes (default: the run's rule; see --help of params)")
    c.add_argument("--extra", type=int, help="further units, each coded by one coder")
    c.add_argument("--seed", type=int, help="seed of the draw (default: the run's seed)")

    i = sub.add_parser("import-coding", help="check a filled coding sheet (XLSX or CSV) and add it to a coding set")
    i.add_argument("sheet", type=Path, help="the filled sheet")
    i.add_argument("--run", required=True, help="the run whose sample the sheet was drawn from")
    i.add_argument("--set", required=True, dest="coding_set", help="coding set (folder under data/coding/)")

    k = sub.add_parser("speaker-sheet", help="write a speaker coding sheet (XLSX and CSV) of a finished run")
    k.add_argument("--run", required=True, help="run name (folder under runs/)")
    k.add_argument("--coder", required=True, help="the coder's name")

    m = sub.add_parser("import-speakers", help="check a filled speaker sheet and add it to a coding set")
    m.add_argument("sheet", type=Path, help="the filled sheet (XLSX or CSV)")
    m.add_argument("--run", required=True, help="the run the sheet was written for")
    m.add_argument("--set", required=True, dest="coding_set", help="coding set (folder under data/coding/)")

    w = sub.add_parser("intrusion-sheet", help="write word- and topic-intrusion sheets (XLSX and CSV) of a finished run")
    w.add_argument("--run", required=True, help="run name (folder under runs/)")
    w.add_argument("--coders", help="comma-separated coder names, one sheet each (default: one sheet, 'coder')")

    a = sub.add_parser("import-intrusion", help="check a filled intrusion sheet and keep its answers for the run")
    a.add_argument("sheet", type=Path, help="the filled sheet (XLSX or CSV)")
    a.add_argument("--run", required=True, help="the run whose tasks the sheet holds")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            from .runner import run_pipeline

            run_pipeline(args.corpus, name=args.name, params_file=args.params, language=args.language,
                         progress=not args.quiet, scheduler=args.scheduler, n_workers=args.workers)
        elif args.command == "site":
            from .site import build_site

            out = build_site(output_dir=args.output, force_offline=args.offline)
            print(f"site built: {out / 'index.html'}")
        elif args.command == "review":
            from .paths import check_run_name, runs_root
            from .registry import RunPaths
            from .review import build_review

            paths = RunPaths(runs_root() / check_run_name(args.run))
            if not paths.root.is_dir():
                raise AnalysisError(f"no run named {args.run!r}", path=paths.root)
            print(f"review view built: {build_review(paths, args.output)}")
        elif args.command == "params":
            from . import parameters as P

            schema = P.parameter_schema()
            if args.write:
                P.write_defaults_file(schema, args.write)
                print(f"wrote {args.write}")
            else:
                print(P.describe(schema))
        elif args.command == "sample":
            from .validation.tools import sample_run

            for line in sample_run(args.run, coders=args.coders, size=args.size, extra=args.extra, seed=args.seed):
                print(line)
        elif args.command == "import-coding":
            from .validation.tools import import_coding

            print(f"imported: {import_coding(args.sheet, run=args.run, coding_set=args.coding_set)}")
        elif args.command == "speaker-sheet":
            from .actors.tools import speaker_sheet

            for line in speaker_sheet(args.run, coder=args.coder):
                print(line)
        elif args.command == "import-speakers":
            from .actors.tools import import_speakers

            print(f"imported: {import_speakers(args.sheet, run=args.run, coding_set=args.coding_set)}")
        elif args.command == "intrusion-sheet":
            from .topics import write_intrusion_sheets

            for line in write_intrusion_sheets(args.run, coders=args.coders):
                print(line)
        elif args.command == "import-intrusion":
            from .topics import import_intrusion

            for line in import_intrusion(args.sheet, run=args.run):
                print(line)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
