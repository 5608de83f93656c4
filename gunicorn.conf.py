"""Gunicorn's settings for serving Congress in production (docs/DEPLOYMENT.md).

    pip install '.[serve]'
    CONGRESS_DATABASE_URL=postgresql+psycopg://... CONGRESS_SECRET_KEY=... \\
    CONGRESS_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 gunicorn -c gunicorn.conf.py

GUNICORN_BIND (127.0.0.1:8000) and WEB_CONCURRENCY (two workers per core, and one)
choose the address and the number of workers. Workers share nothing but the
database, Redis and the instance folder: sessions live in signed cookies (one
``CONGRESS_SECRET_KEY`` for all), rate limits count in Redis (gunicorn refuses to start
more than one worker with them in each worker's memory), and the participants'
PDFs and the built feeds are kept as files in the instance folder. So any worker, on
this machine or another, may answer any request. What a worker keeps in memory (a
programme's version, for FEED_POLL_SECONDS) is at most a second old.

Put a reverse proxy (nginx, deploy/nginx.conf) in front: it serves /static/,
terminates HTTPS and buffers slow clients for the synchronous workers (then set
CONGRESS_TRUSTED_PROXIES=1).

Jobs (mail from the outbox) run outside the requests. In production give the queue a
broker and run its worker beside gunicorn, with the same settings (deploy/congress-jobs.service):

    CONGRESS_JOBS_BROKER_URL=redis://127.0.0.1:6379/2 gunicorn -c gunicorn.conf.py
    CONGRESS_JOBS_BROKER_URL=redis://127.0.0.1:6379/2 flask --app congress jobs worker

Without CONGRESS_JOBS_BROKER_URL each gunicorn worker runs the jobs it sends in two threads
of its own (started in the worker after the fork, never in this master), and a worker
process finds any mail left due in the outbox on its next sweep.
"""

import gc
import os

wsgi_app = "congress:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core and one: workers wait on the database as much as they compute.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
# The app is loaded once, before the workers are forked: they share its memory
# (copy on write) and start at once.
preload_app = True
# No request does heavy work: the PDFs are drawn by the job worker, and every endpoint's
# 95th percentile at ten times Rio is under two seconds (benchmarks/run.py checks it).
timeout = 30
# A worker is replaced after this many requests, so that memory one large PDF
# took is given back.
max_requests = 2000
max_requests_jitter = 200

# The cyclic garbage collector, every 50,000 allocations rather than 700: a
# large page or feed allocates millions of objects, and each collection
# otherwise walks every object the process holds. See docs/PERFORMANCE.md.
GC_THRESHOLD = (50_000, 10, 10)


def settle_heap() -> None:
    """Freeze what the process holds once loaded (modules, templates, the collation table).

    Frozen objects are never walked by the collector again, and forked workers
    do not touch (so do not copy) the pages that hold them.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def on_starting(server) -> None:
    """In the master, before it binds its address: refuse to start several workers whose
    rate limits would each count apart (congress.security.ratelimits)."""
    from congress.security.ratelimits import check_shared

    # The app is loaded already (preload_app); wsgi() loads it otherwise.
    check_shared(server.app.wsgi().config, server.cfg.workers)


def when_ready(server) -> None:
    """In the master, after the app is loaded and before any worker is forked."""
    from congress.extensions import db

    # The schema check at start-up opened a connection: no worker may inherit it.
    with server.app.wsgi().app_context():
        db.engine.dispose()
    settle_heap()
