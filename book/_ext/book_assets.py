"""The book's own Sphinx extension: offline MathJax and scripts included once.

1. Sphinx loads MathJax from a CDN by default; a reader offline (and this machine, which has no
   internet) would see raw TeX. The ``tex-mml-chtml`` component and its CHTML fonts are copied
   from the ``django-static-mathjax`` distribution (MathJax 3.2.2, pinned in the requirements)
   into ``_static/mathjax``, and ``mathjax_path`` points there.
2. With Jupyter Book 1.0.4 (Sphinx 7.4), scripts that sphinx-thebe and sphinx-togglebutton add
   from their ``builder-inited``/``env-before-read-docs`` handlers reach every page twice; the
   second ``const THEBE_JS_URL`` is a JavaScript error in every reader's console. Each page's
   script list is reduced to its first occurrences.
"""

from __future__ import annotations

import shutil
from pathlib import Path

COMPONENT = "tex-mml-chtml.js"


def _source() -> Path:
    import mathjax  # the django-static-mathjax distribution

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def _configure(app, config) -> None:
    config.mathjax_path = f"mathjax/{COMPONENT}"  # relative to _static


def _copy(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source, target = _source(), Path(app.outdir) / "_static" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / COMPONENT, target / COMPONENT)
    shutil.copytree(source / "output" / "chtml" / "fonts" / "woff-v2", target / "output" / "chtml" / "fonts" / "woff-v2",
                    dirs_exist_ok=True)


def _scripts_once(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        # an inline script is added once with filename None and once with "": the same script
        key = (getattr(js, "filename", str(js)) or "",
               tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(js)
    context["script_files"] = kept


def setup(app):
    if not (_source() / COMPONENT).is_file():
        raise RuntimeError(f"MathJax not found at {_source()}: install django-static-mathjax (requirements.lock)")
    app.connect("config-inited", _configure, priority=900)
    app.connect("build-finished", _copy)
    app.connect("html-page-context", _scripts_once, priority=999)  # after the themes add theirs
    return {"parallel_read_safe": True, "parallel_write_safe": True}
