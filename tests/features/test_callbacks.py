"""Callbacks delivered by the single dispatcher, on the virtual clock, to a receiver on loopback."""
from simulator.callbacks import target_allowed
from tests.features.conftest import AUTH
from tests.features.receiver import Receiver


def _create_with_callbacks(client, url, events=("ANALYSIS_PROGRESS", "ANALYSIS_COMPLETE")):
    body = {"dastOptions": {"crawlerTargetSeedUrls": ["https://example.com/"]},
            "callbacks": [{"type": list(events), "url": url, "headers": [{"key": "X-Hook-Token", "value": "s3cret"}]}]}
    response = client.post("/api/v1/analysis/tool/dast", json=body, headers=AUTH)
    assert response.status_code == 200
    return response.get_json()["analysisList"][0]["analysisId"]


def test_progress_and_complete_callbacks_arrive_when_advance_returns(client):
    with Receiver() as receiver:
        analysis_id = _create_with_callbacks(client, f"{receiver.url}/hook")
        client.post("/_simulator/clock/advance", json={"seconds": 13})  # nobody reads the analysis
        received = list(receiver.received)  # no waiting: advance delivered before it returned
    statuses = [r["body"]["status"] for r in received]
    assert statuses == ["READY", "PRE_PROCESS", "ANALYSIS", "POST_PROCESS", "COMPLETE", "COMPLETE"]
    assert all(r["body"]["analysisId"] == analysis_id for r in received)
    assert received[-1]["body"]["result"] == "SUCCESS"
    assert all(r["headers"]["X-Hook-Token"] == "s3cret" for r in received)
    journal = client.get("/_simulator/requests?operation=callback:ANALYSIS_COMPLETE").get_json()["requests"]
    assert len(journal) == 1 and journal[0]["status"] == 204 and journal[0]["direction"] == "outgoing"
    assert journal[0]["request"]["headers"]["X-Hook-Token"] == "***"
    assert client.get("/_simulator/callbacks").get_json()["count"] == 0


def test_a_stop_is_reported_as_complete(client):
    with Receiver() as receiver:
        analysis_id = _create_with_callbacks(client, receiver.url, events=("ANALYSIS_COMPLETE",))
        client.post("/_simulator/clock/advance", json={"seconds": 3})
        assert client.post(f"/api/v2/analysis/{analysis_id}/stop", headers=AUTH).status_code == 200
        received = receiver.wait_for(1)
    assert [(r["body"]["status"], r["body"]["resultCode"]) for r in received] == [("STOP", "ANALYSIS_STOPPED")]


def test_failed_deliveries_are_retried_on_the_virtual_clock(client):
    with Receiver(fail_first=2) as receiver:
        _create_with_callbacks(client, receiver.url, events=("ANALYSIS_COMPLETE",))
        client.post("/_simulator/clock/advance", json={"seconds": 13})
        assert receiver.received == []
        pending = client.get("/_simulator/callbacks").get_json()["callbacks"]
        assert pending[0]["attempts"] == 1 and pending[0]["last_error"] == "HTTP 500"
        client.post("/_simulator/clock/advance", json={"seconds": 1})  # 1st retry: fails again
        client.post("/_simulator/clock/advance", json={"seconds": 5})  # 2nd retry: delivered
        assert len(receiver.received) == 1
    attempts = client.get("/_simulator/requests?operation=callback:ANALYSIS_COMPLETE").get_json()["requests"]
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, 500), (2, 500), (3, 204)]


def test_targets_off_loopback_are_refused_without_a_connection(client):
    _create_with_callbacks(client, "http://192.0.2.10/hook", events=("ANALYSIS_COMPLETE",))
    client.post("/_simulator/clock/advance", json={"seconds": 13})
    [attempt] = client.get("/_simulator/requests?operation=callback:ANALYSIS_COMPLETE").get_json()["requests"]
    assert attempt["status"] == 0 and attempt["error"] == "target not allowed"
    assert client.get("/_simulator/callbacks").get_json()["count"] == 0  # not retried


def test_target_rule():
    assert target_allowed("http://127.0.0.1:9/x", ())
    assert target_allowed("http://localhost/x", ())
    assert target_allowed("http://[::1]:80/", ())
    assert not target_allowed("http://192.0.2.1/", ())
    assert not target_allowed("http://example.com/", ())
    assert target_allowed("http://hooks.internal/", ("hooks.internal",))
    assert not target_allowed("file:///etc/passwd", ())


