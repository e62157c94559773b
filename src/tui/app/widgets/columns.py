"""Column widths for a table: each column as wide as its content, within the terminal."""

from __future__ import annotations

from collections.abc import Sequence

WIDEST_SHARE = 0.5  # no column wider than this share of the terminal unless asked


def fit(
    natural: Sequence[int], floors: Sequence[int], available: int, padding: int = 2
) -> list[int]:
    """Widths for columns whose content is `natural` cells wide: each as wide as its content
    (at most half the terminal, so a wide terminal shows wider columns); while the row is
    wider than `available`, the column with the most room above its floor gives a cell (a
    column narrower than its floor stays as narrow as its content). Past the floors, the
    table scrolls sideways."""
    cap = max(1, int(available * WIDEST_SHARE))
    lows = [max(1, min(floor, width)) for floor, width in zip(floors, natural, strict=True)]
    widths = [max(low, min(width, cap)) for low, width in zip(lows, natural, strict=True)]
    excess = sum(widths) + padding * len(widths) - available
    while excess > 0:
        room = [width - low for width, low in zip(widths, lows, strict=True)]
        most = max(room, default=0)
        if most <= 0:
            break
        # every column with the most room gives one cell, widest last column first
        for index in reversed(range(len(widths))):
            if room[index] == most and excess > 0:
                widths[index] -= 1
                excess -= 1
    return widths
