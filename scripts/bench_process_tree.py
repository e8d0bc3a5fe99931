"""Run a command and measure its whole process tree: wall clock, CPU time, peak memory.

CPU time and the largest single-process peak come from the kernel (`wait4`'s resource usage of the
child, which includes every descendant it waited for). Memory of the tree as a whole is sampled
from `/proc` while the command runs: every `interval` seconds the proportional set size (PSS,
shared pages split between the processes that share them) of each process of the tree is summed,
and each process's own high-water mark (`VmHWM`, kept by the kernel) is read, so the peak of the
driver and of the busiest worker are exact up to the last sample before they exit.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class TreeUsage:
    """What one command cost."""

    returncode: int
    wall_seconds: float
    cpu_seconds: float  # user + system of the command and every descendant
    max_process_rss_bytes: int  # the largest peak of any single process (kernel, exact)
    peak_tree_pss_bytes: int  # the largest sum of PSS over the tree (sampled)
    driver_peak_bytes: int  # VmHWM of the command's own process
    worker_peak_bytes: int  # the largest VmHWM of any descendant (0 when there was none)
    processes: int  # distinct processes seen in the tree


def children_of(pids: set[int]) -> set[int]:
    """Every process whose ancestor chain reaches one of `pids` (one scan of /proc)."""
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may contain spaces and parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    tree = set(pids)
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def status_kib(pid: int, key: str) -> int:
    """A `kB` field of /proc/PID/status (0 when the process is gone)."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def pss_kib(pid: int) -> int:
    """Proportional set size of a process, or its RSS when smaps_rollup is unreadable."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return status_kib(pid, "VmRSS")


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree until `stop` is set."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.stop = threading.Event()
        self.peak_tree_kib = 0
        self.hwm_kib: dict[int, int] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)

    def sample(self) -> None:
        tree = children_of({self.root})
        total = 0
        for pid in tree:
            total += pss_kib(pid)
            hwm = status_kib(pid, "VmHWM")
            if hwm:
                self.hwm_kib[pid] = max(self.hwm_kib.get(pid, 0), hwm)
        self.peak_tree_kib = max(self.peak_tree_kib, total)


def run_measured(
    command: Sequence[str],
    *,
    log_path: Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    interval: float = 1.0,
) -> TreeUsage:
    """Run `command` (output to `log_path`) and return what its process tree cost."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=dict(env) if env is not None else None,
        )
        sampler = TreeSampler(process.pid, interval)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop.set()
        sampler.join()
    driver = sampler.hwm_kib.get(process.pid, 0)
    workers = [kib for pid, kib in sampler.hwm_kib.items() if pid != process.pid]
    return TreeUsage(
        returncode=process.returncode,
        wall_seconds=wall,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        max_process_rss_bytes=usage.ru_maxrss * 1024,
        peak_tree_pss_bytes=sampler.peak_tree_kib * 1024,
        driver_peak_bytes=driver * 1024,
        worker_peak_bytes=max(workers, default=0) * 1024,
        processes=len(sampler.hwm_kib),
    )
