"""A job whose end people wait for: one job however many ask, its progress, its status page.

The participants' PDFs, a congress's export and the search index's rebuild are each sent
to the queue by a request and followed by the person who asked. What they share lives here,
in files of one folder under the instance folder, so that every web process and worker
that shares the instance folder reads the same state without a table:

    <key>.pending   {"queued_at": …, "started_at": …}: created exclusively, so that one
                    request sends the job and the others only wait for it
    <key>.failed    the error of a run that failed, shown once
    duration        seconds the last run took: the progress bar's estimate
    <result>        what the job leaves when it is done (the PDF, the export, a note)

A request shows :func:`preparing_page` (202) while the job runs; its script
(``static/js/job-progress.js``) polls :func:`status_response` and goes to the result's
address once it is ready; without a script, the page's link does the same by hand.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Response, current_app, jsonify, render_template

from congress.jobs.queue import enqueue

# Until a run has been timed, the bar assumes this many seconds.
DEFAULT_ESTIMATE = 20.0
# A key as :func:`new_key` writes it, the only form a run's address takes.
KEY = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}")


def new_key() -> str:
    """A run's key: its UTC instant, and a random part so that two runs started in the same
    second do not meet."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Progress:
    """Where a job stands: ``ready``, ``queued``, ``running``, ``failed`` or ``missing``."""

    state: str
    # 0 to 100: 100 once the result exists; an estimate from the last run's length before.
    percent: int


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: readers never see half of it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def _read_marker(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Tracked:
    """The job ``key`` kept in ``folder``, done once the file ``result`` exists there."""

    folder: Path
    key: str
    result: str

    @property
    def result_path(self) -> Path:
        return self.folder / self.result

    @property
    def _pending(self) -> Path:
        return self.folder / f"{self.key}.pending"

    @property
    def _failed(self) -> Path:
        return self.folder / f"{self.key}.failed"

    def progress(self) -> Progress:
        """What became of the job: read from its folder alone."""
        if self.result_path.exists():
            return Progress("ready", 100)
        if self._failed.exists():
            return Progress("failed", 0)
        marker = _read_marker(self._pending)
        if marker is None:
            return Progress("missing", 0)
        started = marker.get("started_at")
        if not started:
            return Progress("queued", 5)
        try:
            estimate = float((self.folder / "duration").read_text())
        except (OSError, ValueError):
            estimate = DEFAULT_ESTIMATE
        done = (time.time() - float(started)) / max(estimate, 1.0)
        # Never 100 before the result exists: a run may take longer than the last one.
        return Progress("running", 10 + min(int(done * 85), 85))

    def take_failure(self) -> str | None:
        """The error of a run that failed, forgotten once read: the next request tries again."""
        try:
            error = self._failed.read_text()
        except FileNotFoundError:
            return None
        self._failed.unlink(missing_ok=True)
        return error

    def _stale(self) -> bool:
        """A job that should have ended long ago: lost with a process or a broker.

        Told by the marker's age on disk, not its content, which another request may write.
        """
        limit = float(current_app.config.get("JOBS_TIME_LIMIT", 600)) + 60
        try:
            return time.time() - self._pending.stat().st_mtime > limit
        except FileNotFoundError:
            return False

    def request(
        self, job: str, *args: Any, congress_id: int | None = None, before_send=None
    ) -> bool:
        """Send ``job`` with ``args`` unless one is pending; True if this call sent it.

        ``before_send`` runs once the marker is ours and before the job is sent: it writes
        what the job reads. When the broker is down the marker goes and the error is raised,
        so that the next request tries again rather than waiting forever.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._stale():
            self._pending.unlink(missing_ok=True)
        try:
            fd = os.open(self._pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w") as f:
            json.dump({"queued_at": time.time(), "started_at": None}, f)
        try:
            if before_send is not None:
                before_send()
            enqueue(job, *args, congress_id=congress_id)
        except Exception:
            self._pending.unlink(missing_ok=True)
            raise
        return True

    @contextmanager
    def running(self) -> Iterator[None]:
        """Around the job's work: marks it started, times it, records its failure, and
        removes the marker at the end whatever happened."""
        self.folder.mkdir(parents=True, exist_ok=True)
        marker = _read_marker(self._pending) or {"queued_at": time.time()}
        started = time.time()
        write_atomically(self._pending, json.dumps({**marker, "started_at": started}).encode())
        try:
            yield
            write_atomically(self.folder / "duration", f"{time.time() - started:.2f}".encode())
        except Exception as error:
            write_atomically(self._failed, f"{type(error).__name__}: {error}".encode())
            raise
        finally:
            self._pending.unlink(missing_ok=True)


def preparing_page(
    progress: Progress,
    *,
    title: str,
    text: str,
    status_url: str,
    result_url: str,
    refresh: str,
    words: dict[str, str],
    name: str = "job",
) -> Response:
    """The 202 page that says the job is running, with the bar its script keeps up to date.

    ``words`` says each state; ``name`` prefixes the ids of the bar and its link, so that
    a page's tests and styles can tell them apart.
    """
    page = render_template(
        "_progress.html",
        title=title,
        text=text,
        progress=progress,
        status_url=status_url,
        result_url=result_url,
        refresh=refresh,
        words=words,
        name=name,
    )
    response = Response(page, status=202)
    response.headers["Cache-Control"] = "no-store"
    # For a program that asks: try again in this many seconds.
    response.headers["Retry-After"] = "2"
    return response


def status_response(progress: Progress, result_url: str, **extra: Any) -> Response:
    """The JSON the preparing page polls: state, percent and where the result is."""
    response = jsonify(state=progress.state, percent=progress.percent, url=result_url, **extra)
    response.headers["Cache-Control"] = "no-store"
    return response
