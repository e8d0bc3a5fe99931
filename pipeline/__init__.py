"""crawlsieve: a streaming quality filter for scraped web and news text."""

from __future__ import annotations

__version__ = "0.1.0"
