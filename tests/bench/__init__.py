"""Smoke runs of the benchmarks, marked ``bench``: ``make bench`` runs them first, ``make test``
skips them (they take ~20 s and measure nothing; they only check each benchmark still runs)."""
