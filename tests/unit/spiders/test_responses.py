"""The short failure reasons the runs and feeds record (``spiders.responses.failure_reason``)."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from crawler.middlewares import ForbiddenRequest, RefusedScheme
from spiders.responses import failure_reason


def http_error(status: int, location: bytes | None = None) -> Failure:
    headers = {"Location": location} if location else {}
    response = Response("https://e.com/a", status=status, headers=headers)
    return Failure(HttpError(response))


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (http_error(404), "HTTP 404"),
        (http_error(301, b"ftp://e.com/x"), "refused scheme"),
        (http_error(301, b"/elsewhere"), "HTTP 301"),
        (http_error(302), "HTTP 302"),
        (Failure(ForbiddenRequest("no")), "forbidden address"),
        (Failure(RefusedScheme("no")), "refused scheme"),
        (Failure(TxTimeoutError()), "timeout"),
        (Failure(DNSLookupError()), "DNS error"),
        (Failure(ConnectionRefusedError()), "connection error"),
        (Failure(IgnoreRequest("Forbidden by robots.txt")), "forbidden by robots.txt"),
        (Failure(IgnoreRequest("max redirections reached")), "redirect limit"),
        (Failure(IgnoreRequest("other")), "ignored"),
        (Failure(ValueError("x")), "ValueError"),
    ],
)
def test_failure_reason(failure, reason):
    assert failure_reason(failure) == reason
