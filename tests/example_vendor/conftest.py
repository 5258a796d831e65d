"""The toaster served beside the real vendors: through the Flask test client, and on a real socket."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.app import create_app
from simulator.pytest_plugin import SimulatorServer
from simulator.settings import Settings
from simulator.vendors import discover
from tests.conftest import Control
from tests.example_vendor.toaster import VENDOR

VENDORS = {**discover(), "toaster": VENDOR}
AUTH = {"Authorization": "Bearer toast-key"}


def toaster_app(settings: Settings | None = None):
    """An app serving every vendor and the toaster, its clock frozen: time moves when a test says so."""
    app = create_app(settings or Settings(), vendors=VENDORS)
    app.extensions["simulator"].simulation.clock.configure(frozen=True)
    return app


class Toaster:
    """The toaster's API through a test client, and the control API for the clock and state."""

    def __init__(self, client, headers: dict | None = None) -> None:
        self.client = client
        self.headers = {**AUTH, **(headers or {})}
        self.control = Control(client)

    def create(self, body=None, **kwargs):
        return self.client.post("/toaster/v1/toasts", json={"bread": "rye"} if body is None else body,
                                headers=self.headers, **kwargs)

    def get(self, toast_id):
        return self.client.get(f"/toaster/v1/toasts/{toast_id}", headers=self.headers)

    def eject(self, toast_id):
        return self.client.post(f"/toaster/v1/toasts/{toast_id}/eject", headers=self.headers)

    def state(self, toast_id) -> str:
        return self.control.state("toaster", "toast", toast_id)

    def toasts(self) -> list[dict]:
        response = self.client.get("/_simulator/resources", query_string={"vendor": "toaster"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["resources"]


@pytest.fixture
def toaster() -> Toaster:
    return Toaster(toaster_app().test_client())


@pytest.fixture
def toaster_server_factory() -> Iterator:
    started: list[SimulatorServer] = []

    def factory(settings: Settings) -> SimulatorServer:
        server = SimulatorServer(settings=settings, vendors=VENDORS).start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.close()
