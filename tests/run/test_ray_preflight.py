"""Before a Ray run, every node's workers must import the driver's crawlsieve, or the run stops.

The failures are real ones, each in a job of its own (a subprocess that joins the module's Ray
instance with its own runtime_env, and a timeout, so a hang fails the test instead of blocking
it): workers whose Python has no crawlsieve, and workers whose Python cannot start at all (with
which Ray, left alone, retries forever).
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import ray

from pipeline import __version__
from pipeline.config import ConfigError
from pipeline.run import ray_preflight
from pipeline.run.ray_preflight import TIMEOUT_ENV, WorkerEnvironmentError, check_workers

pytestmark = [
    pytest.mark.ray,
    # Ray's own deprecation notices (raised inside ray.*, not by crawlsieve's calls).
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray"),
]

# Ray starts in a few seconds and the failing check answers at once: a run that needs this long
# is hanging.
HANG_S = 120
INSTALL_HINT = f"pip install 'crawlsieve[ray]=={__version__}'"


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    """One local Ray instance (1 CPU) whose workers have this crawlsieve."""
    ray.init(num_cpus=1, include_dashboard=False, logging_level=logging.WARNING)
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def python_without_crawlsieve(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv whose Python sees this interpreter's site-packages (Ray, pyarrow) but not crawlsieve.

    Its `.pth` lists the site-packages folders as plain paths, so the `.pth` files inside them
    (an editable install's import hook) are not run: crawlsieve is the one package missing.
    """
    venv = tmp_path_factory.mktemp("no-crawlsieve")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = [p for p in sys.path if p.endswith("site-packages")]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    pth = venv / "lib" / version / "site-packages" / "base_site.pth"
    pth.write_text("\n".join(site_packages) + "\n", encoding="utf-8")

    def imports(module: str) -> bool:  # from the venv's folder, as a worker would
        done = subprocess.run(
            [str(python), "-c", f"import {module}"], cwd=venv, capture_output=True
        )
        return done.returncode == 0

    assert imports("ray.data")
    if imports("pipeline"):
        pytest.skip("crawlsieve is installed into site-packages here: every Python sees it")
    return python


def write_crawl(root: Path) -> Path:
    crawl = root / "crawl.jsonl.gz"
    with gzip.open(crawl, "wt", encoding="utf-8") as handle:
        for i in range(5):
            text = f"Story {i} about the harbour: the boats sail at dawn, café au lait on the quay."
            handle.write(json.dumps({"id": f"d{i}", "text": text}) + "\n")
    return crawl


def run_as_job(cluster: Any, tmp_path: Path, worker_python: Path, *args: str, **env: str) -> Any:
    """`crawlsieve run ... --executor ray` in a new process that joins `cluster` as a job of its
    own, whose workers run `worker_python`; fails the test if it has not ended within HANG_S."""
    driver = (
        "import logging, sys, ray\n"
        "from pipeline.cli import main\n"
        "ray.init(address=sys.argv[1], logging_level=logging.WARNING,\n"
        "         runtime_env={'py_executable': sys.argv[2]})\n"
        "sys.exit(main(sys.argv[3:]))\n"
    )
    address = cluster.get_runtime_context().gcs_address
    command = [sys.executable, "-c", driver, address, str(worker_python), "run", *args]
    command += ["--output", str(tmp_path / "out"), "--executor", "ray", "--no-progress"]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # Ray puts the driver's folder on the workers' sys.path
        env={**os.environ, **env},
        timeout=HANG_S,
    )


def test_workers_without_crawlsieve_stop_the_run_with_what_to_do(
    ray_cluster: Any, tmp_path: Path, python_without_crawlsieve: Path
) -> None:
    crawl = write_crawl(tmp_path)
    job = (ray_cluster, tmp_path, python_without_crawlsieve)
    done = run_as_job(*job, "--input", str(crawl))
    assert done.returncode == 1, done.stderr[-3000:]
    last = done.stderr.strip().splitlines()[-3:]
    assert last[0] == (
        "crawlsieve: failed: WorkerEnvironmentError: Ray workers cannot run crawlsieve "
        f"{__version__} (the driver's version):"
    ), done.stderr[-3000:]
    assert last[1].startswith("  node ")
    assert last[1].endswith(
        f"): {python_without_crawlsieve} cannot import crawlsieve "
        "(ModuleNotFoundError: No module named 'pipeline')"
    )
    assert INSTALL_HINT in last[2] and "runtime_env" in last[2] and "--resume" in last[2]
    assert not (tmp_path / "out" / "data").exists()


def test_workers_whose_python_cannot_start_stop_the_run_instead_of_hanging(
    ray_cluster: Any, tmp_path: Path
) -> None:
    crawl = write_crawl(tmp_path)
    missing = tmp_path / "no-such-python"
    done = run_as_job(ray_cluster, tmp_path, missing, "--input", str(crawl), **{TIMEOUT_ENV: "3"})
    assert done.returncode == 1, done.stderr[-3000:]
    assert "no worker answered within 3 s" in done.stderr, done.stderr[-3000:]
    assert TIMEOUT_ENV in done.stderr


def test_workers_with_the_drivers_version_pass(ray_cluster: Any) -> None:
    check_workers(ray_cluster, __version__, timeout_s=HANG_S)


def test_workers_with_another_version_are_named(ray_cluster: Any) -> None:
    import pipeline

    node = ray_cluster.get_runtime_context().get_node_id()
    with pytest.raises(WorkerEnvironmentError) as raised:
        check_workers(ray_cluster, "9.9.9", timeout_s=HANG_S)
    lines = str(raised.value).splitlines()
    assert lines[0] == "Ray workers cannot run crawlsieve 9.9.9 (the driver's version):"
    assert f", id {node[:8]}): " in lines[1]
    folder = os.path.dirname(pipeline.__file__)
    assert lines[1].endswith(f"has crawlsieve {__version__} (in {folder})")
    assert "pip install 'crawlsieve[ray]==9.9.9'" in lines[2]


def fake_ray(nodes: list[dict[str, Any]]) -> Any:
    return SimpleNamespace(nodes=lambda: nodes)


def test_only_live_nodes_with_cpus_are_checked() -> None:
    nodes = [
        {"NodeID": "a", "Alive": True, "Resources": {"CPU": 4.0}},
        {"NodeID": "b", "Alive": False, "Resources": {"CPU": 4.0}},
        {"NodeID": "c", "Alive": True, "Resources": {"GPU": 1.0}},
        {"NodeID": "d", "Alive": True, "Resources": {"CPU": 0.0}},
    ]
    assert [node["NodeID"] for node in ray_preflight.cpu_nodes(fake_ray(nodes))] == ["a"]
    with pytest.raises(WorkerEnvironmentError, match="no live node with CPUs"):
        check_workers(fake_ray(nodes[1:]), __version__)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, ray_preflight.DEFAULT_TIMEOUT_S), ("", ray_preflight.DEFAULT_TIMEOUT_S), ("2.5", 2.5)],
)
def test_timeout_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, seconds: float
) -> None:
    if value is None:
        monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(TIMEOUT_ENV, value)
    assert ray_preflight.preflight_timeout() == seconds


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan"])
def test_bad_timeouts_are_usage_errors(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, value)
    with pytest.raises(ConfigError, match=f"{TIMEOUT_ENV}='{value}': give a number of seconds"):
        ray_preflight.preflight_timeout()