def test_running_clock_delivers_in_the_background(client):
    client.put("/_simulator/clock", json={"frozen": False, "speed": 50})
    with Receiver() as receiver:
        _create_with_callbacks(client, receiver.url, events=("ANALYSIS_COMPLETE",))
        received = receiver.wait_for(1, timeout=10)  # 13 virtual seconds at 50x: about 0.3 s
    assert received and received[0]["body"]["status"] == "COMPLETE"


def test_every_spelling_of_a_loopback_address_is_read_as_the_socket_layer_reads_it():
    from simulator.targets import parse_address

    for spelling in ("127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.1", "::ffff:127.0.0.1",
                     "[::ffff:127.0.0.1]"):
        assert str(parse_address(spelling)) == "127.0.0.1", spelling
    assert str(parse_address("[::1]")) == "::1"
    assert parse_address("localhost") is None and parse_address("example.com") is None
    assert parse_address("deadbeef") is None  # a name, not hex without 0x


def test_self_targets_by_bound_address():
    from simulator.targets import Targets

    on_loopback = Targets()
    on_loopback.listening_on("127.0.0.1", "8080")  # waitress reports the port as a string
    assert on_loopback.problem("http://127.1:8080/_simulator/reset")
    assert on_loopback.problem("http://localhost:8080/")
    assert on_loopback.problem("http://0.0.0.0:8080/")  # connecting to 0.0.0.0 reaches loopback
    assert on_loopback.problem("http://127.0.0.1/") is None  # port 80: another socket
    assert on_loopback.problem("http://127.0.0.2:8080/") is None  # another address: not this socket
    assert on_loopback.problem("http://[::1]:8080/") is None  # an IPv4 socket never answers ::1
    assert on_loopback.problem("not a url") is None and on_loopback.problem("http://h:99999/") is None

    on_ipv6 = Targets()
    on_ipv6.listening_on("::1", 9000)
    assert on_ipv6.problem("http://[::1]:9000/") and on_ipv6.problem("http://localhost:9000/")
    assert on_ipv6.problem("http://127.0.0.1:9000/") is None

    everywhere = Targets()
    everywhere.listening_on("0.0.0.0", 9000)
    assert everywhere.problem("http://127.0.0.2:9000/") and everywhere.problem("https://127.0.0.1:9000/")
    assert everywhere.problem("http://192.0.2.1:9000/") is None  # not an address of this machine

    assert Targets().problem("http://127.0.0.1:8080/") is None  # nothing listening yet: the dispatcher checks


def test_a_failing_vendor_hook_or_delivery_never_stops_the_others():
    from simulator.callbacks import Dispatcher
    from simulator.engine.outbox import Notification
    from simulator.namespace import Namespace
    from simulator.vendors import discover

    vendors = discover()

    class Broken:
        def on_delivery(self, tx, notification, *, final):
            raise RuntimeError("the vendor's bookkeeping broke")

    simulation = Namespace(vendors, "unit")
    simulation.clock.configure(frozen=True)  # the failed attempts' retries (1 virtual s later) stay in the future
    dispatcher = Dispatcher(lambda: [simulation], {**vendors, "sparrow": Broken()})
    with Receiver() as receiver:
        urls = ("http://127.0.0.1:99999/bad-port", f"{receiver.url}/a", "http://[::1", "http://127.0.0.1:abc/",
                f"{receiver.url}/b")
        for n, url in enumerate(urls):
            simulation.outbox.push(Notification(url=url, payload={"n": n}, event="E", due_at=simulation.clock.now(),
                                                resource=("sparrow", "analysis", "1")))
        assert dispatcher.deliver_due(simulation) == 5
        assert sorted(r["path"] for r in receiver.received) == ["/a", "/b"]
    attempts = {e.path: e for e in simulation.journal.entries()}
    assert attempts[f"{receiver.url}/a"].status == 204
    assert attempts["http://127.0.0.1:99999/bad-port"].status == 0
    assert attempts["http://[::1"].extra["error"] == "target not allowed"
    assert attempts["http://127.0.0.1:abc/"].extra["error"] == "delivery failed: InvalidURL"  # raised, not returned
