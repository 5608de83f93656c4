"""The job queue: Dramatiq, on Redis in production, or a small pool inside the web process.

Why Dramatiq: it retries with exponential back-off by itself, its worker is a plain object
that also runs as a few threads inside another process (so a fresh clone needs no broker:
``StubBroker`` and two threads in the web process), and it talks to Redis, which production
already runs for rate limits. Celery needs a broker process or an eager mode that runs the
job inside the request; RQ forks a process per job and has no in-process pool.

Jobs are plain functions marked with :func:`job`; each app declares them on its own broker
(``app.extensions["congress_jobs"]``), so tests that build many apps never share a queue.
:func:`enqueue_after_commit` sends a job once the transaction that asked for it commits,
and never when it rolls back. Every job's run is recorded in ``job_runs`` (tries, last
error, end), which organisers and administrators read.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries, ShutdownNotifications, TimeLimit
from flask import Flask, current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from congress.db import utcnow
from congress.extensions import db
from congress.jobs.models import JobRun, JobState

log = logging.getLogger(__name__)

# name -> (function, Dramatiq options): filled at import time by @job, declared per app.
_JOBS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}
# Functions a worker calls every JOBS_SWEEP_SECONDS: they enqueue work the database says is
# due (mail whose job was lost with a broker or a process), so that nothing waits forever.
_SWEEPS: list[Callable[[], None]] = []

EXTENSION = "congress_jobs"


def job(name: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make ``fn`` a job called ``name``; ``options`` are Dramatiq's (``max_retries``, ...)."""

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        _JOBS[name] = (fn, options)
        return fn

    return decorator


def sweep(fn: Callable[[], None]) -> Callable[[], None]:
    """Run ``fn`` (in an app context) when a worker starts and every JOBS_SWEEP_SECONDS."""
    _SWEEPS.append(fn)
    return fn


class Jobs:
    """One app's broker, its actors and, where the app runs them itself, its worker."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.app = app
        self.url = config.get("JOBS_BROKER_URL") or None
        self.queue_name = config["JOBS_QUEUE"]
        in_process = config.get("JOBS_IN_PROCESS")
        # Without a broker nothing else would ever take the jobs: this process runs them.
        self.in_process = (self.url is None) if in_process is None else bool(in_process)
        self.threads = int(config["JOBS_THREADS"])
        self._pending: set[str] = set()
        self._idle = threading.Condition()
        self._lock = threading.Lock()
        self._worker: dramatiq.Worker | None = None
        self._worker_pid: int | None = None
        self._sweeper: _Sweeper | None = None
        middleware = [
            # First, so that its after-hooks run last (Dramatiq runs them in reverse): after
            # Retries has decided whether the message failed for good.
            _Record(self),
            ShutdownNotifications(),
            TimeLimit(time_limit=int(config["JOBS_TIME_LIMIT"]) * 1000),
            Retries(
                max_retries=int(config["JOBS_MAX_RETRIES"]),
                min_backoff=int(float(config["JOBS_MIN_BACKOFF"]) * 1000),
                max_backoff=int(float(config["JOBS_MAX_BACKOFF"]) * 1000),
            ),
        ]
        if self.url is None:
            self.broker: dramatiq.Broker = StubBroker(middleware=middleware)
        else:
            from dramatiq.brokers.redis import RedisBroker

            self.broker = RedisBroker(
                url=self.url, middleware=middleware, namespace=config["JOBS_NAMESPACE"]
            )
        self.broker.declare_queue(self.queue_name)
        self.actors: dict[str, dramatiq.Actor] = {}

    def actor(self, name: str) -> dramatiq.Actor:
        """The app's actor for the job ``name``, declared on first use."""
        with self._lock:
            if name not in self.actors:
                if name not in _JOBS:
                    raise LookupError(f"no job is called {name!r}")
                fn, options = _JOBS[name]
                self.actors[name] = dramatiq.Actor(
                    _in_app_context(self.app, fn),
                    broker=self.broker,
                    actor_name=name,
                    queue_name=self.queue_name,
                    priority=0,
                    options=dict(options),
                )
            return self.actors[name]

    def declare_all(self) -> None:
        for name in list(_JOBS):
            self.actor(name)

    def send(
        self, name: str, *args: Any, congress_id: int | None = None, delay: float | None = None
    ) -> dramatiq.Message:
        """Send the job; with ``delay``, it runs that many seconds from now at the earliest."""
        message = self.actor(name).message_with_options(args=args, congress_id=congress_id)
        if self.in_process:
            self.start_worker()
        self.broker.enqueue(message, delay=int(delay * 1000) if delay else None)
        return message

    def start_worker(self, *, sweep_every: float | None = None) -> None:
        """Start this process's worker threads (once per process: a fork starts its own)."""
        with self._lock:
            if self._worker is not None and self._worker_pid == os.getpid():
                return
        self.declare_all()
        with self._lock:
            if self._worker is not None and self._worker_pid == os.getpid():
                return
            worker = dramatiq.Worker(self.broker, worker_threads=self.threads, worker_timeout=100)
            worker.start()
            self._worker, self._worker_pid = worker, os.getpid()
            if sweep_every is None:
                sweep_every = self.app.config["JOBS_SWEEP_SECONDS"]
            every = sweep_every
            self._sweeper = _Sweeper(self.app, float(every))
            self._sweeper.start()

    def stop_worker(self, timeout: float = 10) -> None:
        with self._lock:
            worker, sweeper = self._worker, self._sweeper
            self._worker = self._sweeper = None
        if sweeper is not None:
            sweeper.stop()
        if worker is not None:
            worker.stop(timeout=int(timeout * 1000))

    def close(self) -> None:
        """Stop the worker threads and forget this app's queues (a test's end)."""
        self.stop_worker(timeout=5)
        if self.url is not None:
            # Only this namespace's keys: other apps may share the Redis database.
            client = self.broker.client
            for name in client.scan_iter(f"{self.broker.namespace}:*"):
                client.delete(name)
        self.broker.close()

    def join(self, timeout: float = 30) -> None:
        """Wait until every job this process sent, and is due now, has run (tests read mail so)."""
        if not self.in_process and self._worker is None:
            # Another process runs them: nothing here to wait for.
            return
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"jobs still running after {timeout} s: {self._pending}")
                self._idle.wait(left)

    def _started(self, message_id: str) -> None:
        with self._idle:
            self._pending.add(message_id)

    def _ended(self, message_id: str) -> None:
        with self._idle:
            self._pending.discard(message_id)
            self._idle.notify_all()


