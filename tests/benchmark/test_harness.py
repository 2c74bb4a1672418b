"""Tests of the benchmark harness on tiny data, with baseline and fake samplers only.

GAN samplers are never trained here: their behaviour is tested with the samplers themselves,
and the harness only needs something with ``fit_resample``.
"""

import csv
import json

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits

import imbgan
from imbgan.benchmark import (
    BenchmarkConfig,
    CellError,
    SamplerSpec,
    SmallCNNClassifier,
    default_samplers,
    main,
    run_benchmark,
    summarize,
    summarize_quality,
    write_results,
)


class NoisyCopySampler:
    """A stand-in oversampler: tops every class up to the largest with jittered copies."""

    def __init__(self, random_state):
        self.random_state = random_state

    def fit_resample(self, X, y):
        rng = np.random.RandomState(self.random_state)
        classes, counts = np.unique(y, return_counts=True)
        X_new, y_new = [X], [y]
        for label, count in zip(classes, counts):
            rows = rng.choice(np.flatnonzero(y == label), size=counts.max() - count)
            X_new.append(np.clip(X[rows] + rng.normal(scale=0.05, size=X[rows].shape), 0, 1))
            y_new.append(np.full(len(rows), label))
        return np.vstack(X_new), np.concatenate(y_new)


class BrokenSampler:
    """A sampler whose training always fails."""

    def fit_resample(self, X, y):
        raise RuntimeError("generator exploded")


def build_noisy(context):
    return NoisyCopySampler(context.seed)


def build_broken(context):
    return BrokenSampler()


EXTRA = {
    "noisy": SamplerSpec("noisy", build_noisy, generates_images=True),
    "broken": SamplerSpec("broken", build_broken),
}


@pytest.fixture(scope="module")
def tiny_digits(tmp_path_factory):
    """Digits 0 to 3 as an .npz image data set (about 700 rows)."""
    X, y = load_digits(return_X_y=True)
    keep = y < 4
    path = tmp_path_factory.mktemp("data") / "digits4.npz"
    np.savez(path, X=X[keep], y=y[keep], image_shape=np.array([1, 8, 8]))
    return str(path)


def tiny_config(dataset, **changes):
    settings = dict(
        dataset=dataset,
        protocol="ir",
        imbalance_ratio=8,
        max_per_class=40,
        n_test_per_class=20,
        classifier="logreg",
        seeds=(0,),
    )
    settings.update(changes)
    return BenchmarkConfig(**settings)


def test_cells_run_and_every_requested_sampler_is_listed(tiny_digits):
    config = tiny_config(tiny_digits, samplers=("none", "ros", "smote", "noisy", "broken"))
    result = run_benchmark(config, extra_samplers=EXTRA, progress=False)
    assert [r["sampler"] for r in result.records] == ["none", "ros", "smote", "noisy", "broken"]
    rows = summarize(result)
    assert [row["sampler"] for row in rows] == list(config.samplers)
    by_name = {row["sampler"]: row for row in rows}
    for name in ("none", "ros", "smote", "noisy"):
        assert by_name[name]["status"] == "ok"
        assert 0.0 < by_name[name]["acsa_mean"] <= 1.0
        assert 0.0 <= by_name[name]["gm_mean"] <= by_name[name]["acsa_mean"] + 1e-12
        assert 0.0 <= by_name[name]["minority_recall_mean"] <= 1.0
        assert by_name[name]["fit_time_mean"] >= 0.0
    record = {r["sampler"]: r for r in result.records}
    assert record["none"]["n_generated"] == 0
    # 40, 20, 10, 5 rows: 'auto' tops every class up to 40.
    assert record["ros"]["n_generated"] == 3 * 40 - (20 + 10 + 5)


def test_a_failing_cell_is_reported_not_raised(tiny_digits):
    config = tiny_config(tiny_digits, samplers=("none", "broken"), seeds=(0, 1))
    result = run_benchmark(config, extra_samplers=EXTRA, progress=False)
    broken = [r for r in result.records if r["sampler"] == "broken"]
    assert all(r["status"] == "failed" for r in broken)
    assert all("RuntimeError: generator exploded" in r["error"] for r in broken)
    assert "generator exploded" in broken[0]["traceback"]
    row = next(row for row in summarize(result) if row["sampler"] == "broken")
    assert row["status"] == "failed"
    assert "generator exploded" in row["note"]
    assert np.isnan(row["acsa_mean"])


