"""The one error type for bad input. It names where the problem is and what is allowed,
and never echoes the offending value, which may be protected data."""

from __future__ import annotations


class InvalidInput(ValueError):  # noqa: N818 - the name the contracts and style guide use
    """Bad input: `field` names where, `allowed` says what would be accepted.

    >>> str(InvalidInput("phq9 item 9", "0-3"))
    'phq9 item 9 must be 0-3'
    """

    def __init__(self, field: str, allowed: str, *, message: str | None = None) -> None:
        self.field = field
        self.allowed = allowed
        self.message = message or f"{field} must be {allowed}"
        super().__init__(self.message)

    def as_dict(self) -> dict[str, str]:
        return {"code": "invalid", "message": self.message, "field": self.field}
