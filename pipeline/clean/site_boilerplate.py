"""`site_boilerplate`: lines that recur on many pages of one site, learned from the corpus.

A global stage in three steps (see `pipeline/stage.py`):

* `collect` (per batch): for every document with a URL, one row per *distinct* eligible line
  (`min_line_chars` to `max_line_chars` characters): `site` (uint64 hash of the registered
  domain), `pair` (uint64 hash of site and lower-cased line) and `sentence` (uint8: the line reads
  like a sentence), plus one marker row per document (`pair` = 0) to count the site's pages.
  No text leaves the batch: 17 bytes per row.
* `resolve` (once): counts, per pair, the documents that contain it (sort + run lengths with
  numpy), keeps the pairs seen in at least `min_docs` documents (`min_docs_sentence` for
  sentence lines, so a quote two articles share survives) and in at least `min_site_share` of the
  site's documents, and writes them, sorted, to `site_boilerplate.npy` in the work directory.
  Memory: about 40 bytes per fingerprint row (the arrays plus numpy's sort); when the input has
  more than `resolve_chunk_rows` rows it is processed in partitions by site hash, each read from
  the fingerprint files again, so memory stays at `resolve_chunk_rows` rows whatever the corpus.
* `apply` (per batch): hashes the lines the same way and removes those whose pair is in the
  artifact (rule `site_boilerplate`).

A site needs at least `min_docs` pages for anything to be learned: on a corpus with one or two
pages per site this stage removes nothing, by design.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from pipeline.clean.line_table import LineTable
from pipeline.clean.registered_domain import registered_domains
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
DOC_MARKER = np.uint64(0)
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
        doc = lines.doc[eligible]
        pairs = pair[eligible]
        # Distinct pairs per document: sort by (doc, pair) and keep the first of each run.
        order = np.lexsort((pairs, doc))
        doc, pairs = doc[order], pairs[order]
        first = np.ones(doc.size, dtype=bool)
        first[1:] = (doc[1:] != doc[:-1]) | (pairs[1:] != pairs[:-1])
        sentence = self._sentence(lines)[eligible][order][first]
        has_site = np.flatnonzero(site != 0)
        return pa.table(
            {
                "site": pa.array(np.concatenate([site[doc[first]], site[has_site]]), pa.uint64()),
                "pair": pa.array(
                    np.concatenate([pairs[first], np.zeros(has_site.size, np.uint64)]), pa.uint64()
                ),
                "sentence": pa.array(
                    np.concatenate([sentence, np.zeros(has_site.size, bool)]).astype(np.uint8),
                    pa.uint8(),
                ),
            },
            schema=FINGERPRINT_SCHEMA,
        )

    def resolve(self, fingerprint_files: Sequence[Path], work_dir: Path) -> Stats:
        """Count documents per (site, line) over all fingerprints; write the frequent pairs."""
        stats = Stats()
        paths = [Path(p) for p in fingerprint_files]
        total = sum(_row_count(path) for path in paths)
        partitions = max(1, math.ceil(total / self.config.resolve_chunk_rows))
        frequent: list[np.ndarray] = []
        for partition in range(partitions):
            site, pair, sentence = _read_partition(paths, partition, partitions)
            chosen, counted = self._frequent_pairs(site, pair, sentence)
            frequent.append(chosen)
            stats.count(f"{self.name}.distinct_pairs", counted)
        pairs = np.unique(np.concatenate(frequent)) if frequent else np.zeros(0, np.uint64)
        work_dir.mkdir(parents=True, exist_ok=True)
        target = work_dir / ARTIFACT
        partial = work_dir / (ARTIFACT + ".partial.npy")
        np.save(partial, pairs.astype(np.uint64))
        partial.replace(target)
        stats.count(f"{self.name}.fingerprint_rows", total)
        stats.count(f"{self.name}.frequent_pairs", int(pairs.size))
        stats.count(f"{self.name}.resolve_partitions", partitions)
        return stats

    def apply(self, table: pa.Table, work_dir: Path) -> StageResult:
        """Remove the lines whose (site, line) pair was found frequent by `resolve`."""
        frequent = self._load(work_dir)
        lines = LineTable.from_table(table)
        codes = np.zeros(lines.num_lines, dtype=np.int32)
        fingerprints = self._fingerprints(table, lines) if frequent.size else None
        if fingerprints is not None:
            _, _, pair, eligible = fingerprints
            slot = np.searchsorted(frequent, pair)
            slot = np.minimum(slot, frequent.size - 1)
            codes[eligible & (frequent[slot] == pair)] = 1
        return apply_line_verdicts(table, lines, codes, self.rules, stage_name=self.name)

    def _fingerprints(
        self, table: pa.Table, lines: LineTable | None = None
    ) -> tuple[LineTable, np.ndarray, np.ndarray, np.ndarray] | None:
        """(lines, site hash per document, pair hash per line, eligible line mask)."""
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
            pair[eligible] = mix(site[lines.doc[eligible]], line_hashes(lines, eligible))
        return lines, site, pair, eligible

    def _sentence(self, lines: LineTable) -> np.ndarray:
        return lines.ends_sentence & (lines.words >= self.config.sentence_min_words)

    def _frequent_pairs(
        self, site: np.ndarray, pair: np.ndarray, sentence: np.ndarray
    ) -> tuple[np.ndarray, int]:
        """Pairs that pass the thresholds, and how many distinct pairs there were."""
        config = self.config
        marker = pair == DOC_MARKER
        sites, site_docs = np.unique(site[marker], return_counts=True)
        lines_pair, lines_site, lines_sentence = pair[~marker], site[~marker], sentence[~marker]
        if lines_pair.size == 0:
            return np.zeros(0, np.uint64), 0
        unique, first, counts = np.unique(lines_pair, return_index=True, return_counts=True)
        needed = np.where(
            lines_sentence[first].astype(bool), config.min_docs_sentence, config.min_docs
        )
        keep = counts >= needed
        if config.min_site_share > 0 and sites.size:
            slot = np.minimum(np.searchsorted(sites, lines_site[first]), sites.size - 1)
            docs_of_site = np.where(sites[slot] == lines_site[first], site_docs[slot], 0)
            keep &= counts >= config.min_site_share * docs_of_site
        return unique[keep], int(unique.size)

    def _load(self, work_dir: Path) -> np.ndarray:
        path = Path(work_dir) / ARTIFACT
        mtime = path.stat().st_mtime
        if self._artifact is None or self._artifact[0] != path or self._artifact[1] != mtime:
            self._artifact = (path, mtime, np.load(path))
        return self._artifact[2]


def site_hashes(urls: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """uint64 hash of each URL's registered domain; 0 when there is none."""
    domains = registered_domains(urls)
    encoded = pc.dictionary_encode(domains)
    values = encoded.dictionary.to_pylist()
    table = np.asarray(
        [xxhash.xxh3_64_intdigest(v.encode("utf-8")) or 1 if v else 0 for v in values],
        dtype=np.uint64,
    )
    return table[np.asarray(encoded.indices, dtype=np.int64)]


