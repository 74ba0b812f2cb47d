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
