"""The oracle itself: operations found by path template, requests and responses judged, markers kept honest."""
from __future__ import annotations

from .oracle import Exchange
from .plugin import MARK, judge, oracle


def _exchange(method: str, path: str, *, query=(), headers=None, request_body=b"", status=200,
              content_type="application/json", body=b"") -> Exchange:
    vendor = "twelvelabs" if path.startswith("/v1.3/") else "feldera"
    return Exchange(vendor, method, path, list(query), headers or {}, request_body, status, content_type, body)


def test_operations_are_found_by_template_literal_segments_first():
    feldera, twelvelabs = oracle("feldera"), oracle("twelvelabs")
    assert feldera.operation("POST", "/v0/pipelines/p1/checkpoint/sync").template == \
        "/v0/pipelines/{pipeline_name}/checkpoint/sync"
    assert feldera.operation("GET", "/v0/pipelines/checkpoint").template == "/v0/pipelines/{pipeline_name}"
    assert feldera.operation("DELETE", "/v0/config") is None
    assert twelvelabs.operation("GET", "/v1.3/analyze/batches/b1/results").template == \
        "/analyze/batches/{batch_id}/results"
    assert twelvelabs.operation("GET", "/analyze/batches") is None  # outside the server's /v1.3 prefix


def test_requests_are_checked_for_parameters_and_body():
    spec = oracle("twelvelabs")
    key = {"x-api-key": "k"}
    assert spec.request_problems(_exchange("GET", "/v1.3/analyze/batches", query=[("status", "ready")],
                                           headers=key))
    assert spec.request_problems(_exchange("GET", "/v1.3/analyze/batches", query=[
        ("status", "pending"), ("status", "canceled"), ("page", "2")], headers=key)) == []
    assert spec.request_problems(_exchange("GET", "/v1.3/analyze/batches")) == [
        "request header parameter 'x-api-key' is required"]
    body = b'{"model_name": "pegasus1.5", "analysis_mode": "general", "requests": [{"video": {"type": "url"}}]}'
    problems = spec.request_problems(_exchange("POST", "/v1.3/analyze/batches", headers={
        **key, "content-type": "application/json"}, request_body=body))
    assert any("'asset_id' is a required property" in p for p in problems)
    assert any("'url' is not one of ['asset_id']" in p for p in problems)
    assert oracle("feldera").request_problems(_exchange("POST", "/v0/pipelines/p1/start", request_body=b"{}")) == [
        "request has a body (2 bytes) the operation does not take"]


def test_judge_counts_and_keeps_the_marker_honest():
    valid = _exchange("GET", "/v0/pipelines", body=b"[]")
    verdict = judge([valid], invalid_requests_expected=False)
    assert (verdict.problems, verdict.responses["feldera"], verdict.requests["feldera"]) == ([], 1, 1)
    stale = judge([valid], invalid_requests_expected=True)
    assert len(stale.problems) == 1 and MARK in stale.problems[0]
    invalid = _exchange("GET", "/v0/pipelines", query=[("selector", "everything")], status=400,
                        body=b'{"message": "m", "error_code": "BadRequest", "details": null}')
    assert judge([invalid], invalid_requests_expected=True).problems == []
    unmarked = judge([invalid], invalid_requests_expected=False)
    assert unmarked.problems and "selector" in unmarked.problems[0]
    assert unmarked.deviations == {"feldera-list-400": 1}
