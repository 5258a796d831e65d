"""Where a request header is found in the WSGI environ."""
from __future__ import annotations


def environ_key(header: str) -> str:
    """`X-Api-Key` -> `HTTP_X_API_KEY`; Content-Type and Content-Length have keys of their own (PEP 3333)."""
    name = header.upper().replace("-", "_")
    return name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + name
