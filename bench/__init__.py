"""Benchmarks run by `make bench` (`python -m bench`).

Each ``bench/bench_<area>.py`` module defines ``run() -> list[str]``: it measures what it needs
(side by side, in the same process, so machine speed cancels out) and returns the lines to print,
including each ratio and whether it is within its budget.
"""
