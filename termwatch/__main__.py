"""``python -m termwatch``: the command line, for running it as a child of this Python."""

from termwatch.cli import cli

cli(prog_name="termwatch")
