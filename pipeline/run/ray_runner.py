"""The Ray executor: the local runner's passes, run on a Ray cluster with Ray Data.

A pass runs in three steps (see `ray_workers` for each one's code):

1. Ray Data: a dataset of the pass's units -> `read_unit_batches` (tasks, one envelope row per read
   batch) -> `BatchChain` (an actor pool; heavy stage setup happens once per actor) -> a small
   summary row per batch. Each batch's result goes to a batch result file in the output's `_work`.
2. One `publish_unit` task per unit writes the unit's output with the local runner's writers.
3. Between passes, one `resolve_global` task runs the global stage's `resolve` on a worker, reading
   the fingerprint files from the shared output directory.

The driver holds no records, no fingerprints and no decisions, only `Stats`. Output files, their
bytes and `stats.json` (except timings) are those of the local runner, whatever the number of
workers or the order in which Ray schedules the work: batch boundaries travel with the data, and
every unit is written in batch order.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline import __version__
from pipeline.config import ConfigError, PipelineConfig
from pipeline.run.accounting import check_error_budget
from pipeline.run.layout import RunLayout
from pipeline.run.local import RunOptions, finish_run, finished_summary, start_run
from pipeline.run.output_unify import MapFunction
from pipeline.run.plan import Pass
from pipeline.run.progress import Progress
from pipeline.run.ray_preflight import check_workers, cpu_nodes
from pipeline.run.ray_workers import (
    BatchChain,
    call,
    planned_passes,
    publish_unit,
    read_unit_batches,
    resolve_global,
    sees_file,
    unit_dir,
    unit_row,
)
from pipeline.stats.bag import Stats

log = logging.getLogger("crawlsieve")

INSTALL_HINT = "pip install 'crawlsieve[ray]'"
# Every envelope (one read batch) becomes its own Ray Data block: blocks are the unit of
# scheduling, so batches spread over all actors even when the input is a single file.
ENVELOPE_BLOCK_BYTES = 1
# Reading is light next to the stages: one reader task per this many stage actors, each asking for
# a quarter of a CPU so that readers still get scheduled when the actor pool holds the other CPUs.
ACTORS_PER_READER = 8
READER_CPUS = 0.25


class RayUnavailable(ConfigError):
    """Ray Data is not installed (a usage error: nothing has started)."""


def import_ray() -> ModuleType:
    """Import Ray and Ray Data, or explain how to install them."""
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data is a separate extra of Ray
    except ImportError as exc:
        raise RayUnavailable(
            f"--executor ray needs Ray Data, which is not installed ({exc}); {INSTALL_HINT}"
        ) from None
    return ray


def run_ray(config: PipelineConfig, options: RunOptions, *, address: str | None = None) -> dict:
    """Run the whole pipeline on Ray; returns the summary written to `stats.json`.

    With no `address`, joins the Ray instance this process already has, or starts a local one
    (shut down at the end); with one (`auto`, `ray://host:10001`, `host:6379`), joins that
    cluster. The output directory must be on a filesystem every node can read and write.
    """
    ray = import_ray()
    started = time.monotonic()
    # Workers may run in another working directory: give them an absolute output path.
    options = replace(options, output=options.output.resolve())
    layout, inputs, resumed = start_run(config, options)
    finished = finished_summary(layout, resumed)
    if finished is not None:
        return finished
    config_json = config.model_dump_json()
    _, passes = planned_passes(config_json)
    with ray_session(ray, address) as cluster_cpus:
        check_workers(ray, __version__)
        config_text = layout.config_file.read_text(encoding="utf-8")
        check_shared_output(ray, layout.config_file, config_text, other_nodes(ray))
        workers = options.workers or config.run.workers or cluster_cpus
        log.info(
            "ray: %d input files, %d passes, up to %d stage actors on %d CPUs",
            len(inputs),
            len(passes),
            workers,
            cluster_cpus,
        )
        runner = PassRunner(ray, config_json, layout, workers=workers, progress=options.progress)
        units = [unit_row(f"{i:05d}", input_file=f, file_index=i) for i, f in enumerate(inputs)]
        total = runner.run_pass(0, units, "read+clean" if len(passes) > 1 else "process")
        check_error_budget(total, config.run.max_errors)
        for p in passes[:-1]:
            total += runner.resolve(p)
            work_files = sorted(layout.pass_dir(p.index).glob("*.parquet"))
            units = [unit_row(path.stem, work_file=str(path)) for path in work_files]
            total += runner.run_pass(p.index + 1, units, f"pass {p.index + 1}")
        # Output files whose schema differs from their directory's are rewritten by Ray tasks, on
        # the nodes, not one after another on the driver.
        return finish_run(
            config,
            layout,
            passes,
            total,
            started=started,
            run_info={
                "crawlsieve_version": __version__,
                "executor": "ray",
                "input_files": len(inputs),
                "workers": workers,
                "resumed": resumed,
            },
            map_rewrites=task_map(ray),
        )


@contextmanager
def ray_session(ray: ModuleType, address: str | None) -> Iterator[int]:
    """Join (or start) Ray for the run; yields the cluster's CPU count."""
    started_here = False
    if ray.is_initialized():
        if address:
            log.warning("ray is already initialised in this process; ignoring address %r", address)
    else:
        kwargs: dict[str, Any] = {"logging_level": logging.WARNING}
        if address:
            kwargs["address"] = address
        else:
            kwargs["include_dashboard"] = False
        ray.init(**kwargs)
        started_here = True
    try:
        yield max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started_here:
            ray.shutdown()


