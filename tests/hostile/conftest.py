from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hostile.server import HostileServer


@pytest.fixture
def hostile_server() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.close()
