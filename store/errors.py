"""Errors raised by the store."""


class StoreError(Exception):
    """Something the store was asked to do cannot be done: the message says what and why."""
