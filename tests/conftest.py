"""Shared by every test: local HTTP servers listen on 127.0.0.1 only, never a public interface."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)
