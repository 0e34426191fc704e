"""PDF budgets: the whole pipeline vs WeasyPrint alone, and a 2,000-name signatory list."""

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
PIPELINE_BUDGET = 1.15
SIGNATORIES_BUDGET = 1.5
REPEAT = 5

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


def _median(fn) -> float:
    fn()  # warm caches (fonts, templates) for both sides alike
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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

    alone = _median(weasyprint_alone)
    pipeline = _median(lambda: render_statement_pdf(doc))
    ratio = pipeline / alone
    lines.append(
        f"model statement: pipeline {pipeline * 1000:.0f} ms, WeasyPrint alone {alone * 1000:.0f}"
        f" ms, ratio {ratio:.2f} (budget {PIPELINE_BUDGET}) {_verdict(ratio, PIPELINE_BUDGET)}"
    )

    per_page = {}
    for label, names in (("without", []), ("2,000 signatories", signatories(2000))):
        big = model_document(signatories=names)
        pages = len(render_document(render_statement_html(big)).pages)
        seconds = _median(lambda big=big: render_statement_pdf(big))
        per_page[label] = seconds / pages
        lines.append(
            f"{label}: {pages} pages, {seconds * 1000:.0f} ms, {seconds / pages * 1000:.1f} ms/page"
        )
    ratio = per_page["2,000 signatories"] / per_page["without"]
    lines.append(
        f"time per page, 2,000 signatories vs without: ratio {ratio:.2f} "
        f"(budget {SIGNATORIES_BUDGET}) {_verdict(ratio, SIGNATORIES_BUDGET)}"
    )
    return lines
