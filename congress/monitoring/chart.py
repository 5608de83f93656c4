"""The chart of a document's follow-up: per area of action, governments with a record by year.

Laid out here as plain numbers and drawn by ``templates/monitoring/_chart.html`` as SVG,
like the archive's chart of figures: one panel per area, one column per year, the
height of a column the number of governments with a record by the end of that year.
"""

from __future__ import annotations

from dataclasses import dataclass

from congress.monitoring.queries import AreaYears

WIDTH = 360
PANEL_TITLE = 18
PANEL_HEIGHT = 60
PANEL_GAP = 16
AXIS = 14


@dataclass(frozen=True)
class Column:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Panel:
    area: AreaYears
    top: float
    columns: list[Column]

    @property
    def baseline(self) -> float:
        return self.top + PANEL_TITLE + PANEL_HEIGHT


@dataclass(frozen=True)
class Chart:
    panels: list[Panel]
    height: float
    most: int


def layout(rows: list[AreaYears]) -> Chart:
    most = max((max(r.by_year.values(), default=0) for r in rows), default=0)
    panels, top = [], 0.0
    for row in rows:
        years = sorted(row.by_year)
        step = WIDTH / max(len(years), 1)
        columns = []
        for i, year in enumerate(years):
            count = row.by_year[year]
            height = PANEL_HEIGHT * count / most if most else 0.0
            columns.append(
                Column(
                    year,
                    count,
                    x=i * step + 1,
                    y=top + PANEL_TITLE + PANEL_HEIGHT - height,
                    width=max(step - 2, 1),
                    height=height,
                )
            )
        panels.append(Panel(row, top, columns))
        top += PANEL_TITLE + PANEL_HEIGHT + AXIS + PANEL_GAP
    return Chart(panels, top, most)
