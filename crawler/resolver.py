"""A DNS resolver that refuses names resolving to forbidden addresses (see :mod:`crawler.netguard`).

The check is made on the address the connection will use, so a public-looking hostname that
resolves to 127.0.0.1 or 169.254.169.254 is refused too.  IP literals never reach a resolver:
:class:`crawler.middlewares.AddressGuardMiddleware` checks those.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from crawler.netguard import Network, forbidden_reason, parse_allowlist

logger = logging.getLogger(__name__)


class ForbiddenAddressError(DNSLookupError):
    """The name resolves to an address akhbar may not connect to."""


# Twisted's name-resolver adapter reports every resolver error as "no results", so the refusal
# is remembered here for the spider's errback to tell it apart from a real DNS failure.
REFUSED_HOSTS: dict[str, str] = {}
REFUSED_HOSTS_MAX = 10_000


def refusal_for(host: str | None) -> str | None:
    """Why ``host`` was refused by the resolver in this process, if it was."""
    return REFUSED_HOSTS.get(host or "")


class GuardedResolver(CachingThreadedResolver):
    def __init__(self, reactor: Any, cache_size: int, timeout: float, allowlist: tuple[Network, ...] = ()) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allowlist = allowlist

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            parse_allowlist(settings.get("AKHBAR_PRIVATE_ALLOWLIST")),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        return super().getHostByName(name, timeout).addCallback(self._check, name)

    def _check(self, address: str, name: str) -> str:
        reason = forbidden_reason(address, self.allowlist)
        if reason is not None:
            # Installed on the reactor for the whole process (no crawler stats here): the
            # spider's errback counts the refusal as guard/private_address.
            logger.warning("refused %s: resolves to %s address %s", name, reason, address)
            if len(REFUSED_HOSTS) >= REFUSED_HOSTS_MAX:
                REFUSED_HOSTS.pop(next(iter(REFUSED_HOSTS)))
            REFUSED_HOSTS[name] = f"{reason} address {address}"
            raise ForbiddenAddressError(f"{name} resolves to {reason} address {address}")
        return address
