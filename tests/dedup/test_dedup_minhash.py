"""MinHash signatures equal datasketch's for the same 32-bit shingle hashes, seed and scheme."""

from __future__ import annotations

import datasketch
import numpy as np
import pytest

from pipeline.dedup.bands import band_hashes, candidate_probability, optimal_bands_rows
from pipeline.dedup.minhash import Permutations, estimated_jaccard, signatures
from pipeline.dedup.shingles import Shingles

DATASKETCH_HAS_SCHEMES = hasattr(datasketch.MinHash(num_perm=2), "scheme")


def shingle_batch(seed: int = 3) -> Shingles:
    """Documents of 0 to 5 shingles (the kernel takes four at a time, then the rest), empty ones
    between and at the ends, and long ones of every remainder mod 4.
    """
    rng = np.random.default_rng(seed)
    counts = np.array([0, 5, 0, 1, 702, 3, 2, 4, 0, 0, 1 << 16, 2 * 65536 + 9, 2, 0, 64, 4099, 0])
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    hashes = rng.integers(0, 2**32, int(offsets[-1]), dtype=np.uint64).astype(np.uint32)
    hashes[0] = 0xFFFFFFFF  # extremes of the 32-bit range
    hashes[1] = 0
    return Shingles(hashes, offsets)


def identity(value: int) -> int:
    return value


def update_in_pieces(minhash, values: np.ndarray) -> None:
    """`minhash.update_batch(values)` a few thousand at a time (datasketch holds values x perms)."""
    for begin in range(0, len(values), 4096):
        minhash.update_batch(values[begin : begin + 4096].tolist())


def datasketch_minhash(num_perm: int, seed: int, scheme: str):
    if DATASKETCH_HAS_SCHEMES:
        return datasketch.MinHash(num_perm=num_perm, seed=seed, hashfunc=identity, scheme=scheme)
    assert scheme == "legacy", "datasketch < 2.0 only has the legacy scheme"
    return datasketch.MinHash(num_perm=num_perm, seed=seed, hashfunc=identity)


def affine32_reference(values: list[int], num_perm: int, seed: int) -> list[int]:
    """datasketch 2.0's `affine32` scheme, written out with Python integers.

    Used where the installed datasketch predates 2.0 (no `scheme` argument), so the scheme can still
    be checked value by value; with datasketch >= 2.0 the test compares against datasketch itself.
    """
    generator = np.random.RandomState(seed)
    a = [int(x) * 2 + 1 for x in generator.randint(0, 1 << 31, num_perm, dtype=np.uint32)]
    b = [int(x) for x in generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)]
    mask = (1 << 32) - 1

    def fmix32(h: int) -> int:
        h ^= h >> 16
        h = (h * 0x85EBCA6B) & mask
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & mask
        return h ^ (h >> 16)

    mixed = np.array([fmix32(v) for v in values], dtype=np.uint64)
    if len(mixed) == 0:
        return [mask] * num_perm
    # a, h < 2^32, so a * h fits in uint64 exactly; reduce mod 2^32 before adding b.
    return [int((((ak * mixed) & mask) + bk & mask).min()) for ak, bk in zip(a, b, strict=True)]


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 42)])
def test_legacy_signatures_equal_datasketch(num_perm: int, seed: int) -> None:
    batch = shingle_batch()
    ours = signatures(batch, Permutations.create(num_perm, seed, "legacy"))
    for doc in range(len(batch.offsets) - 1):
        theirs = datasketch_minhash(num_perm, seed, "legacy")
        update_in_pieces(theirs, batch.hashes[batch.offsets[doc] : batch.offsets[doc + 1]])
        assert ours[doc].tolist() == theirs.hashvalues.tolist(), f"document {doc}"


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 42)])
def test_affine32_signatures_equal_datasketch(num_perm: int, seed: int) -> None:
    batch = shingle_batch()
    ours = signatures(batch, Permutations.create(num_perm, seed, "affine32"))
    for doc in range(len(batch.offsets) - 1):
        values = batch.hashes[batch.offsets[doc] : batch.offsets[doc + 1]]
        if DATASKETCH_HAS_SCHEMES:
            theirs = datasketch_minhash(num_perm, seed, "affine32")
            update_in_pieces(theirs, values)
            expected = theirs.hashvalues.tolist()
        else:
            expected = affine32_reference(values.tolist(), num_perm, seed)
        assert ours[doc].tolist() == expected, f"document {doc}"


