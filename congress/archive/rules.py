"""What the archive shows of a congress's reported figures."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from congress.archive.models import Figure


def figures_by_measure(figures: Iterable[Figure]) -> list[tuple[str, list[Figure]]]:
    """Figures grouped by what they measure, each group in the order the data gives it."""
    ordered = sorted(figures, key=lambda f: (f.measure, f.position))
    return [(measure, list(group)) for measure, group in groupby(ordered, key=lambda f: f.measure)]
