"""termwatch has one spider, ``terms``: the registry, not code, says what to fetch."""
