"""``flask --app congress jobs worker``: a process that runs the queue's jobs."""

from __future__ import annotations

import signal
import threading
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import AppGroup

from congress.jobs.queue import jobs_of

jobs_cli = AppGroup("jobs", help="The job queue: mail, and other work done outside requests.")


@jobs_cli.command("worker")
@click.option(
    "--threads",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="Jobs run at once (default: JOBS_THREADS).",
)
def worker_command(threads: int | None) -> None:
    """Run jobs until stopped (SIGTERM or Ctrl-C finish the jobs in hand first).

    With CONGRESS_JOBS_BROKER_URL (redis://...) it takes the jobs that every web process
    sends. Without one it runs only the work the database says is due (mail in the outbox),
    each JOBS_SWEEP_SECONDS: the web processes then run their own jobs.
    """
    jobs = jobs_of()
    if threads is not None:
        jobs.threads = threads
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    jobs.start_worker()
    if jobs.url:
        # Without the credentials a URL may carry.
        address = urlsplit(jobs.url)
        where = f"{address.hostname}:{address.port or 6379}{address.path}"
    else:
        where = "this process only (no broker configured)"
    click.echo(f"Jobs worker: {jobs.threads} threads, queue {jobs.queue_name!r} on {where}.")
    current_app.logger.info("jobs worker started")
    stop.wait()
    click.echo("Jobs worker: stopping after the jobs in hand.")
    jobs.stop_worker(timeout=float(current_app.config["JOBS_TIME_LIMIT"]))
