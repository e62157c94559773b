"""The user's keymap: a TOML file that rebinds any key of the table by its id, as Posting does.

    # ~/.config/roundtable/keymap.toml (the user config directory; ROUNDTABLE_KEYMAP overrides)
    [keymap]
    "app.search" = "slash,ctrl+s"
    "table.down_j" = "n"

Ids are those of `tui.app.keys` (the help screen shows the keys in force). A file that cannot
be used is reported in one line inside the explorer and otherwise ignored: the explorer still
opens with the default keys.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the same parser, as a package before 3.11
    import tomli as tomllib

from tui.app.keys import BY_ID
from tui.paths import APP_NAME

MAX_BYTES = 64 * 1024  # a keymap is a few lines; anything larger is not one
# Textual key names: letters, digits, `+` for modifiers, `_` in names such as `question_mark`.
_KEY_NAME = re.compile(r"[A-Za-z0-9_+]+|[^\s,\x00-\x1f\x7f]")


@dataclass
class Keymap:
    """Bindings rebound by id, and the one problem found reading the file, if any."""

    keys: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    path: Path | None = None


def keymap_path() -> Path:
    env = os.environ.get("ROUNDTABLE_KEYMAP")
    if env:
        return Path(env)
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "keymap.toml"


def load_keymap(path: Path | None = None) -> Keymap:
    """The keymap at `path` (default: `keymap_path()`); no file is no keymap."""
    path = path or keymap_path()
    found = Keymap(path=path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return found
    except (OSError, ValueError) as exc:
        found.problem = f"{path}: cannot read keymap ({getattr(exc, 'strerror', None) or exc})"
        return found
    if len(data) > MAX_BYTES:
        found.problem = f"{path}: keymap is larger than {MAX_BYTES // 1024} KiB"
        return found
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        found.problem = f"{path}: keymap is not UTF-8 text"
        return found
    except tomllib.TOMLDecodeError as exc:
        found.problem = f"{path}: keymap is not valid TOML ({exc})"
        return found
    section = table.get("keymap", {})
    if not isinstance(section, dict):
        found.problem = f'{path}: [keymap] must be a table of id = "keys"'
        return found
    for key_id, keys in section.items():
        if key_id not in BY_ID or BY_ID[key_id].action is None:
            found.problem = f"{path}: no key has the id {key_id!r} (the help screen lists them)"
            return found
        names = [name.strip() for name in keys.split(",")] if isinstance(keys, str) else []
        if not names or not all(_KEY_NAME.fullmatch(name) for name in names):
            found.problem = f'{path}: {key_id}: keys must be text such as "ctrl+s,slash"'
            return found
        found.keys[key_id] = ",".join(names)
    return found
