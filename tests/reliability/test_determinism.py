"""Determinism: the sample crawl through every stage of news.yaml gives byte-identical Parquet
(and equal statistics) with one and two workers, and whatever order its units run and finish in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from reliability_harness import assert_same_output, copy_sample_crawl, run_arguments, run_cli

import pipeline.run.local as local_runner
from pipeline.run.units import UnitTask


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample_crawl(tmp_path_factory.mktemp("determinism") / "crawl")


@pytest.fixture(scope="module")
def one_worker(crawl: Path) -> Path:
    out = crawl.parent / "one-worker"
    assert run_cli(run_arguments(crawl, out, extra=["--workers", "1"])) == 0
    assert sorted(p.name for p in (out / "data").iterdir())  # there is output to compare
    return out


@pytest.mark.slow
def test_one_and_two_workers_give_the_same_bytes(crawl: Path, one_worker: Path) -> None:
    out = crawl.parent / "two-workers"
    assert run_cli(run_arguments(crawl, out, extra=["--workers", "2"])) == 0
    assert_same_output(out, one_worker)


def test_units_run_in_reverse_order_give_the_same_bytes(
    crawl: Path, one_worker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every pass runs its units last-first (so they finish, and their stats merge, in reverse)."""
    forward = local_runner._execute
    orders: list[list[str]] = []

    def reversed_execute(tasks: Sequence[UnitTask], *args: Any, **kwargs: Any) -> Any:
        backwards = list(reversed(tasks))
        orders.append([task.name for task in backwards])
        return forward(backwards, *args, **kwargs)

    monkeypatch.setattr(local_runner, "_execute", reversed_execute)
    out = tmp_path / "reversed"
    assert run_cli(run_arguments(crawl, out, extra=["--workers", "1"])) == 0
    assert orders[0] == ["00002", "00001", "00000"]
    assert all(order == sorted(order, reverse=True) and len(order) > 1 for order in orders)
    assert_same_output(out, one_worker)
