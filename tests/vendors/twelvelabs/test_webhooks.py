"""The batch completion webhook, delivered on the virtual clock to a receiver on loopback."""
from tests.features.receiver import Receiver

HEADERS = {"x-api-key": "k"}
ASSET = "6655443322110099aabbccdd"


def _create(client):
    body = {"model_name": "pegasus1.5", "analysis_mode": "general",
            "defaults": {"prompt": {"input_text": "Summarise"}},
            "requests": [{"video": {"type": "asset_id", "asset_id": ASSET}, "custom_id": "a"}]}
    response = client.post("/v1.3/analyze/batches", json=body, headers=HEADERS)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["batch_id"]


def _register(control, *urls):
    control.load({"name": "hooks", "settings": {"twelvelabs": {"webhooks": list(urls)}}})


def test_completion_webhook_is_delivered_and_recorded(client, control):
    with Receiver() as receiver:
        _register(control, f"{receiver.url}/tl")
        batch_id = _create(client)
        assert "webhooks" not in client.get(f"/v1.3/analyze/batches/{batch_id}", headers=HEADERS).get_json()
        control.advance(600)  # nobody reads the batch; advance returns after delivery
        [delivery] = receiver.received
    assert delivery["path"] == "/tl"
    assert delivery["body"]["type"] == "analyze.batch.completed"
    assert delivery["body"]["data"]["batch_id"] == batch_id and delivery["body"]["data"]["status"] == "completed"
    body = client.get(f"/v1.3/analyze/batches/{batch_id}", headers=HEADERS).get_json()
    assert body["status"] == "completed"
    assert body["webhooks"] == [{"url": f"{receiver.url}/tl", "delivered": True, "attempts": 1}]


def test_failed_delivery_is_retried_and_its_error_shown(client, control):
    with Receiver(fail_first=1) as receiver:
        _register(control, receiver.url)
        batch_id = _create(client)
        control.advance(600)
        first = client.get(f"/v1.3/analyze/batches/{batch_id}", headers=HEADERS).get_json()["webhooks"]
        assert first == [{"url": receiver.url, "delivered": False, "attempts": 1, "last_error": "HTTP 500"}]
        control.advance(1)  # the retry falls due
        assert len(receiver.received) == 1
    second = client.get(f"/v1.3/analyze/batches/{batch_id}", headers=HEADERS).get_json()["webhooks"]
    assert second == [{"url": receiver.url, "delivered": True, "attempts": 2}]
    journal = client.get("/_simulator/requests?operation=callback:analyze.batch.completed").get_json()
    assert [entry["status"] for entry in journal["requests"]] == [500, 204]


def test_no_endpoints_no_webhooks_and_a_canceled_batch_is_not_announced(client, control):
    with Receiver() as receiver:
        plain = _create(client)
        _register(control, receiver.url)
        canceled = _create(client)
        assert client.post(f"/v1.3/analyze/batches/{canceled}/cancel", headers=HEADERS).status_code == 202
        control.advance(600)
        assert receiver.received == []
    for batch_id in (plain, canceled):
        assert "webhooks" not in client.get(f"/v1.3/analyze/batches/{batch_id}", headers=HEADERS).get_json()
