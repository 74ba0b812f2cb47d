"""The ``supermodel`` command: re-run chapters with other parameters, list parameters, export LaTeX.

    supermodel run CHAPTER [-p NAME VALUE]... [--output DIR]
    supermodel run all [-p NAME VALUE]... [--output DIR] [--jobs N]
    supermodel params CHAPTER
    supermodel export-latex FILE
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import chapters


def _run(args) -> int:
    values = {name: chapters.parse_value(text) for name, text in args.param}
    every = args.chapter == "all"
    if every:
        # with 'all', a parameter goes to the chapters that have it; one no chapter has is an error
        per_chapter = {name: {k: v for k, v in values.items() if k in chapters.parameters(name)}
                       for name in chapters.chapter_names()}
        unused = set(values) - {k for own in per_chapter.values() for k in own}
        if unused:
            raise ValueError(f"unknown parameter(s) {', '.join(sorted(unused))}: no chapter has them")
    else:
        chapters.chapter_path(args.chapter)
        per_chapter = {args.chapter: values}
    for name, own in per_chapter.items():  # validate everything before running anything
        chapters.check_parameters(name, own)
    if not every:
        out = chapters.run(args.chapter, values, args.output)
        print(f"{args.chapter}: executed notebook, figures and results.json in {out}")
        return 0
    if args.jobs < 1:
        raise ValueError(f"--jobs must be >= 1, got {args.jobs}")
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    failed = 0
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(chapters.run_reporting, name, own, Path(args.output) / name if args.output else None)
                   for name, own in per_chapter.items()]
        for future in tqdm(as_completed(futures), total=len(futures), desc="chapters", unit="chapter"):
            name, out, error = future.result()
            if error:
                failed += 1
                print(f"supermodel: error: {name}: {error}", file=sys.stderr)
            else:
                print(f"{name}: executed notebook, figures and results.json in {out}")
    return 1 if failed else 0


def _params(args) -> int:
    notes = chapters.parameter_notes(args.chapter)
    for name, value in chapters.parameters(args.chapter).items():
        print(f"{name} = {value!r}" + (f"  # {notes[name]}" if notes[name] else ""))
    return 0


def _export(args) -> int:
    from .latex import write_catalogue

    path = write_catalogue(Path(args.file))
    print(f"wrote {path}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="supermodel", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute a chapter (or all) with papermill")
    run.add_argument("chapter", help="chapter file name without extension, or 'all'")
    run.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    run.add_argument("--output", help="output folder (default _build/runs/CHAPTER)")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                     help="with 'all': chapters executed side by side (default: every core)")
    run.set_defaults(func=_run)
    params = sub.add_parser("params", help="list a chapter's parameters and defaults")
    params.add_argument("chapter")
    params.set_defaults(func=_params)
    export = sub.add_parser("export-latex", help="write every derivation as a .tex file with the book's labels")
    export.add_argument("file")
    export.set_defaults(func=_export)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as exc:
        print(f"supermodel: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a cell failed inside the chapter: report its last line, not the traceback
        if type(exc).__name__ != "PapermillExecutionError":
            raise
        print(f"supermodel: error: a cell of the chapter failed: {exc.ename}: {exc.evalue}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
