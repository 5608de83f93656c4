"""The archive's chart of governments and participants per congress, laid out for SVG.

The layout is computed here and drawn by ``templates/archive/_chart.html``: one
panel per measure, one group of bars per congress, and one bar per reported
figure. Where the sources disagree a congress has several bars, each numbered
with its source underneath; no figure is chosen over another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from congress.archive.models import Figure
from congress.congresses.models import Congress

MEASURES = ("governments", "participants")

# In viewBox units; the SVG scales to the width of the page and stays readable
# on a phone because the viewBox is about a phone's width.
WIDTH = 360
BAR_MAX = 220  # the longest bar; the rest of the width holds its label
BAR_HEIGHT = 14
BAR_GAP = 4
LEGEND_HEIGHT = 28
PANEL_TITLE = 24
CONGRESS_LABEL = 18
GROUP_GAP = 8
PANEL_GAP = 14


@dataclass
class Bar:
    figure: Figure
    note: int  # its number in the list of sources under the chart
    y: float
    width: float
    height: float = BAR_HEIGHT

    @property
    def label_x(self) -> float:
        return self.width + 4

    @property
    def label_y(self) -> float:
        return self.y + self.height - 3


@dataclass
class Group:
    congress: Congress
    y: float  # baseline of the congress's label
    bars: list[Bar] = field(default_factory=list)

    @property
    def disagree(self) -> bool:
        """Several sources, several figures: the label gives their range."""
        return len({b.figure.value for b in self.bars}) > 1

    @property
    def low(self) -> int:
        return min(b.figure.value for b in self.bars)

    @property
    def high(self) -> int:
        return max(b.figure.value for b in self.bars)


@dataclass
class Panel:
    measure: str
    y: float  # baseline of the panel's title
    groups: list[Group] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: float
    panels: list[Panel]
    notes: list[tuple[int, Congress, Figure]]

    @property
    def reliabilities(self) -> set[str]:
        """The marks the legend must explain."""
        return {f.reliability.value for _n, _c, f in self.notes}


def figures_chart(congresses: Iterable[Congress]) -> Chart | None:
    """The chart of every figure of each measure, oldest congress first; None without figures."""
    ordered = sorted(congresses, key=lambda c: c.start_date)
    panels: list[Panel] = []
    notes: list[tuple[int, Congress, Figure]] = []
    y = float(LEGEND_HEIGHT)
    for measure in MEASURES:
        rows = [
            (c, sorted((f for f in c.figures if f.measure == measure), key=lambda f: f.position))
            for c in ordered
        ]
        rows = [(c, figures) for c, figures in rows if figures]
        if not rows:
            continue
        largest = max(f.value for _c, figures in rows for f in figures) or 1
        y += PANEL_TITLE
        panel = Panel(measure, y)
        for congress, figures in rows:
            y += CONGRESS_LABEL
            group = Group(congress, y)
            y += BAR_GAP
            for f in figures:
                notes.append((len(notes) + 1, congress, f))
                width = max(1.0, round(BAR_MAX * f.value / largest, 1))
                group.bars.append(Bar(f, len(notes), y, width))
                y += BAR_HEIGHT + BAR_GAP
            panel.groups.append(group)
            y += GROUP_GAP
        panels.append(panel)
        y += PANEL_GAP
    if not panels:
        return None
    return Chart(WIDTH, y - PANEL_GAP, panels, notes)
