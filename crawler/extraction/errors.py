"""The extraction's one error, in a module of its own: the crawl process catches it without
loading trafilatura (the extraction runs in worker processes)."""


class ExtractionError(Exception):
    """The bytes are not an HTML page akhbar can read."""
