"""What a response or a failed request means for the spiders: a short failure reason for the
run's counters and the feed's status (whether a body is HTML: crawler.text.encoding)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from twisted.python.failure import Failure

from crawler.text.urls import is_http_url

# Refusals of akhbar's own rules: reading the feed again cannot change them, so they do not keep
# a feed's validators from being saved (every later poll would download the whole feed again).
PERMANENT_REFUSALS = frozenset({"forbidden by robots.txt", "forbidden address", "refused scheme"})


def _is(failure: Failure, *kinds: type[BaseException]) -> bool:
    """``failure.check(*kinds)``, typed (Twisted's is not)."""
    return isinstance(failure.value, kinds)


def failure_reason(failure: Failure) -> str:
    """A short status for a failed request: ``HTTP 404``, ``timeout``, ``DNS error``..."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError
    from twisted.internet.error import TimeoutError as TxTimeoutError

    from crawler.middlewares import ForbiddenRequest, RefusedScheme
    from crawler.resolver import ForbiddenAddressError, refusal_for

    request = getattr(failure, "request", None)
    if request is not None and refusal_for(urlsplit(request.url).hostname):
        return "forbidden address"
    if isinstance(failure.value, HttpError):
        response = failure.value.response
        location = (response.headers.get("Location") or b"").decode("latin-1")
        if 300 <= response.status < 400 and location and not is_http_url(urljoin(response.url, location)):
            return "refused scheme"
        return f"HTTP {response.status}"
    if _is(failure, ForbiddenAddressError, ForbiddenRequest) or isinstance(
        getattr(failure.value, "__cause__", None), ForbiddenAddressError
    ):
        return "forbidden address"
    if _is(failure, RefusedScheme):
        return "refused scheme"
    if _is(failure, TxTimeoutError) or "timeout" in type(failure.value).__name__.lower():
        return "timeout"
    if _is(failure, DNSLookupError) or "Resolve" in type(failure.value).__name__:
        return "DNS error"
    name = type(failure.value).__name__
    message = str(failure.value)
    if name == "DownloadCancelledError" or "MAXSIZE" in message or "max size" in message:
        return "too large"
    if (
        _is(failure, ConnectionLost, ConnectionRefusedError, ConnectionDone)
        or name
        in (
            "DownloadFailedError",
            "ResponseNeverReceived",
            "ConnectionResetError",
        )
        or "Connection" in name
    ):
        return "connection error"
    if "DataLoss" in name:
        return "truncated"
    if _is(failure, IgnoreRequest):
        if "robots.txt" in message:
            return "forbidden by robots.txt"
        return "redirect limit" if "redirect" in message.lower() else "ignored"
    return name
