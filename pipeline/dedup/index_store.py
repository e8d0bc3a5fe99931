"""Dedup indexes: the fingerprints of a finished run's kept documents, reusable by later runs.

An index is a directory:

    manifest.json                 format, version, fingerprint parameters, segments
    segment-00000/ids.parquet     id (string) and _seq (uint64) per document
    segment-00000/exact_hash.npy  (n, 2) uint64
    segment-00000/keeper_score.npy (n,) float64
    segment-00000/signatures.npy  (n, num_perm) uint32, only when the run did near dedup
    segment-00000/shingles.bin, shingle_offsets.npy   shingle sets, only with exact_jaccard

All files of a segment share one row order. A run with `index.dedup_against` reads indexes and never
writes them; with `index.update: true` it adds one segment and then replaces `manifest.json`
atomically, so a reader sees either the old or the new index, never a partial one.

Each segment records the `run` key of the resolve that wrote it (a hash of that resolve's
fingerprint files). If a resolve runs again for the same fingerprints (a resumed run whose resolve
had not been checkpointed), it ignores its own earlier segment when deduplicating and replaces it
instead of adding a second copy, so an interrupted run never removes its documents as duplicates
of themselves.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xxhash

from pipeline.dedup.fingerprint import FingerprintSpec
from pipeline.dedup.hashing import FINGERPRINT_VERSION

FORMAT = "crawlsieve-dedup-index"
VERSION = 1
MANIFEST = "manifest.json"
IDS = "ids.parquet"
EXACT = "exact_hash.npy"
SCORES = "keeper_score.npy"
SIGNATURES = "signatures.npy"


class DedupIndexError(ValueError):
    """An index that cannot be used with this configuration."""


@dataclass(frozen=True)
class IndexSegment:
    """One segment of an index: `documents` rows in each of its files."""

    directory: Path
    documents: int

    @property
    def ids(self) -> Path:
        return self.directory / IDS

    @property
    def exact_hash(self) -> Path:
        return self.directory / EXACT

    @property
    def keeper_score(self) -> Path:
        return self.directory / SCORES

    @property
    def signatures(self) -> Path:
        return self.directory / SIGNATURES


def manifest_for(spec: FingerprintSpec, segments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "fingerprint_version": FINGERPRINT_VERSION,
        "params": spec.compatible_params(),
        "has_signatures": spec.near,
        "has_shingle_sets": spec.exact_jaccard,
        "segments": segments,
        "documents": sum(int(s["documents"]) for s in segments),
    }


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = Path(path) / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DedupIndexError(f"{path}: not a dedup index (no {MANIFEST})") from None
    except json.JSONDecodeError as exc:
        raise DedupIndexError(f"{manifest_path}: not valid JSON: {exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise DedupIndexError(f"{path}: not a version-{VERSION} {FORMAT}")
    return manifest


def open_index(
    path: str | Path, spec: FingerprintSpec, *, skip_run: str | None = None
) -> list[IndexSegment]:
    """The segments of the index at `path` (except those written by run `skip_run`), after
    checking that the index matches `spec`."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("fingerprint_version") != FINGERPRINT_VERSION:
        raise DedupIndexError(
            f"{path}: built with fingerprint version {manifest.get('fingerprint_version')}, "
            f"this crawlsieve computes version {FINGERPRINT_VERSION}; rebuild the index"
        )
    wanted = spec.compatible_params()
    differing = {
        key: (manifest["params"].get(key), value)
        for key, value in wanted.items()
        if manifest["params"].get(key) != value
    }
    if differing:
        details = ", ".join(f"{k}: index {a!r} vs config {b!r}" for k, (a, b) in differing.items())
        raise DedupIndexError(f"{path}: fingerprint parameters differ ({details})")
    if spec.near and not manifest.get("has_signatures"):
        raise DedupIndexError(f"{path}: has no MinHash signatures (built with near: false)")
    if spec.exact_jaccard and not manifest.get("has_shingle_sets"):
        raise DedupIndexError(
            f"{path}: has no shingle sets (built without exact_jaccard); rebuild it or turn "
            "exact_jaccard off"
        )
    return [
        IndexSegment(path / segment["name"], int(segment["documents"]))
        for segment in manifest["segments"]
        if skip_run is None or segment.get("run") != skip_run
    ]


def check_new_index_path(path: str | Path, *, run: str | None = None) -> None:
    """`save_to` must be new or empty: an existing index is never overwritten, except one that run
    `run` itself wrote (a resolve repeated after an interruption). Without `run` (at setup, before
    any fingerprint exists), an existing index is left for resolve to judge."""
    path = Path(path)
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        return
    if path.is_dir() and (path / MANIFEST).exists():
        segments = read_manifest(path)["segments"]
        if run is None or [s.get("run") for s in segments] == [run]:
            return
    raise DedupIndexError(f"index.save_to: {path} exists and is not empty; choose a new path")


def next_segment_name(manifest: dict[str, Any] | None) -> str:
    count = len(manifest["segments"]) if manifest else 0
    return f"segment-{count:05d}"


def run_key(fingerprint_files: list[Path], rows: list[int]) -> str:
    """Identifies one resolve's input: its fingerprint files and their row counts."""
    text = json.dumps([[str(p), r] for p, r in zip(fingerprint_files, rows, strict=True)])
    return xxhash.xxh64_hexdigest(text.encode("utf-8"))


def publish_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write `manifest.json` atomically (write a temporary file, then rename over)."""
    path.mkdir(parents=True, exist_ok=True)
    temporary = path / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path / MANIFEST)
