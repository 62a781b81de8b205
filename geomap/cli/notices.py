"""Library notices (logging records) shown on stderr as plain lines.

The gazetteer's first-use build logs a "start" and a "done" record; off a terminal they
make one line (``geomap: building … (a minute or two, once) … done in 58 s``).
"""

from __future__ import annotations

import logging
import sys


class NoticeHandler(logging.Handler):
    """Write geomap's INFO/WARNING records to stderr, prefixed ``geomap:``."""

    def __init__(self, stream=None):
        super().__init__(logging.INFO)
        self.stream = stream or sys.stderr
        self._open_line = False

    def emit(self, record: logging.LogRecord) -> None:
        phase = getattr(record, "phase", None)
        interactive = self.stream.isatty()
        try:
            if phase == "start" and not interactive:
                self.stream.write(f"geomap: {record.getMessage()} …")
                self._open_line = True
            elif phase == "done" and self._open_line:
                self.stream.write(f" done in {record.seconds:.0f} s\n")
                self._open_line = False
            else:
                if self._open_line:
                    self.stream.write("\n")
                    self._open_line = False
                self.stream.write(f"geomap: {record.getMessage()}\n")
            self.stream.flush()
        except Exception:  # noqa: BLE001 - a broken stderr must not stop the work
            self.handleError(record)


def install() -> None:
    """Route the ``geomap`` loggers to stderr once per process."""
    logger = logging.getLogger("geomap")
    if not any(isinstance(h, NoticeHandler) for h in logger.handlers):
        logger.addHandler(NoticeHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
