"""`dump_items(entries)`, `dump_mapping(value)`: what `yaml.safe_dump(..., sort_keys=False,
allow_unicode=True)` writes, fast.

PyYAML represents every value through Python code even with libyaml's emitter (about 150 us an
export entry: 15 s for 100 000). Plain data of the usual shapes (mappings with string keys, lists,
numbers, booleans, null, short one-line strings) is written here directly, in PyYAML's own block
style: two-space indents, sequences inside mappings not indented, a string quoted exactly when PyYAML
quotes it. An entry holding anything else (a long or multi-line string, non-ASCII text, a date, an
unusual object) is written by PyYAML itself, with its Python emitter (libyaml's escapes some text
differently). tests/engine/test_yamldump.py compares both.

`item_if_plain` and `mapping_if_plain` write only what this writer writes alone and whose keys a rule
accepts, and decline the rest (None): the export writes an entry under the namespace's lock without
copying it when masking would leave it as it is, and copies only the entries declined.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import ScalarNode

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_/.()+=~-]*(?:(?::|  ?)[A-Za-z0-9_/.()+=~-]+)*")
_WIDTH = 80  # PyYAML's best_width: a plain string with spaces may be folded beyond it
_written: dict[str, str] = {}  # a string without spaces -> how it is written (anywhere: no folding)


class _Unusual(Exception):
    """A value this writer does not handle: PyYAML writes the entry."""


def _string(text: str, column: int) -> str:
    """A string as PyYAML writes it starting at `column`: plain when nothing in it needs quoting and it
    does not read back as another type (a number, a boolean, a date, null), else single-quoted."""
    written = _written.get(text)
    if written is not None:
        return written
    if not text:
        return "''"
    if text.isdigit() and text.isascii() and text[0] != "0":
        return f"'{text}'"  # reads back as an int (an id, say): quoted; not remembered, ids are many
    if len(text) > 64 or not _PLAIN_TEXT.fullmatch(text):
        raise _Unusual
    if " " in text and column + len(text) > _WIDTH:
        raise _Unusual
    plain = _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR_TAG
    written = text if plain else f"'{text}'"
    if " " not in text and len(_written) < 2048:
        _written[text] = written
    return written


def _scalar(value: Any, column: int) -> str:
    """The scalar as PyYAML writes it when it starts at `column`; _Unusual if this writer cannot tell."""
    kind = type(value)
    if kind is str:
        return _string(value, column)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        text = repr(value)
        return _float(value, text) if "e" in text or "n" in text else text
    raise _Unusual


def _float(value: float, text: str) -> str:
    """A float whose repr has an exponent, or is not a number: plain digits are written as repr has them."""
    if value != value:
        return ".nan"
    if value in (_INF, -_INF):
        return ".inf" if value > 0 else "-.inf"
    return text.replace("e", ".0e", 1) if "." not in text else text


_INF = float("inf")


def _block_mapping(value: dict, indent: int, out: list[str], keys: _KeyTexts, first_prefix: str | None = None) -> None:
    """Each "key: value" line; a non-empty mapping value indented by two below, a sequence not indented.
    `keys` remembers how the keys allowed in this writing are written (see _key)."""
    spaces = " " * indent
    prefix = spaces if first_prefix is None else first_prefix
    for key, item in value.items():
        text = keys.get(key) if type(key) is str else None  # the usual key, remembered: no call
        if text is None:
            text = _key(key, keys)
        kind = type(item)
        if kind is str:
            written = _written.get(item)
            out.append(f"{prefix}{text}: {_string(item, indent + len(text) + 2) if written is None else written}\n")
        elif kind is int:
            out.append(f"{prefix}{text}: {item}\n")
        elif kind is float:
            written = repr(item)
            out.append(f"{prefix}{text}: {_float(item, written) if 'e' in written or 'n' in written else written}\n")
        elif item is None:
            out.append(f"{prefix}{text}: null\n")
        elif kind is dict:
            if item:
                out.append(f"{prefix}{text}:\n")
                _block_mapping(item, indent + 2, out, keys)
            else:
                out.append(f"{prefix}{text}: {{}}\n")
        elif kind is list:
            if item:
                out.append(f"{prefix}{text}:\n")
                _block_sequence(item, indent, out, keys)
            else:
                out.append(f"{prefix}{text}: []\n")
        else:
            out.append(f"{prefix}{text}: {_scalar(item, indent + len(text) + 2)}\n")
        prefix = spaces


def _key(key: Any, keys: _KeyTexts) -> str:
    if type(key) is not str or not key:  # PyYAML writes an empty key as a complex one ("? ''")
        raise _Unusual
    if keys.allowed is not None and not keys.allowed(key):
        raise _Unusual
    text = _string(key, 0)
    if len(keys) < 2048 and not text.startswith("'"):  # not an id (an index's keys are many), nor a word quoted
        keys[key] = text
    return text


def _block_sequence(value: list, indent: int, out: list[str], keys: _KeyTexts, first_prefix: str | None = None) -> None:
    dash = (" " * indent if first_prefix is None else first_prefix) + "- "
    for item in value:
        kind = type(item)
        if kind is dict and item:
            _block_mapping(item, indent + 2, out, keys, first_prefix=dash)
        elif kind is list and item:
            _block_sequence(item, indent + 2, out, keys, first_prefix=dash)
        elif kind is dict:
            out.append(f"{dash}{{}}\n")
        elif kind is list:
            out.append(f"{dash}[]\n")
        elif kind is float:
            written = repr(item)
            out.append(f"{dash}{_float(item, written) if 'e' in written or 'n' in written else written}\n")
        else:
            out.append(f"{dash}{_scalar(item, indent + 2)}\n")
        dash = " " * indent + "- "


class _KeyTexts(dict):
    """Keys as they are written (bounded), in writings that accept only the keys `allowed` lets through."""

    def __init__(self, allowed: Callable[[str], bool] | None = None):
        super().__init__()
        self.allowed = allowed


_any_key = _KeyTexts()
_restricted: dict[Callable[[str], bool], _KeyTexts] = {}


def _keys_allowed_by(rule: Callable[[str], bool]) -> _KeyTexts:
    keys = _restricted.get(rule)
    if keys is None:
        keys = _restricted[rule] = _KeyTexts(rule)
    return keys


def dump_items(entries: list[Any]) -> str:
    """The block sequence of `entries` (as the value of a top-level key, or a whole document)."""
    if not entries:
        return "[]\n"
    parts = []
    for entry in entries:
        out: list[str] = []
        try:
            _block_sequence([entry], 0, out, _any_key)
            parts.append("".join(out))
        except _Unusual:
            parts.append(yaml.safe_dump([entry], sort_keys=False, allow_unicode=True))
    return "".join(parts)


def dump_mapping(value: dict[str, Any], indent: int = 0) -> str:
    """The block mapping of `value`, every line indented by `indent` (a part of a larger document)."""
    out: list[str] = []
    try:
        if type(value) is not dict or not value:
            raise _Unusual
        _block_mapping(value, indent, out, _any_key)
        return "".join(out)
    except _Unusual:
        text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
        return "".join(" " * indent + line for line in text.splitlines(keepends=True)) if indent else text


def item_if_plain(entry: Any, key_allowed: Callable[[str], bool]) -> str | None:
    """dump_items([entry]) when this writer writes it alone and every key in it is `key_allowed`; else
    None (PyYAML must write it, or a refused key's value must be rewritten first)."""
    out: list[str] = []
    try:
        _block_sequence([entry], 0, out, _keys_allowed_by(key_allowed))
    except _Unusual:
        return None
    return "".join(out)


def mapping_if_plain(value: dict[str, Any], indent: int, key_allowed: Callable[[str], bool]) -> str | None:
    """dump_mapping(value, indent) on the terms of item_if_plain."""
    out: list[str] = []
    try:
        if type(value) is not dict or not value:
            return None
        _block_mapping(value, indent, out, _keys_allowed_by(key_allowed))
    except _Unusual:
        return None
    return "".join(out)


def key_line(key: str, indent: int) -> str:
    """`key:` alone on its line, its block mapping written after it (by pieces)."""
    line = dump_mapping({key: {}}, indent)
    return line[:-4] + "\n" if line.endswith(": {}\n") else line
