"""Synthetic data in the offices' real formats, for the demo and scale benchmarks only: tests
of readers use the real samples in ``../shared/data``."""
