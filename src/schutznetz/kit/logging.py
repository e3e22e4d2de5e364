"""Log lines that an attacker's input cannot multiply or forge."""

from __future__ import annotations

import logging


class OneLineFilter(logging.Filter):
    """One line per record: the message with control characters escaped, no traceback.

    For refused requests (``django.security``): a tampered hidden field of the login wizard, sent by
    anyone, must not write a traceback, nor lines of the sender's choosing, into the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = message.encode("unicode_escape").decode("ascii")[:500]
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
