"""Deadline reminders as an RQ periodic job: `portal worker` registers it with RQ's
CronScheduler and ticks the scheduler from a thread beside the worker; `portal worker --burst`
queues one run and works it off. Several workers may each queue the job: the reminders are
claimed in the database, so the extra runs send nothing."""

import logging
import threading
import time
from collections.abc import Callable

from flask import current_app

from ..core import background
from .deadlines import send_due_reminders

log = logging.getLogger(__name__)
INTERVAL = 15 * 60  # seconds; the 48- and 24-hour windows are wide, a quarter hour is plenty
JOB_TIMEOUT = 10 * 60


def run_reminders() -> dict:
    """The job body (RQ calls it in the worker's process)."""
    return background.in_app_context(_send_reminders)


def _send_reminders() -> dict:
    result = send_due_reminders()
    log.info("reminders: %s occasions, %s e-mails", result.occasions, result.emails)
    return {"occasions": result.occasions, "emails": result.emails}


def scheduler(connection, queue_name: str):
    from rq.cron import CronScheduler

    cron = CronScheduler(connection=connection, name=f"portal-reminders-{queue_name}")
    cron.register(
        run_reminders,
        queue_name=queue_name,
        interval=INTERVAL,
        job_timeout=JOB_TIMEOUT,
        name=f"portal.reminders.{queue_name}",
    )
    return cron


class _Clock(threading.Thread):
    def __init__(self, tick: Callable[[], None], stop: threading.Event):
        super().__init__(target=tick, name="portal-reminder-clock", daemon=True)
        self.stop = stop


def start_clock(
    connection, queue_name: str, *, burst: bool = False, stop: threading.Event | None = None
) -> _Clock | None:
    """Queue the reminder job now and, unless `burst`, every INTERVAL from a daemon thread;
    return that thread (set its `stop` event to end it).

    RQ's own `CronScheduler.start()` wants the main thread (it installs signal handlers), which
    the worker holds; the thread here only calls its enqueue step on the same schedule.
    """
    cron = scheduler(connection, queue_name)
    cron.enqueue_jobs()  # an interval job that never ran is due at once
    if burst:
        return None
    stop = stop or threading.Event()

    def tick():
        while not stop.wait(cron.calculate_sleep_interval() or 1):
            try:
                cron.enqueue_jobs()
            except Exception:  # noqa: BLE001 — Redis hiccup: log it, try at the next tick
                log.exception("could not queue the reminder job")
                time.sleep(5)

    thread = _Clock(tick, stop)
    thread.start()
    return thread


def start_for_worker(burst: bool) -> None:
    """What `portal worker` calls before working its queue."""
    from redis import Redis

    url = current_app.config.get("REDIS_URL")
    if url:
        start_clock(Redis.from_url(url), background.QUEUE, burst=burst)
