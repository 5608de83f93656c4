"""A congress's export in Chromium: the organiser confirms it, the progress page follows the
job without a reload, and the file downloads by itself once it is written."""

from __future__ import annotations

import json
import threading

from playwright.sync_api import expect

from congress.backup import jobs as export_jobs
from tests.browser import site as walk


def test_the_export_is_confirmed_followed_and_downloaded(seeded, browser, monkeypatch, tmp_path):
    app, site = seeded
    release = threading.Event()
    original = export_jobs.export_to

    def held(*args):
        assert release.wait(30)
        return original(*args)

    monkeypatch.setattr(export_jobs, "export_to", held)
    context = browser.new_context(accept_downloads=True)
    walk.sign_in(app, context, site.organiser_login)
    page = context.new_page()
    base = app.config["LIVE_URL"]
    page.goto(f"{base}/en/manage/congresses/demo/")
    page.get_by_role("link", name="Export this congress").click()
    expect(page.locator("h1")).to_have_text("Export this congress?")
    page.screenshot(path=str(tmp_path / "confirm.png"), full_page=True)
    page.get_by_role("button", name="Start the export").click()
    expect(page.locator("h1")).to_have_text("The export is being written")
    status = page.locator("#export-progress-state")
    # The script asks the job's status and says it is running, without a reload.
    expect(status).to_have_text("Being written", timeout=10_000)
    assert status.get_attribute("aria-live") == "polite"
    assert int(page.locator("#export-progress").get_attribute("value") or 0) >= 10
    page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)
    with page.expect_download(timeout=20_000) as download:
        release.set()
    saved = tmp_path / "export.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("congress-demo-")
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert [c["slug"] for c in document["tables"]["congresses"]] == ["demo"]
    context.close()
