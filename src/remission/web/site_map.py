"""An offline map of a trial's sites: points placed from their coordinates on an SVG drawing,
no tile server. The projection is equirectangular with the x scale shrunk by cos(latitude) at
the centre of the drawing (Snyder, *Map Projections: A Working Manual*, USGS 1987, p. 90), so
distances look right near the sites, which is all a person reading it needs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from remission.domain.trial import Site
from remission.domain.vocab import OPEN_STATUSES

WIDTH, HEIGHT, PAD = 640.0, 360.0, 36.0


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    label: str
    status: str  # "open" | "closed" | "unknown"
    index: int  # the site's row in the sites table (1-based)


@dataclass(frozen=True)
class SiteMap:
    points: list[MapPoint]
    grid_x: list[tuple[float, str]]  # meridians: x, label
    grid_y: list[tuple[float, str]]  # parallels: y, label
    width: float = WIDTH
    height: float = HEIGHT


def _step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 30, 45):
        if span / step <= 6:
            return step
    return 60


def site_map(sites: list[Site]) -> SiteMap | None:
    located = [(i + 1, s) for i, s in enumerate(sites) if s.geo is not None]
    if not located:
        return None
    lats = [s.geo.lat for _, s in located if s.geo]
    lons = [s.geo.lon for _, s in located if s.geo]
    # At least 4 degrees across, so one site is not drawn alone in a featureless square.
    lat_mid, lon_mid = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    lat_span, lon_span = max(4.0, max(lats) - min(lats)), max(4.0, max(lons) - min(lons))
    k = math.cos(math.radians(lat_mid))
    scale = min((WIDTH - 2 * PAD) / (lon_span * k), (HEIGHT - 2 * PAD) / lat_span)

    def x(lon: float) -> float:
        return round(WIDTH / 2 + (lon - lon_mid) * k * scale, 1)

    def y(lat: float) -> float:
        return round(HEIGHT / 2 - (lat - lat_mid) * scale, 1)

    points = []
    for index, s in located:
        assert s.geo is not None
        status = "unknown" if s.status is None else ("open" if s.status.value in OPEN_STATUSES else "closed")
        points.append(MapPoint(x(s.geo.lon), y(s.geo.lat), s.city or s.facility or "", status, index))
    west, east = lon_mid - WIDTH / 2 / (k * scale), lon_mid + WIDTH / 2 / (k * scale)
    south, north = lat_mid - HEIGHT / 2 / scale, lat_mid + HEIGHT / 2 / scale
    step_x, step_y = _step(east - west), _step(north - south)
    grid_x = [(x(m), f"{abs(m):g}°{'E' if m >= 0 else 'W'}")
              for m in _ticks(west, east, step_x)]  # fmt: skip
    grid_y = [(y(p), f"{abs(p):g}°{'N' if p >= 0 else 'S'}")
              for p in _ticks(south, north, step_y)]  # fmt: skip
    return SiteMap(points, grid_x, grid_y)


def _ticks(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step) * step
    count = int((high - first) / step) + 1
    return [round(first + i * step, 6) for i in range(max(0, count))]
