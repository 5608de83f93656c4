"""A congress's export written by a job, for its organisers to download.

Each export has a key (:func:`congress.jobs.progress.new_key`) and is written by
:func:`export_to`, whole or not at all, into ``instance/exports/congress-<id>/<key>.json``;
:class:`congress.jobs.progress.Tracked` keeps the job's state beside it.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from congress.audit.log import record
from congress.backup import export_to
from congress.congresses.models import Congress
from congress.extensions import db
from congress.jobs import job
from congress.jobs.progress import Tracked, new_key

EXPORT_JOB = "backup.export_congress"


def tracked(congress_id: int, key: str) -> Tracked:
    folder = Path(current_app.instance_path) / "exports" / f"congress-{congress_id}"
    return Tracked(folder, key, f"{key}.json")


def filename(congress: Congress, key: str) -> str:
    return f"congress-{congress.slug}-{key}.json"


def start_export(congress: Congress) -> str:
    """Send the job that exports ``congress``, audited; return the export's key.

    The job is sent first: when the broker is down this raises and nothing is recorded.
    """
    key = new_key()
    tracked(congress.id, key).request(EXPORT_JOB, congress.id, key, congress_id=congress.id)
    record("congress.export", congress, congress_id=congress.id, after={"export": key})
    db.session.commit()
    return key


@job(EXPORT_JOB, max_retries=0)
def export_congress(congress_id: int, key: str) -> None:
    """The job: write the export ``key`` of the congress ``congress_id``."""
    export = tracked(congress_id, key)
    with export.running():
        export_to(export.result_path, congress_id)
