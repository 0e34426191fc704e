"""Data the bench modules share: an open round to file statements in."""

from datetime import date, timedelta

from portal.models import Process, ProgrammeArea, Round, utcnow


def open_round(slug: str = "bench-round", title: str = "Round", process_title: str = "Process"):
    """A round of a new process, open for statements and sign-ons for ten days, with one area."""
    now = utcnow()
    return Round(
        process=Process(slug=f"{slug}-process", title=process_title),
        slug=slug,
        number=1,
        title=title,
        meeting_start=date(2018, 3, 12),
        meeting_end=date(2018, 3, 15),
        opens_at=now - timedelta(days=1),
        submission_deadline=now + timedelta(days=10),
        signon_deadline=now + timedelta(days=10),
        areas=[ProgrammeArea(title="Area", position=0)],
    )
