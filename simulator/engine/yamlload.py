"""`yaml.safe_load` that refuses alias bombs, recursive anchors and runaway nesting before construction.

PyYAML composes an alias as a second reference to the anchored node, so a 600-byte document of
nested aliases (billion laughs) is a small graph that expands to gigabytes the moment anything walks
it as a tree (validation, copying, JSON). The composed graph is checked first: its tree size, counted
without building it, may exceed its own node count by at most MAX_ALIAS_NODES, and no alias may point
into the node that contains it. Only then is it constructed, with the safe constructor.

A document with no alias in it (no `*`) is built straight from libyaml's parser events, its nesting
checked on the way (a 100 000-entry scenario: half the time of PyYAML's composer and constructor);
anything it cannot build exactly as SafeLoader would (a tag, an anchor, a merge key, an error) goes
through the Python loader above, so every answer and error is worded the same either way.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml: the Python loader reads everything
    _CParser = None

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


_SLOW = object()
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_CACHE_LIMIT = 4096  # distinct short plain scalars remembered: a large scenario repeats a few words


class _PlainScalars:
    """The value of a plain (unquoted) scalar, as SafeLoader builds it; short words memoised in `known`.

    Every value built here is immutable (str, int, float, bool, None, date, datetime), so one object
    may stand for every occurrence."""

    def __init__(self) -> None:
        self._resolver = yaml.resolver.Resolver()
        self._constructor = yaml.constructor.SafeConstructor()
        self.known: dict[str, Any] = {}

    def value(self, text: str) -> Any:
        if text.isdigit() and text.isascii() and (text[0] != "0" or text == "0"):
            return int(text)  # YAML 1.1 decimal (a leading 0 is octal): the ids of a large scenario
        tag = self._resolver.resolve(ScalarNode, text, (True, False))
        if tag == _STR_TAG:
            value: Any = text
        elif tag in _SCALAR_TAGS:
            value = self._constructor.yaml_constructors[tag](self._constructor, ScalarNode(tag, text))
        else:  # '<<' (merge) and '=' (value) change the mapping around them: the full loader's job
            raise _NotPlain
        if len(text) <= 64 and len(self.known) < _PLAIN_CACHE_LIMIT:
            self.known[text] = value
        return value


_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))


class _NotPlain(Exception):
    """The document needs the full loader (a tag, an anchor, a merge key, an unhashable key...)."""


def _build(parser: Any) -> Any:
    """The single document of libyaml's event stream, built without composing nodes: PyYAML's
    composer and constructor cost several Python calls a value, this loop one pass. Raises _NotPlain
    for anything it does not build exactly as SafeLoader would."""
    scalars = _PlainScalars()
    get, known, plain = parser.get_event, scalars.known, scalars.value
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        raise _NotPlain
    containers: list[Any] = []  # open sequences and mappings, innermost last
    keys: list[Any] = []  # per open container: _SLOW, or a mapping's key awaiting its value
    root: Any = _SLOW
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            value = event.value
            if event.implicit[0]:  # plain: resolved (a quoted scalar is a string)
                value = known.get(value, _SLOW)
                if value is _SLOW:
                    value = plain(event.value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(containers) >= MAX_DEPTH - 1:
                raise _NotPlain  # the depth check: this node's children would be nested too deep
            containers.append({} if kind is MappingStartEvent else [])
            keys.append(_SLOW)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = containers.pop()
            keys.pop()
        elif kind is DocumentEndEvent:
            break
        else:  # an alias
            raise _NotPlain
        if not containers:
            root = value
            continue
        into = containers[-1]
        if type(into) is list:
            into.append(value)
        elif keys[-1] is _SLOW:
            if type(value) is dict or type(value) is list:
                raise _NotPlain  # an unhashable key: the full loader words the error
            keys[-1] = value
        else:
            into[keys[-1]] = value
            keys[-1] = _SLOW
    if type(get()) is not StreamEndEvent:  # a second document
        raise _NotPlain
    return root


def _fast_load(text: str) -> Any:
    """The document through libyaml, or _SLOW when only the Python loader can tell (an alias, a
    nesting beyond the limit, any error: its messages are the ones reported)."""
    if "*" in text or _CParser is None:  # an alias may lurk: the expansion check needs it
        return _SLOW
    parser = _CParser(text)
    try:
        return _build(parser)
    except Exception:  # noqa: BLE001 - reported by the Python loader, in its words
        return _SLOW
    finally:
        parser.dispose()


def bounded_safe_load(text: str) -> Any:
    document = _fast_load(text)
    if document is not _SLOW:
        return document
    loader = BoundedSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
