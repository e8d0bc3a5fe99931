"""Mergeable statistics: counters, fixed-bin histograms and bounded deterministic samples."""
