"""The compiler's side of a pipeline: which programs fail, and `program_error` / `program_info`.

A program fails when the scenario's `settings.feldera.compile_errors` names a text it contains
(first match wins); otherwise it compiles. The error shapes follow the spec's SqlCompilationInfo,
RustCompilationInfo and system_error (reference section 5).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...engine import Resource

DEFAULT_MESSAGES = {  # INFERRED texts
    "SqlError": "Syntax error in the SQL program",
    "RustError": "error[E0425]: cannot find value in this scope",
    "SystemError": "The compiler server failed unexpectedly while compiling the program",
}
_TABLE = re.compile(r"create\s+table\s+(\"[^\"]+\"|\w+)", re.IGNORECASE)
_VIEW = re.compile(r"create\s+(materialized\s+)?view\s+(\"[^\"]+\"|\w+)", re.IGNORECASE)


def outcome_fields(code: str, udf_rust: str, compile_errors: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The program resource's fields: how its compilation ends, and where. A rule matches the SQL
    code (default SqlError) or the Rust UDFs (there a failure is a RustError, as the Rust compiler
    is what reads them)."""
    for rule in compile_errors:
        for source, text in (("sql", code), ("udf_rust", udf_rust)):
            index = text.find(rule["contains"])
            if index < 0:
                continue
            line = text.count("\n", 0, index) + 1
            status = rule.get("status") or ("RustError" if source == "udf_rust" else "SqlError")
            if source == "udf_rust" and status == "SqlError":
                status = "RustError"
            return {"outcome": status, "message": rule.get("message") or DEFAULT_MESSAGES[status],
                    "line": line, "snippet": text.splitlines()[line - 1] if text else ""}
    return {"outcome": "Success"}


def _sql_ok() -> dict[str, Any]:
    return {"exit_code": 0, "messages": []}


def _sql_error(program: Resource) -> dict[str, Any]:
    fields = program.fields
    line = fields.get("line", 1)
    snippet = fields.get("snippet", "")
    return {"exit_code": 1, "messages": [{
        "start_line_number": line, "start_column": 1, "end_line_number": line,
        "end_column": max(1, len(snippet)), "warning": False, "error_type": "Error parsing SQL",
        "message": fields.get("message") or DEFAULT_MESSAGES["SqlError"], "snippet": snippet,
    }]}


def program_error(program: Resource) -> dict[str, Any]:
    state = program.state
    message = program.fields.get("message") or DEFAULT_MESSAGES.get(state, "")
    sql = None
    if state == "SqlError":
        sql = _sql_error(program)
    elif state in ("SqlCompiled", "CompilingRust", "Success", "RustError", "SystemError"):
        sql = _sql_ok()
    rust = None
    if state == "Success":
        rust = {"exit_code": 0, "stdout": "", "stderr": ""}
    elif state == "RustError":
        rust = {"exit_code": 1, "stdout": "", "stderr": message}
    return {"sql_compilation": sql, "rust_compilation": rust,
            "system_error": message if state == "SystemError" else None}


def _relation(name: str, materialized: bool = False) -> dict[str, Any]:
    quoted = name.startswith('"')
    return {"name": name.strip('"') if quoted else name.lower(), "case_sensitive": quoted, "fields": [],
            "materialized": materialized, "properties": {}}


def program_info(program: Resource, code: str) -> dict[str, Any] | None:
    """Known once the SQL compiled: the tables (inputs) and views (outputs) the program declares."""
    if program.state in ("Pending", "CompilingSql", "SqlError"):
        return None
    inputs = [_relation(m.group(1)) for m in _TABLE.finditer(code)]
    outputs = [_relation(m.group(2), bool(m.group(1))) for m in _VIEW.finditer(code)]
    return {"schema": {"inputs": inputs, "outputs": outputs}, "udf_stubs": "",
            "input_connectors": {}, "output_connectors": {}}
