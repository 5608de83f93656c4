"""A congress's export written by a job, for its organisers to download.

Each export has a key (its UTC instant and a random part, so that two exports started in
the same second do not meet) and is written by :func:`export_to`, whole or not at all, into
``instance/exports/congress-<id>/<key>.json``; :class:`congress.jobs.progress.Tracked`
keeps the job's state beside it.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from congress.audit.log import record
from congress.backup import export_to
from congress.congresses.models import Congress
from congress.extensions import db
from congress.jobs import job
from congress.jobs.progress import Tracked

EXPORT_JOB = "backup.export_congress"
# A key as :func:`start_export` writes it, the only form an export's address takes.
KEY = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}")


def tracked(congress_id: int, key: str) -> Tracked:
    folder = Path(current_app.instance_path) / "exports" / f"congress-{congress_id}"
    return Tracked(folder, key, f"{key}.json")


def filename(congress: Congress, key: str) -> str:
    return f"congress-{congress.slug}-{key}.json"


def start_export(congress: Congress) -> str:
    """Send the job that exports ``congress``, audited; return the export's key."""
    key = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
    record("congress.export", congress, congress_id=congress.id, after={"export": key})
    db.session.commit()
    tracked(congress.id, key).request(EXPORT_JOB, congress.id, key, congress_id=congress.id)
    return key


@job(EXPORT_JOB, max_retries=0)
def export_congress(congress_id: int, key: str) -> None:
    """The job: write the export ``key`` of the congress ``congress_id``."""
    export = tracked(congress_id, key)
    with export.running():
        export_to(export.result_path, congress_id)
