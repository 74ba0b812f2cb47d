"""Every path the project uses, from one place, so code runs from any directory."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def project_root() -> Path:
    """The repository root (the folder holding ``_toc.yml``).

    Found from the package's own location for a source checkout (editable install);
    otherwise from ``SUPERMODEL_ROOT``, or the current directory and its parents.
    """
    env = os.environ.get("SUPERMODEL_ROOT")
    candidates = [Path(env)] if env else []
    candidates += [_PACKAGE.parents[1], Path.cwd().resolve(), *Path.cwd().resolve().parents]
    for cand in candidates:
        if (cand / "_toc.yml").is_file() and (cand / "book").is_dir():
            return cand
    raise FileNotFoundError("cannot find the project root (a folder with _toc.yml and book/); set SUPERMODEL_ROOT")


def book_dir() -> Path:
    """The chapters' folder."""
    return project_root() / "book"


def build_dir() -> Path:
    """Jupyter Book's build folder; generated files only, never committed."""
    return project_root() / "_build"


def default_output_dir(chapter: str) -> Path:
    """``_build/output/<chapter>``: where a chapter run by the book build writes (not created here)."""
    return build_dir() / "output" / chapter


def output_dir(chapter: str, override: str | os.PathLike | None = None) -> Path:
    """Where a chapter writes its figures and ``results.json``; created if missing.

    ``override`` (a chapter's ``output_dir`` parameter) wins when non-empty; the
    default is ``_build/output/<chapter>``.
    """
    path = Path(override) if override else default_output_dir(chapter)
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()
