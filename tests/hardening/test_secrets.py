"""Issue 11 item 7: secrets never show.

Against a live server, secrets of every kind are sent the way clients send them: a Sparrow callback's
header value and URL credentials, a repository URL's token and password, Hiveon's container
environment, start script and registry password, a TwelveLabs webhook URL's password, and secrets
in bodies the simulator cannot parse, in a body over the journal's limit and in a query string.
None of them appears in the journal, the resource views, the vendors' own answers, the pending
callbacks or the default export. The export with `?auth=include` has them, and loading it into a
fresh namespace restores them: that namespace's deliveries carry the header values again.
"""
from __future__ import annotations

import base64
import io
import json
import zipfile

import requests

from tests.features.receiver import Receiver
from tests.hardening.conftest import SPARROW_AUTH, TIMEOUT, assert_healthy, journal

HEADER_VALUE = "hdr-secret-4b1f"
CALLBACK_PASSWORD = "urlpw-secret-9c2e"
REPO_TOKEN = "vcs-token-77aa"
REPO_PASSWORD = "vcs-auth-pass-31"
ENV_VALUE = "env-secret-5d0c"
SCRIPT = "script-secret-e81a"
DOCKER_PASSWORD = "docker-pass-2f7b"
WEBHOOK_PASSWORD = "webhook-pw-a11c"
TEXT_TOKEN = "text-token-6e6e"
QUERY_SECRET = "query-secret-0f0f"
BIG_BODY_SECRET = "big-secret-1234"
CLORE_KEY = "clore-key-8d8d"
HIVEON_KEY = {"X-API-Key": "hiveon-hardening-key"}
TWELVELABS_KEY = {"x-api-key": "twelvelabs-hardening-key"}
BATCH_ID = "66d0000000000000000000aa"
MACHINE = "9a3f1c52-6b7e-4d28-a1f0-3c5e7b9d2e41"  # in the default scenario's catalogue

NEVER_SHOWN = (HEADER_VALUE, CALLBACK_PASSWORD, REPO_TOKEN, REPO_PASSWORD, ENV_VALUE, SCRIPT, DOCKER_PASSWORD,
               WEBHOOK_PASSWORD, TEXT_TOKEN, QUERY_SECRET, BIG_BODY_SECRET, CLORE_KEY)
KEPT_FOR_RESTORE = (HEADER_VALUE, CALLBACK_PASSWORD, REPO_TOKEN, ENV_VALUE, SCRIPT, DOCKER_PASSWORD, WEBHOOK_PASSWORD)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _post(server, path: str, **kwargs) -> requests.Response:
    return requests.post(f"{server.url}{path}", timeout=TIMEOUT, **kwargs)


def _get(server, path: str, **kwargs) -> requests.Response:
    return requests.get(f"{server.url}{path}", timeout=TIMEOUT, **kwargs)


def _send_secrets(server, receiver) -> tuple[int, str]:
    """Every kind of secret, each the way a client sends it. Returns (analysis id, deployment id)."""
    port = receiver.url.rsplit(":", 1)[1]
    account = {"name": "webhook-account", "settings": {"twelvelabs": {
        "webhooks": [f"http://hooks:{WEBHOOK_PASSWORD}@127.0.0.1:{port}/webhook"]}},
        "resources": [{"vendor": "twelvelabs", "kind": "batch", "id": BATCH_ID, "state": "processing",
                       "remaining": "30s", "fields": {"item_count": 1}}]}
    assert server.control("POST", "/scenarios", json=account).status_code == 201

    sast = {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {
        "type": "git", "url": f"https://git:{REPO_TOKEN}@github.com/acme/app.git",
        "auth": {"id": "me", "password": REPO_PASSWORD}}}},
        "callbacks": [{"type": ["ANALYSIS_PROGRESS", "ANALYSIS_COMPLETE"],
                       "url": f"http://hookuser:{CALLBACK_PASSWORD}@127.0.0.1:{port}/hook",
                       "headers": [{"key": "X-Hook-Token", "value": HEADER_VALUE}]}]}
    created = _post(server, "/api/v1/analysis/tool/sast", json=sast, headers=SPARROW_AUTH)
    assert created.status_code == 200, created.text
    analysis_id = created.json()["analysisList"][0]["analysisId"]

    start = {"machine_id": MACHINE, "machine_price_id": "price-rtx4090-hourly", "container_config": {
        "image": "registry.example.com/app:1", "environment_variables": {"DB_PASSWORD": ENV_VALUE, "MODE": ENV_VALUE},
        "startup_script": f"#!/bin/sh\nexport T={SCRIPT}\n",
        "docker_auth": {"server": "registry.example.com", "login": "ci", "password": DOCKER_PASSWORD}},
        "metadata": {"CLORE_API_KEY": CLORE_KEY, "team": "infra"}}
    started = _post(server, "/vendors/v1/machines/deployments/start", json=start, headers=HIVEON_KEY)
    assert started.status_code == 200, started.text
    deployment_id = started.json()["deployment_id"]

    # Bodies the simulator cannot use: each refused, each journalled, none showing its secret.
    not_json = f'{{"memo": "see https://user:{TEXT_TOKEN}@git.example.com/x", '.encode()
    for body, content_type in ((not_json, "application/json"), (not_json, "text/plain")):
        refused = _post(server, "/api/v1/analysis/tool/dast", data=body,
                        headers={**SPARROW_AUTH, "Content-Type": content_type})
        assert refused.status_code == 400, refused.text
        assert refused.json()["resultCode"] == "INVALID_PARAMETER"
    big = {"callbacks": [{"type": ["ANALYSIS_COMPLETE"], "url": "http://127.0.0.1:9/x",
                          "headers": [{"key": "X-Big", "value": BIG_BODY_SECRET}]}],
           "memo": "x" * 20_000, "dastOptions": {"crawlerTargetSeedUrls": []}}
    refused = _post(server, "/api/v1/analysis/tool/dast", json=big, headers=SPARROW_AUTH)
    assert refused.status_code == 400 and refused.json()["resultCode"] == "INVALID_PARAMETER"
    assert _get(server, f"/api/v3/analysis/{analysis_id}", params={"api_key": QUERY_SECRET},
                headers=SPARROW_AUTH).status_code == 200
    return analysis_id, deployment_id


