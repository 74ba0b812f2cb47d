"""Re-executing chapters with other parameters: parameter discovery, validation, papermill runs.

A chapter is a MyST Markdown notebook in ``book/`` with exactly one code cell tagged
``parameters``. Its assignments are the defaults; their types are the allowed types.
Every chapter calls :func:`check_parameters` right after that cell, so the book build,
``supermodel run`` and a plain ``jupytext | papermill`` pipe all refuse the same bad values.
"""

from __future__ import annotations

import ast
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from . import paths

#: value rules by parameter name, first match wins: (which names, test, description of the valid range)
_RULES = [
    (lambda n: n == "delta" or n.startswith("delta_") or n.endswith("_fractions"), lambda x: 0 < x < 1,
     "in the open interval (0, 1)"),
    (lambda n: n == "condition", lambda x: x >= 1, ">= 1"),
    (lambda n: n.startswith(("emp_risk", "risk_")), lambda x: 0 <= x <= 1, "in [0, 1]"),
    (lambda n: n.startswith("temp_ratio"), lambda x: x > 1, "> 1"),
    (lambda n: n == "loss_scale", lambda x: x > 0, "> 0"),
    (lambda n: n.endswith("substeps"), lambda x: x >= 1, ">= 1"),
    (lambda n: n == "rotation", lambda x: x >= 0, ">= 0"),
    (lambda n: n == "seed" or n.startswith("seed_"), lambda x: x >= 0, "an integer >= 0"),
    (lambda n: n.startswith(("n_", "N_", "steps")) or "_n_" in n or n in ("dim", "record_every"),
     lambda x: x >= 1, ">= 1"),
    (lambda n: n == "l2", lambda x: x >= 0, ">= 0"),
    (lambda n: n == "var_floor", lambda x: x > 0, "> 0"),
    (lambda n: n.startswith(("lr", "eta", "batch", "horizon", "catoni_c")), lambda x: x > 0, "> 0"),
    (lambda n: n.endswith(("_scale", "_max", "_min")) or n.startswith(("shift", "alpha", "angle", "tau")),
     lambda x: x >= 0, ">= 0"),
]


#: one BLAS thread in every chapter kernel: a threaded BLAS may sum in another order (results.json then
#: differs in the last digits between machines with different core counts), and the chapters' small
#: matrices gain nothing from threads (the book's execution phase took 283 s of CPU with threaded BLAS
#: in two parallel kernels, 178 s single-threaded)
SINGLE_THREADED_BLAS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@contextmanager
def one_blas_thread():
    """Within the block, kernels started by this process inherit :data:`SINGLE_THREADED_BLAS`."""
    saved = {key: os.environ.get(key) for key in SINGLE_THREADED_BLAS}
    os.environ.update(SINGLE_THREADED_BLAS)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def chapter_names() -> list[str]:
    """Chapters that have a ``parameters`` cell, in file order."""
    return sorted(p.stem for p in paths.book_dir().glob("*.md") if _parameter_source(p) is not None)


def chapter_path(name: str) -> Path:
    path = paths.book_dir() / f"{name}.md"
    if not path.is_file() or _parameter_source(path) is None:
        raise ValueError(f"unknown chapter {name!r}; choose one of: {', '.join(chapter_names())}")
    return path


def _parameter_source(path: Path) -> str | None:
    import jupytext

    nb = jupytext.read(path)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if len(cells) > 1:
        raise ValueError(f"{path.name} has {len(cells)} parameters cells; exactly one is allowed")
    return cells[0].source if cells else None


def parameters(name: str) -> dict:
    """A chapter's parameters and their defaults (literals only), in cell order."""
    tree = ast.parse(_parameter_source(chapter_path(name)))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def parameter_notes(name: str) -> dict[str, str]:
    """The comment written after each parameter of a chapter (its meaning and unit), ``""`` where none."""
    import io
    import tokenize

    source = _parameter_source(chapter_path(name))
    comments = {tok.start[0]: tok.string.lstrip("#").strip()
                for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT}
    return {node.targets[0].id: comments.get(node.end_lineno, "") for node in ast.parse(source).body
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)}


def _check_value(name: str, value) -> None:
    values = value if isinstance(value, (list, tuple)) else [value]
    for rule, test, text in _RULES:
        if rule(name):
            for x in values:
                if not isinstance(x, (int, float)) or isinstance(x, bool) or not test(x):
                    raise ValueError(f"parameter {name} must be {text}, got {value!r}")
            return


def check_parameters(chapter: str, values: dict) -> dict:
    """Validate a chapter's parameter values against its defaults' types and the naming rules.

    Unknown names, wrong types (an int where a float is expected is accepted; a
    list must hold numbers), and values outside the valid range raise one
    ``ValueError`` naming the parameter and its valid range.
    """
    defaults = parameters(chapter)
    for name, value in values.items():
        if name not in defaults:
            raise ValueError(f"unknown parameter {name!r} for chapter {chapter!r}; known: {', '.join(defaults)}")
        default = defaults[name]
        expected = type(default)
        ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if isinstance(default, list):
            ok = isinstance(value, (list, tuple)) and len(value) >= 1 and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in value)
        if not ok:
            raise ValueError(f"parameter {name} must be of type {expected.__name__} "
                             f"(default {default!r}), got {value!r}")
        _check_value(name, value)
    return values


def load_parameters(chapter: str, namespace: dict) -> dict:
    """Collect a chapter's parameters from its namespace (after papermill's injection) and validate them."""
    values = {name: namespace[name] for name in parameters(chapter)}
    return check_parameters(chapter, values)


def parse_value(text: str):
    """A command-line value: a Python literal (number, list, string), else the plain string."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def to_notebook(name: str, destination: Path) -> Path:
    """Convert a chapter to ``.ipynb`` with jupytext (papermill reads notebooks only)."""
    import jupytext

    nb = jupytext.read(chapter_path(name))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    jupytext.write(nb, destination)
    return destination


def run_reporting(name: str, values: dict, output: str | Path | None) -> tuple[str, str | None, str | None]:
    """:func:`run` for a process pool: returns ``(name, output folder, None)`` or ``(name, None, error)``.

    A failing cell's error is returned as text (papermill's exception does not survive pickling).
    """
    try:
        return name, str(run(name, values, output)), None
    except Exception as exc:  # noqa: BLE001 - reported to the caller, which exits non-zero
        if type(exc).__name__ == "PapermillExecutionError":
            return name, None, f"a cell of the chapter failed: {exc.ename}: {exc.evalue}"
        return name, None, f"{type(exc).__name__}: {exc}"


def run(name: str, values: dict | None = None, output: str | Path | None = None, progress: bool = False) -> Path:
    """Execute a chapter with papermill; leave the executed notebook, figures and results.json in ``output``.

    Parameters are validated before any computation. The run happens in a
    temporary folder that replaces ``output`` only on success, so a failed run
    leaves no half-written output folder behind. The kernel runs with one BLAS
    thread (:data:`SINGLE_THREADED_BLAS`), as the book build does.
    """
    import papermill as pm

    values = dict(values or {})
    check_parameters(name, values)
    final = Path(output) if output else paths.build_dir() / "runs" / name
    final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=final.parent))
    try:
        source = to_notebook(name, work / f"{name}.source.ipynb")
        values["output_dir"] = str(work)
        with one_blas_thread():  # results independent of the machine's core count
            pm.execute_notebook(str(source), str(work / f"{name}.ipynb"), parameters=values,
                                cwd=str(paths.book_dir()), progress_bar=progress, kernel_name="python3")
        source.unlink()
        if final.exists():
            shutil.rmtree(final)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final