def line_hashes(lines: LineTable, mask: np.ndarray) -> np.ndarray:
    """uint64 hash of each masked line, lower-cased and stripped (one hash per distinct line)."""
    chosen = lines.stripped.take(pa.array(np.flatnonzero(mask)))
    encoded = pc.dictionary_encode(pc.utf8_lower(chosen))
    values = encoded.dictionary.to_pylist()
    table = np.asarray(
        [xxhash.xxh3_64_intdigest(v.encode("utf-8", "surrogatepass")) for v in values],
        dtype=np.uint64,
    )
    return table[np.asarray(encoded.indices, dtype=np.int64)]


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


def _row_count(path: Path) -> int:
    if path.suffix == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    return _read_table(path).num_rows


def _read_table(path: Path) -> pa.Table:
    """A fingerprint file: Parquet, or an Arrow IPC file / stream (`.arrow`, `.feather`)."""
    if path.suffix == ".parquet":
        return pq.read_table(path, columns=FINGERPRINT_SCHEMA.names)
    with pa.memory_map(str(path)) as source:
        try:
            return pa.ipc.open_file(source).read_all()
        except pa.ArrowInvalid:
            source.seek(0)
            return pa.ipc.open_stream(source).read_all()


def _read_partition(
    paths: Sequence[Path], partition: int, partitions: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of every fingerprint file whose site hash falls in `partition`."""
    sites, pairs, sentences = [], [], []
    for path in paths:
        table = _read_table(path)
        site = np.asarray(table["site"], dtype=np.uint64)
        pair = np.asarray(table["pair"], dtype=np.uint64)
        sentence = np.asarray(table["sentence"], dtype=np.uint8)
        if partitions > 1:
            mine = site % np.uint64(partitions) == np.uint64(partition)
            site, pair, sentence = site[mine], pair[mine], sentence[mine]
        sites.append(site)
        pairs.append(pair)
        sentences.append(sentence)
    if not sites:
        empty = np.zeros(0, np.uint64)
        return empty, empty, np.zeros(0, np.uint8)
    return np.concatenate(sites), np.concatenate(pairs), np.concatenate(sentences)