def test_permutation_parameters_equal_datasketch() -> None:
    ours = Permutations.create(128, 1, "legacy")
    a, b = datasketch_minhash(128, 1, "legacy").permutations
    assert ours.a.tolist() == np.asarray(a).tolist()
    assert ours.b.tolist() == np.asarray(b).tolist()


def test_signatures_load_into_datasketch_lean_minhash() -> None:
    batch = shingle_batch()
    ours = signatures(batch, Permutations.create(128, 1, "legacy"))
    one = datasketch_minhash(128, 1, "legacy")
    one.update_batch(batch.hashes[: batch.offsets[1]].tolist())
    kwargs = {"scheme": "legacy"} if DATASKETCH_HAS_SCHEMES else {}
    lean = datasketch.LeanMinHash(seed=1, hashvalues=ours[0].astype(np.uint64), **kwargs)
    assert lean.jaccard(datasketch.LeanMinHash(one)) == 1.0


def test_empty_document_has_the_empty_signature() -> None:
    batch = shingle_batch()
    ours = signatures(batch, Permutations.create(16, 1, "affine32"))
    empty = np.flatnonzero(batch.counts == 0)
    assert len(empty) == 6
    assert ours[empty].tolist() == [[0xFFFFFFFF] * 16] * 6


def test_unknown_scheme_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown MinHash scheme 'affine64'"):
        Permutations.create(8, 1, "affine64")  # type: ignore[arg-type]


def test_estimated_jaccard_counts_equal_positions() -> None:
    left = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], dtype=np.uint32)
    right = np.array([[1, 2, 0, 0], [5, 6, 7, 8]], dtype=np.uint32)
    assert estimated_jaccard(left, right).tolist() == [0.5, 1.0]


def test_optimal_bands_rows_are_datasketch_optimum() -> None:
    lsh = datasketch.MinHashLSH(threshold=0.8, num_perm=128)
    assert optimal_bands_rows(0.8, 128) == (lsh.b, lsh.r) == (9, 13)


@pytest.mark.parametrize("num_perm", [16, 64, 128, 256])
@pytest.mark.parametrize("weights", [(0.5, 0.5), (0.05, 0.95)])
def test_optimal_bands_rows_follow_datasketch_across_thresholds(
    num_perm: int, weights: tuple[float, float]
) -> None:
    from datasketch.lsh import _optimal_param

    for threshold in (0.3, 0.5, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        expected = _optimal_param(threshold, num_perm, *weights)
        assert optimal_bands_rows(threshold, num_perm, weights) == expected, threshold


def test_band_hashes_equal_exactly_when_band_values_equal() -> None:
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**32, (3, 12), dtype=np.uint64).astype(np.uint32)
    sig[1, :4] = sig[0, :4]  # band 0 equal
    sig[2, 4:8] = sig[0, 4:8]  # band 1 equal
    bands = band_hashes(sig, 3, 4)
    assert bands.dtype == np.uint64 and bands.shape == (3, 3)
    assert (bands[1] == bands[0]).tolist() == [True, False, False]
    assert (bands[2] == bands[0]).tolist() == [False, True, False]


def test_band_hashes_differ_between_bands_with_equal_values() -> None:
    sig = np.zeros((1, 8), dtype=np.uint32)
    bands = band_hashes(sig, 2, 4)
    assert bands[0, 0] != bands[0, 1]


def test_candidate_probability_is_the_s_curve() -> None:
    assert candidate_probability(1.0, 9, 13) == pytest.approx(1.0)
    assert candidate_probability(0.0, 9, 13) == pytest.approx(0.0)
    assert candidate_probability(0.8, 9, 13) == pytest.approx(1 - (1 - 0.8**13) ** 9)
