"""Benchmarks: they print figures and ratios against a baseline; never run as tests."""
