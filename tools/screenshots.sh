#!/usr/bin/env bash
# The README's screenshots, desktop and phone, taken by the browser test that walks the site
# (tests/browser/test_pages_browser.py::test_screenshots_of_the_main_pages) into
# docs/screenshots/. Needs Debian's Chromium, as the browser tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
CONGRESS_SCREENSHOTS="$PWD/docs/screenshots" .venv/bin/python -m pytest -m browser -q \
  -p no:cacheprovider tests/browser/test_pages_browser.py -k screenshots
ls -1 docs/screenshots
