"""Compendium budgets: 50 generated statements (about 5 pages and 100 signatories each) as one
compendium vs the sum of their 50 single renders (time and peak memory printed; budget 1.3×),
and a cached official PDF downloaded through the test client (aim: 20 ms).

The single renders run in two halves, before and after the compendium, each in its own process
(peak memory per process). BENCH_COMPENDIUM_STATEMENTS sets the number of statements (default
50) for a quicker run.
"""

import logging
import os
import random
import resource
import statistics
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

from portal.exports.compendium import Compendium, Entry, write_compendium
from portal.pdf import Signatory, StatementDocument, render_statement_pdf

from .fixtures import open_round

STATEMENTS = int(os.environ.get("BENCH_COMPENDIUM_STATEMENTS", "50"))
SIGNATORIES = 100
RATIO_BUDGET = 1.3
DOWNLOAD_AIM_MS = 20.0
DOWNLOADS = 50

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

WORDS = (  # noqa: SIM905 — prose reads better than a 50-item list
    "migrants rights protection regular pathways states compact labour decent work children "
    "detention alternatives access justice services firewall data evidence policy dignity "
    "families reunification climate mobility displacement recruitment fair wages remittances "
    "inclusion xenophobia discrimination cooperation review implementation civil society "
    "local authorities trade unions diaspora women youth gender health education housing"
).split()
COUNTRIES = ["DE", "FR", "MX", "PH", "KE", "SN", "BR", "IN", "US", "ZA", "MA", "NP", "GT", "LB"]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 28))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _body(rng: random.Random) -> str:
    """About five A4 pages: five sections of prose, sub-headings, bullets and six footnotes."""
    parts, note = [], 0
    for section in range(5):
        parts.append(f"## Section {section + 1}: {' '.join(rng.sample(WORDS, 3)).title()}")
        for _ in range(2):
            parts.append(f"### {' '.join(rng.sample(WORDS, 4)).capitalize()}")
            for _paragraph in range(2):
                text = " ".join(_sentence(rng) for _ in range(rng.randint(4, 6)))
                if note < 6 and rng.random() < 0.4:
                    note += 1
                    text += f"[^{note}]"
                parts.append(text)
        parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(4)))
    parts.append("::: closing\nWe stand ready to work with States.\n:::")
    notes = [
        f"[^{n}]: {_sentence(rng)} See <https://example.org/report-{n}>."
        for n in range(1, note + 1)
    ]
    return "\n\n".join(parts + notes) + "\n"


