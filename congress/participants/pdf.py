"""The list of participants as PDF, drawn by WeasyPrint from the page's own template.

WeasyPrint fetches nothing from the network: its URL fetcher serves only the
files under our ``static/`` folder. A PDF is kept in the instance folder under
a name that holds a digest of everything it is drawn from (the HTML, the
stylesheets, WeasyPrint's version), so it is drawn again only when the list,
its template or its style changes.

A request never draws: when the PDF is not cached it sends a job that does (once, however
many requests ask meanwhile) and answers a page that says the PDF is being prepared, whose
progress bar follows a JSON status; the PDF's address serves the file as soon as it exists.

WeasyPrint is imported when a PDF is first drawn, not with the app: without the
system libraries it draws with (Pango), the app starts and serves everything else,
and the PDF's address answers that it cannot be drawn (:class:`PdfUnavailable`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import mimetypes
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin

from flask import Response, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.security import safe_join

from congress.jobs import job

# The origin the PDF's HTML is read from. It is never contacted: the fetcher
# answers for it from the static folder.
BASE_URL = "https://congress.invalid/"
# A fingerprint as :func:`fingerprint` writes it, the only form a status address takes.
DIGEST = re.compile(r"[0-9a-f]{32}")


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot be loaded here: it, or a library it draws with (Pango), is missing."""


def _weasyprint() -> ModuleType:
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        # OSError: WeasyPrint is installed but cannot open Pango's shared libraries.
        raise PdfUnavailable(str(error)) from error
    return weasyprint


