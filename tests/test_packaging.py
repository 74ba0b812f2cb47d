"""The project's own files install everything: pyproject, environment.yml and the lock agree."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _canon(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = list(data["dependencies"]) + [d for extra in data["optional-dependencies"].values() for d in extra]
    pins = {}
    for dep in deps:
        name, version = dep.split("==")
        pins[_canon(name)] = version
    return pins


def test_every_dependency_is_pinned():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for dep in data["dependencies"]:
        assert "==" in dep, f"{dep} is not pinned"


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            conda[_canon(name)] = version
        elif isinstance(dep, dict):  # the pip section: packages conda-forge does not carry
            for pip_dep in dep["pip"]:
                if "==" in pip_dep:
                    name, version = pip_dep.split("==")
                    conda[_canon(name)] = version
    conda.pop("python")
    assert conda == pyproject_pins()


def test_lock_contains_the_same_pins():
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.strip().split("==")
            lock[_canon(name)] = version
    for name, version in pyproject_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme


def test_citation_cff_is_valid_and_agrees_with_the_project():
    """The Citation File Format 1.2.0 rules a reader's tools rely on (required keys, types, enumerations,
    ISO dates), and the same title and version as the book, the package and the README's BibTeX."""
    import datetime

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert cff.get(key), f"CITATION.cff needs {key}"
    assert cff.get("type", "software") in ("software", "dataset")
    assert isinstance(cff["date-released"], datetime.date) or datetime.date.fromisoformat(cff["date-released"])

    def valid_authors(authors):
        return isinstance(authors, list) and authors and all(
            isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in authors)

    assert valid_authors(cff["authors"])
    ref = cff["preferred-citation"]
    assert ref["type"] in ("article", "software", "book", "report", "generic") and ref["title"]
    assert valid_authors(ref["authors"]) and isinstance(ref["year"], int)
    assert all(i["type"] in ("doi", "url", "swh", "other") and i["value"] for i in ref.get("identifiers", []))

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    title = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    readme = (ROOT / "README.md").read_text()
    assert str(cff["version"]) == version and cff["title"] == title
    assert f"title   = {{{title}}}" in readme and f"version = {{{version}}}" in readme
    assert f"title   = {{{ref['title']}}}" in readme
