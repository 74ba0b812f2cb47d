"""supermodel.bookcache on a two-page book of its own: parallel execution, cache hits, invalidation, failures."""

import shutil

import pytest

from supermodel import bookcache, paths

PAGE = """---
jupytext:
  text_representation: {{extension: .md, format_name: myst}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---

# {name}

```{{code-cell}} ipython3
:tags: [parameters]
output_dir = ""
```

```{{code-cell}} ipython3
from supermodel import paths
(paths.output_dir("{name}", output_dir) / "results.json").write_text("{{}}")
{body}
```
"""

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project root with src/, book/ and the configuration files the fingerprint reads."""
    root = paths.project_root()
    for name in ("_toc.yml", "_config.yml", "requirements.lock", "pyproject.toml"):
        shutil.copy(root / name, tmp_path / name)
    shutil.copytree(root / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (tmp_path / "book" / "_ext").mkdir(parents=True)
    (tmp_path / "book" / "good.md").write_text(PAGE.format(name="good", body="x = 1"))
    (tmp_path / "book" / "bad.md").write_text(PAGE.format(name="bad", body="raise RuntimeError('boom')"))
    monkeypatch.setenv("SUPERMODEL_ROOT", str(tmp_path))
    return tmp_path


def test_executes_caches_and_invalidates(project):
    first = bookcache.prepare(jobs=2)
    assert first.keys() == {"good", "bad"}
    assert first["good"] > 0 and first["bad"] is None  # a failing page is reported and not cached
    assert (project / "_build" / "output" / "good" / "results.json").is_file()

    again = bookcache.prepare(jobs=2)
    assert again.keys() == {"bad"}  # the good page is served from the cache; the failed one is retried

    (project / "_build" / "output" / "good" / "results.json").unlink()
    assert "good" in bookcache.prepare(jobs=1)  # its outputs were gone: executed again

    before = bookcache.fingerprint()
    with open(project / "src" / "supermodel" / "ou.py", "a") as f:
        f.write("\n# a change in the package\n")
    assert bookcache.fingerprint() != before
    assert "good" in bookcache.prepare(jobs=2)  # the package changed: the whole cache was dropped
