"""Keep the fetcher out of the user's own network (SSRF).

A feed or a redirect can name any host, including ``localhost``, the router or the cloud
metadata service. The check runs where the socket is opened, on the very addresses the
connection uses, so it covers every redirect hop and a DNS answer that changes between a
check and the connect (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class BlockedAddressError(Exception):
    """The host resolves to an address presswash refuses to connect to."""


def is_blocked(address: IPAddress) -> bool:
    """True for anything that is not a public unicast address.

    IPv4-mapped IPv6 (``::ffff:127.0.0.1``) is judged as the IPv4 address it carries.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address in _METADATA
        or not address.is_global
        or address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def resolve_checked(host: str, port: int) -> list[str]:
    """Resolve ``host`` and refuse it if ANY of its addresses is blocked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    blocked = [a for a in addresses if is_blocked(ipaddress.ip_address(a.split("%")[0]))]
    if blocked:
        raise BlockedAddressError(f"{host} resolves to {', '.join(blocked)}, a non-public address")
    return addresses


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to checked addresses."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        last_error: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in resolve_checked(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None, "getaddrinfo returns at least one address or raises"
        raise last_error


def transport(*, allow_private: bool) -> httpx.HTTPTransport:
    """An httpx transport that ignores proxy settings and, unless allowed, private addresses.

    Proxies are ignored because the guard must see the address actually connected to.
    """
    result = httpx.HTTPTransport(trust_env=False)
    if not allow_private:
        # httpx exposes no network-backend option; its pool is rebuilt with the same defaults.
        result._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(),
        )
    return result
