"""Build speed of the book, measured (never asserted in tests).

    .venv/bin/python benchmarks/bench_build.py [--keep]

Clones the committed HEAD into a temporary folder, borrows this checkout's installed ``.venv``
(installs are excluded: ``make -o .venv/.installed``), and times

1. a cold ``make book`` (empty ``_build``: every page executes, then Sphinx builds), split into
   the execution phase (``python -m supermodel.bookcache``) and the Sphinx phase;
2. ``make book`` again with nothing changed (cached executions, fresh Sphinx build).

Prints the per-page execution times (from the cache's records) and the targets of issue 6:
cold build under 180 s, rebuild under 30 s. The clone is deleted unless ``--keep``.
Commit first: uncommitted changes are not in the clone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"cold": 180.0, "rebuild": 30.0}


def timed_make(clone: Path) -> tuple[float, float]:
    """Run ``make book`` in ``clone``; return (total seconds, seconds until the execution cache was ready)."""
    env = os.environ | {"SUPERMODEL_ROOT": str(clone)}
    start = time.perf_counter()
    ready = None
    proc = subprocess.Popen(["make", "-o", ".venv/.installed", "book"], cwd=clone, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("execution cache ready"):
            ready = time.perf_counter() - start
    if proc.wait() != 0:
        sys.stdout.writelines(lines[-40:])
        raise SystemExit(f"make book failed in {clone}")
    return time.perf_counter() - start, ready


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the clone")
    args = parser.parse_args()
    if subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip():
        print("warning: uncommitted changes are not measured (the clone is of HEAD)")
    if not (ROOT / ".venv" / ".installed").is_file():
        raise SystemExit("run `make install` first: installs are not part of this measurement")
    clone = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        (clone / ".venv").symlink_to(ROOT / ".venv")
        cold, cold_exec = timed_make(clone)
        rebuild, rebuild_exec = timed_make(clone)
        pages = json.loads((clone / "_build" / "page-times.json").read_text())
    finally:
        if not args.keep:
            shutil.rmtree(clone, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; clone of {ROOT} at HEAD")
    print(f"{'page':<18} {'execution (s)':>14}")
    for page, seconds in sorted(pages.items(), key=lambda kv: -kv[1]):
        print(f"{page:<18} {seconds:14.1f}")
    print(f"{'sum':<18} {sum(pages.values()):14.1f}  (the pages run in parallel, so the phase takes less)")
    print()
    for name, total, exec_phase in (("cold", cold, cold_exec), ("rebuild", rebuild, rebuild_exec)):
        verdict = "meets" if total < TARGETS[name] else "MISSES"
        print(f"{name:<8} make book {total:6.1f} s  (execution phase {exec_phase:5.1f} s, Sphinx {total - exec_phase:5.1f} s)"
              f"  {verdict} the target of {TARGETS[name]:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
