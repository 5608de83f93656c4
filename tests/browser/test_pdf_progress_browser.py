"""The page that says a PDF is being prepared: its bar moves and the PDF opens, no reload."""

from __future__ import annotations

import threading
import time

from playwright.sync_api import expect

from congress.archive.loader import load_archive
from congress.extensions import db
from congress.participants import pdf as pdf_module


def test_the_progress_bar_follows_the_job_and_the_pdf_opens_by_itself(live_app, page, monkeypatch):
    with live_app.app_context():
        load_archive()
        db.session.commit()
    release = threading.Event()
    original = pdf_module.render_pdf

    def held(*args):
        assert release.wait(30)
        return original(*args)

    monkeypatch.setattr(pdf_module, "render_pdf", held)
    base = live_app.config["LIVE_URL"]
    url = f"{base}/en/congresses/rio-2008/participants.pdf"
    pdfs = []
    page.on(
        "response",
        lambda r: (
            pdfs.append(r.status)
            if r.url == url and r.headers.get("content-type") == "application/pdf"
            else None
        ),
    )
    first = page.goto(url)
    assert first.status == 202
    assert page.locator("h1").inner_text() == "The PDF is being prepared"
    status = page.locator("#pdf-progress-state")
    # The script asks the status and says the job is drawing, without a reload.
    expect(status).to_have_text("Being drawn", timeout=10_000)
    assert status.get_attribute("aria-live") == "polite"
    assert int(page.locator("#pdf-progress").get_attribute("value") or 0) >= 10
    release.set()
    deadline = time.monotonic() + 20
    while not pdfs and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    # The page went to the PDF's address by itself, which served the file.
    assert pdfs == [200]