def test_smote_lowers_k_neighbors_for_tiny_classes(tiny_digits):
    # Counts 40, 19, 9, 4: the smallest class cannot feed SMOTE's default 5 neighbours.
    config = tiny_config(tiny_digits, samplers=("smote",), imbalance_ratio=10, max_per_class=40)
    result = run_benchmark(config, progress=False)
    record = result.records[0]
    assert record["status"] == "ok"
    assert any("k_neighbors lowered to 3" in note for note in record["notes"])
    assert "k_neighbors lowered" in summarize(result)[0]["note"]


def test_output_files_are_written_and_parse(tiny_digits, tmp_path):
    config = tiny_config(tiny_digits, samplers=("none", "noisy", "broken"), quality=True)
    result = run_benchmark(config, extra_samplers=EXTRA, progress=False)
    paths = write_results(result, tmp_path / "out", command="imbgan-benchmark --test")

    with open(paths["summary_csv"], newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["sampler"] for row in rows] == ["none", "noisy", "broken"]
    assert rows[2]["status"] == "failed" and "generator exploded" in rows[2]["note"]
    assert 0 < float(rows[0]["acsa_mean"]) <= 1

    with open(paths["results_json"]) as handle:
        document = json.load(handle)  # strict JSON: NaN would have been written as null
    assert document["command"] == "imbgan-benchmark --test"
    assert [row["sampler"] for row in document["summary"]] == ["none", "noisy", "broken"]
    assert len(document["cells"]) == 3
    assert document["config"]["seeds"] == [0]

    markdown = paths["summary_md"].read_text()
    for name in ("none", "noisy", "broken"):
        assert f"| {name} |" in markdown
    assert "imbgan-benchmark --test" in markdown

    with open(paths["cells_csv"], newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 3

    # The noisy sampler copies real rows: its samples are recognisable and close to real ones.
    quality = summarize_quality(result)
    assert {row["class"] for row in quality} == {1, 2, 3}
    assert all(row["sampler"] == "noisy" for row in quality)
    assert all(row["novelty_generated"] > 0.8 for row in quality)
    assert paths["quality_csv"].exists() and paths["quality_md"].exists()
    pytest.importorskip("matplotlib")
    assert paths["summary_png"].read_bytes()[:4] == b"\x89PNG"
    assert paths["grid_noisy"].read_bytes()[:4] == b"\x89PNG"


def test_missing_imbgan_sampler_is_skipped_with_a_note(tiny_digits, monkeypatch):
    monkeypatch.delattr(imbgan, "GAMOSampler", raising=False)
    config = tiny_config(tiny_digits, samplers=("none", "gamo"))
    result = run_benchmark(config, progress=False)
    assert [r["sampler"] for r in result.records] == ["none"]
    row = next(row for row in summarize(result) if row["sampler"] == "gamo")
    assert row["status"] == "skipped"
    assert "GAMOSampler" in row["note"]


def test_default_samplers_include_only_what_applies():
    assert "mirror" in default_samplers((1, 8, 8))
    tabular = default_samplers(None)
    assert "mirror" not in tabular
    assert tabular[:6] == ["none", "none-weighted", "none-threshold", "ros", "smote", "smotenc"]
    # Given the data: a threshold needs two classes, SMOTENC text columns.
    X, y = np.zeros((6, 2)), np.array([0, 0, 0, 1, 1, 2])
    multiclass = default_samplers(None, X=X, y=y)
    assert "none-threshold" not in multiclass and "smotenc" not in multiclass
    assert "none-weighted" in multiclass
    table = pd.DataFrame({"colour": list("abcabc"), "size": np.arange(6.0)})
    binary = default_samplers(None, X=table, y=np.array([0, 0, 0, 0, 1, 1]))
    assert "none-threshold" in binary and "smotenc" in binary


def test_cv_protocol_on_tabular_data():
    config = BenchmarkConfig(
        dataset="wine",
        protocol="cv",
        n_splits=3,
        samplers=("none", "ros"),
        classifier="logreg",
        seeds=(0,),
    )
    result = run_benchmark(config, progress=False)
    assert len(result.records) == 2 * 3
    assert all(r["status"] == "ok" for r in result.records)
    rows = summarize(result)
    assert [row["setting"] for row in rows] == ["3-fold cv", "3-fold cv"]
    assert all(row["n_ok"] == 3 for row in rows)


def test_drop_protocol_reports_minority_recall_per_setting(tiny_digits):
    config = tiny_config(
        tiny_digits,
        protocol="drop",
        drop_fractions=(0.5, 0.9),
        minority_classes=(2,),
        samplers=("none",),
    )
    result = run_benchmark(config, progress=False)
    rows = summarize(result)
    assert [row["setting"] for row in rows] == ["drop=0.5", "drop=0.9"]
    for record in result.records:
        assert record["minority_recall"] == record["recall_per_class"]["2"]


def test_parallel_cells_match_sequential_ones(tiny_digits):
    config = tiny_config(tiny_digits, samplers=("none", "ros"), seeds=(0, 1))
    sequential = run_benchmark(config, progress=False)
    config.n_jobs = 2
    with joblib.parallel_config(backend="threading"):
        parallel = run_benchmark(config, progress=False)
    assert [r["cell"] for r in parallel.records] == [r["cell"] for r in sequential.records]
    for first, second in zip(sequential.records, parallel.records):
        assert first["acsa"] == pytest.approx(second["acsa"])


def test_command_line_writes_results(tiny_digits, tmp_path, capsys):
    out = tmp_path / "cli"
    code = main(
        [
            "--dataset",
            tiny_digits,
            "--samplers",
            "none",
            "ros",
            "--classifier",
            "logreg",
            "--seeds",
            "0",
            "--max-per-class",
            "40",
            "--n-test-per-class",
            "20",
            "--imbalance-ratio",
            "8",
            "--no-progress",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "ACSA" in printed and "ros" in printed
    assert (out / "summary.csv").exists() and (out / "results.json").exists()
    assert json.loads((out / "results.json").read_text())["command"].startswith("imbgan-benchmark")


def test_command_line_rejects_bad_input(tmp_path, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["--dataset", str(tmp_path / "missing.npz"), "--out", str(tmp_path)])
    assert excinfo.value.code == 2
    assert "missing.npz" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--samplers", "magic"])
    with pytest.raises(SystemExit):
        main(["--dataset", "wine", "--classifier", "cnn", "--out", str(tmp_path)])


def test_small_cnn_is_a_reproducible_sklearn_classifier():
    X, y = load_digits(return_X_y=True)
    X, y = X[:300] / 16.0, y[:300]
    model = SmallCNNClassifier(image_shape=(1, 8, 8), epochs=3, random_state=0)
    first = model.fit(X, y).predict_proba(X[:20])
    second = clone(model).fit(X, y).predict_proba(X[:20])
    np.testing.assert_allclose(first, second)
    np.testing.assert_allclose(first.sum(axis=1), 1.0, rtol=1e-5)
    assert set(model.predict(X)) <= set(model.classes_)
    assert model.score(X, y) > 0.5
    assert len(model.loss_history_) == 3 and model.n_features_in_ == 64
    with pytest.raises(ValueError, match="image_shape"):
        SmallCNNClassifier(image_shape=(1, 7, 7)).fit(X, y)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"max_per_class": 500}, "Not enough rows"),
        ({"imbalance_ratio": 0.5}, "imbalance-ratio"),
        ({"seeds": (0, 0)}, "twice"),
        ({"seeds": (-1,)}, "seed"),
        ({"epochs": 0}, "--epochs"),
        ({"protocol": "drop", "drop_fractions": (1.0,)}, "--drop"),
        ({"protocol": "drop", "minority_classes": (7,)}, "does not occur"),
        ({"protocol": "cv", "n_splits": 1}, "--n-splits"),
    ],
)
def test_bad_settings_fail_once_before_any_cell(tiny_digits, changes, message):
    config = tiny_config(tiny_digits, samplers=("none",), **changes)
    with pytest.raises(ValueError, match=message):
        run_benchmark(config, progress=False)


