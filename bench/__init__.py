"""Benchmarks of the workshop toolkit (``make bench``, ``make bench-quick``)."""
