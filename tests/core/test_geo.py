"""Great-circle distances checked against values worked out by hand, validated points, and a search
box that holds every point within the radius, near the poles and across the antimeridian too."""

from __future__ import annotations

import math

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.geo import EARTH_RADIUS_KM, Box, Point, bounding_box, distance_km

R = 6371.0088  # km, the IUGG mean radius the module says it uses


def test_the_module_uses_the_iugg_mean_earth_radius():
    assert EARTH_RADIUS_KM == R


def test_one_degree_of_longitude_on_the_equator_is_r_times_pi_over_180():
    # h = sin²(0) + cos 0 · cos 0 · sin²(0.5°) = sin²(0.5°); 2·asin(sin 0.5°) = 1° = π/180 rad
    # d = 6371.0088 × 0.0174532925 = 111.1950802 km
    assert distance_km(Point(0, 0), Point(0, 1)) == pytest.approx(111.1950802, rel=1e-9)


def test_pole_to_pole_and_antipodes_on_the_equator_are_half_the_circumference():
    # h = 1 in both cases, angle = 2·asin(1) = π, d = π × 6371.0088 = 20015.1144420 km
    assert distance_km(Point(90, 0), Point(-90, 0)) == pytest.approx(20015.1144420, rel=1e-9)
    assert distance_km(Point(0, 0), Point(0, 180)) == pytest.approx(20015.1144420, rel=1e-9)
    # Equator to pole is a quarter: 10007.5572210 km
    assert distance_km(Point(0, 37), Point(90, 0)) == pytest.approx(10007.5572210, rel=1e-9)


def test_london_to_paris_matches_the_haversine_worked_by_hand():
    # London 51.5074 N 0.1278 W, Paris 48.8566 N 2.3522 E
    # φ1 = 0.898973719 rad, φ2 = 0.852708531 rad
    # Δφ = -0.046265188 rad, Δλ = 2.4800° = 0.043284165 rad
    # sin²(Δφ/2)            = 5.3502146e-4
    # cos φ1 · cos φ2        = 0.622413554 × 0.657945861 = 0.409514431
    # sin²(Δλ/2)            = 4.6830662e-4  → second term 1.9177832e-4
    # h = 7.2679977e-4, √h = 0.0269592243, angle = 2·asin(√h) = 0.0539249820 rad
    # d = 6371.0088 × 0.0539249820 = 343.5565 km
    london, paris = Point(51.5074, -0.1278), Point(48.8566, 2.3522)

    assert distance_km(london, paris) == pytest.approx(343.5565, abs=1e-3)
    assert distance_km(paris, london) == distance_km(london, paris)


def test_suva_to_apia_takes_the_short_way_across_the_antimeridian():
    # Suva 18.1416 S 178.4419 E, Apia 13.8333 S 171.7500 W
    # Δλ as written is -350.1919°, but sin²(Δλ/2) = sin²(175.096°) = sin²(4.904°): the short way
    # is 9.8081° east across ±180°.
    # sin²(Δφ/2) = 1.4128693e-3 (Δφ = 0.075194020 rad)
    # cos φ1 · cos φ2 · sin²(Δλ/2) = 0.950289912 × 0.970995482 × 7.3080871e-3 = 6.7433708e-3
    # h = 8.1562401e-3, √h = 0.0903119044, angle = 0.1808702496 rad
    # d = 6371.0088 × 0.1808702496 = 1152.3260 km
    suva, apia = Point(-18.1416, 178.4419), Point(-13.8333, -171.75)

    assert distance_km(suva, apia) == pytest.approx(1152.3260, abs=1e-3)


def test_a_point_is_zero_km_from_itself():
    assert distance_km(Point(41.8781, -87.6298), Point(41.8781, -87.6298)) == 0.0


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (90.0001, 0, "latitude must be a number of degrees from -90 to 90"),
        (-91, 0, "latitude must be a number of degrees from -90 to 90"),
        (math.nan, 0, "latitude must be a number of degrees from -90 to 90"),
        (True, 0, "latitude must be a number of degrees from -90 to 90"),
        ("41.9", 0, "latitude must be a number of degrees from -90 to 90"),
        (0, 180.5, "longitude must be a number of degrees from -180 to 180"),
        (0, -math.inf, "longitude must be a number of degrees from -180 to 180"),
        (0, None, "longitude must be a number of degrees from -180 to 180"),
    ],
)
def test_a_point_outside_the_globe_is_rejected_naming_the_field_and_range(lat, lon, message):
    with pytest.raises(InvalidInput) as raised:
        Point(lat, lon)

    assert str(raised.value) == message
    assert raised.value.field == message.split()[0]


def test_the_edges_of_the_globe_are_valid_points():
    assert Point(90, 180) == Point(90.0, 180.0)
    assert Point(-90, -180).lon == -180.0


