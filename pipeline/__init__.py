"""crawlsieve: a streaming quality filter for scraped web and news text."""

from __future__ import annotations

from pipeline.kernel_cache import drop_stale_kernels

__version__ = "0.1.0"

# Before any kernel loads from numba's cache: drop the cache if a source changed (kernel_cache).
drop_stale_kernels()
