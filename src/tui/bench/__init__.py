"""`roundtable bench`: a synthetic corpus at any scale, built through the real build path, and
the explorer measured against it (see docs/benchmarks.md)."""
