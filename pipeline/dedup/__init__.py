"""Exact and near-duplicate removal over the whole corpus (the `dedup` global stage).

What lives where (docs/dedup.md explains the method and every setting):

    config.py         DedupConfig (type: dedup) and DedupIndexConfig, documented defaults
    stage.py          DedupStage: collect / resolve / apply
    hashing.py        fmix64 and the fixed constants (FINGERPRINT_VERSION)
    text_units.py     normalised words from UTF-8 bytes, word hashes, character units
    text_kernels.py   the numba kernels behind text_units, exact_hash and shingles
    exact_hash.py     128-bit hash of the normalised text
    shingles.py       n-gram shingles as 32-bit hashes
    minhash.py        datasketch-identical signatures (affine32, legacy) for a whole batch
    bands.py          LSH bands: datasketch's optimiser, S-curve, band hashes
    fingerprint.py    the fingerprint table written by collect
    shingle_sets.py   shingle sets on disk and exact Jaccard of pairs (exact_jaccard: true)
    npy_files.py      on-disk arrays: positional writes, chunked and positional reads
    corpus_arrays.py  resolve step 1: fingerprints laid out in canonical order
    buckets.py        equal keys by sorting; each bucket member paired with the bucket's head
    union_find.py     numpy union-find
    linking.py        resolve step 2: exact links, then LSH candidates verified and linked
    clusters.py       resolve step 3: keeper-centred clusters and the keeper rule
    decisions.py      resolve step 4 / apply: duplicates.parquet, clusters.parquet, id lookup
    index_store.py    dedup index directories: manifest, segments, compatibility checks
    index_writer.py   writing a run's kept documents as an index segment
    resolve.py        resolve, step by step
"""
