"""Where the project's folders are: a foundation module, so that any layer may ask."""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The top of the source tree, where templates/, static/, translations/ and migrations/ live.
PROJECT_ROOT = PACKAGE.parent
# The folders the app reads at run time. A wheel carries them inside the package (setup.py
# copies them there); a source tree, editable install included, has them at the top.
PACKAGED_FOLDERS = ("templates", "static", "translations", "migrations")


def project_folder(name: str) -> Path:
    """One of ``PACKAGED_FOLDERS``: inside the installed package, or at the top of the tree."""
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


def in_source_tree() -> bool:
    """Whether the code runs from a checkout (its own ``pyproject.toml`` beside the package)."""
    return not (PACKAGE / "templates").is_dir() and (PROJECT_ROOT / "pyproject.toml").is_file()


def default_instance_path() -> Path:
    """``instance/`` at the top of a source tree; ``<prefix>/var/congress-instance`` once
    installed (Flask's place for it), never a folder inside site-packages."""
    if in_source_tree():
        return PROJECT_ROOT / "instance"
    return Path(sys.prefix) / "var" / "congress-instance"