def test_a_negative_or_missing_radius_is_rejected():
    for radius in (-1, math.nan, None):
        with pytest.raises(
            InvalidInput, match="^radius_km must be a number of kilometres, 0 or more$"
        ):
            bounding_box(Point(0, 0), radius)


def test_a_box_far_from_poles_and_antimeridian_is_one_tight_range():
    box = bounding_box(Point(41.8781, -87.6298), 10)

    # r = 10 / 6371.0088 = 0.00156961 rad = 0.0899320 degrees of latitude either side
    assert box.north - 41.8781 == pytest.approx(0.0899320, abs=1e-6)
    assert 41.8781 - box.south == pytest.approx(0.0899320, abs=1e-6)
    (west, east), *rest = box.lon_ranges
    assert rest == []
    # sin r / cos 41.8781° = 0.00156961 / 0.74456676 = 0.00210808; asin → 0.1207844 degrees
    # of longitude either side (wider than the latitude band: meridians converge)
    assert east - (-87.6298) == pytest.approx(0.1207844, abs=1e-6)
    assert (-87.6298) - west == pytest.approx(0.1207844, abs=1e-6)


def test_a_circle_across_the_antimeridian_gives_two_longitude_ranges():
    box = bounding_box(Point(-17.7, 179.9), 100)

    # sin r / cos 17.7° = 0.01569546 / 0.95266148 → 0.9440123 degrees either side of 179.9:
    # 178.9559877 to 180.8440123, and 180.8440123 - 360 = -179.1559877 across the antimeridian
    (west, east), (west2, east2) = box.lon_ranges
    assert (west, east) == (pytest.approx(178.9559877, abs=1e-6), 180.0)
    assert (west2, east2) == (-180.0, pytest.approx(-179.1559877, abs=1e-6))
    assert box.contains(Point(-17.7, -179.5))
    assert box.contains(Point(-17.7, 179.5))
    assert not box.contains(Point(-17.7, 0))


def test_a_circle_around_a_pole_takes_every_longitude():
    box = bounding_box(Point(89.5, 10), 100)

    # 100 km = 0.8993204 degrees of latitude, and 89.5 + 0.899 passes over the pole
    assert box == Box(
        south=pytest.approx(89.5 - 0.8993204, abs=1e-6), north=90.0, lon_ranges=((-180.0, 180.0),)
    )


CENTERS = [
    Point(0, 0),
    Point(41.8781, -87.6298),  # Chicago
    Point(-33.8688, 151.2093),  # Sydney
    Point(0, 180),
    Point(0, -180),
    Point(65.0, 179.7),  # Chukotka, near the antimeridian at high latitude
    Point(-60.0, -179.95),
    Point(89.95, 0),  # near the North Pole
    Point(-89.2, 123),  # near the South Pole
    Point(80.0, -45),
]
RADII_KM = [1, 25, 400, 3000]


def _destination(center: Point, bearing_deg: float, km: float) -> Point:
    """The point at `km` along `bearing_deg` from `center` on the same sphere (direct problem)."""
    delta = km / R
    phi1, lam1, theta = (
        math.radians(center.lat),
        math.radians(center.lon),
        math.radians(bearing_deg),
    )
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    lon = (math.degrees(lam2) + 540.0) % 360.0 - 180.0
    return Point(max(-90.0, min(90.0, math.degrees(phi2))), lon)


def _grid(step: float) -> list[Point]:
    lats = [-90 + step * i for i in range(int(180 / step) + 1)]
    lons = [-180 + step * j for j in range(int(360 / step) + 1)]
    return [Point(lat, lon) for lat in lats for lon in lons]


@pytest.mark.parametrize("center", CENTERS, ids=lambda p: f"{p.lat},{p.lon}")
def test_the_box_holds_every_point_within_the_radius(center):
    rings = [
        _destination(center, bearing, RADIUS * fraction)
        for RADIUS in RADII_KM
        for bearing in range(0, 360, 3)
        for fraction in (0.5, 0.9, 0.999, 1.0)
    ]
    for radius in RADII_KM:
        box = bounding_box(center, radius)
        inside = [
            p for p in [*rings, *_grid(3.0), *_near(center)] if distance_km(center, p) <= radius
        ]

        missed = [p for p in inside if not box.contains(p)]

        assert inside, "the check needs points within the radius"
        assert missed == [], f"radius {radius} km"


def _near(center: Point) -> list[Point]:
    """A fine grid around the center, wrapped across ±180° and clipped at the poles."""
    points = []
    for i in range(-30, 31):
        for j in range(-30, 31):
            lat = max(-90.0, min(90.0, center.lat + i * 0.05))
            lon = (center.lon + j * 0.05 + 540.0) % 360.0 - 180.0
            points.append(Point(lat, lon))
    return points
