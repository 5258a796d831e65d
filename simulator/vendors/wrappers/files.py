"""Checking uploaded files (reference 3.3): measured, checked and previewed on upload; only that is kept.

The content itself is never stored, so memory stays bounded whatever is uploaded: a file is read
once, in chunks, up to the scenario's size limit (the app-wide body limit applies before that).
"""
from __future__ import annotations

import csv
import io
from typing import Any, BinaryIO

from ...kit.errors import VendorError

PREVIEW_BYTES = 64 * 1024  # what is read for checking and previewing
PREVIEW_ROWS = 5
CHECK_ROWS = 10
CHUNK = 64 * 1024
WORKBOOK_MAGIC = {".xlsx": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}


def extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def read_bounded(stream: BinaryIO, limit: int) -> tuple[bytes, int]:
    """(the first PREVIEW_BYTES, total size); refused past `limit` bytes."""
    head, size = bytearray(), 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return bytes(head), size
        size += len(chunk)
        if size > limit:
            raise VendorError("file_too_large", megabytes=limit / 1024 / 1024)
        if len(head) < PREVIEW_BYTES:
            head += chunk[:PREVIEW_BYTES - len(head)]


def _table(rows: list[list[str]]) -> str:
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(width)]
    return "\n".join(" ".join(cell.rjust(widths[i]) for i, cell in enumerate(row)) for row in rows)


def inspect(filename: str, head: bytes, complete: bool) -> dict[str, Any]:
    """validation_status, validation_errors and preview_data, as the service's checks give them."""
    ext = extension(filename)
    if ext in WORKBOOK_MAGIC:
        if not head.startswith(WORKBOOK_MAGIC[ext]):
            return _result(None, ["Error reading file: not a valid Excel workbook"])
        return _result(None, [])  # INFERRED: the simulator does not open workbooks, so no preview
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if complete or exc.start < len(head) - 4:
            return _result(None, [f"Error reading file: {exc.reason}"])
        text = head[:exc.start].decode("utf-8-sig")
    if not complete:
        text = text[:text.rfind("\n") + 1]
    rows = [row for row in csv.reader(io.StringIO(text)) if row][:CHECK_ROWS + 1]
    errors = []
    if len(rows) < 2:
        errors.append("File is empty")
    if rows and len(rows[0]) < 2:
        errors.append("File must have at least 2 columns for time series data")
    preview = _table(rows[:PREVIEW_ROWS + 1]) if len(rows) >= 2 else None
    return _result(preview, errors)


def _result(preview: str | None, errors: list[str]) -> dict[str, Any]:
    return {"preview_data": preview, "validation_status": "invalid" if errors else "valid",
            "validation_errors": errors or None}

