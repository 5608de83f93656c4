"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

They run with ``pytest -m browser`` (``.ci/run`` installs Chromium first). A
missing browser is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from congress.extensions import db
from congress.programme import views as programme_views
from tests.browser import site as seeded_site
from tests.conftest import close_database, make_app

CHROMIUM = os.environ.get("CONGRESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _serve(app):
    """Serve ``app`` over HTTP on a free loopback port, in a thread; stop it when done."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"

    def stop():
        server.shutdown()
        thread.join()

    return stop


@pytest.fixture
def live_app(tmp_path, database_url):
    """The app served over HTTP on a free loopback port, in a thread."""
    app = make_app(tmp_path, database_url, SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    with app.app_context():
        if database_url is None:
            db.create_all()
    stop = _serve(app)
    yield app
    stop()
    close_database(app, database_url)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, _postgres_schema):
    """One served site with something on every page (tests/browser/site.py), for a module.

    Its clock reads a moment during the demo congress, so that the timetable shows what is
    on now and next.
    """
    app = make_app(
        tmp_path_factory.mktemp("site"), _postgres_schema, SERVER_NAME=None, WTF_CSRF_ENABLED=True
    )
    with app.app_context():
        if _postgres_schema is None:
            db.create_all()
    stop = _serve(app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(programme_views, "utcnow", lambda: seeded_site.DURING_THE_DEMO)
        yield app, seeded_site.seed(app)
    stop()
    close_database(app, _postgres_schema)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from npm (tests/browser/package.json): installed here when missing."""
    if not AXE.exists():
        if shutil.which("npm") is None:
            pytest.fail("npm is needed to install axe-core: apt-get install -y npm")
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=HERE, check=True
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver for the session: the sync API refuses a second one beside it
    (a test that needs Chromium started with other flags launches it from this one)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
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