def task_map(ray: ModuleType) -> MapFunction:
    """A `map` whose calls run as Ray tasks of one CPU each, all submitted at once (Ray queues
    what the cluster cannot run yet); results come back in order, and the first failure raises."""
    task = ray.remote(num_cpus=1)(call)

    def mapped(function: Callable[..., Any], *iterables: Iterable[Any]) -> list[Any]:
        refs = [task.remote(function, *args) for args in zip(*iterables, strict=True)]
        return ray.get(refs) if refs else []

    return mapped


def task_pool(ray: ModuleType, size: int) -> dict[str, Any]:
    """`map_batches` arguments for at most `size` concurrent tasks, on every Ray we support.

    `TaskPoolStrategy(size=...)` is the spelling since Ray 2.4x; 2.40 has only `concurrency`.
    """
    strategy = getattr(ray.data, "TaskPoolStrategy", None)
    return {"compute": strategy(size=size)} if strategy is not None else {"concurrency": size}


class SharedStorageError(ConfigError):
    """A Ray node cannot see the output directory (a usage error: it must be shared)."""


def other_nodes(ray: ModuleType) -> list[str]:
    """Ids of the live nodes with CPUs, other than the driver's."""
    here = ray.get_runtime_context().get_node_id()
    return [node["NodeID"] for node in cpu_nodes(ray) if node["NodeID"] != here]


def check_shared_output(
    ray: ModuleType, config_file: Path, content: str, nodes: Sequence[str]
) -> None:
    """Fail early unless every node in `nodes` reads `content` in the run's `config_file`.

    Workers read inputs and write units, batch results and decisions in the output directory, so
    it must be on a filesystem every node mounts at the same path.
    """
    if not nodes:
        return
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    probe = ray.remote(num_cpus=0)(sees_file)
    refs = {}
    for node in nodes:
        on_node = probe.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node, soft=False)
        )
        refs[on_node.remote(str(config_file), content)] = node
    blind = [node for ref, node in refs.items() if not ray.get(ref)]
    if blind:
        raise SharedStorageError(
            f"the output directory {config_file.parent} is not visible from Ray node(s) "
            f"{', '.join(blind)}: --executor ray needs an output directory on a filesystem that "
            "every node mounts at the same path (NFS, Lustre, CephFS, EFS, ...)"
        )


