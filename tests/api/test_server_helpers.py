"""What `idpilot serve` decides before starting: loopback or not, the URL it prints."""

from __future__ import annotations

import pytest

from idpilot.api.server import is_loopback, url_of


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("example.org", False)],
)  # fmt: skip
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_url() -> None:
    assert url_of("127.0.0.1", 8470) == "http://127.0.0.1:8470"
    assert url_of("::1", 8470) == "http://[::1]:8470"
