"""Read seed files within bounds: a size cap, regular files only, strict UTF-8, and YAML with
limited nesting and alias expansion.

A seed is untrusted input. Whatever a file holds, reading it either returns plain data or raises
one `SeedError` naming the file, the line where there is one, and the problem, quickly: a FIFO
does not block, a billion-laughs document does not expand, deep nesting does not recurse
without end, and a number or text that a database or JSON cannot hold is refused here, with its
line, rather than failing later without one. `read_yaml` is the one way to load seed YAML.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from tui.errors import SeedError

LINE = "__line__"  # the key under which every loaded mapping keeps its line (1-based)


@dataclass(frozen=True)
class Limits:
    """How much a seed file may hold."""

    max_bytes: int = 4 * 1024 * 1024  # per file, article or YAML: a few seconds of parsing
    max_depth: int = 64  # nested lists and mappings
    max_nodes: int = 1_000_000  # values in one YAML file, counting each alias as what it names


LIMITS = Limits()
INT64 = (-(2**63), 2**63 - 1)  # what SQLite stores as an integer
_MAX_NUMBER_CHARS = 100  # longer digit strings are refused before Python converts them

# Raw characters refused in YAML: C0 controls but tab, LF and CR; DEL; C1 controls (NEL too,
# which YAML would take as a line break); the two non-characters. Escapes ("\e") stay allowed.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")  # what YAML counts as a line break
_BOM = "\ufeff"


def read_bytes(path: Path, shown: str, limits: Limits = LIMITS) -> bytes:
    """The bytes of the regular file at `path` (symlinks followed), at most `limits.max_bytes`.

    Opens without blocking, so a FIFO or a device is refused instead of waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SeedError(shown, "file not found") from None
    except OSError as exc:
        raise SeedError(shown, f"cannot read file ({exc.strerror})") from None
    except ValueError:  # a NUL in the name
        raise SeedError(shown, "file name holds a NUL character") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SeedError(shown, f"not a regular file (a {_file_type(mode)})")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        raise SeedError(shown, f"cannot read file ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > limits.max_bytes:
        raise SeedError(shown, f"file is larger than {limits.max_bytes // (1024 * 1024)} MiB")
    return data


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special file"


def decode_text(data: bytes, shown: str) -> str:
    """`data` as strict UTF-8, a leading byte-order mark dropped."""
    if b"\0" in data:  # UTF-16 without a byte-order mark decodes as "UTF-8" with NULs
        at = data.index(b"\0")
        raise SeedError(shown, f"not UTF-8 text (a NUL byte at offset {at}: UTF-16?)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError(
            shown, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    return text.removeprefix(_BOM)


def read_text(path: Path, shown: str, limits: Limits = LIMITS) -> str:
    """The text of the file at `path`, read within `limits` (see `read_bytes`, `decode_text`)."""
    return decode_text(read_bytes(path, shown, limits), shown)


def read_yaml(
    path: Path,
    shown: str,
    *,
    records: bool = False,
    limits: Limits = LIMITS,
    check: Callable[[yaml.Node | None], None] | None = None,
) -> Any:
    """The YAML document in `path` as plain data, read within `limits`.

    Mappings are dicts that keep their line under `LINE`; dates stay text; duplicate keys,
    non-finite floats, integers beyond 64 bits, lone surrogates and raw control characters are
    refused with their line. With `records`, the document must be a list of mappings (an empty
    file is an empty list) and an item that is not a mapping is refused with its line.
    `check` sees the composed document first, where every value still has its line."""
    text = read_text(path, shown, limits)
    bad = _RAW_CONTROL.search(text)
    if bad:
        raise SeedError(
            shown,
            f"invalid YAML: raw control character U+{ord(bad.group()):04X} "
            f"(write it as an escape in a double-quoted string)",
            _line_at(text, bad.start()),
        )
    loader = _BoundedLoader(text, limits)
    try:
        root = loader.get_single_node()
        if records:
            _check_records(root, shown)
        if check is not None:
            check(root)
        data = None if root is None else loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed"
        prefix = "" if isinstance(exc, _Refused) else "invalid YAML: "
        raise SeedError(shown, prefix + problem, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise SeedError(shown, f"invalid YAML: {exc}", loader.last_line) from None
    except RecursionError:  # limits.max_depth is meant to prevent it; a second guard
        raise SeedError(shown, "invalid YAML: nested too deeply", loader.last_line) from None
    except ValueError as exc:  # an escape naming no character, in the Python parser
        raise SeedError(shown, f"invalid YAML: {exc}", loader.last_line) from None
    finally:
        loader.dispose()
    if records:
        return [] if data is None else data
    return data


def _line_at(text: str, index: int) -> int:
    return len(_BREAK.findall(text, 0, index)) + 1


def _check_records(root: yaml.Node | None, shown: str) -> None:
    if root is None:
        return
    if not isinstance(root, yaml.SequenceNode):
        raise SeedError(
            shown, "expected a list of records at the top level", root.start_mark.line + 1
        )
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            raise SeedError(
                shown,
                f"expected a record (mapping), found {node_name(item)}",
                item.start_mark.line + 1,
            )


def node_name(node: yaml.Node) -> str:
    """What a composed YAML value is, in a message: list, str, int, ..."""
    return _NODE_NAMES.get(node.tag.rsplit(":", 1)[-1], node.tag)


_NODE_NAMES = {"seq": "list", "str": "str", "int": "int", "float": "float", "bool": "bool",
               "null": "nothing (null)", "binary": "bytes", "set": "set", "omap": "list",
               "pairs": "list", "timestamp": "timestamp"}  # fmt: skip


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that a seed may not hold, or beyond `Limits`; the problem is the whole story."""


def _refuse(problem: str, mark: Any) -> _Refused:
    return _Refused(problem=problem, problem_mark=mark)


# The loader whose parser gives the events; only its parsing is used. libyaml's is some 4x
# faster; composing stays in Python, in `_BoundedLoader`, to hold the limits.
PARSER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BoundedLoader(Composer, SafeConstructor, Resolver):
    """A safe loader that reads events from `PARSER`, bounds nesting and alias expansion,
    keeps each mapping's line, and leaves dates as text."""

    def __init__(self, stream: str, limits: Limits) -> None:
        self._parser = PARSER(stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.limits = limits
        self.last_line: int | None = None
        self._depth = 0
        self._nodes = 0  # values composed so far, each alias counted as the size of its target
        self._sizes: dict[str, int] = {}  # anchor -> the size of what it names
        self._open: set[str] = set()  # anchors whose node is still being composed

    def check_event(self, *choices: type[yaml.Event]) -> bool:
        return bool(self._parser.check_event(*choices))

    def peek_event(self) -> yaml.Event:
        return self._parser.peek_event()

    def get_event(self) -> yaml.Event:
        return self._parser.get_event()

    def dispose(self) -> None:
        self._parser.dispose()

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node:
        event = self.peek_event()
        mark: Any = event.start_mark  # PyYAML's Mark, or libyaml's
        self.last_line = mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _refuse(f"alias *{event.anchor} is inside the value it names", mark)
            self._count(self._sizes.get(event.anchor or "", 0), mark)
            return cast(yaml.Node, super().compose_node(parent, index))
        self._depth += 1
        if self._depth > self.limits.max_depth:
            raise _refuse(f"nested deeper than {self.limits.max_depth} levels", mark)
        anchor = getattr(event, "anchor", None)
        before = self._nodes
        self._count(1, mark)
        if anchor is not None:
            self._open.add(anchor)
        try:
            node = cast(yaml.Node, super().compose_node(parent, index))
        finally:
            self._depth -= 1
            self._open.discard(anchor)
        if anchor is not None:
            self._sizes[anchor] = self._nodes - before
        if isinstance(node, yaml.ScalarNode):
            try:
                node.value.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = ord(node.value[exc.start])
                raise _refuse(f"a lone surrogate \\u{code:04x} is not text", mark) from None
        return node

    def _count(self, nodes: int, mark: Any) -> None:
        self._nodes += nodes
        if self._nodes > self.limits.max_nodes:
            raise _refuse(
                f"more than {self.limits.max_nodes:,} values once aliases are expanded", mark
            )


def _mapping_with_line(loader: _BoundedLoader, node: yaml.MappingNode) -> dict[str, Any]:
    counts = Counter((k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode))
    duplicates = sorted(value for (_, value), n in counts.items() if n > 1)
    if duplicates:
        raise yaml.MarkedYAMLError(
            problem=f"duplicate key {duplicates[0]!r}", problem_mark=node.start_mark
        )
    # Keys are whatever YAML gave (validation names a non-string one); typed as str for readers.
    mapping = cast(dict[str, Any], loader.construct_mapping(node, deep=True))
    mapping[LINE] = node.start_mark.line + 1
    return mapping


def _bounded_int(loader: _BoundedLoader, node: yaml.ScalarNode) -> int:
    if len(node.value) > _MAX_NUMBER_CHARS:
        raise _refuse(f"integer {node.value[:20]}… is beyond 64 bits", node.start_mark)
    value: int = loader.construct_yaml_int(node)
    if not INT64[0] <= value <= INT64[1]:
        raise _refuse(f"integer {node.value} is beyond 64 bits", node.start_mark)
    return value


def _finite_float(loader: _BoundedLoader, node: yaml.ScalarNode) -> float:
    value: float = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise _refuse(f"{node.value} is not a finite number", node.start_mark)
    return value


_BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BoundedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)  # type: ignore[type-var]
_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _bounded_int)  # type: ignore[type-var]
_BoundedLoader.add_constructor("tag:yaml.org,2002:float", _finite_float)  # type: ignore[type-var]
