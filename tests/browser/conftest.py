"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

They run with ``pytest -m browser`` (``.ci/run`` installs Chromium first). A
missing browser is an error, never a skip.
"""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from congress.extensions import db
from tests.conftest import close_database, make_app

CHROMIUM = os.environ.get("CONGRESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_app(tmp_path, database_url):
    """The app served over HTTP on a free loopback port, in a thread."""
    app = make_app(tmp_path, database_url, SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    with app.app_context():
        if database_url is None:
            db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join()
    close_database(app, database_url)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A 360-pixel-wide phone screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()
