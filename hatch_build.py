"""Hatchling build hook: a built wheel carries the schema and the bundled corpus.

They stay in `db/` and `seed/` in the checkout and are force-included into the wheel under
`tui/bundled/`, where `tui.paths` looks for them. An editable install gets no copy: it maps
`tui` to `src/tui` and reads the checkout's own files, so an edit to the seed is seen at once.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLED = {"db/schema.sql": "tui/bundled/schema.sql", "seed": "tui/bundled/seed"}


class BundleHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "standard":  # not "editable"
            build_data["force_include"].update(BUNDLED)
