"""Every chapter executes through papermill with small parameters; bad parameters fail cleanly."""

import json
import os
import re
from concurrent.futures import ProcessPoolExecutor

import pytest

from supermodel import chapters
from supermodel.cli import main

SMALL = {
    "sgd_as_ou": {"n_particles": 300, "horizon": 4.0, "lr_fractions": [0.1, 0.9]},
    "fokker_planck": {"n_particles": 300, "lr_grid": [0.05, 0.2], "batch_grid": [4], "horizon": 4.0},
    "two_stage": {"n_particles": 300},
    "pac_bayes": {"n_points": 12, "n_mc": 2000},
    "discrepancy": {"n_points": 9, "n_mc": 2000},
    "dominance": {"n_points": 12, "n_mc": 2000},
    "real_sgd": {"syn_n_s": 500, "syn_n_t_grid": [50], "syn_n_test": 300, "syn_angles": [0, 30, 60],
                 "dig_angles": [0, 20, 45], "dig_n_s": 300, "dig_n_t": 100, "dig_n_test": 100, "seed_list": [0],
                 "steps_source": 1300, "steps_target": 1300, "record_every": 2, "n_draws": 300, "n_boot": 200},
    "derivations": {},
    "reproducibility": {},
}

#: further runs the tests compare with the SMALL ones, executed in the same pool
EXTRA_RUNS = {
    "real_sgd again": ("real_sgd", SMALL["real_sgd"]),  # determinism
    "discrepancy n_t=500": ("discrepancy", SMALL["discrepancy"] | {"n_t": 500}),  # a changed parameter
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_runs(tmp_path_factory):
    """Each chapter executed once with small parameters; the tests below share the outputs."""
    root = tmp_path_factory.mktemp("runs")
    runs = {name: (name, params) for name, params in SMALL.items()} | EXTRA_RUNS
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:  # kernels are processes: use every core
        order = sorted(runs, key=lambda key: runs[key][0] != "real_sgd")  # the longest first
        futures = {key: pool.submit(chapters.run, *runs[key], root / key) for key in order}
        return {key: future.result() for key, future in futures.items()}


def test_every_chapter_has_small_parameters():
    assert set(chapters.chapter_names()) == set(SMALL)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_chapter_runs_with_small_parameters(name, small_runs):
    out = small_runs[name]
    data = json.loads((out / "results.json").read_text())
    assert data["chapter"] == name
    assert data["parameters"] | SMALL[name] == data["parameters"]
    assert (out / f"{name}.ipynb").is_file()
    saved = set(re.findall(r'save_figure\(fig, "([^"]+)"', chapters.chapter_path(name).read_text()))
    assert {p.stem for p in out.glob("*.pdf")} == saved  # every figure of the chapter, as a vector file


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


def test_changed_parameter_changes_results(small_runs):
    base = json.loads((small_runs["discrepancy"] / "results.json").read_text())
    other = json.loads((small_runs["discrepancy n_t=500"] / "results.json").read_text())
    assert base["results"]["bound_at_crossover"] < other["results"]["bound_at_crossover"]  # fewer target examples
    assert base["results"]["crossover_shift"] == other["results"]["crossover_shift"]  # a property of the laws only


def test_published_numbers_match_the_package(small_runs):
    """The chapters' headline numbers recomputed directly from the package at the same parameters."""
    import numpy as np

    from supermodel import stagebounds
    from supermodel.twostage import make_two_stage

    res = json.loads((small_runs["dominance"] / "results.json").read_text())
    p = chapters.parameters("dominance") | SMALL["dominance"]
    ts = make_two_stage(p["dim"], p["seed"], lr_s=p["lr_s"], batch_s=p["batch_s"], lr_t=p["lr_t"],
                        batch_t=p["batch_t"], shift=p["shift"], rotation=p["rotation"], init_scale=p["init_scale"])
    d_s, d_t = stagebounds.union_deltas(p["delta"])
    g_t = stagebounds.gap("mcallester", p["emp_risk_t"], stagebounds.finetune_kl(ts), p["n_t_ref"], d_t)
    g_s = stagebounds.gap("mcallester", p["emp_risk_s"], stagebounds.pretrain_kl(ts), p["n_s_ref"], d_s)
    assert res["results"]["ratio_ref"] == pytest.approx(g_t / g_s, rel=1e-12)
    assert res["results"]["union_maurer_target"] == pytest.approx(
        stagebounds.bound("maurer", p["emp_risk_t"], stagebounds.finetune_kl(ts), p["n_t_ref"], d_t), rel=1e-12)
    kl_tau = stagebounds.finetune_kl(ts, res["results"]["tau_best"])
    mean, cov = ts.finetune_law(res["results"]["tau_best"])
    emp = stagebounds.risk_from_excess(stagebounds.expected_excess_loss(ts.target.hessian, ts.target.minimum,
                                                                        mean, cov), p["risk_floor"], p["loss_scale"])
    assert res["results"]["bound_best"] == pytest.approx(
        stagebounds.bound("maurer", emp, kl_tau, p["n_t_ref"], p["delta"]), rel=1e-9)
    assert np.isfinite(res["results"]["tau_best"])


def test_same_parameters_same_results(small_runs):
    """Determinism: every random draw is seeded from a parameter, so a re-run reproduces results.json exactly."""
    again = small_runs["real_sgd again"]
    assert (again / "results.json").read_text() == (small_runs["real_sgd"] / "results.json").read_text()


def test_derivations_page_writes_the_latex_catalogue(small_runs):
    from supermodel import derivations, latex

    out = small_runs["derivations"]
    assert (out / "derivations.tex").read_text() == latex.catalogue_tex()
    labels = json.loads((out / "results.json").read_text())["results"]["labels"]
    assert labels == [row["label"] for row in derivations.latex_catalogue()]


def test_reproducibility_page_records_the_versions_it_ran_with(small_runs):
    import platform

    import numpy
    import sympy

    versions = json.loads((small_runs["reproducibility"] / "results.json").read_text())["results"]["versions"]
    assert versions["numpy"] == numpy.__version__ and versions["sympy"] == sympy.__version__
    assert versions["Python"] == platform.python_version()


def test_a_failing_cell_is_reported_not_raised(tmp_path):
    """What `supermodel run all` gets back from a worker: the cell's error as text, and no output folder."""
    name, out, error = chapters.run_reporting("real_sgd", {"steps_target": 40}, tmp_path / "r")
    assert (name, out) == ("real_sgd", None)
    assert "a cell of the chapter failed: ValueError: parameter steps_target = 40 keeps" in error
    assert not (tmp_path / "r").exists()
