"""PDF budgets: the whole pipeline vs WeasyPrint alone, and a 2,000-name signatory list."""

import gc
import logging
import random
import statistics
import time
from pathlib import Path

from weasyprint import HTML

from portal.pdf import (
    STATIC_BASE_URL,
    Signatory,
    StatementDocument,
    render_document,
    render_statement_html,
    render_statement_pdf,
    safe_fetcher,
)
from portal.pdf.writer import PDF_VARIANT
from portal.text import parse_document

MODEL = Path(__file__).resolve().parent.parent / "seeds" / "statements" / "gcm-2018-round-2.md"
PIPELINE_BUDGET = 1.1  # issue 15
SIGNATORIES_BUDGET = 1.5
REPEAT = 9

logging.getLogger("weasyprint").setLevel(logging.ERROR)


def model_document(**extra) -> StatementDocument:
    meta, body = parse_document(MODEL.read_text(encoding="utf-8"))
    return StatementDocument(body=body, **meta, **extra)


def signatories(count: int, seed: int = 7) -> list[Signatory]:
    rng = random.Random(seed)
    words = [
        "Action",
        "Alliance",
        "Migrant",
        "Rights",
        "Network",
        "Forum",
        "Solidarity",
        "Workers",
        "Women",
        "Youth",
        "Centre",
        "Council",
        "Coalition",
        "Aid",
        "Justice",
    ]
    countries = ["DE", "FR", "MX", "PH", "KE", "SN", "BR", "IN", "US", "ZA", "MA", "NP", "GT"]
    return [
        Signatory(f"{' '.join(rng.sample(words, 3))} {i}", rng.choice(countries))
        for i in range(count)
    ]


def _timed(fn) -> float:
    # Each run starts from a collected heap: otherwise the layout garbage of one side (a few
    # thousand boxes in cycles) is collected during the other's run, always the second of a pair.
    gc.collect()
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def alternating_pairs(time_a, time_b, repeat: int) -> list[tuple[float, float]]:
    """(a's time, b's time) for `repeat` pairs of runs taken side by side, a then b, b then a, …:
    a slow spell of a shared machine weighs on both sides alike and neither always runs second.
    `time_a` and `time_b` run their side once and return its time."""
    pairs = []
    for turn in range(repeat):
        if turn % 2:
            b_first = time_b()
            pairs.append((time_a(), b_first))
        else:
            a_first = time_a()
            pairs.append((a_first, time_b()))
    return pairs


def interleaved(a, b, repeat: int = REPEAT) -> tuple[float, float, float]:
    """Median time of `a`, of `b`, and the median of the ratios b/a (alternating_pairs)."""
    a(), b()  # warm caches (fonts, templates) for both sides alike
    pairs = alternating_pairs(lambda: _timed(a), lambda: _timed(b), repeat)
    return (
        statistics.median(p[0] for p in pairs),
        statistics.median(p[1] for p in pairs),
        statistics.median(p[1] / p[0] for p in pairs),
    )


def _verdict(ratio: float, budget: float) -> str:
    return "ok" if ratio <= budget else "OVER BUDGET"


def run() -> list[str]:
    lines = []
    doc = model_document()
    final_html = render_statement_html(doc)

    def weasyprint_alone():
        HTML(string=final_html, base_url=STATIC_BASE_URL, url_fetcher=safe_fetcher()).write_pdf(
            pdf_variant=PDF_VARIANT
        )

    alone, pipeline, ratio = interleaved(weasyprint_alone, lambda: render_statement_pdf(doc))
    lines.append(
        f"model statement: pipeline {pipeline * 1000:.0f} ms, WeasyPrint alone {alone * 1000:.0f}"
        f" ms, median ratio of {REPEAT} interleaved pairs {ratio:.2f} (budget {PIPELINE_BUDGET}) "
        f"{_verdict(ratio, PIPELINE_BUDGET)}"
    )

    small, big = model_document(), model_document(signatories=signatories(2000))
    pages = [len(render_document(render_statement_html(d)).pages) for d in (small, big)]
    without, with_list, ratio = interleaved(
        lambda: render_statement_pdf(small), lambda: render_statement_pdf(big)
    )
    for label, count, seconds in (
        ("without", pages[0], without),
        ("2,000 signatories", pages[1], with_list),
    ):
        lines.append(
            f"{label}: {count} pages, {seconds * 1000:.0f} ms, {seconds / count * 1000:.1f} ms/page"
        )
    per_page = ratio * pages[0] / pages[1]
    lines.append(
        f"time per page, 2,000 signatories vs without: median ratio of {REPEAT} interleaved "
        f"pairs {per_page:.2f} (budget {SIGNATORIES_BUDGET}) "
        f"{_verdict(per_page, SIGNATORIES_BUDGET)}"
    )
    return lines
