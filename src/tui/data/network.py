"""Who met whom: an entity's neighbourhood one and two hops away, as a tree.

Hop one is what the entity takes part in or belongs to (meetings, commitments, positions, the
people of an organization; a meeting's participants and the meetings it includes); hop two is
who else is there: a meeting's other participants, a commitment's other parties, an
organization's people, a person's organizations.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from tui.data.dates import stated_sql
from tui.data.queries import entity
from tui.formatting import counted
from tui.kinds import kind_label

CHILD_LIMIT = 50  # per node; the rest are counted in `more`
# Who meets whom: a neighbourhood reaches these, and starts from one of them or a meeting.
NETWORK_KINDS = ("person", "organization")
NETWORK_ROOTS = (*NETWORK_KINDS, "meeting")

# Hop one: (relation from the root in `entity_links`, group title), in display order.
HOP_ONE: tuple[tuple[str, str], ...] = (
    ("participant", "participants"),  # (a meeting's: who took part, and in what it includes)
    ("includes", "included meetings"),
    ("meeting", "meetings"),
    ("commitment", "commitments"),
    ("position", "positions"),
    ("person", "people"),
)
# Hop two: from a node of this kind, the relation that leads to who else is there.
HOP_TWO = {
    "meeting": "participant",
    "commitment": "party",
    "organization": "person",
    "person": "position",
}


@dataclass
class Node:
    ref: str | None  # None for a group heading
    kind: str
    name: str
    note: str = ""  # a role, a date
    children: list[Node] = field(default_factory=list)
    more: int = 0  # children not listed (beyond the limit)

    def as_json(self) -> dict:
        return {
            "ref": self.ref,
            "kind": self.kind,
            "name": self.name,
            "note": self.note,
            "children": [child.as_json() for child in self.children],
            "more": self.more,
        }


# Dates as stated (stored whole: see tui.data.dates).
_DATE = (
    f"coalesce({stated_sql('m.date', 'm.date_precision')}, "
    f"{stated_sql('c.date', 'c.date_precision')})"
)
_LINKS = f"""
    SELECT l.to_ref, e.kind, e.name, l.role, {_DATE} AS date, c.date_precision
    FROM entity_links AS l JOIN entities AS e ON e.ref = l.to_ref
    LEFT JOIN meetings AS m ON m.ref = l.to_ref
    LEFT JOIN commitments AS c ON c.ref = l.to_ref
    WHERE l.from_ref = ? AND l.relation = ? AND l.to_ref <> ?
    ORDER BY coalesce({_DATE}, ''), e.name COLLATE NOCASE, e.ref
    LIMIT ?"""  # noqa: S608 - constant fragments


def _count(conn: sqlite3.Connection, ref: str, relation: str, root: str) -> int:
    return conn.execute(
        "SELECT count(*) FROM entity_links WHERE from_ref = ? AND relation = ? AND to_ref <> ?",
        (ref, relation, root),
    ).fetchone()[0]


def _links(conn: sqlite3.Connection, ref: str, relation: str, root: str, limit: int) -> list[Node]:
    """`ref`'s links of `relation`, the root left out, dated ones in date order."""
    nodes = []
    for to_ref, kind, name, role, date, precision in conn.execute(
        _LINKS, (ref, relation, root, limit)
    ):
        when = ("by " if precision == "target_year" else "") + date if date else ""
        note = "  ".join(part for part in (role or "", when) if part)
        nodes.append(Node(to_ref, kind, name, note))
    return nodes


def neighbourhood(conn: sqlite3.Connection, ref: str, limit: int = CHILD_LIMIT) -> Node:
    """The tree rooted at `ref`: group headings, hop-one nodes, and their hop-two nodes (the
    root itself left out). Raises `NotFoundError` for an unknown ref."""
    found = entity(conn, ref)
    root = Node(ref, found["kind"], found["name"])
    for relation, title in HOP_ONE:
        total = _count(conn, ref, relation, ref)
        if not total:
            continue
        group = Node(None, "group", f"{title} ({total:,})", more=max(0, total - limit))
        for node in _links(conn, ref, relation, ref, limit):
            follow = HOP_TWO.get(node.kind)
            if follow and node.ref:
                node.children = _links(conn, node.ref, follow, ref, limit)
                node.more = max(0, _count(conn, node.ref, follow, ref) - len(node.children))
            group.children.append(node)
        root.children.append(group)
    return root


def reached(root: Node) -> list[Node]:
    """The distinct people and organizations two hops away (who the root met or worked with);
    from a meeting, also those one hop away (who took part in it)."""
    seen: dict[str, Node] = {}
    for group in root.children:
        for node in group.children:
            if root.kind not in NETWORK_KINDS and node.kind in NETWORK_KINDS:
                seen.setdefault(node.ref or "", node)
            for other in node.children:
                if other.kind in NETWORK_KINDS and other.ref not in seen:
                    seen[other.ref or ""] = other
    return sorted(seen.values(), key=lambda n: n.name.casefold())


def reached_words(count: int) -> str:
    """`2 people and organizations two hops away`, `1 person or organization ...`."""
    return f"{counted(count, 'person or organization', 'people and organizations')} two hops away"


def tree_lines(root: Node) -> list[str]:
    """The tree as indented text with guides, for the command line."""
    lines = [f"{root.name}  [{kind_label(root.kind)}]  {root.ref}"]

    def walk(node: Node, prefix: str) -> None:
        children = list(node.children)
        for index, child in enumerate(children):
            last = index == len(children) - 1 and not node.more
            branch, extend = ("└── ", "    ") if last else ("├── ", "│   ")
            if child.ref is None:
                text = child.name
            else:
                text = f"{child.name}  [{kind_label(child.kind)}]"
                if child.note:
                    text += f"  {child.note}"
                text += f"  {child.ref}"
            lines.append(prefix + branch + text)
            walk(child, prefix + extend)
        if node.more:
            lines.append(f"{prefix}└── … {node.more:,} more")

    walk(root, "")
    return lines
