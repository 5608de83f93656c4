"""A congress's export written by a job, for its organisers to download.

Each export has a key (:func:`congress.jobs.progress.new_key`) and is written by
:func:`export_to`, whole or not at all, into ``instance/exports/congress-<id>/<key>.json``;
:class:`congress.jobs.progress.Tracked` keeps the job's state beside it. The sweep deletes
it EXPORTS_KEEP_HOURS later.
"""

from __future__ import annotations

import time
from pathlib import Path

from flask import current_app

from congress.audit.log import record
from congress.backup import export_to
from congress.congresses.models import Congress
from congress.extensions import db
from congress.jobs import job, sweep
from congress.jobs.progress import Tracked, new_key

EXPORT_JOB = "backup.export_congress"


def _exports() -> Path:
    return Path(current_app.instance_path) / "exports"


def tracked(congress_id: int, key: str) -> Tracked:
    return Tracked(_exports() / f"congress-{congress_id}", key, f"{key}.json")


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


@sweep
def sweep_exports() -> None:
    """Delete every export written more than EXPORTS_KEEP_HOURS ago, with its job's markers.

    An export holds the delegates' mail addresses and needs: it is kept for its organisers to
    download, not for good. Each congress's ``duration`` (how long the last run took) stays.
    """
    oldest = time.time() - float(current_app.config["EXPORTS_KEEP_HOURS"]) * 3600
    for path in _exports().glob("congress-*/*"):
        try:
            if path.name != "duration" and path.stat().st_mtime < oldest:
                path.unlink()
        except FileNotFoundError:
            # Deleted meanwhile: by a finishing job (its marker) or another worker's sweep.
            continue
