"""Headline numbers of a chapter: written to ``results.json`` and glued into the book."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"refusing to write a non-finite number ({value}) to results.json")
        return value
    return value


class Results:
    """Collects a chapter's headline numbers; ``glue`` shows each in the book, ``write`` saves them.

    ``record(name, value)`` stores the value and, for a single number, glues it under
    ``name`` so the text shows it with myst-nb's ``{glue:text}`name:.3g``` role: the
    book never types a number by hand.
    """

    def __init__(self, chapter: str, parameters: dict):
        self.chapter = chapter
        # the output folder is where results go, not a result: leaving it out keeps runs comparable
        kept = {k: v for k, v in parameters.items() if k != "output_dir"}
        self.data: dict = {"chapter": chapter, "parameters": _plain(kept), "results": {}}

    def record(self, name: str, value) -> None:
        """Store ``value`` under ``name`` (and glue it when it is a number).

        Returns nothing, so a ``record`` on a cell's last line adds no stray output to the book.
        """
        self.data["results"][name] = _plain(value)
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            from myst_nb import glue

            glue(name, int(value) if isinstance(value, (int, np.integer)) else float(value), display=False)

    def write(self, output_dir: Path) -> Path:
        path = Path(output_dir) / "results.json"
        path.write_text(json.dumps(self.data, indent=2, sort_keys=True) + "\n")
        return path
