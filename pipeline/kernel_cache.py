"""Keep numba's on-disk cache of crawlsieve's kernels in step with the sources.

numba checks a cached kernel against the file that defines it, and only that file: a kernel that
calls a kernel of another module keeps its old machine code when only the other module changed (a
`git pull` of a clone installed with `pip install -e .` can do exactly that), and would then compute
with code that no longer exists. So when the package is imported, a hash of all its Python sources
is compared with the one stored at the last import; when they differ, every cached kernel of the
package (`__pycache__/*.nbi`, `*.nbc`) is deleted and compiles again on first use.

Nothing is done when `NUMBA_CACHE_DIR` is set (the cache is then where its owner put it) or when
the package folder is read-only (numba then caches elsewhere, under the user's cache folder).
numba itself tolerates cache files deleted under it: it recompiles.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STAMP = "kernel-sources.sha1"  # in the package's own __pycache__


def sources_digest(package: Path) -> str:
    """A hash of the paths and contents of the package's Python sources."""
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def drop_stale_kernels(package: Path = PACKAGE) -> int:
    """Delete the package's cached kernels if its sources changed since the last call; returns
    how many cache files were deleted."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return 0
    try:
        digest = sources_digest(package)
    except OSError:  # a source file we cannot read: leave the cache to numba
        return 0
    stamp = package / "__pycache__" / STAMP
    try:
        if stamp.read_text(encoding="ascii") == digest:
            return 0
    except (OSError, UnicodeDecodeError):
        pass
    removed = 0
    for cached in list(package.rglob("__pycache__/*.nb[ic]")):
        try:
            cached.unlink()
            removed += 1
        except FileNotFoundError:  # another process got there first
            pass
        except OSError:  # a read-only install: numba caches elsewhere
            return removed
    try:
        stamp.parent.mkdir(exist_ok=True)
        partial = stamp.with_name(f"{STAMP}.{os.getpid()}.partial")
        partial.write_text(digest, encoding="ascii")
        partial.replace(stamp)
    except OSError:
        pass
    return removed