class PassRunner:
    """Runs the passes of one pipeline run on Ray."""

    def __init__(
        self, ray: ModuleType, config_json: str, layout: RunLayout, *, workers: int, progress: bool
    ) -> None:
        self.ray = ray
        self.config_json = config_json
        self.layout = layout
        self.workers = workers
        self.progress = progress
        self._publish = ray.remote(num_cpus=1)(publish_unit)
        self._resolve = ray.remote(num_cpus=1)(resolve_global)

    def run_pass(self, pass_index: int, units: Sequence[dict[str, Any]], label: str) -> Stats:
        """Run one pass over `units` (skipping finished ones); returns the pass's stats."""
        total = Stats()
        pending = []
        for unit in units:
            marker = self.layout.unit_marker(pass_index, unit["name"])
            if marker.exists():
                total += Stats.from_json(json.loads(marker.read_text(encoding="utf-8")))
            else:
                pending.append(unit)
                shutil.rmtree(unit_dir(self.layout, pass_index, unit["name"]), ignore_errors=True)
        if not pending:
            return total
        started = time.perf_counter()
        self._process_batches(pass_index, pending, label)
        processed = time.perf_counter()
        results = self._publish_units(pass_index, [unit["name"] for unit in pending], label)
        log.info(
            "%s: %d units, stages %.1f s, writing %.1f s",
            label,
            len(pending),
            processed - started,
            time.perf_counter() - processed,
        )
        for name in sorted(results):
            total += results[name]
        return total

    def resolve(self, collected_in: Pass) -> Stats:
        """Resolve the global stage collected in pass `collected_in` on a worker."""
        assert collected_in.collect is not None
        marker = self.layout.global_marker(collected_in.index)
        if marker.exists():  # resumed: decided already
            return Stats.from_json(json.loads(marker.read_text(encoding="utf-8")))
        started = time.perf_counter()
        ref = self._resolve.remote(self.config_json, str(self.layout.root), collected_in.index)
        stats = self.ray.get(ref)
        log.info(
            "%s: resolved on a ray worker in %.1f s",
            collected_in.collect.name,
            time.perf_counter() - started,
        )
        return stats

    def _process_batches(
        self, pass_index: int, units: Sequence[dict[str, Any]], label: str
    ) -> None:
        """Read every unit and run the pass's stages on every batch (Ray Data)."""
        from ray.data import ActorPoolStrategy, DataContext

        context = DataContext.get_current()
        saved = (context.target_max_block_size, context.enable_progress_bars)
        context.target_max_block_size = ENVELOPE_BLOCK_BYTES
        context.enable_progress_bars = self.progress
        kwargs = {
            "config_json": self.config_json,
            "output_dir": str(self.layout.root),
            "pass_index": pass_index,
        }
        readers = min(len(units), -(-self.workers // ACTORS_PER_READER))
        try:
            dataset = self.ray.data.from_items(list(units))
            dataset = dataset.map_batches(
                read_unit_batches,
                batch_size=1,
                batch_format="pyarrow",
                fn_kwargs=kwargs,
                **task_pool(self.ray, readers),
                num_cpus=READER_CPUS,
            )
            dataset = dataset.map_batches(
                BatchChain,
                batch_size=1,
                batch_format="pyarrow",
                fn_constructor_kwargs=kwargs,
                compute=ActorPoolStrategy(min_size=1, max_size=self.workers),
                num_cpus=1,
            )
            batches = records = 0
            for summary in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
                batches += summary.num_rows
                records += sum(summary["rows"].to_pylist())
            log.info("%s: %d batches, %d records through the stages", label, batches, records)
            log.debug("%s: ray data stats\n%s", label, dataset.stats())
        finally:
            context.target_max_block_size, context.enable_progress_bars = saved

    def _publish_units(self, pass_index: int, names: Sequence[str], label: str) -> dict[str, Stats]:
        """Write every unit's output (one task per unit); returns each unit's stats."""
        root = str(self.layout.root)
        refs = {
            self._publish.remote(self.config_json, root, pass_index, name): name for name in names
        }
        progress = Progress(f"{label}: write", len(refs), enabled=self.progress)
        results: dict[str, Stats] = {}
        try:
            waiting = list(refs)
            while waiting:
                ready, waiting = self.ray.wait(waiting, num_returns=1)
                for ref in ready:
                    stats = self.ray.get(ref)
                    results[refs[ref]] = stats
                    progress.advance(int(stats.counters.get("records.read", 0)))
        finally:
            progress.close()
        return results
