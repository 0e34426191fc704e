"""Compendium memory at the scale of a real round: peak RSS of writing the compendium of 10, 50
and 200 generated statements (about 5 pages and 100 signatories each), each size in a fresh
process, against the single renders of the same statements. Budgets, at 200 statements (the
issue's "≤ 1.15× the singles and ≤ 300 MiB at 200 statements"): ≤ 300 MiB, and the compendium
≤ 1.15× the CPU time of the singles (CPU, not wall: the machine is shared, and a wall-clock
ratio swung from 0.67 to 1.39 between two runs of the same code). Smaller sizes are printed:
the compendium lays out what the singles do not — its contents and an index of every signatory
organization (about 500 for 10 statements) — which weighs most when the statements are few
(1.16× at 10, 1.03× at 50, 1.00× at 200 on 2026-11-30).

The signatories come from a pool of 1,500 organizations, as in a real round (issue 15 measured
1,511 for 200 statements): the index lists each once. Before portal/pdf/book.py the compendium
held every laid-out page until the end: 190 / 362 / 1,001 MiB for 10 / 50 / 200 statements.
The singles run in two halves, before and after the compendium, so a slow spell on the shared
machine weighs on both sides alike. BENCH_COMPENDIUM_SIZES (default "10,50,200") chooses the
sizes: 200 takes several minutes.
"""

import os
import resource
import tempfile
import time
from pathlib import Path

from .bench_compendium import _in_child, _singles, generate

MEMORY_BUDGET_MIB = 300
MEMORY_BUDGET_AT = 200
TIME_BUDGET = 1.15
SIZES = [int(n) for n in os.environ.get("BENCH_COMPENDIUM_SIZES", "10,50,200").split(",")]
ORGANIZATIONS = 1500


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _compendium(count: int) -> tuple[float, float, int, float]:
    """Wall and CPU seconds, pages and peak RSS (MiB) of the compendium of `count` statements,
    in this (fresh) process."""
    from portal.exports.compendium import Compendium, Entry, write_compendium

    docs = generate(count, organizations=ORGANIZATIONS)
    compendium = Compendium(
        process=docs[0].process,
        round=docs[0].round,
        place="United Nations Headquarters, New York",
        dates="12–15 March 2018",
        entries=[Entry(doc_id=f"s{i}", doc=doc) for i, doc in enumerate(docs)],
    )
    with tempfile.TemporaryDirectory() as tmp:
        started, started_cpu = time.perf_counter(), time.process_time()
        pages = write_compendium(compendium, Path(tmp) / "compendium.pdf")
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return wall, cpu, pages, _peak_mib()


def _half(count: int, part: int) -> tuple[float, float, float]:
    docs = generate(count, organizations=ORGANIZATIONS)
    return _singles(docs[part::2])


def run():
    # Every measurement in its own process, so each peak is its own.
    baseline = _in_child(_peak_mib)
    yield f"a fresh process before any work: {baseline:.0f} MiB"
    for count in SIZES:
        first = _in_child(_half, count, 0)
        wall, cpu, pages, peak = _in_child(_compendium, count)
        second = _in_child(_half, count, 1)
        singles_wall, singles_cpu = first[0] + second[0], first[1] + second[1]
        singles_peak = max(first[2], second[2])
        ratio = cpu / singles_cpu
        verdict = "printed"
        if count >= MEMORY_BUDGET_AT:
            verdict = "ok" if ratio <= TIME_BUDGET else "OVER BUDGET"
        yield (
            f"{count} statements, {pages} pages: compendium {wall:.1f} s wall / {cpu:.1f} s CPU, "
            f"singles {singles_wall:.1f} s / {singles_cpu:.1f} s: {wall / singles_wall:.2f}× "
            f"wall, {ratio:.2f}× CPU (budget {TIME_BUDGET} at {MEMORY_BUDGET_AT}) {verdict}"
        )
        line = f"   peak memory: compendium {peak:.0f} MiB, singles {singles_peak:.0f} MiB"
        if count >= MEMORY_BUDGET_AT:
            over = "ok" if peak <= MEMORY_BUDGET_MIB else "OVER BUDGET"
            line += f" (budget {MEMORY_BUDGET_MIB} MiB at {MEMORY_BUDGET_AT}) {over}"
        yield line
