"""Work done outside the web request, on a job queue (see :mod:`congress.jobs.queue`)."""

from congress.jobs.queue import (
    enqueue,
    enqueue_after_commit,
    init_app,
    job,
    jobs_of,
    join,
    run_sweeps,
    sweep,
)

__all__ = [
    "enqueue",
    "enqueue_after_commit",
    "init_app",
    "job",
    "jobs_of",
    "join",
    "run_sweeps",
    "sweep",
]
