"""Errors that services raise for the interface (view, command, API) to turn into a 4xx message."""


class ApplicationError(Exception):
    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
