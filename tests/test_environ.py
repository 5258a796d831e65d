"""Where a header is in the WSGI environ: one rule for the auth, namespace, fault and journal code."""
from simulator.http.environ import environ_key
from simulator.http.pipeline import _KEPT_ENVIRON_KEYS
from simulator.traffic.journal import KEPT_HEADER_ORDER


def test_headers_map_to_their_wsgi_keys():
    assert environ_key("X-Api-Key") == environ_key("x-api-key") == "HTTP_X_API_KEY"
    assert environ_key("X-Simulator-Namespace") == "HTTP_X_SIMULATOR_NAMESPACE"
    assert environ_key("Content-Type") == "CONTENT_TYPE" and environ_key("content-length") == "CONTENT_LENGTH"


def test_the_pipeline_reads_each_kept_header_where_the_server_puts_it():
    assert dict(zip(KEPT_HEADER_ORDER, _KEPT_ENVIRON_KEYS, strict=True)) == {
        "Accept": "HTTP_ACCEPT", "Authorization": "HTTP_AUTHORIZATION", "Content-Length": "CONTENT_LENGTH",
        "Content-Type": "CONTENT_TYPE", "Cookie": "HTTP_COOKIE", "Proxy-Authorization": "HTTP_PROXY_AUTHORIZATION",
        "User-Agent": "HTTP_USER_AGENT", "X-Api-Key": "HTTP_X_API_KEY", "X-Simulator-Fault": "HTTP_X_SIMULATOR_FAULT",
        "X-Simulator-Namespace": "HTTP_X_SIMULATOR_NAMESPACE",
    }
