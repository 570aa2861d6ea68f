"""Benchmark of the quarterly report's pure core (``python -m bench.reports``)."""