def test_an_ir_split_without_imbalance_is_refused(tmp_path):
    path = tmp_path / "tiny_class.npz"
    rng = np.random.RandomState(0)
    np.savez(path, X=rng.rand(83, 4), y=np.repeat([0, 1, 2], [40, 40, 3]))
    config = BenchmarkConfig(dataset=str(path), samplers=("none",), seeds=(0,))
    with pytest.raises(ValueError, match="no imbalance"):
        run_benchmark(config, progress=False)


def test_the_setting_shows_the_imbalance_ratio_actually_used(tiny_digits):
    # 40 rows down to 40 / 8 = 5: as asked. 40 / 7 rounds to counts 40 ... 6: realised 6.67.
    exact = run_benchmark(tiny_config(tiny_digits, samplers=("none",)), progress=False)
    assert exact.records[0]["setting"] == "IR=8"
    rounded = run_benchmark(
        tiny_config(tiny_digits, samplers=("none",), imbalance_ratio=7), progress=False
    )
    assert rounded.records[0]["setting"] == "IR=7 (realised 6.67)"


def test_typed_minority_classes_match_string_labels(tmp_path):
    path = tmp_path / "strings.npz"
    rng = np.random.RandomState(0)
    np.savez(path, X=rng.rand(60, 4), y=np.repeat(["0", "1"], [40, 20]))
    config = BenchmarkConfig(
        dataset=str(path),
        protocol="drop",
        drop_fractions=(0.5,),
        minority_classes=(1,),
        samplers=("none",),
        classifier="logreg",
        seeds=(0,),
    )
    result = run_benchmark(config, progress=False)
    assert result.records[0]["status"] == "ok" and result.records[0]["minority_class"] == "1"


