import ipaddress

import pytest

from pipeline.netguard import BlockedAddressError, is_blocked, resolve_checked


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "ff02::1",
    ],
)
def test_non_public_addresses_are_blocked(address: str) -> None:
    assert is_blocked(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert not is_blocked(ipaddress.ip_address(address))


def test_a_host_with_any_blocked_address_is_refused() -> None:
    with pytest.raises(BlockedAddressError, match="localhost resolves to"):
        resolve_checked("localhost", 80)