@functools.cache
def _static_files_only() -> type:
    """The fetcher class, built on WeasyPrint's once WeasyPrint is first needed."""
    _weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """Serves ``static_url`` (``/static/``) and below from ``static_folder``; refuses
        the rest."""

        def __init__(self, static_folder: str, static_url: str):
            super().__init__(allowed_protocols=("https",))
            self.static_folder = static_folder
            self.prefix = urljoin(BASE_URL, static_url)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if not url.startswith(self.prefix):
                raise ValueError(f"the PDF fetches only our static files, not {url}")
            relative = url[len(self.prefix) :].split("?", 1)[0].split("#", 1)[0]
            path = safe_join(self.static_folder, relative)
            if path is None or not os.path.isfile(path):
                raise ValueError(f"no static file {relative}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, Path(path).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesOnly


def __getattr__(name: str):
    # `from congress.participants.pdf import StaticFilesOnly` loads WeasyPrint then only.
    if name == "StaticFilesOnly":
        return _static_files_only()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_pdf(html: str, static_folder: str, static_url: str) -> bytes:
    """The PDF of ``html``; :class:`PdfUnavailable` where WeasyPrint cannot be loaded."""
    document = _weasyprint().HTML(
        string=html,
        base_url=BASE_URL,
        url_fetcher=_static_files_only()(static_folder, static_url),
    )
    return document.write_pdf()


def fingerprint(html: str, static_folder: str) -> str:
    """A digest of what the PDF is drawn from: its HTML, every stylesheet, the renderer."""
    # The installed version, read without importing WeasyPrint (nor Pango).
    digest = hashlib.sha256(metadata.version("weasyprint").encode())
    digest.update(html.encode())
    for stylesheet in sorted(Path(static_folder).glob("css/*.css")):
        digest.update(stylesheet.name.encode())
        digest.update(stylesheet.read_bytes())
    return digest.hexdigest()[:32]


def cached_pdf(cache_dir: Path, name: str, html: str, static_folder: str, static_url: str) -> Path:
    """The PDF of ``html``: from the cache, or drawn and kept in ``cache_dir/name/``.

    Older PDFs of the same ``name`` are removed once the new one is in place. Two
    workers drawing the same PDF at once both write it whole and atomically.
    """
    folder = cache_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{fingerprint(html, static_folder)}.pdf"
    if path.exists():
        return path
    pdf = render_pdf(html, static_folder, static_url)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".drawing-")
    with os.fdopen(fd, "wb") as f:
        f.write(pdf)
    os.replace(temporary, path)
    for older in folder.glob("*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
    return path


# -- Drawn by a job ----------------------------------------------------------------------
#
# Beside each PDF, in its folder, while it is being drawn:
#   <fingerprint>.html     what the job draws (written before the job is sent)
#   <fingerprint>.pending  {"queued_at": …, "started_at": …}: created exclusively, so that
#                          one request sends the job and the others only wait for it
#   <fingerprint>.failed   the error of a drawing that failed, shown once
#   duration               seconds the last drawing took: the progress bar's estimate

DRAW_JOB = "pdf.draw"
# Until a drawing has been timed, the bar assumes this many seconds.
DEFAULT_ESTIMATE = 20.0


@dataclass(frozen=True)
class PdfProgress:
    """Where a PDF stands: ``ready``, ``queued``, ``drawing``, ``failed`` or ``missing``."""

    state: str
    # 0 to 100: 100 once the file exists; an estimate from the last drawing's length before.
    percent: int


def _folder(cache: str, name: str) -> Path:
    return Path(current_app.instance_path) / "cache" / cache / name


def _read_marker(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def progress(cache: str, name: str, digest: str) -> PdfProgress:
    """What became of the PDF ``digest`` of ``cache/name``: read from its folder alone."""
    folder = _folder(cache, name)
    if (folder / f"{digest}.pdf").exists():
        return PdfProgress("ready", 100)
    if (folder / f"{digest}.failed").exists():
        return PdfProgress("failed", 0)
    marker = _read_marker(folder / f"{digest}.pending")
    if marker is None:
        return PdfProgress("missing", 0)
    started = marker.get("started_at")
    if not started:
        return PdfProgress("queued", 5)
    try:
        estimate = float((folder / "duration").read_text())
    except (OSError, ValueError):
        estimate = DEFAULT_ESTIMATE
    done = (time.time() - float(started)) / max(estimate, 1.0)
    # Never 100 before the file exists: a drawing may take longer than the last one.
    return PdfProgress("drawing", 10 + min(int(done * 85), 85))


def _stale(pending: Path) -> bool:
    """A job that should have ended long ago: lost with a process or a broker.

    Told by the marker's age on disk, not its content, which another request may be writing.
    """
    limit = float(current_app.config.get("JOBS_TIME_LIMIT", 600)) + 60
    try:
        return time.time() - pending.stat().st_mtime > limit
    except FileNotFoundError:
        return False


def request_drawing(
    cache: str, name: str, digest: str, html: str, static_url: str, *, congress_id: int | None
) -> bool:
    """Send the job that draws ``digest`` unless one is pending; True if this call sent it."""
    folder = _folder(cache, name)
    folder.mkdir(parents=True, exist_ok=True)
    pending = folder / f"{digest}.pending"
    if _stale(pending):
        pending.unlink(missing_ok=True)
    try:
        fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        json.dump({"queued_at": time.time(), "started_at": None}, f)
    _write_atomically(folder / f"{digest}.html", html.encode())
    from congress.jobs import enqueue

    try:
        enqueue(DRAW_JOB, cache, name, digest, static_url, congress_id=congress_id)
    except Exception:
        # The broker is down: the next request tries again rather than waiting forever.
        pending.unlink(missing_ok=True)
        raise
    return True


@job(DRAW_JOB, max_retries=0)
def draw(cache: str, name: str, digest: str, static_url: str) -> None:
    """The job: draw the PDF ``digest`` of ``cache/name`` from the HTML left beside it."""
    folder = _folder(cache, name)
    pending, source = folder / f"{digest}.pending", folder / f"{digest}.html"
    marker = _read_marker(pending) or {"queued_at": time.time()}
    started = time.time()
    _write_atomically(pending, json.dumps({**marker, "started_at": started}).encode())
    try:
        if not (folder / f"{digest}.pdf").exists():
            html = source.read_bytes().decode()
            if fingerprint(html, current_app.static_folder or "") != digest:
                # Our stylesheets or WeasyPrint changed since the request: its page asks again.
                raise RuntimeError(f"{name}: what the PDF is drawn from changed meanwhile")
            cached_pdf(folder.parent, name, html, current_app.static_folder or "", static_url)
            _write_atomically(folder / "duration", f"{time.time() - started:.2f}".encode())
    except Exception as error:
        _write_atomically(folder / f"{digest}.failed", f"{type(error).__name__}: {error}".encode())
        raise
    finally:
        pending.unlink(missing_ok=True)
        source.unlink(missing_ok=True)


def _serve(path: Path, filename: str) -> Response:
    response = Response(path.read_bytes(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(path.stem)
    return response.make_conditional(request)


def _unavailable(message: str) -> Response:
    page = render_template("errors/error.html", error=ServiceUnavailable(), message=message)
    return Response(page, status=503)


def pdf_response(
    cache: str,
    name: str,
    html: str,
    filename: str,
    *,
    unavailable: str,
    status_url: Callable[[str], str] | None = None,
    congress_id: int | None = None,
) -> Response:
    """The PDF of ``html``, kept under ``cache/name`` in the instance folder.

    Served at once when it is cached. Otherwise, with ``status_url`` (the address of the
    JSON status of a fingerprint), a job draws it and the answer is a 202 page that says it
    is being prepared, with a progress bar our script keeps up to date from that status; a
    request while the job is pending sends no other. Without ``status_url`` (the command
    line), it is drawn here. Where PDFs cannot be drawn, a 503 page saying ``unavailable``.

    The ETag is the file's name: the fingerprint of everything the PDF is drawn from.
    """
    static_folder = current_app.static_folder or ""
    static_url = url_for("static", filename="")
    digest = fingerprint(html, static_folder)
    folder = _folder(cache, name)
    path = folder / f"{digest}.pdf"
    if path.exists():
        return _serve(path, filename)
    try:
        # Where WeasyPrint cannot load, no job is sent: it would only fail the same way.
        _weasyprint()
        if status_url is None:
            drawn = cached_pdf(folder.parent, name, html, static_folder, static_url)
            return _serve(drawn, filename)
    except PdfUnavailable as error:
        current_app.logger.error("%s cannot be drawn: %s", filename, error)
        return _unavailable(unavailable)
    failed = folder / f"{digest}.failed"
    if failed.exists():
        # Said once; the next request tries again.
        current_app.logger.error("%s could not be drawn: %s", filename, failed.read_text())
        failed.unlink(missing_ok=True)
        return _unavailable(unavailable)
    try:
        request_drawing(cache, name, digest, html, static_url, congress_id=congress_id)
    except Exception as error:
        # The broker is down: say so as for a server that cannot draw; the next request retries.
        current_app.logger.error("%s: the drawing could not be queued: %s", filename, error)
        return _unavailable(unavailable)
    if path.exists():
        # The in-process pool may have been quicker than this request.
        return _serve(path, filename)
    state = progress(cache, name, digest)
    page = render_template(
        "participants/pdf_preparing.html",
        filename=filename,
        progress=state,
        status_url=status_url(digest),
        pdf_url=request.path,
    )
    response = Response(page, status=202)
    response.headers["Cache-Control"] = "no-store"
    # For a program that asks: try again in this many seconds.
    response.headers["Retry-After"] = "2"
    return response


def status_response(cache: str, name: str, digest: str, pdf_url: str) -> Response:
    """The JSON the preparing page polls: state, percent and where the PDF is."""
    if not DIGEST.fullmatch(digest):
        abort(404)
    state = progress(cache, name, digest)
    response = jsonify(state=state.state, percent=state.percent, pdf_url=pdf_url)
    response.headers["Cache-Control"] = "no-store"
    return response
