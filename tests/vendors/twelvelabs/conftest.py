"""Every TwelveLabs exchange these tests make is checked against TwelveLabs' own OpenAPI spec."""
from __future__ import annotations

import pytest

from tests.vendorspec.recorder import record_app


@pytest.fixture(autouse=True)
def _vendor_spec_oracle(vendor_spec):
    return vendor_spec


@pytest.fixture
def app(app, vendor_spec):
    return record_app(app, vendor_spec)
