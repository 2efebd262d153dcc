"""The product's own errors: one base, a few kinds, each message written to be shown to a person as it is.

- InputError: something a person gave (an upload, a query, a codebook, a model file, labels, settings)
  cannot be used; the message says what to change. Also a ValueError, as such errors always were.
- StoreError: the store cannot be used right now (locked, damaged, unreachable) or the thing asked for
  is not in it.
- ConflictError: an edit was based on a version someone else has changed since; nothing was saved.
- WithheldError: a figure or answer is withheld to protect privacy (a group under the threshold).
"""

from __future__ import annotations


class FeedbackError(Exception):
    """Base of every error the product raises on purpose; str(error) is a plain-language message."""


class InputError(FeedbackError, ValueError):
    """Input a person can fix: the message says what is wrong and what to do."""


class StoreError(FeedbackError, RuntimeError):
    """The store cannot be used, or does not hold what was asked for; the message says why.

    The message never names the server's files or database host: it is shown to every role. Where
    the store is (a file path or a URL without its password) is kept apart in `where`, for admins,
    the command line and the server log (operator_message()).
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where

    def operator_message(self) -> str:
        """The message with the store's location, for someone who runs the server."""
        return f"{self} (store: {self.where})" if self.where else str(self)


class ConflictError(StoreError):
    """Someone else saved a newer version first; nothing was saved and the message names who and when."""


class WithheldError(FeedbackError, ValueError):
    """Withheld to protect privacy: the group behind it is under the suppression threshold."""


__all__ = ["ConflictError", "FeedbackError", "InputError", "StoreError", "WithheldError"]
