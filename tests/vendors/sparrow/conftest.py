import pytest

AUTH = {"Authorization": "Bearer demo-key"}
VCS = {"analysisSource": {"type": "VCS", "vcsInfo": {"type": "git", "url": "https://example.com/app.git",
                                                      "branch": "main"}}}
BODIES = {
    "sast": {"resultVersion": 2, "memo": "nightly", "sastOptions": {**VCS, "issueSimilarity": True}},
    "sca": {"memo": "deps", "scaOptions": VCS},
    "dast": {"dastOptions": {"crawlerTargetSeedUrls": ["https://example.com/"], "crawlerCrawlMaxUrl": 10}},
}


class Sparrow:
    """Sparrow's API through the test client, plus the control API for the clock and state."""

    def __init__(self, client, control):
        self.client = client
        self.control = control

    def create(self, tool="sast", body=None, headers=AUTH):
        body = BODIES[tool] if body is None else body
        return self.client.post(f"/api/v1/analysis/tool/{tool}", json=body, headers=headers)

    def new_analysis(self, tool="sast") -> int:
        response = self.create(tool)
        assert response.status_code == 200
        return response.get_json()["analysisList"][0]["analysisId"]

    def get(self, analysis_id, headers=AUTH):
        return self.client.get(f"/api/v3/analysis/{analysis_id}", headers=headers)

    def stop(self, analysis_id, headers=AUTH):
        return self.client.post(f"/api/v2/analysis/{analysis_id}/stop", headers=headers)

    def result(self, analysis_id, headers=AUTH):
        return self.client.get(f"/api/v2/analysis/{analysis_id}/result", headers=headers)

    def status(self, analysis_id) -> str:
        return self.get(analysis_id).get_json()["status"]

    def in_state(self, state: str) -> int:
        """A new analysis moved to `state` by advancing the clock through the default durations."""
        offsets = {"INIT": 0, "READY": 2, "PRE_PROCESS": 4, "ANALYSIS": 6, "POST_PROCESS": 11, "COMPLETE": 13}
        analysis_id = self.new_analysis()
        if offsets[state]:
            self.control.advance(offsets[state])
        assert self.status(analysis_id) == state
        return analysis_id


@pytest.fixture
def sparrow(client, control):
    return Sparrow(client, control)
