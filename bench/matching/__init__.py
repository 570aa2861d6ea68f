"""Benchmark of the matching engine (``python -m bench.matching``); prints figures, not a test."""
