"""The one secret masker: what the journal, the resource views and the export must never show.

Masked wherever they appear in a JSON value, a URL or a piece of text:
- values under secret-looking keys (`password`, `api_key`, `authToken`, ...);
- every value of a header or environment map (`headers`, `custom_headers`, `environment_variables`),
  including the `value` of `{key, value}` header pairs (Sparrow callbacks), and start scripts;
- the password of credentials embedded in URLs (`https://user:token@host`) and query parameters
  named like secrets (`?api_key=...`), in any string.
Text that cannot be parsed (a truncated or malformed body) gets the same rules by pattern.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
SECRET_NAME = re.compile(r"(?i)(key|token|secret|password|passwd|authorization|credential|cookie)")
SECRET_PARAM = re.compile(r"(?i)(key|token|secret|pass|auth|sig|credential)")  # query parameters
SECRET_MAPS = frozenset({"headers", "custom_headers", "environment_variables", "env"})  # every value
SECRET_TEXTS = frozenset({"startup_script"})  # the whole value
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "proxy-authorization"})

# Every pattern below is linear in the text (bounded runs before any choice), so a hostile body or
# field costs no more than a pass over it.
_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]{0,31}://[^\s\"'<>\\]+")
_URL_USERINFO = re.compile(r"^([^:/]+://[^/:@]*):([^/@]*)@")
_PARAM = re.compile(r"(^|[?&;])([^=&;#]{1,128})=([^&;#]*)")
_JSON_STRING = r'"(?:[^"\\]|\\.)*(?:"|$)'
_JSON_MEMBER = re.compile(r'"([^"\\]{1,128})"(\s*:\s*)(' + _JSON_STRING + ")")
_JSON_PAIR_VALUE = re.compile(r'("(?:key|name)"\s*:\s*' + _JSON_STRING + r'\s*,\s*"value"\s*:\s*)' + _JSON_STRING)
_JSON_MAP = re.compile(r'(?i)("(?:headers|custom_headers|environment_variables|env)"\s*:\s*\{)([^{}]*)')
_JSON_MAP_VALUE = re.compile(r'(:\s*)' + _JSON_STRING)


def is_secret_name(name: Any) -> bool:
    return bool(SECRET_NAME.search(str(name)))


def mask_url(url: str, mask: str = MASK) -> str:
    """The URL with its userinfo password and secret-named query parameters masked."""
    if "@" not in url and "=" not in url:
        return url
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None:
            userinfo, _, hostport = netloc.rpartition("@")
            netloc = f"{userinfo.partition(':')[0]}:{mask}@{hostport}"
        return urlunsplit(parts._replace(netloc=netloc, query=_mask_params(parts.query, mask)))
    except ValueError:  # not a URL after all (a bad port, brackets): mask as text
        return mask_text(url, mask)


def _mask_params(text: str, mask: str) -> str:
    def one(m: re.Match) -> str:
        return f"{m[1]}{m[2]}={mask}" if m[3] and SECRET_PARAM.search(m[2]) else m[0]

    return _PARAM.sub(one, text) if "=" in text else text


def mask_query(query: str, mask: str = MASK) -> str:
    """A query string (or form body) with the values of secret-named parameters masked."""
    return _mask_params(query, mask)


def _mask_url_in_text(m: re.Match, mask: str) -> str:
    url = _URL_USERINFO.sub(lambda u: f"{u[1]}:{mask}@", m[0])
    base, question, query = url.partition("?")
    return base + question + _mask_params(query, mask) if question else url


def mask_text(text: str, mask: str = MASK) -> str:
    """Secrets masked in free text: URL credentials and secret query parameters of the URLs in it,
    and the JSON key-value shapes of mask_json for a body that could not be parsed (or was cut off).
    Free text outside URLs keeps its `name=value` pairs (SQL, scripts): only URLs' are parameters."""
    if "://" in text:
        text = _URL.sub(lambda m: _mask_url_in_text(m, mask), text)
    if '"' in text:
        text = _JSON_PAIR_VALUE.sub(lambda m: f'{m[1]}"{mask}"', text)
        text = _JSON_MEMBER.sub(lambda m: _member(m, mask), text)
        text = _JSON_MAP.sub(lambda m: m[1] + _JSON_MAP_VALUE.sub(lambda v: f'{v[1]}"{mask}"', m[2]), text)
    return text


def _member(m: re.Match, mask: str) -> str:
    name = m[1]
    if name == "key" or not (name.lower() in SECRET_TEXTS or SECRET_NAME.search(name)):
        return m[0]  # `key` of a {key, value} header pair is the header's name
    return f'"{name}"{m[2]}"{mask}"'


def mask_json(value: Any, mask: str = MASK) -> Any:
    """A copy of a JSON value with every secret in it masked (see the module's rules)."""
    if isinstance(value, dict):
        return _mask_mapping(value, mask)
    if isinstance(value, (list, tuple)):
        return [mask_json(v, mask) for v in value]
    if isinstance(value, str):
        return _mask_string(value, mask) if ("://" in value or '"' in value) else value
    return value


