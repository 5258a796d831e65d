"""The request journal: what it records, masking, filters, and its bound."""
import re
import tracemalloc

from simulator.app import create_app
from simulator.settings import Settings
from tests.features.conftest import AUTH, SAST, new_analysis


def test_records_requests_and_responses_with_both_clocks(client, control):
    analysis_id = new_analysis(client)
    control.advance(60)
    client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH)
    entries = client.get("/_simulator/requests").get_json()["requests"]
    create, read = entries
    assert create["operation"] == "createSastAnalysis" and create["method"] == "POST" and create["status"] == 200
    assert create["vendor"] == "sparrow" and create["namespace"] == "default"
    assert create["request"]["body"]["sastOptions"]["analysisSource"]["vcsInfo"]["url"] == "https://example.com/r.git"
    assert create["response"]["body"]["analysisList"][0]["analysisId"] == analysis_id
    assert read["operation"] == "getAnalysis" and read["response"]["body"]["status"] == "COMPLETE"
    assert read["virtual_time"] > create["virtual_time"]  # the virtual clock moved a minute
    assert read["real_time"] >= create["real_time"]
    assert read["duration_ms"] >= 0


def test_secrets_are_masked_in_headers_and_bodies(client):
    body = {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {
        "url": "https://example.com/r.git", "auth": {"id": "me", "password": "hunter2", "authToken": "tok-123"}}}}}
    client.post("/api/v1/analysis/tool/sast", json=body, headers={"Authorization": "Bearer very-secret"})
    entry = client.get("/_simulator/requests").get_json()["requests"][0]
    text = str(entry)
    assert "very-secret" not in text and "hunter2" not in text and "tok-123" not in text
    assert entry["request"]["headers"]["Authorization"] == "Bearer ***"
    auth = entry["request"]["body"]["sastOptions"]["analysisSource"]["vcsInfo"]["auth"]
    assert auth == {"id": "me", "password": "***", "authToken": "***"}


def test_every_kept_header_is_shown_secrets_masked_as_read_not_as_recorded(client):
    """The pipeline hands the journal the raw header values (traffic.journal.Recorded); what any
    reader gets is masked: every secret header, the query's secret parameters, nothing else changed."""
    headers = {"Authorization": "Bearer very-secret", "X-Api-Key": "key-123",  # Cookie: see the next test
               "Proxy-Authorization": "Basic proxy-789", "Accept": "application/json", "User-Agent": "probe/1.0",
               "X-Simulator-Fault": "", "Content-Type": "application/json"}
    client.post("/api/v1/analysis/tool/sast?token=query-secret&page=2", json={"bad": 1}, headers=headers)
    entry = client.get("/_simulator/requests").get_json()["requests"][0]
    assert entry["request"]["headers"] == {
        "Authorization": "Bearer ***", "X-Api-Key": "***", "Proxy-Authorization": "Basic ***",
        "Accept": "application/json", "User-Agent": "probe/1.0", "X-Simulator-Fault": "",
        "Content-Type": "application/json", "Content-Length": "10",
    }
    assert entry["query"] == "token=***&page=2"
    assert entry["status"] == 400 and entry["response"]["body"]["resultCode"]  # Sparrow's envelope
    assert round(entry["duration_ms"], 3) == entry["duration_ms"] > 0
    text = str(client.get("/_simulator/requests").get_json())
    for secret in ("very-secret", "key-123", "proxy-789", "query-secret"):
        assert secret not in text


def test_a_recorded_request_reads_back_as_the_entry_record_would_have_kept():
    from simulator.traffic.journal import KEPT_HEADER_ORDER, Journal, RawBody, Recorded

    sent = {"Authorization": "Bearer abc", "Cookie": "session=c", "Accept": "*/*", "Content-Length": "2",
            "Host": "h"}  # (the test client sends no Cookie header of its own)
    recorded = Recorded(
        namespace="ns", method="POST", path="/v1/x", query="api_key=k&n=1", vendor="sparrow", operation="op",
        status=0, real_time=10.0, virtual_time=20.0, seconds=0.0123456, header_values=tuple(map(sent.get,
        KEPT_HEADER_ORDER)), request_body=RawBody(b"{}", 2, "application/json"), response_body=None,
        faults=("rule-1",), transport="reset")
    journal, twin = Journal(3), Journal(3)
    journal.record_request(recorded)
    twin.record(**recorded.values())
    [entry], [expected] = journal.entries(), twin.entries()
    assert entry == expected
    assert entry.request_headers == {"Authorization": "Bearer ***", "Cookie": "***", "Accept": "*/*",
                                     "Content-Length": "2"}
    assert entry.query == "api_key=***&n=1" and entry.duration_ms == 12.346
    assert entry.extra == {"transport": "reset"} and entry.faults == ("rule-1",) and entry.seq == 1
    for n in range(4):  # the bound and the dropped count hold for both kinds of entry
        journal.record_request(recorded._replace(path=f"/v1/{n}"))
    assert [e.path for e in journal.entries()] == ["/v1/1", "/v1/2", "/v1/3"] and journal.dropped == 2
    assert [e.seq for e in journal.entries()] == [3, 4, 5]


def test_filters_count_and_clear(client, control):
    first = new_analysis(client)
    control.advance(30)
    since = client.get("/_simulator/clock").get_json()["now"]
    client.get(f"/api/v3/analysis/{first}", headers=AUTH)
    client.get("/api/v3/analysis/424242", headers=AUTH)
    client.post(f"/api/v2/analysis/{first}/stop", headers=AUTH)

    def count(query):
        return client.get(f"/_simulator/requests/count?{query}").get_json()["count"]

    assert count("") == 4
    assert count("vendor=sparrow&operation=getAnalysis") == 2
    assert count("operation=getAnalysis&status=400") == 1
    assert count("status=400") == 2  # the unknown id, and the stop of a COMPLETE analysis
    assert count(f"since={since}") == 3
    assert count("vendor=feldera") == 0
    assert client.get("/_simulator/requests?status=abc").status_code == 400
    assert len(client.get("/_simulator/requests?limit=2").get_json()["requests"]) == 2
    assert client.delete("/_simulator/requests").get_json() == {"cleared": 4}
    assert count("") == 0


def test_long_bodies_are_truncated():
    client = create_app(Settings(journal_body_limit=64)).test_client()
    client.post("/api/v1/analysis/tool/sast", json={**SAST, "memo": "m" * 1000}, headers=AUTH)
    entry = client.get("/_simulator/requests").get_json()["requests"][0]
    body = entry["request"]["body"]  # the first 64 bytes as text: a long body is never parsed whole
    assert isinstance(body, str) and len(body) < 120
    assert body.startswith('{"sastOptions"')
    size = re.search(r"\.\.\. \((\d+) bytes\)$", body)
    assert size and int(size.group(1)) > 1000


def test_memory_stays_bounded_over_many_thousands_of_requests():
    app = create_app(Settings(journal_size=100))
    client = app.test_client()
    analysis_id = new_analysis(client)
    for _ in range(1000):  # warm up: the ring fills, caches settle
        client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for _ in range(4000):
        client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    journal = client.get("/_simulator/requests").get_json()
    assert journal["count"] == 100 and journal["capacity"] == 100
    assert journal["dropped"] == 5001 - 100
    assert journal["requests"][-1]["seq"] == 5001
    assert growth < 512 * 1024, f"memory grew by {growth} bytes over 4000 requests"
