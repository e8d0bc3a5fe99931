"""Evaluate the dedup stage on Reuters-21578 with planted duplicates: pair precision, recall, F1
and the S-curve (how often a pair becomes an LSH candidate, by its true Jaccard similarity).

    python scripts/evaluate_dedup.py [--plants 1500] [--seed 5] [--set threshold=0.8 ...]

Reads `../shared/data/reuters21578/docs.jsonl.gz` (relative to the project root; never copied into
the repository) and adds planted copies of randomly chosen stories: exact copies (case and spacing
changed), corrected re-issues ("CORRECTED - " headline, one figure changed), copies with another
trailer, copies with two paragraphs swapped, and copies with 2-20 % of their words replaced, in
runs (sub-editing) or scattered. The corpus keeps its own duplicates and re-issues.

Ground truth is the exact Jaccard similarity of the word n-gram sets (same normalisation as the
stage): every pair with similarity >= --truth-floor is found by an exact prefix-filter similarity
join (no MinHash involved), so "true pairs" are complete. Reported:

* pair precision / recall / F1, where a predicted pair is two documents in one output cluster and a
  true pair has Jaccard >= threshold; recall also for pairs >= threshold + 0.05 (target >= 0.95);
* removal precision: removed documents whose Jaccard with their keeper is >= threshold;
* planted copies found, by kind;
* the S-curve: per Jaccard bin, the share of pairs that are LSH candidates (measured and the
  theoretical 1 - (1 - s^r)^b) and the share that end up in one cluster.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.dedup.bands import band_hashes, candidate_probability  # noqa: E402
from pipeline.dedup.config import DedupConfig  # noqa: E402
from pipeline.dedup.decisions import CLUSTERS_FILE, DUPLICATES_FILE  # noqa: E402
from pipeline.dedup.fingerprint import SIGNATURE, binary_rows  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
REUTERS = DATA / "reuters21578" / "docs.jsonl.gz"
SEEDS = DATA / "seeds"
WORD = re.compile(r"[^\W_]+")
TRAILERS = (
    "(Reporting by staff; Editing by the desk)",
    "Copyright 1987 wire service. All rights reserved.",
    "For more business news, visit the markets page.",
)
EDIT_FRACTIONS = (0.02, 0.05, 0.10, 0.15, 0.20)


def load_reuters() -> list[tuple[str, str]]:
    if not REUTERS.exists():
        sys.exit(
            f"evaluate_dedup: {REUTERS} is missing. This script needs the shared evaluation data "
            "in ../shared/data (relative to the project root); it is not part of the repository."
        )
    with gzip.open(REUTERS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [(str(row["id"]), row["text"] or "") for row in rows]


# ---- planting -------------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    """Reuters paragraphs start with an indented line."""
    return re.split(r"\n(?=    )", text)


def replace_words(
    text: str, fraction: float, rng: random.Random, vocabulary: list[str], runs: int
) -> str:
    tokens = re.split(r"(\s+)", text)
    positions = [i for i, token in enumerate(tokens) if token and not token.isspace()]
    total = max(1, round(len(positions) * fraction))
    if runs == 0:  # scattered
        chosen = rng.sample(positions, min(total, len(positions)))
    else:
        per_run = max(1, total // runs)
        starts = rng.sample(range(max(1, len(positions) - per_run)), runs)
        chosen = [positions[min(s + k, len(positions) - 1)] for s in starts for k in range(per_run)]
    for position in chosen[:total]:
        tokens[position] = rng.choice(vocabulary)
    return "".join(tokens)


def plant(
    corpus: list[tuple[str, str]], count: int, seed: int
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Planted copies and their truth rows (copy id, original id, kind)."""
    rng = random.Random(seed)
    vocabulary = sorted({w for _, text in corpus[:2000] for w in WORD.findall(text)})
    eligible = [i for i, (_, text) in enumerate(corpus) if len(WORD.findall(text)) >= 60]
    chosen = rng.sample(eligible, count)
    kinds = ["exact", "reissue", "trailer", "reorder"] + [
        f"edit{int(f * 100):02d}-{style}" for f in EDIT_FRACTIONS for style in ("runs", "scatter")
    ]
    copies, truth = [], []
    for n, index in enumerate(chosen):
        original_id, text = corpus[index]
        kind = kinds[n % len(kinds)]
        if kind == "exact":
            copy = "\n".join(line.strip() for line in text.upper().splitlines())
        elif kind == "reissue":
            numbers = list(re.finditer(r"\d+", text))
            copy = text
            if numbers:
                match = rng.choice(numbers)
                changed = str(int(match.group()) + rng.randint(1, 9))
                copy = text[: match.start()] + changed + text[match.end() :]
            copy = "CORRECTED - " + copy
        elif kind == "trailer":
            body = re.sub(r"\s*Reuter\s*$", "", text)
            copy = body + "\n" + rng.choice(TRAILERS)
        elif kind == "reorder":
            parts = paragraphs(text)
            if len(parts) >= 3:
                i, j = rng.sample(range(1, len(parts)), 2)
                parts[i], parts[j] = parts[j], parts[i]
            copy = "\n".join(parts)
        else:
            fraction = int(kind[4:6]) / 100
            runs = 3 if kind.endswith("runs") else 0
            copy = replace_words(text, fraction, rng, vocabulary, runs)
        copy_id = f"plant{n:05d}-{kind}"
        copies.append((copy_id, copy))
        truth.append({"copy": copy_id, "original": original_id, "kind": kind})
    return copies, truth


