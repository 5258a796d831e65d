"""The live dashboard: GET /_simulator/ui serves one page that drives the control API.

Everything the page loads ships in this package (static/): no CDN, no external font, no build step,
so it works offline. The page and its assets stay readable without the control token; the data it
shows comes from the control API, which asks for the token when one is set.
"""
from __future__ import annotations

from flask import Blueprint, Response, send_from_directory

from ..http.context import runtime
from .families import FAMILIES, state_families

STATIC = "static"
# The page loads nothing but its own files and talks to nothing but this server.
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")

dashboard = Blueprint("simulator_dashboard", __name__, static_folder=STATIC, static_url_path="/ui")


@dashboard.after_request
def _page_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@dashboard.get("/ui")
@dashboard.get("/ui/")
def page() -> Response:
    response = send_from_directory(dashboard.static_folder, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@dashboard.get("/ui/meta.json")
def meta() -> dict:
    """What the page needs to know once: vendors, their kinds and documented operations, state colours."""
    rt = runtime()
    vendors = []
    for vendor in sorted(rt.vendors.values(), key=lambda v: v.name):
        operations = rt.contract.by_vendor.get(vendor.name, {})
        vendors.append({"name": vendor.name, "title": vendor.title, "kinds": [lc.kind for lc in vendor.lifecycles],
                        "operations": {op: sorted(operations[op]) for op in sorted(operations)}})
    return {"families": list(FAMILIES), "states": state_families(rt.vendors), "vendors": vendors}


__all__ = ["dashboard"]
