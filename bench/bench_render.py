"""`portal render` as a whole process vs LibreOffice converting the same statement from DOCX to PDF:
the model statement (budget: at most 1.0× LibreOffice, issue 15), and, printed, the same with
2,000 signatories (26 pages whose layout is WeasyPrint's, against LibreOffice's). The two
commands run in turn (portal then LibreOffice, LibreOffice then portal, …) and the ratio printed
is the median of the pairs'. Without LibreOffice (`soffice`) only the portal's time is printed.

The DOCX is made once, untimed, from the portal's own sanitized HTML by pandoc, as the portal's
DOCX export does.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_pdf import MODEL, alternating_pairs, signatories

BUDGET = 1.0
REPEAT = int(os.environ.get("BENCH_RENDER_REPEAT", "5"))
ROOT = Path(__file__).resolve().parent.parent


def _docx(path: Path, signatory_count: int) -> None:
    import html

    from portal.places import country_name
    from portal.text import parse_document, render_html
    from portal.text.pandoc import html_to_docx

    meta, body = parse_document(MODEL.read_text(encoding="utf-8"))
    parts = [render_html(body, footnotes="end", doc_id="s1")]
    names = signatories(signatory_count)
    if names:
        parts.append(f"<h2>Signed by {len(names)} organizations</h2><ul>")
        parts += [f"<li>{html.escape(s.name)} ({country_name(s.country)})</li>" for s in names]
        parts.append("</ul>")
    path.write_bytes(
        html_to_docx("\n".join(parts), title=meta["title"], author=meta.get("lead", ""))
    )


def _csv(path: Path, signatory_count: int) -> None:
    rows = [f'"{s.name}",{s.country}' for s in signatories(signatory_count)]
    path.write_text("organization,country\n" + "\n".join(rows) + "\n", encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], cpu: list | None = None, **kwargs) -> float:
    """Wall time of the whole process; its CPU time (with its children's) added to `cpu`."""
    started, started_cpu = time.perf_counter(), _children_cpu()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    if cpu is not None:
        cpu.append(_children_cpu() - started_cpu)
    return time.perf_counter() - started


def run():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        work = Path(tmp)
        profile = f"-env:UserInstallation=file://{work / 'lo-profile'}"
        for label, count, budget in (
            ("model statement", 0, BUDGET),
            ("with 2,000 signatories", 2000, None),
        ):
            portal = [sys.executable, "-c", "from portal.cli import main; main()", "render",
                      str(MODEL), "-o", str(work / "portal.pdf")]  # fmt: skip
            if count:
                _csv(work / "list.csv", count)
                portal += ["--signatories", str(work / "list.csv")]
            if soffice is None:
                seconds = statistics.median(_timed(portal, env=env) for _ in range(REPEAT))
                yield f"{label}: portal render {seconds:.2f} s; LibreOffice not installed"
                continue
            _docx(work / "statement.docx", count)
            office = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir",
                      str(work / "out"), str(work / "statement.docx")]  # fmt: skip
            _timed(office)  # the first start creates LibreOffice's profile: not measured
            _timed(portal, env=env)
            our_cpu, their_cpu = [], []
            pairs = alternating_pairs(
                lambda: _timed(portal, our_cpu, env=env),  # noqa: B023 (called in this turn)
                lambda: _timed(office, their_cpu),  # noqa: B023
                REPEAT,
            )
            ours = statistics.median(p[0] for p in pairs)
            theirs = statistics.median(p[1] for p in pairs)
            ratio = statistics.median(p[0] / p[1] for p in pairs)
            verdict = "(printed)"
            if budget is not None:
                verdict = f"(budget {budget}) " + ("ok" if ratio <= budget else "OVER BUDGET")
            yield (
                f"{label}: portal render {ours:.2f} s ({statistics.median(our_cpu):.2f} s CPU), "
                f"LibreOffice DOCX→PDF {theirs:.2f} s ({statistics.median(their_cpu):.2f} s "
                f"CPU), whole processes; median ratio of {REPEAT} interleaved pairs {ratio:.2f} "
                f"{verdict}"
            )


if __name__ == "__main__":
    for line in run():
        print(line)
