"""The page for too many attempts (HTTP 429), with how long to wait.

The limits themselves sit on the views they protect (sign-in, sign-up, password
reset, registration): ``limiter.limit(...)`` from :mod:`congress.extensions`.
Flask-Limiter adds ``Retry-After`` and the ``X-RateLimit-*`` headers.
"""

from __future__ import annotations

import math
import time

from flask import Flask, render_template, request
from flask_babel import ngettext
from werkzeug.exceptions import TooManyRequests

from congress.extensions import limiter


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