def test_command_line_refuses_a_file_as_output_directory(tmp_path, capsys):
    taken = tmp_path / "taken.txt"
    taken.write_text("")
    with pytest.raises(SystemExit) as excinfo:
        main(["--samplers", "none", "--out", str(taken)])
    assert excinfo.value.code == 2 and "existing file" in capsys.readouterr().err


def test_command_line_exits_1_when_every_sampler_is_skipped(tmp_path, capsys):
    # Mirroring needs images; wine is tabular, so nothing can run.
    code = main(
        ["--dataset", "wine", "--samplers", "mirror", "--no-progress", "--out", str(tmp_path)]
    )
    assert code == 1 and "No cell ran" in capsys.readouterr().out


class CountingSampler(NoisyCopySampler):
    """NoisyCopySampler that counts its fits in a file (cells may run in other processes)."""

    def __init__(self, random_state, log):
        super().__init__(random_state)
        self.log = log

    def fit_resample(self, X, y):
        with open(self.log, "a") as handle:
            handle.write("fit\n")
        return super().fit_resample(X, y)


def test_several_classifiers_share_one_resampling_per_cell(tiny_digits, tmp_path):
    log = tmp_path / "fits.log"
    extra = {"counting": SamplerSpec("counting", lambda context: CountingSampler(0, log))}
    config = tiny_config(
        tiny_digits, samplers=("none", "counting"), classifier=("logreg", "rf"), seeds=(0, 1)
    )
    result = run_benchmark(config, extra_samplers=extra, progress=False)
    # Two cells of the counting sampler (one per seed), each fitted once for both classifiers.
    assert log.read_text().count("fit") == 2
    assert [(r["sampler"], r["seed"], r["classifier"]) for r in result.records] == [
        ("none", 0, "logreg"),
        ("none", 0, "rf"),
        ("none", 1, "logreg"),
        ("none", 1, "rf"),
        ("counting", 0, "logreg"),
        ("counting", 0, "rf"),
        ("counting", 1, "logreg"),
        ("counting", 1, "rf"),
    ]
    by_cell = {}
    for record in result.records:
        by_cell.setdefault(record["cell"], []).append(record)
    for pair in by_cell.values():
        assert pair[0]["fit_time"] == pair[1]["fit_time"]
        assert pair[0]["n_generated"] == pair[1]["n_generated"]
    rows = summarize(result)
    assert [(row["sampler"], row["classifier"]) for row in rows] == [
        ("none", "logreg"),
        ("none", "rf"),
        ("counting", "logreg"),
        ("counting", "rf"),
    ]
    # The logistic regression scores what a run with it alone scores.
    alone = run_benchmark(
        tiny_config(tiny_digits, samplers=("none",), classifier="logreg", seeds=(0, 1)),
        progress=False,
    )
    assert [r["acsa"] for r in alone.records] == [
        r["acsa"] for r in result.records if r["sampler"] == "none" and r["classifier"] == "logreg"
    ]


