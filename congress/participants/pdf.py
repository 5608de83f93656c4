"""The list of participants as PDF, drawn by WeasyPrint from the page's own template.

WeasyPrint fetches nothing from the network: its URL fetcher serves only the
files under our ``static/`` folder. A PDF is kept in the instance folder under
a name that holds a digest of everything it is drawn from (the HTML, the
stylesheets, WeasyPrint's version), so it is drawn again only when the list,
its template or its style changes.

WeasyPrint is imported when a PDF is first drawn, not with the app: without the
system libraries it draws with (Pango), the app starts and serves everything else,
and the PDF's address answers that it cannot be drawn (:class:`PdfUnavailable`).
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import os
import tempfile
from importlib import metadata
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin

from flask import Response, current_app, render_template, request, url_for
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.security import safe_join

# The origin the PDF's HTML is read from. It is never contacted: the fetcher
# answers for it from the static folder.
BASE_URL = "https://congress.invalid/"


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


def pdf_response(cache: str, name: str, html: str, filename: str, *, unavailable: str) -> Response:
    """The PDF of ``html`` as a conditional response, kept under ``cache/name`` in the
    instance folder; where PDFs cannot be drawn, a 503 page saying ``unavailable``.

    The ETag is the file's name: the fingerprint of everything the PDF is drawn from.
    """
    try:
        path = cached_pdf(
            Path(current_app.instance_path) / "cache" / cache,
            name,
            html,
            current_app.static_folder or "",
            url_for("static", filename=""),
        )
    except PdfUnavailable as error:
        current_app.logger.error("%s cannot be drawn: %s", filename, error)
        page = render_template("errors/error.html", error=ServiceUnavailable(), message=unavailable)
        return Response(page, status=503)
    response = Response(path.read_bytes(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(path.stem)
    return response.make_conditional(request)
