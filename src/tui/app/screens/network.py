"""Who met whom (`w`): a person's, organization's or meeting's neighbourhood, two hops, as a
tree."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from tui.app.keys import bindings
from tui.app.navigation import ExplorerAccess
from tui.app.screens.lifecycle import call_while_open
from tui.app.screens.moving import move_focused
from tui.app.widgets.breadcrumb import Breadcrumb
from tui.app.widgets.key_hints import KeyHints
from tui.data.network import (
    NETWORK_KINDS,
    NETWORK_ROOTS,
    Node,
    neighbourhood,
    reached,
    reached_words,
)
from tui.errors import UserError
from tui.kinds import kind_label
from tui.safe_text import plain


def node_label(node: Node) -> Text:
    """`Name  role  [kind]`, bold for people and organizations, headings underlined."""
    if node.ref is None:
        return Text(node.name, style="bold underline")
    bold = node.kind in NETWORK_KINDS
    text = plain(node.name, "bold" if bold else "")
    if node.note:
        text.append("  ")
        text.append_text(plain(node.note, "dim"))
    text.append(f"  [{kind_label(node.kind)}]", style="dim")
    return text


class NetworkTree(Tree[str | None]):
    """Enter opens the entity under the cursor; space folds and unfolds."""

    BINDINGS = bindings("tree")


class NetworkScreen(Screen, ExplorerAccess):
    BINDINGS = bindings("network")

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.crumb = f"who met whom: {ref}"
        self.root_node: Node | None = None

    def compose(self) -> ComposeResult:
        yield Breadcrumb()
        yield Static(id="network-title", markup=False)
        tree = NetworkTree(Text(self.ref), id="network-tree")
        tree.auto_expand = False
        tree.show_root = True
        yield tree
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one(Static).update(Text("Loading…", style="dim"))
        self.load()

    @work(thread=True, exclusive=True, group="network")
    def load(self) -> None:
        try:
            root = neighbourhood(self.explorer.store.conn, self.ref)
        except UserError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error", markup=False)
            return
        call_while_open(self, self.show, root)

    def show(self, root: Node) -> None:
        self.root_node = root
        self.crumb = f"who met whom: {root.name}"
        met = reached(root)
        title = Text("Who met whom  ", style="bold")
        title.append(reached_words(len(met)), style="dim")
        self.query_one("#network-title", Static).update(title)
        tree = self.query_one(NetworkTree)
        tree.clear()
        tree.root.set_label(node_label(root))
        tree.root.data = root.ref
        self._add(tree.root, root)
        tree.root.expand_all()
        tree.focus()
        tree.move_cursor(tree.root)
        self.query_one(Breadcrumb).refresh_path()

    def _add(self, parent: TreeNode[str | None], node: Node) -> None:
        for child in node.children:
            if child.children or child.more:
                branch = parent.add(node_label(child), data=child.ref)
                self._add(branch, child)
            else:
                parent.add_leaf(node_label(child), data=child.ref)
        if node.more:
            parent.add_leaf(Text(f"… {node.more:,} more", style="dim"), data=None)

    def current_ref(self) -> str | None:
        node = self.query_one(NetworkTree).cursor_node
        return node.data if node is not None and node.data else self.ref

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        ref = event.node.data
        if ref:
            self.explorer.open_entity(ref)

    def action_move(self, action: str) -> None:
        move_focused(self, action)

    def action_recentre(self) -> None:
        ref = self.current_ref()
        if ref and ref != self.ref and ref.split(":", 1)[0] in NETWORK_ROOTS:
            self.explorer.open_network(ref)
        elif ref != self.ref:
            self.app.bell()