def test_command_line_takes_several_classifiers(tiny_digits, tmp_path, capsys):
    out = tmp_path / "two"
    code = main(
        [
            "--dataset",
            tiny_digits,
            "--samplers",
            "none",
            "--classifier",
            "logreg",
            "rf",
            "--seeds",
            "0",
            "--max-per-class",
            "40",
            "--n-test-per-class",
            "20",
            "--imbalance-ratio",
            "8",
            "--no-progress",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    with open(out / "summary.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["classifier"] for row in rows] == ["logreg", "rf"]
    with open(out / "cells.csv", newline="") as handle:
        assert [row["classifier"] for row in csv.DictReader(handle)] == ["logreg", "rf"]
    assert "| none | IR=8 | logreg |" in (out / "summary.md").read_text()
    with pytest.raises(SystemExit):
        main(["--classifier", "logreg", "magic"])


@pytest.fixture(scope="module")
def mixed_table(tmp_path_factory):
    """A CSV with two text columns, one integer and one float column; classes 60 / 15."""
    rng = np.random.RandomState(0)
    y = np.repeat(["good", "bad"], [60, 15])
    frame = pd.DataFrame(
        {
            "colour": np.where(y == "bad", rng.choice(["red", "blue"], 75, p=[0.8, 0.2]), "blue"),
            "size": rng.choice(["S", "M", "L"], 75),
            "age": rng.randint(18, 70, 75),
            "score": rng.normal(size=75) + (y == "bad"),
            "label": y,
        }
    )
    path = tmp_path_factory.mktemp("table") / "mixed.csv"
    frame.to_csv(path, index=False)
    return str(path)


def test_text_tables_get_smotenc_and_a_one_hot_pipeline(mixed_table):
    config = BenchmarkConfig(
        dataset=mixed_table,
        protocol="cv",
        n_splits=3,
        samplers=("none", "ros", "smote", "smotenc", "none-threshold"),
        classifier=("logreg", "hgb"),
        seeds=(0,),
    )
    result = run_benchmark(config, progress=False)
    rows = {(row["sampler"], row["classifier"]): row for row in summarize(result)}
    assert list(result.skipped) == ["smote"] and "use smotenc" in result.skipped["smote"]
    for sampler in ("none", "ros", "smotenc", "none-threshold"):
        for classifier in ("logreg", "hgb"):
            assert rows[(sampler, classifier)]["status"] == "ok", rows[(sampler, classifier)]
        # The text column 'colour' separates the classes: one-hot encoding must reach it.
        # (HistGradientBoosting's 20-row leaves cannot split 10 rows of a class.)
        assert rows[(sampler, "logreg")]["acsa_mean"] > 0.8
    smotenc = [r for r in result.records if r["sampler"] == "smotenc"]
    assert all(r["n_generated"] == 40 - 10 for r in smotenc)  # 3 folds of 60 / 15
    # With text columns only, SMOTEN stands in for SMOTENC (and says so).
    from imbgan.benchmark._samplers import SamplerContext, builtin_sampler_specs

    table = pd.DataFrame({"a": list("xyxyxyxy"), "b": list("ppqqppqq")})
    context = SamplerContext(seed=0, y_train=np.array([0] * 6 + [1] * 2), X_train=table)
    sampler = builtin_sampler_specs()["smotenc"].factory(context)
    assert type(sampler).__name__ == "SMOTEN" and "SMOTEN: every column" in context.notes[-1]


def test_threshold_baseline_is_binary_only_and_says_so(tiny_digits):
    config = tiny_config(tiny_digits, samplers=("none", "none-threshold"))
    result = run_benchmark(config, progress=False)
    row = next(row for row in summarize(result) if row["sampler"] == "none-threshold")
    assert row["status"] == "skipped" and "binary" in row["note"] and "4 classes" in row["note"]


def test_none_weighted_weights_every_classifier():
    from sklearn.neural_network import MLPClassifier

    from imbgan.benchmark import make_classifier
    from imbgan.benchmark._classifiers import BalancedSampleWeightClassifier

    for name in ("logreg", "rf", "hgb"):
        pipeline = make_classifier(name, 0, balance="weighted")
        assert pipeline[-1].class_weight == "balanced"
    cnn = make_classifier("cnn", 0, (1, 8, 8), balance="weighted")
    assert cnn.class_weight == "balanced"
    # The MLP has no class_weight: balanced sample weights instead, the same fit as by hand.
    X, y = load_digits(return_X_y=True)
    X, y = X[:120] / 16, (y[:120] == 3).astype(int)
    weighted = make_classifier("mlp", 0, balance="weighted")
    assert isinstance(weighted, BalancedSampleWeightClassifier)
    weighted.fit(X, y)
    weights = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    by_hand = make_classifier("mlp", 0)
    by_hand.fit(X, y, mlpclassifier__sample_weight=weights)
    np.testing.assert_allclose(
        weighted.estimator_[-1].coefs_[0], by_hand[-1].coefs_[0], rtol=1e-6, atol=1e-9
    )
    unweighted = make_classifier("mlp", 0).fit(X, y)
    assert not np.allclose(unweighted[-1].coefs_[0], by_hand[-1].coefs_[0])
    assert isinstance(by_hand[-1], MLPClassifier)
    threshold = make_classifier("logreg", 0, balance="threshold")
    assert type(threshold).__name__ == "TunedThresholdClassifierCV"
    assert threshold.scoring == "balanced_accuracy"
    with pytest.raises(ValueError, match="balance"):
        make_classifier("logreg", 0, balance="magic")


def test_weighted_cnn_raises_minority_recall():
    X, y = load_digits(return_X_y=True)
    keep = (y == 0) | (y == 1)
    X, y = X[keep] / 16, y[keep]
    # 170 zeros, 6 ones: unweighted, the few ones are easy to ignore.
    rows = np.concatenate([np.flatnonzero(y == 0)[:170], np.flatnonzero(y == 1)[:6]])
    test = np.setdiff1d(np.arange(len(y)), rows)
    settings = dict(image_shape=(1, 8, 8), epochs=2, random_state=0)
    plain = SmallCNNClassifier(**settings).fit(X[rows], y[rows])
    weighted = SmallCNNClassifier(class_weight="balanced", **settings).fit(X[rows], y[rows])
    recall = [np.mean(model.predict(X[test][y[test] == 1]) == 1) for model in (plain, weighted)]
    assert recall[1] > recall[0]
    assert plain.n_epochs_ == 2
    assert SmallCNNClassifier(min_steps=30, **settings).fit(X[rows], y[rows]).n_epochs_ == 10


def test_hgb_classifier_runs(tiny_digits):
    config = tiny_config(tiny_digits, samplers=("none", "none-weighted"), classifier="hgb")
    result = run_benchmark(config, progress=False)
    assert [r["status"] for r in result.records] == ["ok", "ok"]
    assert all(r["acsa"] > 0.5 for r in result.records)


def test_error_score_raise_and_numeric(tiny_digits, tmp_path):
    config = tiny_config(tiny_digits, samplers=("none", "broken"), error_score="raise")
    with pytest.raises(CellError, match="broken, IR=8, seed 0.*generator exploded") as error:
        run_benchmark(config, extra_samplers=EXTRA, progress=False)
    assert isinstance(error.value.__cause__, RuntimeError)
    # On the command line: the traceback, not the "bad arguments" exit of a ValueError.
    # SMOTE cannot oversample a class of 1 row (counts 40 ... 1).
    argv = ["--dataset", tiny_digits, "--samplers", "smote", "--classifier", "logreg"]
    argv += ["--seeds", "0", "--max-per-class", "40", "--imbalance-ratio", "40"]
    argv += ["--n-test-per-class", "20", "--no-progress", "--out", str(tmp_path)]
    with pytest.raises(CellError, match="SMOTE needs at least 2 rows"):
        main([*argv, "--raise-errors"])
    assert main(argv) == 1
    config = tiny_config(tiny_digits, samplers=("broken",), error_score=0.0)
    result = run_benchmark(config, extra_samplers=EXTRA, progress=False)
    assert result.records[0]["status"] == "failed" and result.records[0]["acsa"] == 0.0
    assert summarize(result)[0]["acsa_mean"] == 0.0
    with pytest.raises(ValueError, match="error_score"):
        run_benchmark(tiny_config(tiny_digits, error_score="ignore"), progress=False)


def test_images_default_to_the_cnn(tiny_digits):
    config = tiny_config(tiny_digits, samplers=("none",), classifier=None, quick=True)
    result = run_benchmark(config, progress=False)
    assert result.config.classifier == ("cnn",) and result.records[0]["classifier"] == "cnn"
    tabular = BenchmarkConfig(
        dataset="wine", protocol="cv", n_splits=2, samplers=("none",), seeds=(0,)
    )
    assert run_benchmark(tabular, progress=False).config.classifier == ("mlp",)