# ---- exact Jaccard -------------------------------------------------------------------------


def shingle_sets(texts: list[str], config: DedupConfig) -> list[frozenset[int]]:
    """The stage's shingles (as Python hashes), computed independently with `re` and `str`."""
    n = config.ngram_size
    sets = []
    for text in texts:
        lowered = text.lower() if config.lowercase else text
        words = WORD.findall(lowered) if config.strip_punctuation else lowered.split()
        units: list[str] | str = words if config.shingle == "word" else " ".join(words)
        if len(units) == 0:
            sets.append(frozenset())
        elif len(units) < n:
            sets.append(frozenset([hash(tuple(units))]))
        else:
            sets.append(frozenset(hash(tuple(units[i : i + n])) for i in range(len(units) - n + 1)))
    return sets


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similarity_join(sets: list[frozenset[int]], floor: float) -> dict[tuple[int, int], float]:
    """Every pair with Jaccard >= floor, exactly (prefix filtering, rarest shingles first)."""
    frequency = Counter(s for shingles in sets for s in shingles)
    postings: dict[int, list[int]] = defaultdict(list)
    pairs: dict[tuple[int, int], float] = {}
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    for i in order:
        a = sets[i]
        if not a:
            continue
        ranked = sorted(a, key=lambda s: (frequency[s], s))
        prefix = len(a) - math.ceil(floor * len(a)) + 1
        candidates: set[int] = set()
        for s in ranked[:prefix]:
            candidates.update(postings[s])
            postings[s].append(i)
        for j in candidates:
            b = sets[j]
            if len(b) < floor * len(a):
                continue
            value = jaccard(a, b)
            if value >= floor:
                pairs[(min(i, j), max(i, j))] = value
    return pairs


# ---- running the stage ---------------------------------------------------------------------


def run_stage(
    records: list[tuple[str, str]], config: DedupConfig, work: Path
) -> tuple[list[dict[str, Any]], pa.Table, np.ndarray, float, float]:
    stage = config.build()
    stage.setup()
    table = pa.table(
        {
            "id": [r[0] for r in records],
            "text": [r[1] for r in records],
            "_seq": pa.array(range(len(records)), pa.uint64()),
        }
    )
    started = time.process_time()
    paths = []
    for n, begin in enumerate(range(0, table.num_rows, 5000)):
        path = work / f"fingerprints-{n:03d}.parquet"
        pq.write_table(stage.collect(table.slice(begin, 5000)), path)
        paths.append(path)
    collect_seconds = time.process_time() - started
    decision_dir = work / "global"
    decision_dir.mkdir()
    started = time.process_time()
    stage.resolve(paths, decision_dir)
    resolve_seconds = time.process_time() - started
    clusters = pq.read_table(decision_dir / CLUSTERS_FILE).to_pylist()
    duplicates = pq.read_table(decision_dir / DUPLICATES_FILE)
    signatures = (
        np.concatenate(
            [
                binary_rows(
                    pq.read_table(p, columns=[SIGNATURE]).column(0), np.uint32, config.num_perm
                )
                for p in paths
            ]
        )
        if config.near
        else np.zeros((table.num_rows, 0), dtype=np.uint32)
    )
    return clusters, duplicates, signatures, collect_seconds, resolve_seconds


