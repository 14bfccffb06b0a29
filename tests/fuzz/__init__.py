"""Fuzzing the extractors: seeds, harness, runner (see README.md)."""
