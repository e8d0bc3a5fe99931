"""The language profile tables cached on disk, so a worker process loads them in milliseconds.

One uncompressed `.npz` file per langdetect version and table format, in
`$CRAWLSIEVE_CACHE_DIR`, else `$XDG_CACHE_HOME/crawlsieve`, else `~/.cache/crawlsieve`. It is
written atomically (a temporary file renamed into place), so workers that start together never read
a partial file; a file that cannot be read is ignored and rebuilt, and a cache directory that
cannot be written only costs the rebuild.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

# Bump when the tables or the way they are built change.
TABLE_FORMAT = 4


def cache_directory() -> Path:
    """Where crawlsieve caches derived tables."""
    explicit = os.environ.get("CRAWLSIEVE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crawlsieve"


def cache_path() -> Path:
    """The cache file for the installed langdetect and the current table format."""
    version = metadata.version("langdetect")
    return cache_directory() / f"langdetect-{version}-profiles-v{TABLE_FORMAT}.npz"


def read_cached() -> dict[str, np.ndarray] | None:
    """The cached arrays, or None when there is no readable cache file."""
    path = cache_path()
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        logger.warning("ignoring unreadable language profile cache %s: %s", path, error)
        return None


def write_cached(arrays: dict[str, np.ndarray]) -> None:
    """Write the arrays to the cache file (atomically); log and go on when that fails."""
    path = cache_path()
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            temporary = Path(handle.name)
            np.savez(handle, **arrays)
        os.replace(temporary, path)
    except OSError as error:
        logger.info("language profile cache not written to %s: %s", path, error)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