# ---- report --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plants", type=int, default=1500, help="planted copies")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--truth-floor", type=float, default=0.3, help="lowest Jaccard joined")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="dedup config value, e.g. --set threshold=0.7 --set ngram=3",
    )
    args = parser.parse_args()
    settings = {}
    for item in args.settings:
        key, _, value = item.partition("=")
        settings[key] = yaml.safe_load(value)
    config = DedupConfig(**settings)
    threshold = config.threshold
    bands, rows = config.lsh_shape() if config.near else (0, 0)

    corpus = load_reuters()
    copies, truth = plant(corpus, args.plants, args.seed)
    records = corpus + copies
    ids = [r[0] for r in records]
    position = {record_id: i for i, record_id in enumerate(ids)}
    print(f"corpus: {len(corpus)} Reuters stories + {len(copies)} planted copies")
    print(
        f"config: shingle={config.shingle} ngram={config.ngram_size} num_perm={config.num_perm} "
        f"scheme={config.scheme} threshold={threshold} bands x rows={bands}x{rows} "
        f"verify={config.verify}"
    )

    with tempfile.TemporaryDirectory() as scratch:
        clusters, duplicates, signatures, collect_s, resolve_s = run_stage(
            records, config, Path(scratch)
        )
    print(f"stage: collect {collect_s:.1f} s CPU, resolve {resolve_s:.1f} s CPU")

    sets = shingle_sets([r[1] for r in records], config)
    started = time.process_time()
    true_pairs = similarity_join(sets, min(args.truth_floor, threshold))
    print(
        f"truth: {len(true_pairs)} pairs with Jaccard >= {args.truth_floor} "
        f"(exact join, {time.process_time() - started:.1f} s CPU)"
    )

    cluster_of: dict[int, int] = {}
    for c, cluster in enumerate(clusters):
        for member in cluster["member_ids"]:
            cluster_of[position[member]] = c
    predicted = {
        (min(position[a], position[b]), max(position[a], position[b]))
        for cluster in clusters
        for k, a in enumerate(cluster["member_ids"])
        for b in cluster["member_ids"][k + 1 :]
    }
    similarity = {pair: true_pairs.get(pair) for pair in predicted}
    for pair in predicted:
        if similarity[pair] is None:
            similarity[pair] = jaccard(sets[pair[0]], sets[pair[1]])
    truth_at = {p for p, s in true_pairs.items() if s >= threshold}
    truth_above = {p for p, s in true_pairs.items() if s >= threshold + 0.05}
    hits = predicted & truth_at
    precision = len(hits) / len(predicted) if predicted else 1.0
    recall = len(hits) / len(truth_at) if truth_at else 1.0
    recall_above = len(predicted & truth_above) / len(truth_above) if truth_above else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    tolerated = sum(1 for p in predicted if similarity[p] >= threshold - 0.05)
    print()
    print(f"pairs: predicted {len(predicted)}, true (J >= {threshold}) {len(truth_at)}")
    print(f"  precision {precision:.4f}   recall {recall:.4f}   F1 {f1:.4f}")
    print(
        f"  recall for J >= {threshold + 0.05:.2f}: {recall_above:.4f} ({len(truth_above)} pairs)"
    )
    print(
        f"  precision counting J >= {threshold - 0.05:.2f} as correct (the recall target's 0.05 "
        f"margin, mirrored): {tolerated / max(1, len(predicted)):.4f}"
    )
    wrong = sorted((s, p) for p, s in similarity.items() if s < threshold)
    if wrong:
        print(
            f"  predicted pairs below the threshold: {len(wrong)}, lowest Jaccard "
            f"{wrong[0][0]:.3f}, median {wrong[len(wrong) // 2][0]:.3f}"
        )

    removed = duplicates.to_pylist()
    keeper_ok = keeper_tolerated = 0
    for row in removed:
        doc = int(row["_seq"])
        keeper = position[row["duplicate_of"]]
        pair = (min(doc, keeper), max(doc, keeper))
        value = true_pairs.get(pair)
        if value is None:
            value = jaccard(sets[doc], sets[keeper])
        keeper_ok += value >= threshold
        keeper_tolerated += value >= threshold - 0.05
    print(
        f"removed: {len(removed)} documents; removal precision (J with keeper >= threshold) "
        f"{keeper_ok / max(1, len(removed)):.4f}, with the 0.05 margin "
        f"{keeper_tolerated / max(1, len(removed)):.4f}"
    )

    print()
    print("planted copies found (same cluster as their original), by kind:")
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    jaccards: dict[str, list[float]] = defaultdict(list)
    for row in truth:
        a, b = position[row["copy"]], position[row["original"]]
        same = a in cluster_of and cluster_of.get(a) == cluster_of.get(b)
        by_kind[row["kind"]][0] += same
        by_kind[row["kind"]][1] += 1
        jaccards[row["kind"]].append(jaccard(sets[a], sets[b]))
    for kind, (found, total) in sorted(by_kind.items()):
        median = sorted(jaccards[kind])[len(jaccards[kind]) // 2]
        print(f"  {kind:16s} {found:4d}/{total:<4d} ({found / total:6.1%})  median J {median:.2f}")

    if config.near:
        print()
        print_s_curve(true_pairs, cluster_of, signatures, bands, rows, sets, args.seed)
    print_seed_pair(config)
    return 0


def print_s_curve(
    true_pairs: dict[tuple[int, int], float],
    cluster_of: dict[int, int],
    signatures: np.ndarray,
    bands: int,
    rows: int,
    sets: list[frozenset[int]],
    seed: int,
) -> None:
    band_keys = band_hashes(signatures, bands, rows)
    rng = random.Random(seed)
    pairs = dict(true_pairs)
    nonempty = [i for i, s in enumerate(sets) if s]
    for _ in range(20_000):  # random pairs populate the low bins
        a, b = rng.sample(nonempty, 2)
        pair = (min(a, b), max(a, b))
        if pair not in pairs:
            pairs[pair] = jaccard(sets[a], sets[b])
    edges = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.0001]
    left = np.array([p[0] for p in pairs])
    right = np.array([p[1] for p in pairs])
    values = np.array(list(pairs.values()))
    candidate = (band_keys[left] == band_keys[right]).any(axis=1)
    together = np.array(
        [cluster_of.get(a, -1) == cluster_of.get(b, -2) for a, b in pairs], dtype=bool
    )
    print(f"S-curve ({bands} bands x {rows} rows): share of pairs by true Jaccard")
    print("  Jaccard bin     pairs   candidate  theory   same cluster")
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        in_bin = (values >= low) & (values < high)
        count = int(in_bin.sum())
        if count == 0:
            continue
        middle = min(1.0, (low + min(high, 1.0)) / 2)
        label = "1.00" if low == 1.0 else f"{low:.2f}-{high:.2f}"
        print(
            f"  {label:12s} {count:8d}   {candidate[in_bin].mean():8.3f}  "
            f"{float(candidate_probability(middle, bands, rows)):6.3f}  "
            f"{together[in_bin].mean():10.3f}"
        )


def print_seed_pair(config: DedupConfig) -> None:
    """The two seed pages: a reworded copy of one story that word 5-grams cannot pair."""
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    if len(pages) != 2:
        return
    texts = [p.read_text(encoding="utf-8") for p in pages]
    five = shingle_sets(texts, config)
    words = [frozenset(WORD.findall(t.lower())) for t in texts]
    print()
    print(
        f"seed pages ({pages[0].name[:3]}, {pages[1].name[:3]}): {config.shingle} "
        f"{config.ngram_size}-gram Jaccard {jaccard(*five):.3f}, word unigram Jaccard "
        f"{len(words[0] & words[1]) / len(words[0] | words[1]):.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