def generate(
    count: int = STATEMENTS, seed: int = 2018, organizations: int | None = None
) -> list[StatementDocument]:
    """`count` statements signed by organizations of a pool of `organizations` (by default
    half as many as the signatures, at least 200)."""
    rng = random.Random(seed)
    pool = organizations or max(count * SIGNATORIES // 2, 2 * SIGNATORIES)
    orgs = [
        Signatory(f"{' '.join(rng.sample(WORDS, 2)).title()} Network {i}", rng.choice(COUNTRIES))
        for i in range(pool)
    ]
    docs = []
    for i in range(count):
        docs.append(
            StatementDocument(
                title=f"Statement {i + 1}: {' '.join(rng.sample(WORDS, 4)).title()}",
                body=_body(rng),
                process="Global Compact for Safe, Orderly and Regular Migration",
                round="Second round of intergovernmental negotiations",
                lead=rng.choice(orgs).name,
                signatories=rng.sample(orgs, SIGNATORIES),
            )
        )
    return docs


def _singles(docs) -> tuple[float, float, float]:
    """Sum of single render times (wall, CPU) and the peak RSS (MB) of the process doing them."""
    wall = cpu = 0.0
    for doc in docs:
        started, started_cpu = time.perf_counter(), time.process_time()
        render_statement_pdf(doc)
        wall += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _compendium(docs, out: str) -> tuple[float, float, int, float]:
    entries = [Entry(doc_id=f"s{i}", doc=doc) for i, doc in enumerate(docs)]
    compendium = Compendium(
        process="Global Compact for Safe, Orderly and Regular Migration",
        round="Second round of intergovernmental negotiations",
        place="United Nations Headquarters, New York",
        dates="12–15 March 2018",
        entries=entries,
    )
    started, started_cpu = time.perf_counter(), time.process_time()
    pages = write_compendium(compendium, Path(out))
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return wall, cpu, pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_child(func, *args):
    """Run in a fresh process, so each measurement has its own peak memory."""
    with get_context("fork").Pool(1) as pool:
        return pool.apply(func, args)


def _download_ms() -> tuple[float, int]:
    """Median time of GET /published/<id>.pdf for a stored official PDF, through the client."""

    from portal import create_app
    from portal.exports.official import official_pdf
    from portal.extensions import db
    from portal.models import (
        Organization,
        Review,
        Revision,
        Statement,
        Submission,
    )
    from portal.text import text_hash

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                "ARTIFACT_DIR": f"{tmp}/artifacts",
                "RATELIMIT_ENABLED": False,
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            doc = generate(1)[0]
            round_ = open_round(title=doc.round, process_title=doc.process)
            area = round_.areas[0]
            process = round_.process
            lead = Organization(slug="lead", name=doc.lead, country="KE")
            statement = Statement(round=round_, area=area, lead_organization=lead, state="approved")
            db.session.add_all([process, round_, area, lead, statement])
            db.session.flush()
            revision = Revision(
                statement_id=statement.id,
                number=1,
                title=doc.title,
                body=doc.body,
                text_hash=text_hash(doc.title, doc.body),
            )
            db.session.add(revision)
            db.session.flush()
            statement.current_revision = revision
            submission = Submission(
                statement=statement, number=1, revision=revision, text_hash=revision.text_hash
            )
            frozen = [{"name": s.name, "country": s.country} for s in doc.signatories]
            review = Review(
                statement=statement,
                submission=submission,
                revision=revision,
                decision="approve",
                signatories=frozen,
            )
            db.session.add_all([submission, review])
            db.session.flush()
            official_pdf(statement, review)
            db.session.commit()
            client = app.test_client()
            url = f"/published/{statement.id}.pdf"
            size = len(client.get(url).data)
            times = []
            for _ in range(DOWNLOADS):
                started = time.perf_counter()
                response = client.get(url)
                response.get_data()
                times.append((time.perf_counter() - started) * 1000)
            return statistics.median(times), size


def run():
    docs = generate()
    # The machine is shared and its speed drifts: the compendium runs between the two halves of
    # the single renders, so a slow or fast spell weighs on both sides alike. CPU time is
    # printed too, as the figure least moved by other load.
    half = len(docs) // 2
    first = _in_child(_singles, docs[:half])
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "compendium.pdf")
        elapsed, elapsed_cpu, pages, compendium_rss = _in_child(_compendium, docs, out)
        size = os.path.getsize(out)
    second = _in_child(_singles, docs[half:])
    singles, singles_cpu = first[0] + second[0], first[1] + second[1]
    singles_rss = max(first[2], second[2])
    ratio, ratio_cpu = elapsed / singles, elapsed_cpu / singles_cpu
    verdict = "ok" if ratio <= RATIO_BUDGET else "OVER BUDGET"
    yield (
        f"{len(docs)} statements × {SIGNATORIES} signatories, single renders: {singles:.1f} s "
        f"({singles_cpu:.1f} s CPU)"
    )
    yield (
        f"compendium: {elapsed:.1f} s ({elapsed_cpu:.1f} s CPU), {pages} pages, "
        f"{size / 1e6:.1f} MB, ratio {ratio:.2f} (CPU {ratio_cpu:.2f}; budget {RATIO_BUDGET}) "
        f"{verdict}"
    )
    yield f"peak memory: compendium {compendium_rss:.0f} MB, single renders {singles_rss:.0f} MB"
    median, pdf_size = _download_ms()
    aim = "ok" if median <= DOWNLOAD_AIM_MS else "slower than the aim"
    yield (
        f"cached PDF download ({pdf_size / 1e3:.0f} kB) through the test client: median "
        f"{median:.1f} ms (aim {DOWNLOAD_AIM_MS:.0f} ms) {aim}"
    )


if __name__ == "__main__":
    for line in run():
        print(line)
