"""`yaml.safe_load` that refuses alias bombs, recursive anchors and runaway nesting before construction.

PyYAML composes an alias as a second reference to the anchored node, so a 600-byte document of
nested aliases (billion laughs) is a small graph that expands to gigabytes the moment anything walks
it as a tree (validation, copying, JSON). The composed graph is checked first: its tree size, counted
without building it, may exceed its own node count by at most MAX_ALIAS_NODES, and no alias may point
into the node that contains it. Only then is it constructed, with the safe constructor.

A document with no alias in it (no `*`) is read by libyaml first, its nesting checked on the composed
tree; anything it cannot read plainly goes through the Python loader above, so every error is worded
the same either way.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_ALIAS_NODES = 10_000  # nodes that aliases may add to the document, all aliases together
MAX_DEPTH = 100  # nesting of sequences and mappings


class YamlLimitError(yaml.YAMLError):
    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_expansion(root: Node) -> None:
    """Raise YamlLimitError for a cycle, or for aliases adding more than MAX_ALIAS_NODES nodes.

    An iterative walk over the distinct nodes: each node's expanded size is computed once.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            # the subtree holds at most len(sizes) distinct nodes: the rest is alias expansion
            if sizes[key] - len(sizes) > MAX_ALIAS_NODES:
                raise YamlLimitError(f"aliases expand the document by more than {MAX_ALIAS_NODES} nodes "
                                     "(an alias bomb?); write the values out instead", node.start_mark)
            continue
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise YamlLimitError("an alias refers to a node that contains it (a recursive anchor)",
                                     child.start_mark)
            if id(child) not in sizes:
                stack.append((child, False))


class BoundedSafeLoader(yaml.SafeLoader):
    """SafeLoader with a nesting limit while composing and the expansion check before constructing."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlLimitError(f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Node | None:
        node = super().get_single_node()
        if node is not None:
            check_expansion(node)
        return node


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser and composer (PyYAML's Python scanner takes 0.5 ms a resource entry), with the
    implicit type of each plain scalar remembered: a large scenario repeats the same few words."""

    _resolved: dict[tuple, Any] = {}

    def resolve(self, kind, value, implicit):
        if kind is not ScalarNode or len(value) > 64:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._resolved) < 4096:
                self._resolved[key] = tag
        return tag


def _within_depth(root: Node) -> bool:
    """No node nested deeper than MAX_DEPTH (a document without aliases is a tree)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        children = _children(node)
        if children and depth >= MAX_DEPTH:
            return False
        stack.extend((child, depth + 1) for child in children if type(child) is not ScalarNode)
    return True


def _fast_load(text: str) -> Any:
    """The document through libyaml, or _SLOW when only the Python loader can tell (an alias, a
    nesting beyond the limit, any error: its messages are the ones reported)."""
    if "*" in text or not hasattr(yaml, "CSafeLoader"):  # an alias may lurk: the expansion check needs it
        return _SLOW
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or not _within_depth(node):
            return _SLOW
        return loader.construct_document(node)
    except Exception:  # noqa: BLE001 - reported by the Python loader, in its words
        return _SLOW
    finally:
        loader.dispose()


_SLOW = object()


def bounded_safe_load(text: str) -> Any:
    document = _fast_load(text)
    if document is not _SLOW:
        return document
    loader = BoundedSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
