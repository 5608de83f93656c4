"""Where the project's folders are: a foundation module, so that any layer may ask."""

from __future__ import annotations

from pathlib import Path

# templates/, static/, translations/ and migrations/ live beside the package, at the top
# of the project.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
