"""Where rate limits count, and the page for too many attempts (HTTP 429).

The limits themselves sit on the views they protect (sign-in, sign-up, password
reset, registration): ``limiter.limit(...)`` from :mod:`congress.extensions`.
Flask-Limiter adds ``Retry-After`` and the ``X-RateLimit-*`` headers.

Counts kept in a process's memory (``memory://``) are that process's alone: with five
gunicorn workers a limit of 10 a minute lets up to 50 through. So a deployment sets
``RATELIMIT_STORAGE_URI`` to a shared store (Redis), and gunicorn.conf.py refuses to
start several workers on per-process counts (:func:`check_shared`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template, request
from flask_babel import ngettext
from werkzeug.exceptions import TooManyRequests

from congress.extensions import limiter

# Stores every process on the machine (or on several) reads and writes alike.
SHARED_SCHEMES = frozenset(
    {"redis", "rediss", "redis+unix", "redis+cluster", "redis+sentinel", "valkey", "valkeys"}
    | {"valkey+unix", "valkey+cluster", "valkey+sentinel", "memcached", "mongodb", "mongodb+srv"}
)


class PerProcessLimits(RuntimeError):
    """Several workers would each count rate limits of their own; the message says what to do.

    A ``RuntimeError``: gunicorn prints its message and exits with status 1.
    """


def _scheme(uri: str | None) -> str:
    return (uri or "").partition("://")[0].lower()


def check_shared(config: Mapping[str, Any], workers: int) -> None:
    """Refuse to serve with ``workers`` processes that would each keep their own counts."""
    if workers <= 1 or not config.get("RATELIMIT_ENABLED", True):
        return
    uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if _scheme(uri) in SHARED_SCHEMES:
        return
    raise PerProcessLimits(
        f"Rate limits would be counted in each worker's memory ({uri}): with {workers} "
        f"workers, a limit of 10 sign-ins a minute would let {10 * workers} through. "
        "Set CONGRESS_RATELIMIT_STORAGE_URI to a store every worker shares "
        "(redis://127.0.0.1:6379/0, docs/DEPLOYMENT.md), or serve with one worker "
        "(WEB_CONCURRENCY=1)."
    )


def seconds_to_wait() -> int:
    limit = limiter.current_limit
    if limit is None:
        return 60
    return max(1, math.ceil(limit.reset_at - time.time()))


def wait_message(seconds: int) -> str:
    if seconds <= 90:
        return ngettext(
            "Please wait %(num)d second, then try again.",
            "Please wait %(num)d seconds, then try again.",
            seconds,
        )
    return ngettext(
        "Please wait %(num)d minute, then try again.",
        "Please wait %(num)d minutes, then try again.",
        math.ceil(seconds / 60),
    )


def too_many_requests(error: TooManyRequests):
    seconds = seconds_to_wait()
    if request.path.startswith("/api/"):
        body = {"error": "Too Many Requests", "status": 429, "retry_after": seconds}
        return body, 429, {"Retry-After": str(seconds)}
    page = render_template("errors/too_many_requests.html", wait=wait_message(seconds))
    return page, 429, {"Retry-After": str(seconds)}


def init_app(app: Flask) -> None:
    app.register_error_handler(429, too_many_requests)