def _mask_mapping(value: dict, mask: str) -> dict:
    """mask_json of a mapping; the common members (plain keys, scalar values) without a call each."""
    if _plain_keys(value):  # no key masks its value: only values to look at
        masked = dict(value)
        for k, v in value.items():
            kind_of_value = type(v)
            if kind_of_value is str:
                if "://" in v or '"' in v:
                    masked[k] = _mask_string(v, mask)
            elif kind_of_value is list and all(type(item) in _NUMBERS for item in v):
                masked[k] = list(v)  # numbers only (a time window, say): nothing to mask
            elif not (v is None or kind_of_value is int or kind_of_value is float or kind_of_value is bool):
                masked[k] = mask_json(v, mask)
        return masked
    masked = {}
    for k, v in value.items():
        kind = _key_kinds.get(k) if type(k) is str else None
        kind = _key_kind(str(k)) if kind is None else kind
        kind_of_value = type(v)
        if kind != _PLAIN_KEY:
            masked[k] = _mask_entry(str(k), v, mask)
        elif kind_of_value is str:
            masked[k] = _mask_string(v, mask) if ("://" in v or '"' in v) else v
        elif v is None or kind_of_value is int or kind_of_value is float or kind_of_value is bool:
            masked[k] = v
        else:
            masked[k] = mask_json(v, mask)
    return masked


def is_plain(value: Any) -> bool:
    """Whether mask_json(value) would be an equal copy: nothing in it to mask and no tuple, so it can be
    written as it is (the export writes 100 000 resources without copying one). False also when unsure."""
    kind = type(value)
    if kind is dict:
        return _plain_mapping(value)
    if kind is list:
        return _plain_values(value)
    if kind is str:
        return not ("://" in value or '"' in value) or _mask_string(value, MASK) == value
    return kind in _NUMBERS


def is_plain_key(key: Any) -> bool:
    """A key whose value mask_json masks only by what the value holds (not a secret's, nor a map's)."""
    return type(key) is str and _key_kind(key) == _PLAIN_KEY


def _plain_mapping(value: dict) -> bool:
    return _plain_keys(value) and _plain_values(value.values())


def _plain_keys(value: dict) -> bool:
    """No key of the mapping masks its value. An export asks about the same few key sets 100 000 times."""
    if len(value) > 32:  # an index (Sparrow's requests): its key set is never seen twice
        return all(type(k) is str and _key_kind(k) == _PLAIN_KEY for k in value)
    keys = tuple(value)
    plain = _plain_key_sets.get(keys)
    if plain is None:
        plain = all(type(k) is str and _key_kind(k) == _PLAIN_KEY for k in keys)
        if len(_plain_key_sets) < 4096:
            _plain_key_sets[keys] = plain
    return plain


def _plain_values(values) -> bool:
    for v in values:
        kind = type(v)
        if kind is str:
            if ("://" in v or '"' in v) and _mask_string(v, MASK) != v:
                return False
        elif kind is dict:
            if not _plain_mapping(v):
                return False
        elif kind is list:
            if not _plain_values(v):
                return False
        elif kind not in _NUMBERS:  # a tuple (copied as a list), or an object of another kind
            return False
    return True


_PLAIN_KEY, _SECRET_KEY, _MAP_KEY = 0, 1, 2
_NUMBERS = frozenset({int, float, bool, type(None)})
_plain_key_sets: dict[tuple, bool] = {}  # a mapping's keys -> none of them is a secret's or a map's
_key_kinds: dict[str, int] = {}  # an export of 100 000 records asks about the same few keys


def _key_kind(key: str) -> int:
    kind = _key_kinds.get(key)
    if kind is None and key.isdigit():
        return _PLAIN_KEY  # an id (an index's keys): many, so not remembered
    if kind is None:
        name = key.lower()
        kind = (_SECRET_KEY if name in SECRET_TEXTS or SECRET_NAME.search(key)
                else _MAP_KEY if name in SECRET_MAPS else _PLAIN_KEY)
        if len(_key_kinds) < 4096:
            _key_kinds[key] = kind
    return kind


@lru_cache(maxsize=4096)
def _mask_short(text: str, mask: str) -> str:
    return mask_text(text, mask)


def _mask_string(text: str, mask: str) -> str:
    return _mask_short(text, mask) if len(text) <= 512 else mask_text(text, mask)


def _mask_entry(key: str, value: Any, mask: str) -> Any:
    if value in (None, ""):
        return value
    kind = _key_kind(key)
    if kind == _SECRET_KEY:
        # a flag or a count (misspelled_request_key, max_tokens) is no secret, and must reload as one
        return value if isinstance(value, (bool, int, float)) else mask
    if kind == _MAP_KEY:
        return mask_map(value, mask)
    return mask_json(value, mask)


def mask_map(value: Any, mask: str = MASK) -> Any:
    """Every value of a header or environment map masked: a {name: value} object or a list of
    {key|name, value} pairs."""
    if isinstance(value, dict):
        return {k: mask for k in value}
    if isinstance(value, list):
        return [{**pair, "value": mask} if isinstance(pair, dict) and "value" in pair else mask_json(pair, mask)
                for pair in value]
    return mask


def mask_header(name: str, value: str, mask: str = MASK) -> str:
    """A request header as the journal keeps it: credentials masked, the auth scheme kept."""
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {mask}" if rest else mask
