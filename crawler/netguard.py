"""Which network addresses akhbar may connect to.

Feeds and pages are published by strangers, so a link may point at the crawler's own network
(loopback, private ranges, link-local cloud metadata at 169.254.169.254, multicast, reserved).
Those are refused unless the operator allows a range in ``AKHBAR_PRIVATE_ALLOWLIST``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ForbiddenAddress(Exception):
    """A connection to this address is not allowed."""


def parse_allowlist(value: str | Iterable[str] | None) -> tuple[Network, ...]:
    """``"127.0.0.0/8, 10.1.0.0/16"`` → networks; a bad entry raises ``ValueError`` naming it."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    networks = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"AKHBAR_PRIVATE_ALLOWLIST: not a CIDR: {item!r}") from None
    return tuple(networks)


def forbidden_reason(address: str, allowlist: tuple[Network, ...] = ()) -> str | None:
    """Why ``address`` may not be fetched (``"loopback"``, ``"private"``...), or None if it may."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in allowlist if network.version == ip.version):
        return None
    for reason, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not global", not ip.is_global),
    ):
        if flag:
            return reason
    return None


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
