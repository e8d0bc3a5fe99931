"""`site_boilerplate`: lines that recur on many pages of one site, learned from the corpus.

A global stage in three steps (see `pipeline/stage.py`):

* `collect` (per batch): for every document with a URL, one row per *distinct* eligible line
  (`min_line_chars` to `max_line_chars` characters): `site` (uint64 hash of the registered
  domain), `pair` (uint64 hash of site and lower-cased line) and `sentence` (uint8: the line reads
  like a sentence), plus one marker row per document (`pair` = 0) to count the site's pages.
  No text leaves the batch: 17 bytes per row.
* `resolve` (once, `pipeline/clean/frequent_pairs.py`): counts, per pair, the documents that
  contain it, keeps the pairs seen in at least `min_docs` documents (`min_docs_sentence` for
  sentence lines, so a quote two articles share survives) and in at least `min_site_share` of the
  site's documents, and writes them, sorted, to `site_boilerplate.npy` in the work directory.
  Memory: 8 bytes per fingerprint row, streamed from the files in partitions by pair hash that fit
  `resolve_memory_mb`, whatever the corpus size.
* `apply` (per batch): hashes the lines the same way and removes those whose pair is in the
  artifact (rule `site_boilerplate`).

Lines are hashed with XXH64 of their lower-cased bytes, straight from Arrow's buffers in numba
(`pipeline/clean/line_hashes.py`). `apply` hashes again rather than receiving the hashes from
`collect` (which cannot add a column to the records): 9 ms per 1,000 pages, against 5-7 ms to carry
8 bytes per line through the intermediate Parquet files (docs/cleaning.md).

A site needs at least `min_docs` pages for anything to be learned: on a corpus with one or two
pages per site this stage removes nothing, by design.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from pipeline.clean.frequent_pairs import DOC_MARKER, Thresholds, frequent_pairs
from pipeline.clean.line_hashes import line_hashes
from pipeline.clean.line_table import LineTable
from pipeline.clean.registered_domain import NO_SITE, host_names, registered_domain
from pipeline.clean.removal import TEXT_FIELDS, apply_line_verdicts
from pipeline.schema import URL
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

if TYPE_CHECKING:
    from pipeline.clean.config import SiteBoilerplateConfig

RULES: tuple[str, ...] = ("site_boilerplate",)
ARTIFACT = "site_boilerplate.npy"
FINGERPRINT_SCHEMA = pa.schema(
    [
        pa.field("site", pa.uint64(), nullable=False),
        pa.field("pair", pa.uint64(), nullable=False),
        pa.field("sentence", pa.uint8(), nullable=False),
    ]
)
_MIX_1 = np.uint64(0x9E3779B97F4A7C15)
_MIX_2 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_3 = np.uint64(0x94D049BB133111EB)


class SiteBoilerplateStage:
    """Remove lines that recur on at least `min_docs` pages of the same site."""

    def __init__(self, config: SiteBoilerplateConfig, name: str = "site_boilerplate") -> None:
        self.config = config
        self.name = name
        self.rules = RULES
        self._artifact: tuple[Path, float, np.ndarray] | None = None

    def output_fields(self) -> Sequence[pa.Field]:
        return TEXT_FIELDS

    def setup(self) -> None:
        """Nothing to prepare; the artifact is loaded on first `apply`."""

    def collect(self, table: pa.Table) -> pa.Table:
        """One row per distinct eligible line per document, plus one marker row per document."""
        fingerprints = self._fingerprints(table)
        if fingerprints is None:
            return FINGERPRINT_SCHEMA.empty_table()
        lines, site, pair, eligible = fingerprints
        index = np.flatnonzero(eligible)
        kept = index[distinct_in_documents(lines.doc[index], pair[index])]
        sentence = lines.ends_sentence[kept] & (lines.words[kept] >= self.config.sentence_min_words)
        has_site = np.flatnonzero(site != 0)
        return pa.table(
            {
                "site": pa.array(np.concatenate([site[lines.doc[kept]], site[has_site]])),
                "pair": pa.array(np.concatenate([pair[kept], np.zeros(has_site.size, np.uint64)])),
                "sentence": pa.array(
                    np.concatenate([sentence, np.zeros(has_site.size, bool)]).astype(np.uint8)
                ),
            },
            schema=FINGERPRINT_SCHEMA,
        )

    def resolve(self, fingerprint_files: Sequence[Path], work_dir: Path) -> Stats:
        """Count documents per (site, line) over all fingerprints; write the frequent pairs."""
        config = self.config
        found = frequent_pairs(
            [Path(p) for p in fingerprint_files],
            Thresholds(config.min_docs, config.min_docs_sentence, config.min_site_share),
            memory_bytes=int(config.resolve_memory_mb * 2**20),
        )
        work_dir.mkdir(parents=True, exist_ok=True)
        target = work_dir / ARTIFACT
        partial = work_dir / (ARTIFACT + ".partial.npy")
        np.save(partial, found.pairs.astype(np.uint64))
        partial.replace(target)
        stats = Stats()
        stats.count(f"{self.name}.distinct_pairs", found.distinct_pairs)
        stats.count(f"{self.name}.fingerprint_rows", found.rows)
        stats.count(f"{self.name}.frequent_pairs", int(found.pairs.size))
        stats.count(f"{self.name}.resolve_partitions", found.partitions)
        return stats

    def apply(self, table: pa.Table, work_dir: Path) -> StageResult:
        """Remove the lines whose (site, line) pair was found frequent by `resolve`."""
        frequent = self._load(work_dir)
        lines = LineTable.from_table(table)
        codes = np.zeros(lines.num_lines, dtype=np.int32)
        fingerprints = self._fingerprints(table, lines) if frequent.size else None
        if fingerprints is not None:
            _, _, pair, eligible = fingerprints
            index = np.flatnonzero(eligible)
            slot = np.minimum(np.searchsorted(frequent, pair[index]), frequent.size - 1)
            codes[index[frequent[slot] == pair[index]]] = 1
        return apply_line_verdicts(table, lines, codes, self.rules, stage_name=self.name)

    def _fingerprints(
        self, table: pa.Table, lines: LineTable | None = None
    ) -> tuple[LineTable, np.ndarray, np.ndarray, np.ndarray] | None:
        """(lines, site hash per document, pair hash per line (0 when not eligible), eligible)."""
        if table.num_rows == 0 or URL not in table.column_names:
            return None
        site = site_hashes(table[URL])
        if not site.any():
            return None
        lines = lines if lines is not None else LineTable.from_table(table)
        config = self.config
        eligible = (
            (lines.chars >= config.min_line_chars)
            & (lines.chars <= config.max_line_chars)
            & (site[lines.doc] != 0)
        )
        pair = np.zeros(lines.num_lines, dtype=np.uint64)
        if eligible.any():
            hashes = line_hashes(lines.stripped, eligible)
            pair[eligible] = mix(site[lines.doc[eligible]], hashes[eligible])
        return lines, site, pair, eligible

    def _load(self, work_dir: Path) -> np.ndarray:
        path = Path(work_dir) / ARTIFACT
        mtime = path.stat().st_mtime
        if self._artifact is None or self._artifact[0] != path or self._artifact[1] != mtime:
            self._artifact = (path, mtime, np.load(path))
        return self._artifact[2]


def site_hashes(urls: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """uint64 hash of each URL's registered domain; 0 when there is none."""
    encoded = pc.dictionary_encode(host_names(urls))
    hosts = encoded.dictionary.to_pylist()
    table = np.fromiter((_site_hash(host) for host in hosts), dtype=np.uint64, count=len(hosts))
    return table[np.asarray(encoded.indices, dtype=np.int64)]


