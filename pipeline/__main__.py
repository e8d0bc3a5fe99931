"""`python -m pipeline ...` behaves exactly like the `crawlsieve` command."""

from __future__ import annotations

from pipeline.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
