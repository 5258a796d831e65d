"""Two processes, one world: the smallest proof (the full shared-world suite builds on it)."""
from __future__ import annotations

import requests

AUTH = {"Authorization": "Bearer demo-key"}
SAST = {"resultVersion": 2, "memo": "m", "sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {"url": "https://git.example/r.git"}}}}


def test_an_analysis_created_through_one_process_is_stopped_through_the_other(replicas):
    a, b = replicas.urls
    assert requests.put(f"{a}/_simulator/clock", json={"frozen": True}, timeout=10).json()["frozen"] is True
    assert requests.get(f"{b}/_simulator/clock", timeout=10).json()["frozen"] is True
    created = requests.post(f"{a}/api/v1/analysis/tool/sast", json=SAST, headers=AUTH, timeout=10)
    assert created.status_code == 200, created.text
    analysis = created.json()["analysisList"][0]["analysisId"]
    assert requests.get(f"{b}/api/v3/analysis/{analysis}", headers=AUTH, timeout=10).json()["status"] == "INIT"
    stopped = requests.post(f"{b}/api/v2/analysis/{analysis}/stop", headers=AUTH, timeout=10)
    assert stopped.status_code == 200, stopped.text
    requests.post(f"{a}/_simulator/clock/advance", json={"seconds": 60}, timeout=10)
    assert requests.get(f"{a}/api/v3/analysis/{analysis}", headers=AUTH, timeout=10).json()["status"] == "STOP"
