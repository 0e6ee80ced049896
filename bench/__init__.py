"""Benchmarks (``make bench`` / ``python -m bench``): measurements printed, never asserted."""
