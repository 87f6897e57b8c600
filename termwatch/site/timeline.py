"""Timelines of changes, drawn on the server as SVG: no script, no CDN, nothing to load.

A history page has one lane per kind of change (a fact changed, a clause changed, minor
wording, a return to a known text, a technical version); the overview has one lane per
service, each mark coloured by the most significant change of that day. Every mark links to
the diff it stands for and says in its tooltip what changed. This module computes the
geometry; ``templates/_timeline.html`` writes the SVG (escaped by Jinja like any page).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from termwatch.analysis.changes import CLAUSE, FACT, MINOR, RETURN, TECHNICAL
from termwatch.site.comparison import Connection, fetch_dicts

# From the most to the least significant; the legend and the lanes of a history page read
# in this order.
KINDS = (FACT, CLAUSE, MINOR, RETURN, TECHNICAL)
KIND_LABELS = {
    FACT: "fact changed",
    CLAUSE: "clause changed",
    MINOR: "minor wording",
    RETURN: "back to a known text",
    TECHNICAL: "technical",
}
WIDTH = 1000  # SVG user units; the chart scales to the page width
LABEL_WIDTH = 270
LANE_HEIGHT = 24
AXIS_HEIGHT = 26
MARGIN = 12


@dataclass
class Change:
    """One change of a document: a new version and its significance."""

    date: str  # ISO timestamp
    kind: str  # one of KINDS
    summary: str
    href: str


@dataclass
class Mark:
    x: float
    y: float
    kind: str
    title: str  # the tooltip: date and what changed
    href: str
    selected: bool = False


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Lane:
    label: str
    y: float
    href: str | None = None


@dataclass
class Chart:
    height: float
    lanes: list[Lane]
    marks: list[Mark]
    ticks: list[Tick]
    counts: dict[str, int] = field(default_factory=dict)  # changes per kind, for the legend
    width: int = WIDTH
    plot_left: int = LABEL_WIDTH
    axis_y: float = 0.0

    @property
    def legend(self) -> list[tuple[str, str, int]]:
        return [(kind, KIND_LABELS[kind], self.counts.get(kind, 0)) for kind in KINDS]


def chart(
    lanes: list[tuple[str, str | None, list[Change]]], selected: Iterable[str] = ()
) -> Chart | None:
    """Lay out lanes of changes on one time axis; None when there is nothing to draw.

    ``lanes`` are (label, link or None, changes); changes of a lane on the same day make one
    mark, of the most significant kind, its tooltip listing them all. ``selected`` are the
    links of the marks to outline (the versions being compared).
    """
    lanes = [
        (label, href, [change for change in changes if _time(change.date) is not None])
        for label, href, changes in lanes
    ]
    every = [change for _, _, changes in lanes for change in changes]
    if not every:
        return None
    times = [_time(change.date) for change in every]
    first, last = min(times), max(times)
    span = (last - first) or 86400.0
    plot_width = WIDTH - LABEL_WIDTH - MARGIN

    def x_of(moment: float) -> float:
        return round(LABEL_WIDTH + plot_width * (moment - first) / span, 1)

    chosen = set(selected)
    laid_lanes, marks = [], []
    for index, (label, href, changes) in enumerate(lanes):
        y = MARGIN + index * LANE_HEIGHT + LANE_HEIGHT / 2
        laid_lanes.append(Lane(label, y, href))
        for day, same_day in _by_day(changes).items():
            kind = min((change.kind for change in same_day), key=KINDS.index)
            lead = min(same_day, key=lambda change: KINDS.index(change.kind))
            title = f"{day}: " + "; ".join(change.summary for change in same_day[:3])
            if len(same_day) > 3:
                title += f"; and {len(same_day) - 3} more"
            marks.append(
                Mark(
                    x_of(_time(lead.date)),
                    y,
                    kind,
                    title,
                    lead.href,
                    any(change.href in chosen for change in same_day),
                )
            )
    axis_y = MARGIN + len(lanes) * LANE_HEIGHT
    counts: dict[str, int] = {}
    for change in every:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    return Chart(
        height=axis_y + AXIS_HEIGHT,
        lanes=laid_lanes,
        marks=marks,
        ticks=[Tick(x_of(moment), label) for moment, label in _ticks(first, last)],
        counts=counts,
        axis_y=axis_y,
    )


def _by_day(changes: list[Change]) -> dict[str, list[Change]]:
    days: dict[str, list[Change]] = {}
    for change in sorted(changes, key=lambda change: change.date):
        days.setdefault(change.date[:10], []).append(change)
    return days


def _time(iso: str) -> float | None:
    """Seconds since the epoch; None for a date no calendar has (it gets no mark)."""
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _ticks(first: float, last: float) -> list[tuple[float, str]]:
    """Year starts on the axis; month starts when the whole span is under two years."""
    start, end = datetime.fromtimestamp(first, UTC), datetime.fromtimestamp(last, UTC)
    if end.year - start.year >= 2:
        moments = [datetime(year, 1, 1, tzinfo=UTC) for year in range(start.year, end.year + 2)]
        return [(m.timestamp(), str(m.year)) for m in moments if first <= m.timestamp() <= last]
    ticks = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        moment = datetime(year, month, 1, tzinfo=UTC)
        if first <= moment.timestamp() <= last:
            ticks.append((moment.timestamp(), moment.strftime("%Y-%m")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


# --- what the pages chart ------------------------------------------------------------------------


def _changes(conn: Connection, where: str, params: list) -> list[dict]:
    """Compared versions, oldest first; one with an impossible date (a misnamed archive
    file) has no place on a time axis and is left out."""
    return fetch_dicts(
        conn,
        "select c.detected_at, c.significance, c.summary, c.old_version_id, c.new_version_id, "
        "d.service, d.document_type, s.name as service_name from changes c "
        "join documents d on d.id = c.document_id join services s on s.slug = d.service "
        f"where c.kind = 'text' and c.significance is not null and {where} "
        "and julianday(c.detected_at) is not null order by c.detected_at",
        params,
    )


def _change(row: dict) -> Change:
    href = (
        f"/history/{row['service']}/{row['document_type']}"
        f"?from={row['old_version_id']}&to={row['new_version_id']}"
    )
    return Change(row["detected_at"], row["significance"], row["summary"], href)


def document_chart(
    conn: Connection, document_id: str, selected: Iterable[str] = ()
) -> Chart | None:
    """A document's changes, one lane per kind."""
    changes = [_change(row) for row in _changes(conn, "c.document_id = ?", [document_id])]
    lanes = [
        (KIND_LABELS[kind], None, [change for change in changes if change.kind == kind])
        for kind in KINDS
    ]
    return chart(lanes, selected)


def overview_chart(conn: Connection) -> Chart | None:
    """Every service's changes, one lane per service (its documents together)."""
    by_service: dict[str, tuple[str, list[Change]]] = {}
    for row in _changes(conn, "1 = 1", []):
        name, changes = by_service.setdefault(row["service"], (row["service_name"], []))
        changes.append(_change(row))
    lanes = [
        (name, f"/history#{slug}", changes)
        for slug, (name, changes) in sorted(by_service.items(), key=lambda item: item[1][0].lower())
    ]
    return chart(lanes)
