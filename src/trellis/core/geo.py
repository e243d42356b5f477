"""Distances on the Earth, and the latitude/longitude box to pre-filter "within R km of a point".

The Earth is taken as a sphere of the IUGG mean radius R1 = 6371.0088 km (the mean of the three
semi-axes of the GRS 80 ellipsoid: Moritz H. Geodetic Reference System 1980. J Geod 2000;74:128-33).
A great-circle distance on that sphere is within about 0.5% of the ellipsoidal one, which is more
than enough to rank community services by how far away they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

from trellis.core.errors import InvalidInput

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius R1 (Moritz 2000)
# The box is widened by one part in a billion (micrometres at directory scale) so that floating-
# point rounding never leaves out a point whose distance comes out at exactly the radius.
WIDEN = 1e-9


@dataclass(frozen=True, slots=True)
class Point:
    """A WGS 84 position in decimal degrees, checked on creation."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "lat", _degrees(self.lat, "latitude", 90))
        object.__setattr__(self, "lon", _degrees(self.lon, "longitude", 180))


@dataclass(frozen=True, slots=True)
class Box:
    """Every point within the radius has south <= lat <= north and its lon in one of the ranges.

    Use it as an indexable pre-filter, then keep the rows whose `distance_km` is within the radius:
    `latitude BETWEEN south AND north AND (longitude BETWEEN w1 AND e1 OR longitude BETWEEN w2 AND
    e2)`. There are two longitude ranges when the circle crosses the antimeridian (±180°); a circle
    around a pole takes every longitude.
    """

    south: float
    north: float
    lon_ranges: tuple[tuple[float, float], ...]  # (west, east), west <= east, one or two

    def contains(self, point: Point) -> bool:
        return self.south <= point.lat <= self.north and any(
            west <= point.lon <= east for west, east in self.lon_ranges
        )


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance by the haversine formula, stable for short and antipodal distances."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    d_phi, d_lam = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def bounding_box(center: Point, radius_km: float) -> Box:
    """The smallest latitude/longitude box holding every point within `radius_km` of `center`.

    Bounding coordinates as in J. P. Matuschek, "Finding Points Within a Distance of a
    Latitude/Longitude Using Bounding Coordinates" (2010): the latitude band is exact, and the
    longitude half-width is asin(sin r / cos lat) for an angular radius r, the longitude at which
    the circle touches a meridian.
    """
    r = _radius(radius_km) / EARTH_RADIUS_KM * (1 + WIDEN)
    phi, lam = math.radians(center.lat), math.radians(center.lon)
    south, north = phi - r, phi + r
    if south <= -math.pi / 2 or north >= math.pi / 2:
        # A pole lies within the radius: every longitude is reachable.
        return Box(
            south=max(math.degrees(south), -90.0),
            north=min(math.degrees(north), 90.0),
            lon_ranges=((-180.0, 180.0),),
        )
    half = math.asin(min(1.0, math.sin(r) / math.cos(phi)))
    return Box(
        south=math.degrees(south),
        north=math.degrees(north),
        lon_ranges=_lon_ranges(math.degrees(lam - half), math.degrees(lam + half)),
    )


def _lon_ranges(west: float, east: float) -> tuple[tuple[float, float], ...]:
    """Split a longitude span that runs past ±180° into two ranges that each stay inside it."""
    if west < -180.0:
        return ((west + 360.0, 180.0), (-180.0, east))
    if east > 180.0:
        return ((west, 180.0), (-180.0, east - 360.0))
    return ((west, east),)


def _degrees(value: object, field: str, limit: int) -> float:
    allowed = f"a number of degrees from -{limit} to {limit}"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidInput(field, allowed)
    number = float(value)
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise InvalidInput(field, allowed)
    return number


def _radius(value: object) -> float:
    allowed = "a number of kilometres, 0 or more"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidInput("radius_km", allowed)
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise InvalidInput("radius_km", allowed)
    return number
