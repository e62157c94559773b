"""Roundtable: a terminal explorer of who met whom and who promised what."""

import os

# Textual draws at most TEXTUAL_FPS frames a second, so a key's result waits for the next frame
# slot: at Textual's default of 60 that wait is most of a keystroke's latency. 120 halves it;
# a frame is still drawn only when something changed. Set TEXTUAL_FPS to choose otherwise.
os.environ.setdefault("TEXTUAL_FPS", "120")

__version__ = "0.1.0"
