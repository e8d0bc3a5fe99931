"""Test-session setup: a numba cache that cannot serve kernels compiled from older sources.

numba's on-disk cache (`cache=True`) is checked against the stamp of the file that defines a
kernel only. A kernel that calls a kernel of another module keeps its old machine code after
that other module is edited, so tests could pass against code that no longer exists. The test
session therefore caches in a directory named by a hash of every source file of `pipeline/`
(under `.pytest_cache/numba/`, the newest few kept), unless `NUMBA_CACHE_DIR` is already set.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEPT_CACHES = 3


def sources_digest(package: Path) -> str:
    """A hash of the paths and contents of the package's Python sources."""
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def source_keyed_cache(root: Path, digest: str, kept: int = KEPT_CACHES) -> Path:
    """`root/digest`, created; older sibling caches beyond the newest `kept` are removed."""
    cache = root / digest
    cache.mkdir(parents=True, exist_ok=True)
    os.utime(cache)
    others = sorted(
        (path for path in root.iterdir() if path.is_dir() and path != cache),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for stale in others[kept - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
    return cache


if "NUMBA_CACHE_DIR" not in os.environ:
    _cache = source_keyed_cache(ROOT / ".pytest_cache" / "numba", sources_digest(ROOT / "pipeline"))
    os.environ["NUMBA_CACHE_DIR"] = str(_cache)
    if "numba" in sys.modules:  # imported before this file: its config has read the environment
        sys.modules["numba"].config.CACHE_DIR = str(_cache)
