"""Before a Ray run: check that the workers of every node run the driver's crawlsieve.

Left to Ray (2.58 and 2.60 checked), workers whose Python lacks crawlsieve fail only once Ray Data
starts, in pages of "No module named 'pipeline'" tracebacks under a message that blames Ray's own
code; workers whose Python cannot start at all (a `runtime_env` naming a missing interpreter or
environment) make Ray retry the worker forever, and the run hangs. So, before any work, one tiny
task per node with CPUs imports crawlsieve and reports its version. The task is pickled by value,
so a worker without crawlsieve can still run it. A missing or different crawlsieve, a worker that
fails to start, or no answer within the timeout stops the run with one message that names each
node and says what to do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from pipeline.config import ConfigError

TIMEOUT_ENV = "CRAWLSIEVE_RAY_PREFLIGHT_TIMEOUT"
# A worker starts in about a second, but a job's first worker on a node may first have to build
# its runtime_env (a pip or conda install), which can take minutes.
DEFAULT_TIMEOUT_S = 180.0


class WorkerEnvironmentError(RuntimeError):
    """Ray workers cannot run the driver's crawlsieve (nothing has been processed)."""


def installed_crawlsieve() -> dict[str, str]:
    """On a worker: the crawlsieve its Python imports (version, folder), or why it cannot.

    Self-contained (imports inside, no module globals) because it is pickled by value.
    """
    import os
    import socket
    import sys

    found = {"host": socket.gethostname(), "python": sys.executable}
    try:
        import pipeline
    except Exception as exc:  # noqa: BLE001 - a missing package or a broken install alike
        found["error"] = f"{type(exc).__name__}: {exc}"
    else:
        found["version"] = str(getattr(pipeline, "__version__", "unknown"))
        found["path"] = os.path.dirname(pipeline.__file__ or "?")
    return found


def cpu_nodes(ray: ModuleType) -> list[dict[str, Any]]:
    """The live nodes that have CPUs (the nodes that run crawlsieve's tasks and actors)."""
    return [
        node for node in ray.nodes() if node.get("Alive") and node.get("Resources", {}).get("CPU")
    ]


def preflight_timeout() -> float:
    """Seconds to wait for every node's answer: `$CRAWLSIEVE_RAY_PREFLIGHT_TIMEOUT`, or 180."""
    value = os.environ.get(TIMEOUT_ENV, "")
    try:
        timeout = float(value) if value else DEFAULT_TIMEOUT_S
    except ValueError:
        timeout = 0.0
    if not timeout > 0:
        raise ConfigError(f"{TIMEOUT_ENV}={value!r}: give a number of seconds above 0")
    return timeout


def check_workers(ray: ModuleType, version: str, *, timeout_s: float | None = None) -> None:
    """Fail unless a worker on every node with CPUs imports crawlsieve `version` in time."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    timeout = preflight_timeout() if timeout_s is None else timeout_s
    nodes = cpu_nodes(ray)
    if not nodes:
        raise WorkerEnvironmentError(
            "the Ray cluster has no live node with CPUs, so no crawlsieve task could ever start: "
            "start at least one node with CPUs (ray start --num-cpus=N, or min_workers >= 1)"
        )
    probe = ray.remote(num_cpus=0, max_retries=0)(installed_crawlsieve)
    refs = {}
    with pickled_by_value(ray, sys.modules[__name__]):
        for node in nodes:
            on_node = NodeAffinitySchedulingStrategy(node["NodeID"], soft=False)
            refs[probe.options(scheduling_strategy=on_node).remote()] = node
    ready, unanswered = ray.wait(list(refs), num_returns=len(refs), timeout=timeout)
    problems = [node_problem(ray, ref, refs[ref], version) for ref in ready]
    for ref in unanswered:
        ray.cancel(ref, force=True)
        problems.append(
            f"{node_name(refs[ref])}: no worker answered within {timeout:g} s (a worker Python "
            "that cannot start, or a runtime_env still being built: see the node's "
            f"raylet.err and runtime_env logs; {TIMEOUT_ENV} sets the wait)"
        )
    problems = [problem for problem in problems if problem]
    if problems:
        raise WorkerEnvironmentError(
            f"Ray workers cannot run crawlsieve {version} (the driver's version):\n  "
            + "\n  ".join(problems)
            + f"\nInstall crawlsieve {version} on every node (pip install "
            f"'crawlsieve[ray]=={version}' in the Python that `ray start` runs), or give the "
            "job a runtime_env whose workers have it; then run again with --resume."
        )


def node_problem(ray: ModuleType, ref: Any, node: dict[str, Any], version: str) -> str:
    """What keeps `node` from running crawlsieve `version`, from its probe's answer ('' if OK)."""
    try:
        found = ray.get(ref)
    except ray.exceptions.RayError as exc:
        summary = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        return f"{node_name(node)}: a worker failed to run ({type(exc).__name__}: {summary})"
    if "error" in found:
        return f"{node_name(node)}: {found['python']} cannot import crawlsieve ({found['error']})"
    if found["version"] != version:
        return (
            f"{node_name(node)}: {found['python']} has crawlsieve {found['version']} "
            f"(in {found['path']})"
        )
    return ""


def node_name(node: dict[str, Any]) -> str:
    """A node as a person finds it: host name, address and the start of its Ray id."""
    host = node.get("NodeManagerHostname", "?")
    return f"node {host} ({node.get('NodeManagerAddress', '?')}, id {node['NodeID'][:8]})"


@contextmanager
def pickled_by_value(ray: ModuleType, module: ModuleType) -> Iterator[None]:
    """While inside, Ray pickles `module`'s functions by value (workers need not import it)."""
    ray.cloudpickle.register_pickle_by_value(module)
    try:
        yield
    finally:
        ray.cloudpickle.unregister_pickle_by_value(module)
