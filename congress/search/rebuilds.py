"""Rebuilding a congress's search index by a job, from its organisers' pages.

For a database that predates the index, or rows written around the ORM (a restore, a
migration): :func:`congress.search.index.rebuild` for one congress, run by a job and
followed on the shared progress page (:mod:`congress.jobs.progress`). The job leaves
``<key>.done`` with the number of rows it wrote, which the page then says.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app

from congress.audit.log import record
from congress.congresses.models import Congress
from congress.extensions import db
from congress.jobs import job
from congress.jobs.progress import Tracked, new_key, write_atomically
from congress.search import index

REBUILD_JOB = "search.rebuild_congress"


def tracked(congress_id: int, key: str) -> Tracked:
    folder = Path(current_app.instance_path) / "cache" / "search" / f"congress-{congress_id}"
    return Tracked(folder, key, f"{key}.done")


def start_rebuild(congress: Congress) -> str:
    """Send the job that rebuilds ``congress``'s index, audited; return the run's key.

    The job is sent first: when the broker is down this raises and nothing is recorded.
    """
    key = new_key()
    tracked(congress.id, key).request(REBUILD_JOB, congress.id, key, congress_id=congress.id)
    record("search.rebuild", congress, congress_id=congress.id, after={"rebuild": key})
    db.session.commit()
    return key


def written(congress_id: int, key: str) -> int:
    """How many index rows the finished run ``key`` wrote or removed."""
    return int(json.loads(tracked(congress_id, key).result_path.read_text())["written"])


@job(REBUILD_JOB, max_retries=0)
def rebuild_congress(congress_id: int, key: str) -> None:
    """The job: make the index of ``congress_id`` match its rows, in one transaction."""
    run = tracked(congress_id, key)
    with run.running():
        count = index.rebuild(db.session, [congress_id])
        db.session.commit()
        write_atomically(run.result_path, json.dumps({"written": count}).encode())
