import pytest

AUTH = {"Authorization": "Bearer feature-key"}
SAST = {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {"url": "https://example.com/r.git"}}}}


def new_analysis(client, headers=None) -> int:
    response = client.post("/api/v1/analysis/tool/sast", json=SAST, headers={**AUTH, **(headers or {})})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["analysisList"][0]["analysisId"]


@pytest.fixture
def add_fault(client):
    def add(rule: dict, headers=None) -> dict:
        response = client.post("/_simulator/faults", json=rule, headers=headers or {})
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return add
