"""Spelling keys: one form for the many ways a name is written.

Names from Kazakh, Russian and Chinese reach English news in several transliterations
(Tokayev/Tokaev/Токаев, Kassym/Kasym, Zhomart/Jomart, Yerkin/Erkin). `spelling_key` folds
those differences away, so a name and its variants index and search under one key.
`one_edit_variants` gives the deletion neighbourhood used to tolerate a typo.
"""

from __future__ import annotations

import functools
import re
import unicodedata

WORD = re.compile(r"\w+", re.UNICODE)

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip

# Applied in order: longer clusters first, each to the simplest common spelling.
_CLUSTERS = (
    ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("tch", "c"), ("ch", "c"), ("ts", "c"),
    ("tz", "c"), ("sh", "s"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("q", "k"),
    ("x", "ks"), ("c", "k"), ("y", "i"),
)  # fmt: skip
_VOWELS = "aeiou"
_GLIDE = re.compile(r"(?<=[aeou])i(?=[aeiou])")  # Tokaiev -> Tokaev, Maia -> Maa
_DOUBLE = re.compile(r"(.)\1+")
_MAX_TOKEN = 64


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A word as the search index's tokenizer (unicode61, remove_diacritics) folds it: lower
    case, diacritics removed, every script kept (Токаев stays Cyrillic). Search compares typed
    words with indexed terms through this. (Cached: ranking folds each candidate's name words,
    and names share most words.)"""
    return _without_diacritics(text.lower())


def _without_diacritics(text: str) -> str:
    if text.isascii():
        return text  # (NFKD leaves ASCII as it is, and ASCII has no combining marks)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _transliterate(text: str) -> str:
    """Lower case, Cyrillic (Russian and Kazakh letters) in Latin letters."""
    return "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())


def spelling_key(token: str) -> str:
    """The transliteration-insensitive key of one word (empty for a word with no letters)."""
    key = _without_diacritics(_transliterate(token[:_MAX_TOKEN]))  # fold, and in Latin
    for cluster, simple in _CLUSTERS:
        key = key.replace(cluster, simple)
    key = _GLIDE.sub("", key)
    if len(key) > 1 and key[0] == "i" and key[1] in _VOWELS:
        key = key[1:]  # Yerkin -> Erkin, Yekaterina -> Ekaterina
    return _DOUBLE.sub(r"\1", key)


def words(text: str) -> list[str]:
    """The words of `text` as the search index splits them (letters and digits)."""
    return WORD.findall(text)


def keys_of(text: str) -> list[str]:
    """Distinct spelling keys of the words of `text`, in order."""
    seen: dict[str, None] = {}
    for word in words(text):
        key = spelling_key(word)
        if key and not key.isdigit():
            seen.setdefault(key, None)
    return list(seen)


def one_edit_variants(key: str) -> set[str]:
    """`key` and every string made by deleting one character from it.

    Two keys within one edit (insertion, deletion, substitution, adjacent swap) share at least
    one member of these sets, so a lookup table of variants finds near misses exactly.
    """
    variants = {key}
    variants.update(key[:i] + key[i + 1 :] for i in range(len(key)))
    return variants
