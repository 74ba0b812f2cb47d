"""Execute the book's pages ahead of the Sphinx build, in parallel, into Jupyter Book's execution cache.

Jupyter Book 1 executes notebooks one at a time while Sphinx reads them. ``make book`` first
runs :func:`prepare`, which executes every page that has no valid cached execution on all
cores (each page read exactly as myst-nb reads it, executed as myst-nb executes it), so the Sphinx
build that follows only merges cached outputs.

Jupyter Book's cache keys a notebook on its code cells only, so a change in ``src/``, in the
pinned environment or in the configuration would leave stale outputs behind. :func:`fingerprint`
hashes all of those; when it differs from the one stored in the cache, the whole cache is
dropped and every page executes again. A page whose output folder (``results.json`` and
figures) has gone is executed again too. A page that fails is not cached, so the Sphinx build
executes it once more and reports the error (``make book`` builds with warnings as errors).

Run as ``python -m supermodel.bookcache [--jobs N] [--clear]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import paths
from .chapters import one_blas_thread

_READER = {"type": "plugin", "name": "myst_nb_md"}  # myst-nb's own reader of MyST Markdown notebooks
_STAMP = "supermodel-fingerprint"
_TIMES = "page-times.json"  # last run time of each page, to start the longest first


def cache_dir() -> Path:
    """Jupyter Book's execution cache (its default place, ``_build/.jupyter_cache``)."""
    return paths.build_dir() / ".jupyter_cache"


def fingerprint() -> str:
    """SHA-256 of everything outside a page that its outputs depend on.

    The package sources, the book's local Sphinx extensions, the pinned environment, the
    project metadata and the book configuration.
    """
    root = paths.project_root()
    files = sorted((root / "src").rglob("*.py")) + sorted((root / "book" / "_ext").rglob("*.py"))
    files += [root / name for name in ("requirements.lock", "pyproject.toml", "_config.yml", "_toc.yml")]
    digest = hashlib.sha256(sys.version.encode())
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def executable_pages() -> list[Path]:
    """The book's MyST Markdown notebooks that contain code cells."""
    return sorted(p for p in paths.book_dir().glob("*.md") if "```{code-cell}" in p.read_text())


def _outputs_present(page: Path) -> bool:
    """A page with a ``parameters`` cell writes ``results.json``; without it the cached run is incomplete."""
    from .chapters import chapter_names

    if page.stem not in chapter_names():
        return True
    return (paths.default_output_dir(page.stem) / "results.json").is_file()


def _execute(nb, cwd: str, timeout: int):
    """Worker: execute one notebook in ``cwd``; return it with its run time and the error text, if any."""
    import traceback

    from jupyter_cache.executors.utils import single_nb_execution

    try:
        with one_blas_thread():  # as `supermodel run` does: the same numbers, and no oversubscribed cores
            result = single_nb_execution(nb, cwd=cwd, timeout=timeout, allow_errors=False)
    except Exception:  # a dead kernel, say: report it like a failing cell, the build will show it
        return nb, 0.0, traceback.format_exc()
    return result.nb, result.time, result.exc_string


def _previous_times() -> dict[str, float]:
    path = paths.build_dir() / _TIMES
    return json.loads(path.read_text()) if path.is_file() else {}


def prepare(jobs: int | None = None, clear: bool = False, timeout: int = 600) -> dict[str, float | None]:
    """Bring the execution cache up to date; return each executed page's run time (``None``: it failed).

    Pages already cached with the current :func:`fingerprint` are skipped and not listed. The
    others run in ``jobs`` processes (default: every core), longest first by their last run time.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    jobs = jobs or os.cpu_count() or 1
    stamp = cache_dir() / _STAMP
    current = fingerprint()
    if clear or not stamp.is_file() or stamp.read_text() != current:
        shutil.rmtree(cache_dir(), ignore_errors=True)
    cache = get_cache(str(cache_dir()))
    cache_dir().mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)

    todo = {}
    for page in executable_pages():
        record = cache.add_nb_to_project(str(page), read_data=_READER)
        if cache.get_cached_project_nb(record.pk) is None or not _outputs_present(page):
            todo[str(page)] = cache.get_project_notebook(record.pk).nb
    previous = _previous_times()
    order = sorted(todo, key=lambda uri: (-previous.get(Path(uri).stem, 0.0), -Path(uri).stat().st_size))
    times: dict[str, float | None] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, max(len(order), 1))) as pool:
        futures = {pool.submit(_execute, todo[uri], str(paths.book_dir()), timeout): uri for uri in order}
        for future in as_completed(futures):
            uri = futures[future]
            nb, seconds, error = future.result()
            times[Path(uri).stem] = None if error else seconds
            if error is None:  # myst-nb caches a successful execution exactly like this
                cache.cache_notebook_bundle(CacheBundleIn(nb, uri, data={"execution_seconds": seconds}),
                                            check_validity=False, overwrite=True)
    previous.update({page: t for page, t in times.items() if t is not None})
    (paths.build_dir() / _TIMES).write_text(json.dumps(previous, indent=1, sort_keys=True))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m supermodel.bookcache", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=None, help="parallel executions (default: all cores)")
    parser.add_argument("--clear", action="store_true", help="drop the cache and execute every page")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")
    start = time.perf_counter()
    times = prepare(args.jobs, args.clear)
    for page, seconds in sorted(times.items()):
        print(f"  {page:<18} " + (f"{seconds:7.1f} s" if seconds is not None else "FAILED (the build will report it)"))
    print(f"execution cache ready: {len(times)} page(s) executed in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
