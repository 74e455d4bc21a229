"""Domain errors raised by service functions; main.py turns them into HTTP responses."""


class NotFoundError(Exception):
    """Something the caller named does not exist; `detail` is the Chinese message (404)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ConflictError(Exception):
    """The request clashes with what is stored (seat taken, duplicate booking); 409."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInputError(Exception):
    """Well-formed but unacceptable input (a past date, a closed day); 422."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class TooManyRequestsError(Exception):
    """Too many tries (wrong phones for one booking code); 429 until the time in `detail`."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
