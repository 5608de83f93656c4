"""The application as the load test serves it: the app itself, plus the baselines' endpoints.

    gunicorn -c gunicorn.conf.py benchmarks.served:app

The empty endpoint (benchmarks/baselines.py) answers inside the application under test,
with its request hooks, so that a poll's rate can be read against the rate of a request
that does nothing. ``/_benchmark/static/<name>`` serves the files of
``BENCHMARK_STATIC_FOLDER`` the way Flask serves static files, so that a cached feed is
measured against the same bytes sent as a static file by the same server.
"""

import os

from flask import Blueprint, send_from_directory

from benchmarks.baselines import add_empty_endpoint
from congress import create_app

app = create_app()
add_empty_endpoint(app)

static_copies = Blueprint("benchmark_static", __name__)


@static_copies.get("/_benchmark/static/<path:name>")
def static_copy(name: str):
    return send_from_directory(os.environ["BENCHMARK_STATIC_FOLDER"], name)


if os.environ.get("BENCHMARK_STATIC_FOLDER"):
    app.register_blueprint(static_copies)