def _in_app_context(app: Flask, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        with app.app_context():
            try:
                return fn(*args)
            finally:
                db.session.remove()

    run.__name__ = fn.__name__
    run.__module__ = fn.__module__
    return run


class _Record(dramatiq.Middleware):
    """Writes each job's tries and end into ``job_runs``, and counts what is due in-process."""

    def __init__(self, jobs: Jobs) -> None:
        self.jobs = jobs

    @property
    def actor_options(self) -> set[str]:
        return {"congress_id"}

    def after_enqueue(self, broker, message, delay) -> None:
        if not delay:
            self.jobs._started(message.message_id)

    def before_process_message(self, broker, message) -> None:
        self._write(message, JobState.RUNNING, started=True)

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        try:
            if exception is None:
                self._write(message, JobState.DONE, finished=True)
            else:
                # Retries ran before this and marked the message failed if its tries are spent.
                # A job that asks to be retried says why in its message.
                if isinstance(exception, dramatiq.Retry):
                    error = str(exception)
                else:
                    error = f"{type(exception).__name__}: {exception}"
                failed = message.failed
                self._write(
                    message,
                    JobState.FAILED if failed else JobState.RETRYING,
                    error=error,
                    finished=failed,
                )
        finally:
            self.jobs._ended(message.message_id)

    def after_skip_message(self, broker, message) -> None:
        self.jobs._ended(message.message_id)

    def _write(self, message, state, *, started=False, finished=False, error=None) -> None:
        with self.jobs.app.app_context():
            try:
                run = db.session.scalar(
                    select(JobRun).where(JobRun.message_id == message.message_id)
                )
                if run is None:
                    run = JobRun(
                        message_id=message.message_id,
                        name=message.actor_name,
                        arguments=list(message.args),
                        congress_id=message.options.get("congress_id"),
                        queued_at=_from_millis(message.message_timestamp),
                    )
                    db.session.add(run)
                run.state = state
                if started:
                    run.attempts = (run.attempts or 0) + 1
                    run.started_at = utcnow()
                if finished:
                    run.finished_at = utcnow()
                if error is not None:
                    run.last_error = error[:4000]
                db.session.commit()
            except Exception:
                # The record is for people to read; a job must not fail because of it.
                db.session.rollback()
                log.exception("jobs: could not record %s of %s", state.value, message)
            finally:
                db.session.remove()


def _from_millis(millis: int):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(millis / 1000, UTC)


class _Sweeper(threading.Thread):
    def __init__(self, app: Flask, every: float) -> None:
        super().__init__(name="congress-jobs-sweep", daemon=True)
        self.app, self.every = app, every
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            run_sweeps(self.app)
            if self.every <= 0 or self._stop_event.wait(self.every):
                return

    def stop(self) -> None:
        self._stop_event.set()


def run_sweeps(app: Flask) -> None:
    for fn in _SWEEPS:
        with app.app_context():
            try:
                fn()
            except Exception:
                log.exception("jobs: the sweep %s failed", fn.__name__)
            finally:
                db.session.remove()


def jobs_of(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions[EXTENSION]


def enqueue(
    name: str, *args: Any, congress_id: int | None = None, delay: float | None = None
) -> None:
    """Send the job ``name`` now (outside any transaction that it depends on)."""
    jobs_of().send(name, *args, congress_id=congress_id, delay=delay)


def enqueue_after_commit(
    name: str, *args: Any, congress_id: int | None = None, delay: float | None = None
) -> None:
    """Send the job once ``db.session``'s transaction commits; forget it if it rolls back.
    With ``delay``, it runs that many seconds after the commit at the earliest.

    A job sent before the commit could run before its rows exist, or for rows a rollback
    then removes.
    """
    session = db.session()
    if not session.in_transaction():
        # So that a rollback, even of a transaction that wrote nothing, forgets the job.
        session.begin()
    pending = session.info.setdefault("congress_jobs", [])
    pending.append((current_app._get_current_object(), name, args, congress_id, delay))


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    pending = session.info.pop("congress_jobs", None)
    for app, name, args, congress_id, delay in pending or ():
        try:
            jobs_of(app).send(name, *args, congress_id=congress_id, delay=delay)
        except Exception:
            # The broker is down: the rows are committed, and a sweep enqueues them later.
            log.exception("jobs: could not enqueue %s%r; a sweep will", name, args)


@event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back(session: Session, transaction) -> None:
    # After a commit, _send_committed has taken them already: what is left was rolled back.
    if transaction.parent is None:
        session.info.pop("congress_jobs", None)


def join(timeout: float = 30) -> None:
    jobs_of().join(timeout)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Jobs(app)
