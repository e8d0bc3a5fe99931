"""How record batches and their results travel between the Ray runner's workers.

Ray Data re-blocks a stream of records: it merges small blocks and slices large ones by size. The
local runner's output (the order of rejected records, the row groups of every file) depends on the
exact batches the reader produced, so the Ray runner never lets Ray Data see individual records.
Instead each read batch travels as one *envelope* row, `(unit, batch, rows, payload)`, whose
payload is the batch as an Arrow IPC stream; a row is never split, so a batch stays the batch the
local runner would have processed. (NeMo Curator's Ray Data backend moves its document batches the
same way, one task per row.)

After the stages, a batch's result is written as one *batch result file*
(`_work/pass<p>/ray/<unit>/<batch>.arrow`): the dropped pieces in stage order, the live records,
the global stage's fingerprints, the batch's input schema and its stats. The unit's publisher reads
them back in batch order and writes the unit's output with the local runner's own writers.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.stats.bag import Histogram, Sample, Stats, sample_key

ENVELOPE_SCHEMA = pa.schema(
    [
        pa.field("unit", pa.string(), nullable=False),
        pa.field("batch", pa.int64(), nullable=False),
        pa.field("rows", pa.int64(), nullable=False),
        pa.field("payload", pa.large_binary(), nullable=False),
    ]
)
PIECE_DROPPED, PIECE_LIVE, PIECE_FINGERPRINTS = "dropped", "live", "fingerprints"
RESULT_SCHEMA = pa.schema(
    [pa.field("kind", pa.string(), nullable=False), pa.field("payload", pa.large_binary())]
)
# Batch result files are compressed: on a cluster they cross the network to the publisher.
RESULT_IPC_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


def table_to_ipc(table: pa.Table, *, compress: bool = False) -> pa.Buffer:
    """`table` (schema, chunks and all) as one Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    options = RESULT_IPC_OPTIONS if compress else pa.ipc.IpcWriteOptions()
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def table_from_ipc(payload: pa.Buffer) -> pa.Table:
    """The table written by `table_to_ipc` (zero-copy where the buffer allows)."""
    return pa.ipc.open_stream(payload).read_all()


def binary_column(buffers: list[pa.Buffer]) -> pa.Array:
    """A `large_binary` array of `buffers` (one copy, into one data buffer)."""
    return pa.array([buf.to_pybytes() for buf in buffers], pa.large_binary())


def envelope(unit: str, batch: int, table: pa.Table) -> pa.Table:
    """One read batch as one envelope row."""
    return pa.Table.from_arrays(
        [
            pa.array([unit], pa.string()),
            pa.array([batch], pa.int64()),
            pa.array([table.num_rows], pa.int64()),
            binary_column([table_to_ipc(table)]),
        ],
        schema=ENVELOPE_SCHEMA,
    )


def open_envelope(envelopes: pa.Table, row: int) -> tuple[str, int, pa.Table]:
    """(unit, batch number, record batch) of envelope row `row`."""
    unit = envelopes["unit"][row].as_py()
    batch = envelopes["batch"][row].as_py()
    payload = envelopes["payload"][row].as_buffer()
    return unit, batch, table_from_ipc(payload)


@dataclass
class BatchResult:
    """What the stages made of one read batch."""

    input_schema: pa.Schema
    live: pa.Table
    dropped: list[pa.Table] = field(default_factory=list)
    fingerprints: list[pa.Table] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)


def result_file(unit_dir: Path, batch: int) -> Path:
    """Where batch `batch` of a unit keeps its result."""
    return unit_dir / f"{batch:08d}.arrow"


def write_batch_result(path: Path, result: BatchResult) -> None:
    """Write `result` to `path` atomically (a retried task rewrites the same file)."""
    pieces = [(PIECE_DROPPED, t) for t in result.dropped]
    pieces.append((PIECE_LIVE, result.live))
    pieces.extend((PIECE_FINGERPRINTS, t) for t in result.fingerprints)
    metadata = {
        b"input_schema": result.input_schema.serialize().to_pybytes(),
        b"stats": stats_to_json(result.stats).encode("utf-8"),
    }
    table = pa.Table.from_arrays(
        [
            pa.array([kind for kind, _ in pieces], pa.string()),
            binary_column([table_to_ipc(t, compress=True) for _, t in pieces]),
        ],
        schema=RESULT_SCHEMA.with_metadata(metadata),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    os.replace(tmp, path)


def read_batch_result(path: Path) -> BatchResult:
    """The `BatchResult` written to `path`."""
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    metadata = table.schema.metadata or {}
    result = BatchResult(
        input_schema=pa.ipc.read_schema(pa.py_buffer(metadata[b"input_schema"])),
        live=pa.table({}),
        stats=stats_from_json(metadata[b"stats"].decode("utf-8")),
    )
    kinds = table["kind"].to_pylist()
    payloads = table["payload"]
    for index, kind in enumerate(kinds):
        piece = table_from_ipc(payloads[index].as_buffer())
        if kind == PIECE_DROPPED:
            result.dropped.append(piece)
        elif kind == PIECE_LIVE:
            result.live = piece
        else:
            result.fingerprints.append(piece)
    return result


def stats_to_json(stats: Stats) -> str:
    """`stats` as JSON that round-trips exactly.

    `Stats.to_json` writes histogram sums as floats, which loses precision past 2**53 units; this
    keeps the integer sums, so totals merged from these files equal the local runner's.
    """
    return json.dumps(
        {
            "counters": stats.counters,
            "histograms": {
                key: [list(h.edges), h.counts, h.count, h.scaled_total, h.minimum, h.maximum]
                for key, h in stats.histograms.items()
            },
            "samples": {
                key: [s.size, [example for _, example in s.items]]
                for key, s in stats.samples.items()
            },
        },
        sort_keys=True,
    )


def stats_from_json(text: str) -> Stats:
    """The `Stats` written by `stats_to_json`."""
    data: Mapping[str, Any] = json.loads(text)
    histograms = {
        key: Histogram(
            edges=tuple(edges),
            counts=list(counts),
            count=count,
            scaled_total=scaled_total,
            minimum=minimum,
            maximum=maximum,
        )
        for key, (edges, counts, count, scaled_total, minimum, maximum) in data[
            "histograms"
        ].items()
    }
    samples = {
        key: Sample(size=size, items=[(sample_key(example), example) for example in examples])
        for key, (size, examples) in data["samples"].items()
    }
    return Stats(counters=dict(data["counters"]), histograms=histograms, samples=samples)
