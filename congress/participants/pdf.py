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

import base64
import functools
import hashlib
import mimetypes
import os
import re
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote_to_bytes, urljoin

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.security import safe_join

from congress.jobs import job
from congress.jobs.progress import Progress, Tracked, preparing_page, write_atomically
from congress.jobs.progress import status_response as job_status

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
        """Serves ``static_url`` (``/static/``) and below from ``static_folder``, and
        ``data:`` addresses from themselves; refuses the rest."""

        def __init__(self, static_folder: str, static_url: str):
            super().__init__(allowed_protocols=("https",))
            self.static_folder = static_folder
            self.prefix = urljoin(BASE_URL, static_url)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                # Content carried within the HTML (a badge's photograph): nothing is fetched.
                header, _comma, payload = url[5:].partition(",")
                body = (
                    base64.b64decode(payload)
                    if header.endswith(";base64")
                    else unquote_to_bytes(payload)
                )
                content_type = header.split(";")[0] or "text/plain"
                return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
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
# The job's state is kept by :class:`congress.jobs.progress.Tracked` in the PDF's folder,
# keyed by the PDF's fingerprint; beside it, while it is being drawn:
#   <fingerprint>.html     what the job draws (written before the job is sent)

DRAW_JOB = "pdf.draw"


def _folder(cache: str, name: str) -> Path:
    return Path(current_app.instance_path) / "cache" / cache / name


def tracked(cache: str, name: str, digest: str) -> Tracked:
    """The drawing of the PDF ``digest`` of ``cache/name``, done once the PDF exists."""
    return Tracked(_folder(cache, name), digest, f"{digest}.pdf")


def progress(cache: str, name: str, digest: str) -> Progress:
    """What became of the PDF ``digest`` of ``cache/name``: read from its folder alone."""
    return tracked(cache, name, digest).progress()


def request_drawing(
    cache: str, name: str, digest: str, html: str, static_url: str, *, congress_id: int | None
) -> bool:
    """Send the job that draws ``digest`` unless one is pending; True if this call sent it."""
    drawing = tracked(cache, name, digest)
    return drawing.request(
        DRAW_JOB,
        cache,
        name,
        digest,
        static_url,
        congress_id=congress_id,
        before_send=lambda: write_atomically(drawing.folder / f"{digest}.html", html.encode()),
    )


@job(DRAW_JOB, max_retries=0)
def draw(cache: str, name: str, digest: str, static_url: str) -> None:
    """The job: draw the PDF ``digest`` of ``cache/name`` from the HTML left beside it."""
    drawing = tracked(cache, name, digest)
    source = drawing.folder / f"{digest}.html"
    try:
        with drawing.running():
            if not drawing.result_path.exists():
                html = source.read_bytes().decode()
                if fingerprint(html, current_app.static_folder or "") != digest:
                    # Our stylesheets or WeasyPrint changed since the request: its page asks
                    # again.
                    raise RuntimeError(f"{name}: what the PDF is drawn from changed meanwhile")
                cached_pdf(
                    drawing.folder.parent, name, html, current_app.static_folder or "", static_url
                )
    finally:
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
    error = tracked(cache, name, digest).take_failure()
    if error is not None:
        # Said once; the next request tries again.
        current_app.logger.error("%s could not be drawn: %s", filename, error)
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
    return preparing_page(
        progress(cache, name, digest),
        title=_("The PDF is being prepared"),
        text=_(
            "%(filename)s is being drawn. It takes a moment for a long list; nothing is lost "
            "if you leave this page.",
            filename=filename,
        ),
        status_url=status_url(digest),
        result_url=request.path,
        refresh=_("Refresh: the PDF opens if it is ready"),
        words={
            "queued": _("Waiting for its turn"),
            "running": _("Being drawn"),
            "ready": _("Ready: opening it"),
            "failed": _("It could not be drawn. Try again in a moment."),
            "missing": _("Waiting for its turn"),
        },
        name="pdf",
    )


def status_response(cache: str, name: str, digest: str, pdf_url: str) -> Response:
    """The JSON the preparing page polls: state, percent and where the PDF is."""
    if not DIGEST.fullmatch(digest):
        abort(404)
    return job_status(progress(cache, name, digest), pdf_url)
