"""Load budgets: every page of the portal at the scale of a real round, served by gunicorn (3 sync
workers) on PostgreSQL to 8 concurrent clients; per page p50/p95 latency and its throughput
divided by /healthz's, the two measured in alternating bursts (healthz, page, healthz, page…) so
a slow spell of the shared machine weighs on both; the ratio printed is the median of the bursts'.
A burst is 8 clients requesting for BENCH_LOAD_SECONDS (1.5 s), counting the responses completed
within it (load_http.burst).

Budgets (issue 15): every page ≥ 0.15× healthz throughput and p95 ≤ 150 ms. The data comes from
`portal generate-load-data` (see load_setup.py for LOAD_SCALE and the cached database).
BENCH_LOAD_BURSTS (default 4) sets the number of bursts per page; BENCH_LOAD_PAGES="round,queue"
measures only the pages whose labels contain one of the words.
"""

from __future__ import annotations

import os

from .load_http import burst, median, percentile, request, sign_in
from .load_setup import (
    Scale,
    Server,
    Unavailable,
    _scalar,
    build_missing_files,
    prepare_database,
)

RATIO_BUDGET = 0.15
P95_BUDGET_MS = 150.0
BURSTS = int(os.environ.get("BENCH_LOAD_BURSTS", "4"))
# A burst: 8 clients requesting for this long; the page's bursts and /healthz's alike.
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "1.5"))
ROUND = "load-test-round"
PASSWORD = "load-bench-2018-password"  # noqa: S105  (portal/loaddata/build.py publishes it)
COORDINATOR = "coordinator@load.example.org"


def _facts(scale: Scale) -> dict:
    """The first two statements (generate-load-data gives them the longest list and a typical
    long one, and approves both), their list lengths, and a member of the first one's lead."""
    first, second = (
        _scalar(
            scale.url,
            "SELECT id FROM statements WHERE state = 'approved' ORDER BY id LIMIT 1 OFFSET :n",
            n=n,
        )
        for n in (0, 1)
    )
    approved = "SELECT count(*) FROM signatures WHERE statement_id = :s AND state = 'approved'"
    member = _scalar(
        scale.url,
        """SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id
           JOIN statements s ON s.lead_organization_id = m.organization_id
           WHERE s.id = :s AND m.role = 'admin' ORDER BY u.id LIMIT 1""",
        s=first,
    )
    return {"first": first, "second": second, "member": member,
            "count": _scalar(scale.url, approved, s=first),
            "second_count": _scalar(scale.url, approved, s=second)}  # fmt: skip


def _pages(facts: dict) -> list[tuple[str, str, str]]:
    """(label, path, who) for every page the issue names."""
    first, second = facts["first"], facts["second"]
    n, n2 = f"{facts['count']:,}", f"{facts['second_count']:,}"
    return [
        ("home", "/", "visitor"),
        ("round page, visitor", f"/rounds/{ROUND}", "visitor"),
        ("round page, member", f"/rounds/{ROUND}", "member"),
        ("round page, coordinator", f"/rounds/{ROUND}", "coordinator"),
        (f"statement page, {n} signatories", f"/statements/{first}", "member"),
        (f"published statement, {n} signatories", f"/published/{first}", "visitor"),
        ("its signatories page", f"/statements/{first}/signatures", "member"),
        ("sign-on queue", f"/rounds/{ROUND}/signons", "coordinator"),
        ("review queue", f"/rounds/{ROUND}/review", "coordinator"),
        ("desk", "/desk", "member"),
        ("API statement list", f"/api/v1/statements?round={ROUND}", "visitor"),
        (f"cached official PDF, {n} signatories", f"/published/{first}.pdf", "visitor"),
        (f"cached official PDF, {n2} signatories", f"/published/{second}.pdf", "visitor"),
    ]


def _measure(port: int, path: str, cookie: str) -> tuple[list[float], list[float], list[str]]:
    """Alternating bursts; returns the page's latencies, the per-pair throughput ratios and
    any failures."""
    latencies, ratios, failures = [], [], []
    for _ in range(BURSTS):
        healthz = burst(port, "/healthz", "", SECONDS)
        page = burst(port, path, cookie, SECONDS)
        latencies += page.latencies
        failures += healthz.failures + page.failures
        if healthz.throughput:
            ratios.append(page.throughput / healthz.throughput)
    return latencies, ratios, failures


def _line(label: str, latencies: list[float], ratios: list[float], failures: list[str]) -> str:
    ratio = median(ratios)
    p50, p95 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000
    ok = ratio >= RATIO_BUDGET and p95 <= P95_BUDGET_MS and not failures
    failed = f", {len(failures)} failed ({failures[0]})" if failures else ""
    return (
        f"{label:<50} {ratio:6.3f}× healthz (≥ {RATIO_BUDGET})  p50 {p50:5.0f} ms  "
        f"p95 {p95:5.0f} ms (≤ {P95_BUDGET_MS:.0f}){failed}  {'ok' if ok else 'OVER BUDGET'}"
    )


def run():
    try:
        scale = Scale.from_environment()
        lines: list[str] = []
        state = prepare_database(scale, lines.append)
    except Unavailable as error:
        yield f"load bench skipped: {error}"
        return
    yield from lines
    yield build_missing_files(scale)
    facts = _facts(scale)
    yield (
        f"data ({scale.name}, {state}): {scale.statements} statements, "
        f"{scale.organizations:,} organizations, {scale.signatures:,} signatures; "
        f"longest list {facts['count']:,}; gunicorn 3 sync workers, 8 clients, {BURSTS} "
        f"alternating bursts per page"
    )
    with Server(scale) as server:
        port = server.port
        cookies = {
            "visitor": "",
            "member": sign_in(port, facts["member"], PASSWORD),
            "coordinator": sign_in(port, COORDINATOR, PASSWORD),
        }
        wanted = [w for w in os.environ.get("BENCH_LOAD_PAGES", "").split(",") if w]
        for label, path, who in _pages(facts):
            if wanted and not any(w in f"{label} ({who})" for w in wanted):
                continue
            for _ in range(3):  # each worker compiles its templates and warms its caches
                request(port, "GET", path, cookies[who])
            latencies, ratios, failures = _measure(port, path, cookies[who])
            yield _line(f"{label} ({who})", latencies, ratios, failures)
        rate = burst(port, "/healthz", "", SECONDS).throughput
        yield f"/healthz alone at the end: {rate:.0f} req/s"


if __name__ == "__main__":
    for line in run():
        print(line)
