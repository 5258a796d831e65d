"""`dump_items(entries)`, `dump_mapping(value)`: what `yaml.safe_dump(..., sort_keys=False,
allow_unicode=True)` writes, fast.

PyYAML represents every value through Python code even with libyaml's emitter (about 150 us an
export entry: 15 s for 100 000). Plain data of the usual shapes (mappings with string keys, lists,
numbers, booleans, null, short one-line strings) is written here directly, in PyYAML's own block
style: two-space indents, sequences inside mappings not indented, a string quoted exactly when PyYAML
quotes it. An entry holding anything else (a long or multi-line string, non-ASCII text, a date, an
unusual object) is written by PyYAML itself, with its Python emitter (libyaml's escapes some text
differently). tests/engine/test_yamldump.py compares both.
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_/.()+=~-]*(?:(?::|  ?)[A-Za-z0-9_/.()+=~-]+)*")
_WIDTH = 80  # PyYAML's best_width: a plain string with spaces may be folded beyond it
_plain_verdicts: dict[str, bool] = {}


class _Unusual(Exception):
    """A value this writer does not handle: PyYAML writes the entry."""


def _plain_allowed(text: str) -> bool:
    """PyYAML writes `text` unquoted: nothing in it needs quoting, and it does not read back as another
    type (a number, a boolean, a date, null)."""
    verdict = _plain_verdicts.get(text)
    if verdict is None:
        verdict = _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR_TAG
        if len(_plain_verdicts) < 4096:
            _plain_verdicts[text] = verdict
    return verdict


def _scalar(value: Any, column: int) -> str:
    """The scalar as PyYAML writes it when it starts at `column`; _Unusual if this writer cannot tell."""
    kind = type(value)
    if kind is str:
        if not value:
            return "''"
        if len(value) > 64 or not _PLAIN_TEXT.fullmatch(value):
            raise _Unusual
        if " " in value and column + len(value) > _WIDTH:
            raise _Unusual
        return value if _plain_allowed(value) else f"'{value}'"
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value).lower()
        return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    raise _Unusual


def _key(key: Any) -> str:
    if type(key) is not str or not key:  # PyYAML writes an empty key as a complex one ("? ''")
        raise _Unusual
    return _scalar(key, 0)


def _value(item: Any, indent: int, out: list[str], column: int) -> None:
    """A mapping's value after "key:": a scalar or an empty collection on the same line, else a block
    (a mapping indented by two, a sequence not indented)."""
    kind = type(item)
    if kind is dict and item:
        out.append("\n")
        _block_mapping(item, indent + 2, out)
    elif kind is list and item:
        out.append("\n")
        _block_sequence(item, indent, out)
    elif kind is dict:
        out.append(" {}\n")
    elif kind is list:
        out.append(" []\n")
    else:
        out.append(f" {_scalar(item, column + 1)}\n")


def _block_mapping(value: dict, indent: int, out: list[str], first_prefix: str | None = None) -> None:
    for number, (key, item) in enumerate(value.items()):
        text = _key(key)
        prefix = first_prefix if number == 0 and first_prefix is not None else " " * indent
        out.append(f"{prefix}{text}:")
        _value(item, indent, out, indent + len(text) + 1)


def _block_sequence(value: list, indent: int, out: list[str], first_prefix: str | None = None) -> None:
    for number, item in enumerate(value):
        dash = (first_prefix if number == 0 and first_prefix is not None else " " * indent) + "- "
        kind = type(item)
        if kind is dict and item:
            _block_mapping(item, indent + 2, out, first_prefix=dash)
        elif kind is list and item:
            _block_sequence(item, indent + 2, out, first_prefix=dash)
        elif kind is dict:
            out.append(f"{dash}{{}}\n")
        elif kind is list:
            out.append(f"{dash}[]\n")
        else:
            out.append(f"{dash}{_scalar(item, indent + 2)}\n")


def dump_items(entries: list[Any]) -> str:
    """The block sequence of `entries` (as the value of a top-level key, or a whole document)."""
    if not entries:
        return "[]\n"
    parts = []
    for entry in entries:
        out: list[str] = []
        try:
            _block_sequence([entry], 0, out)
            parts.append("".join(out))
        except _Unusual:
            parts.append(yaml.safe_dump([entry], sort_keys=False, allow_unicode=True))
    return "".join(parts)


def dump_mapping(value: dict[str, Any]) -> str:
    """The block mapping of `value` as a whole document (a vendor's index of 100 000 keys, say)."""
    out: list[str] = []
    try:
        if type(value) is not dict or not value:
            raise _Unusual
        _block_mapping(value, 0, out)
        return "".join(out)
    except _Unusual:
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
