"""Errors a user can act on. The CLI prints their message on one line and exits 2."""


class KgError(Exception):
    """Bad input or an unusable setting; the message names the file or value."""


class InputError(KgError):
    """A path that cannot be read as text: missing, unreadable, undecodable or empty."""
