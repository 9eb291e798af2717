"""``python -m crawler.cli``: the same as the ``akhbar`` command."""

from crawler.cli import entry_point

entry_point()
