"""Congress at congress scale: time, SQL queries and memory per endpoint, against baselines.

    .venv/bin/python benchmarks/run.py            # both data sets, all endpoints
    .venv/bin/python benchmarks/run.py --runs 5   # fewer runs per endpoint

Builds the Rio-scale demo congress (170 delegations, 3,500 delegates, 300
sessions over 4 days in 20 rooms) and the ten-times one, each in its own
SQLite database (or on PostgreSQL with --database-url), from a fixed seed.
Every figure is measured in this run and compared with a baseline measured in
the same run; the targets are printed as PASS/FAIL lines and set the exit status.
Pinned to one core, as the targets are stated.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.measure import Timing  # noqa: E402
from congress import create_app  # noqa: E402
from congress.demo import DemoSize, build_demo  # noqa: E402
from congress.extensions import db  # noqa: E402

SIZES = {
    1: DemoSize(delegations=170, delegates=3500, sessions=300, rooms=20, days=4),
    10: DemoSize(delegations=1700, delegates=35000, sessions=3000, rooms=200, days=4),
}


@dataclass
class Result:
    name: str
    scale: int
    timing: Timing
    queries: int
    baseline: str | None = None
    baseline_timing: Timing | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_timing is None:
            return None
        return self.timing.median_ms / self.baseline_timing.median_ms


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    checks: list[tuple[bool, str]] = field(default_factory=list)

    def get(self, name: str, scale: int) -> Result:
        return next(r for r in self.results if r.name == name and r.scale == scale)

    def check(self, ok: bool, text: str) -> None:
        self.checks.append((ok, text))
        print(f"{'PASS' if ok else 'FAIL'}  {text}", flush=True)


def build_app(instance: Path, database_url: str | None, scale: int) -> Flask:
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": database_url or f"sqlite:///{instance}/bench.sqlite3",
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SCHEMA_CHECK": False,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        print(f"building the {scale}x data set...", flush=True)
        build_demo(SIZES[scale])
    return app
