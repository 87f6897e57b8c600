"""termwatch's Datasette plugin (``termwatch.plugins`` once installed)."""
