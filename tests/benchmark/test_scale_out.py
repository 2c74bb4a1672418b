"""The harness on other joblib back-ends: a real Dask cluster, and stopping workers on signals."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import joblib
import pytest

from imbgan.benchmark import BenchmarkConfig, run_benchmark, summarize


def _config(**changes):
    settings = dict(
        dataset="wine",
        protocol="cv",
        n_splits=2,
        samplers=("none", "ros", "smote"),
        classifier=("logreg", "hgb"),
        seeds=(0, 1),
    )
    settings.update(changes)
    return BenchmarkConfig(**settings)


def test_a_dask_local_cluster_gives_the_local_results():
    distributed = pytest.importorskip("distributed", reason="needs the dask extra")
    local = run_benchmark(_config(), progress=False)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as stream,
        joblib.parallel_config(backend="dask"),
    ):
        remote = run_benchmark(_config(n_jobs=-1), progress=False)
        workers = set(client.scheduler_info()["workers"])
    # The cells ran as tasks on the cluster's two workers, not in this process.
    assert len(workers) == 2
    assert len(stream.data) >= len(local.records) // 2
    assert {task["worker"] for task in stream.data} <= workers
    keys = ("cell", "sampler", "classifier", "seed", "fold", "status", "n_generated")
    assert [tuple(r[k] for k in keys) for r in remote.records] == [
        tuple(r[k] for k in keys) for r in local.records
    ]
    for ours, theirs in zip(local.records, remote.records):
        assert ours["acsa"] == pytest.approx(theirs["acsa"], abs=1e-12)
        assert ours["recall_per_class"] == pytest.approx(theirs["recall_per_class"])
    assert [row["acsa_mean"] for row in summarize(local)] == pytest.approx(
        [row["acsa_mean"] for row in summarize(remote)]
    )


_SLEEPY_RUN = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from imbgan.benchmark import BenchmarkConfig, SamplerSpec, run_benchmark

    # A non-interactive shell starts background jobs with SIGINT ignored, and the ignoring is
    # inherited: Python then never raises KeyboardInterrupt. Restore Ctrl-C's default so that
    # the test does not depend on how the test run was launched.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    PIDS = Path(sys.argv[1])

    class Sleeper:
        def fit_resample(self, X, y):
            (PIDS / str(os.getpid())).write_text("")
            time.sleep(300)
            return X, y

    def build(context):
        return Sleeper()

    if __name__ == "__main__":
        config = BenchmarkConfig(
            dataset="wine", protocol="cv", n_splits=2, samplers=("sleepy",),
            classifier="logreg", seeds=(0,), n_jobs=2,
        )
        run_benchmark(
            config, extra_samplers={"sleepy": SamplerSpec("sleepy", build)}, progress=False
        )
    """
)


def _alive(pid):
    """Whether a process runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_workers(tmp_path, signum):
    script = tmp_path / "sleepy.py"
    script.write_text(_SLEEPY_RUN)
    pids = tmp_path / "pids"
    pids.mkdir()
    process = subprocess.Popen([sys.executable, str(script), str(pids)], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while len(list(pids.iterdir())) < 2:
            assert process.poll() is None, "the run ended before its cells started"
            assert time.monotonic() < deadline, "the worker processes did not start"
            time.sleep(0.2)
        workers = [int(path.name) for path in pids.iterdir()]
        assert os.getpid() not in workers and process.pid not in workers
        process.send_signal(signum)
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        # The cells sleep for 300 s: only stopping the workers ends them this soon.
        assert not any(_alive(pid) for pid in workers)
    finally:
        if process.poll() is None:
            process.kill()
