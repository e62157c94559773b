"""Roundtable: a terminal explorer of who met whom and who promised what."""

__version__ = "0.1.0"