@functools.lru_cache(maxsize=1 << 16)
def _site_hash(host: str) -> int:
    site = registered_domain(host)
    return 0 if site == NO_SITE else xxhash.xxh3_64_intdigest(site.encode("utf-8")) or 1


def mix(site: np.ndarray, line: np.ndarray) -> np.ndarray:
    """A well-mixed uint64 of a (site, line) hash pair (splitmix64 finaliser); never 0."""
    with np.errstate(over="ignore"):
        x = site * _MIX_1 + line
        x ^= x >> np.uint64(30)
        x *= _MIX_2
        x ^= x >> np.uint64(27)
        x *= _MIX_3
        x ^= x >> np.uint64(31)
    return np.where(x == DOC_MARKER, np.uint64(1), x)


@numba.njit(cache=True, nogil=True)
def distinct_in_documents(doc: np.ndarray, pair: np.ndarray) -> np.ndarray:
    """Indices of the first line of each distinct `pair` of each document, in (doc, pair) order
    (`doc` ascending, as lines are)."""
    out = np.empty(doc.size, dtype=np.int64)
    count = start = 0
    for end in range(1, doc.size + 1):
        if end < doc.size and doc[end] == doc[start]:
            continue
        order = np.argsort(pair[start:end], kind="mergesort")
        for k in range(order.size):
            if k == 0 or pair[start + order[k]] != pair[start + order[k - 1]]:
                out[count] = start + order[k]
                count += 1
        start = end
    return out[:count]
