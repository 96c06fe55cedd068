"""The job queue and its worker (huey): SQLite under instance/ in the embedded setup, Redis in
production, memory in tests.

Two kinds of work run in the worker, never in a web request:
- the outbox's wake-up call: after a commit that queued deliveries, one small task is enqueued
  ("deliver what is due"); if the queue cannot be reached the periodic sweep delivers instead;
- periodic jobs each domain lists (`JOBS = [Job(...)]` in its `jobs.py`, or `retention.JOBS`),
  registered by the factory from its explicit PERIODIC_JOBS list: the outbox sweep, digests,
  meeting reminders, the nightly purge, and later the closing of votes and polls.

Every job runs in an app context with a request context on BASE_URL (so `url_for` and the
translations work), reads the project clock, flushes, and is committed once here. Jobs must be
idempotent (a job may run twice when two workers run periodic jobs, or after a crash): they work
from the database's state, never from "the last run".
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey

from tenantvoice.extensions import db
from tenantvoice.outbox.delivery import KICK_FLAG, deliver_due

logger = logging.getLogger(__name__)

Schedule = Callable[..., bool]


@dataclass(frozen=True)
class Job:
    """A periodic job: `func()` runs in the worker on `schedule` (a huey crontab, in UTC)."""

    name: str  #: unique, dotted: "outbox.deliver_due", "meetings.reminders"
    func: Callable[[], object]
    schedule: Schedule
    #: Retried this many times (after `retry_delay` seconds) when it raises.
    retries: int = 2
    retry_delay: int = 60


def every_minute() -> Schedule:
    return crontab()


def every(minutes: int) -> Schedule:
    return crontab(minute=f"*/{minutes}")


def hourly(minute: int = 0) -> Schedule:
    return crontab(minute=str(minute))


def daily(hour: int, minute: int = 0) -> Schedule:
    """Once a day at hour:minute UTC (jobs that care about local time check it themselves)."""
    return crontab(minute=str(minute), hour=str(hour))


def _create_huey(app) -> Huey:
    cfg = app.config
    url = cfg.get("TASK_QUEUE_URL") or ""
    name = cfg.get("TASK_QUEUE_NAME", "tenantvoice")
    if url.startswith("memory:"):
        return MemoryHuey(name, results=False)
    if url.startswith(("redis:", "rediss:", "unix:")):
        return RedisHuey(name, results=False, url=url)
    path = url.removeprefix("sqlite:///") if url else str(Path(app.instance_path) / "huey.sqlite3")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, results=False, filename=path)


def run_in_app(app, func: Callable[[], object]) -> object:
    """Run `func` as a job: app and request context on BASE_URL, one commit, rollback on error."""
    with app.test_request_context("/", base_url=app.config["BASE_URL"]):
        try:
            result = func()
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise


def _deliver_now() -> dict[str, int]:
    return deliver_due()


def init_queue(app, jobs: list[Job]) -> Huey:
    """Create the app's queue, register the outbox wake-up task and the periodic jobs."""
    huey = _create_huey(app)
    app.extensions["huey"] = huey
    app.extensions["periodic_jobs"] = {job.name: job for job in jobs}

    def deliver_task():
        return run_in_app(app, _deliver_now)

    app.extensions["outbox_wakeup"] = huey.task(name="outbox.wake_up", retries=2, retry_delay=30)(
        deliver_task
    )
    for job in jobs:

        def periodic(job=job):
            started = time.monotonic()
            result = run_in_app(app, job.func)
            logger.info("job %s done in %.1f s: %s", job.name, time.monotonic() - started, result)

        huey.periodic_task(
            job.schedule, name=job.name, retries=job.retries, retry_delay=job.retry_delay
        )(periodic)
    _wake_on_commit()
    _register_cli(app)
    return huey


def _wake_worker(session) -> None:
    """After a commit that queued deliveries: enqueue the wake-up task (never fails the caller)."""
    if not session.info.pop(KICK_FLAG, False):
        return
    try:
        task = current_app.extensions.get("outbox_wakeup")
    except RuntimeError:  # no app context: the periodic sweep will find the delivery
        return
    if task is None:
        return
    try:
        task()
    except Exception:  # noqa: BLE001 - the queue being down must not fail the request
        logger.warning("job queue unreachable; the periodic sweep will deliver", exc_info=True)


def _forget_wake(session) -> None:
    session.info.pop(KICK_FLAG, None)


def _wake_on_commit() -> None:
    """Listen once per process (every app shares the one scoped session)."""
    if not sa.event.contains(db.session, "after_commit", _wake_worker):
        sa.event.listen(db.session, "after_commit", _wake_worker)
        sa.event.listen(db.session, "after_rollback", _forget_wake)


def run_pending_tasks(app, limit: int = 100) -> int:
    """Run what is waiting in the queue, here and now (tests; `flask jobs drain`)."""
    huey = app.extensions["huey"]
    done = 0
    while done < limit:
        task = huey.dequeue()
        if task is None:
            break
        huey.execute(task)
        done += 1
    return done


def _register_cli(app) -> None:
    @app.cli.command("worker")
    @click.option("--workers", type=click.IntRange(1, 16), default=2, help="Worker threads.")
    @click.option(
        "--periodic/--no-periodic",
        default=True,
        help="Run the periodic jobs (one worker per installation should; extra workers need not).",
    )
    def worker_command(workers, periodic):
        """Run the worker: delivers the outbox and runs the periodic jobs until Ctrl-C."""
        huey = current_app.extensions["huey"]
        logging.getLogger("huey").setLevel(logging.INFO)
        click.echo(
            f"TenantVoice worker: {workers} thread(s), periodic jobs "
            f"{'on' if periodic else 'off'}, queue {type(huey.storage).__name__}"
        )
        consumer = huey.create_consumer(
            workers=workers, periodic=periodic, worker_type="thread", max_delay=2.0
        )
        consumer.run()

    @app.cli.group()
    def jobs():
        """The periodic jobs (the worker runs them on schedule)."""

    @jobs.command("list")
    def list_jobs():
        """List the periodic jobs the domains registered."""
        for name in sorted(current_app.extensions["periodic_jobs"]):
            click.echo(name)

    @jobs.command("run")
    @click.argument("name")
    def run_job(name):
        """Run one periodic job now (e.g. `flask jobs run outbox.deliver_due`)."""
        job = current_app.extensions["periodic_jobs"].get(name)
        if job is None:
            raise click.BadParameter(f"no job named {name!r}; see `flask jobs list`")
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy
        click.echo(f"{name}: {run_in_app(app, job.func)}")
