"""The application as the load test serves it: the app itself, plus the baselines' endpoints.

    gunicorn -c gunicorn.conf.py benchmarks.served:app

The empty endpoint (benchmarks/baselines.py) answers inside the application under test,
with its request hooks, so that a poll's rate can be read against the rate of a request
that does nothing.
"""

from benchmarks.baselines import add_empty_endpoint
from congress import create_app

app = create_app()
add_empty_endpoint(app)
