"""Every chapter executes through papermill with small parameters; bad parameters fail cleanly."""

import json

import pytest

from supermodel import chapters
from supermodel.cli import main

SMALL = {
    "sgd_as_ou": {"n_particles": 300, "horizon": 4.0, "lr_fractions": [0.1, 0.9]},
    "fokker_planck": {"n_particles": 300, "lr_grid": [0.05, 0.2], "batch_grid": [4], "horizon": 4.0},
    "two_stage": {"n_particles": 300},
}

pytestmark = pytest.mark.slow


def test_every_chapter_has_small_parameters():
    assert set(chapters.chapter_names()) == set(SMALL)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_chapter_runs_with_small_parameters(name, tmp_path):
    out = chapters.run(name, SMALL[name], tmp_path / name)
    data = json.loads((out / "results.json").read_text())
    assert data["chapter"] == name
    assert data["parameters"] | SMALL[name] == data["parameters"]
    assert (out / f"{name}.ipynb").is_file()
    assert list(out.glob("*.png")) and list(out.glob("*.pdf"))


def test_bad_parameter_fails_before_running_and_leaves_nothing(tmp_path, capsys):
    target = tmp_path / "out"
    for args in (["-p", "n_particles", "0"], ["-p", "nonsense", "1"], ["-p", "lr", "'fast'"], ["-p", "seed", "-1"]):
        assert main(["run", "sgd_as_ou", *args, "--output", str(target)]) == 2
        assert not target.exists()
        assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert "n_particles must be >= 1" in err and "unknown parameter 'nonsense'" in err
    assert "lr must be of type float" in err and "seed must be an integer >= 0" in err


@pytest.mark.parametrize("name,value,message", [
    ("lr_fractions", "[0.5, 1.5]", "lr_fractions must be in the open interval (0, 1)"),
    ("em_substeps", "0", "em_substeps must be >= 1"),
    ("condition", "0.5", "condition must be >= 1"),
    ("lr", "-0.1", "lr must be > 0"),
])
def test_range_rules(name, value, message, tmp_path, capsys):
    assert main(["run", "sgd_as_ou", "-p", name, value, "--output", str(tmp_path / "x")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_run_all_refuses_a_parameter_no_chapter_has(tmp_path, capsys):
    assert main(["run", "all", "-p", "no_such_parameter", "1", "--output", str(tmp_path)]) == 2
    assert "no chapter has them" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unknown_chapter(capsys):
    assert main(["params", "no_such_chapter"]) == 2
    assert "unknown chapter" in capsys.readouterr().err


def test_params_lists_defaults(capsys):
    assert main(["params", "two_stage"]) == 0
    assert "n_particles = 3000" in capsys.readouterr().out