def _everything_shown(server, analysis_id: int, deployment_id: str) -> dict[str, str]:
    """Every place a secret could show, as text, by where it was read."""
    shown = {}
    analysis = _get(server, f"/api/v3/analysis/{analysis_id}", headers=SPARROW_AUTH)
    shown["sparrow analysis"] = analysis.text
    request_path = f"/api/v1/request/{analysis.json()['requestId']}"
    shown["sparrow request"] = _get(server, request_path, headers=SPARROW_AUTH).text
    result = _get(server, f"/api/v2/analysis/{analysis_id}/result", headers=SPARROW_AUTH)
    assert result.status_code == 200, result.text
    shown["result.zip"] = zipfile.ZipFile(io.BytesIO(result.content)).read("summary.json").decode()
    hiveon = f"/vendors/v1/machines/deployments/{deployment_id}"
    shown[hiveon] = _get(server, hiveon, headers=HIVEON_KEY).text
    batch = f"/v1.3/analyze/batches/{BATCH_ID}"
    shown[batch] = _get(server, batch, headers=TWELVELABS_KEY).text
    resources = server.control("GET", "/resources").json()["resources"]
    shown["/_simulator/resources"] = json.dumps(resources)
    for r in resources:
        path = f"/resources/{r['vendor']}/{r['kind']}/{r['id']}"
        shown[path] = server.control("GET", path).text
    shown["/_simulator/callbacks"] = server.control("GET", "/callbacks").text
    shown["export yaml"] = server.control("GET", "/scenario").text
    shown["export json"] = server.control("GET", "/scenario", headers={"Accept": "application/json"}).text
    shown["/_simulator/requests"] = server.control("GET", "/requests").text  # last: it has the reads above too
    return shown


def test_secrets_show_nowhere_and_only_the_full_export_restores_them(live):
    with Receiver() as receiver:
        analysis_id, deployment_id = _send_secrets(live, receiver)
        # Saved before anything ran, so that a restore has every transition (and callback) ahead of it.
        full = live.control("GET", "/scenario", params={"auth": "include"}, headers={"Accept": "application/json"})
        assert full.status_code == 200
        for secret in KEPT_FOR_RESTORE:
            assert secret in full.text, secret

        live.control("POST", "/clock/advance", json={"seconds": 600})  # every transition, callback, webhook
        # The deliveries carry the real values...
        _assert_delivered_with_secrets(receiver)
        # ...and nothing the simulator shows does.
        shown = _everything_shown(live, analysis_id, deployment_id)
        for where, text in shown.items():
            for secret in NEVER_SHOWN:
                assert secret not in text, f"{secret} shows in {where}"
        entries = journal(live)
        hook_path = f"http://hookuser:***@127.0.0.1:{receiver.url.rsplit(':', 1)[1]}/hook"
        outgoing = [e for e in entries if e.get("direction") == "outgoing" and e["path"] == hook_path]
        assert outgoing and all(e["request"]["headers"]["X-Hook-Token"] == "***" for e in outgoing)
        refused = [e for e in entries if e["operation"] == "createDastAnalysis" and e["status"] == 400]
        assert len(refused) == 3  # the unparsable JSON, the text/plain body, the big one: all journalled
        [read] = [e for e in entries if e["query"].startswith("api_key=")]
        assert read["query"] == "api_key=***"
        container = live.control("GET", f"/resources/hiveon/deployment/{deployment_id}").json()["fields"]["container"]
        assert container == {"environment_variables": {"DB_PASSWORD": "***", "MODE": "***"}, "startup_script": "***",
                             "docker_auth": {"server": "registry.example.com", "login": "ci", "password": "***"}}

        # Loaded into a fresh namespace, the full export delivers them again.
        receiver.received.clear()
        restored = live.control("POST", "/scenarios", json=full.json(), headers={"X-Simulator-Namespace": "restored"})
        assert restored.status_code == 201, restored.text
        advanced = live.control("POST", "/clock/advance", json={"seconds": 600},
                                headers={"X-Simulator-Namespace": "restored"})
        assert advanced.status_code == 200
        _assert_delivered_with_secrets(receiver)
        round_trip = live.control("GET", "/scenario", params={"auth": "include"},
                                  headers={"X-Simulator-Namespace": "restored"}).text
        for secret in KEPT_FOR_RESTORE:
            assert secret in round_trip, secret
    assert_healthy(live)


def _assert_delivered_with_secrets(receiver) -> None:
    hooks = [r for r in receiver.received if r["path"] == "/hook"]
    assert [r["body"]["status"] for r in hooks][-1] == "COMPLETE"
    assert all(r["headers"]["X-Hook-Token"] == HEADER_VALUE for r in hooks)
    assert all(r["headers"]["Authorization"] == _basic("hookuser", CALLBACK_PASSWORD) for r in hooks)
    [webhook] = [r for r in receiver.received if r["path"] == "/webhook"]
    assert webhook["headers"]["Authorization"] == _basic("hooks", WEBHOOK_PASSWORD)
    assert webhook["body"]["data"]["status"] == "completed"
