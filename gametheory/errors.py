"""The error hierarchy of gametheory.

Every error a user can cause by what they give the tool (a file, an option, a
value) is an :class:`InputError`. It carries where the problem is: the file,
the JSON path inside it (``$.payoffs[3].payoffs.europe``) and, for payoff
expressions, the column of the offending token. The command-line interface
turns an :class:`InputError` into one line on stderr and exit code 2; any other
exception is a bug in this project (exit code 1).
"""

from __future__ import annotations


class GameTheoryError(Exception):
    """Base class of every error raised on purpose by gametheory."""


class InputError(GameTheoryError, ValueError):
    """Bad input: a malformed file, an unknown name, a value out of bounds.

    ``file`` and ``path`` locate the problem; ``str(error)`` is the full,
    human-readable message, e.g.
    ``games/x.json: $.payoffs[2].payoffs.europe: unknown name 'v_ee' (did you mean 'v_e'?)``.
    """

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None):
        self.message = message
        self.file = file
        self.path = path
        super().__init__(message)

    def located(self, *, file: str | None = None, path: str | None = None) -> InputError:
        """Return the same error with a file and/or JSON path filled in where missing."""
        if file is not None and self.file is None:
            self.file = file
        if path is not None and self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.path) if p]
        return ": ".join(parts + [self.message])


class ExpressionError(InputError):
    """A payoff or parameter expression that is not allowed or cannot be evaluated.

    ``column`` (1-based) and ``token`` point at the offending part of ``text``.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        column: int | None = None,
        token: str | None = None,
        file: str | None = None,
        path: str | None = None,
    ):
        self.text = text
        self.column = column
        self.token = token
        detail = message
        if text is not None:
            where = f" at column {column}" if column is not None else ""
            detail = f"{message}{where} in expression {text!r}"
        super().__init__(detail, file=file, path=path)


class EvaluationError(InputError):
    """An expression that parsed but has no finite value at the chosen parameters
    (division by zero, log of a negative number, overflow)."""


class SolverError(GameTheoryError):
    """A solver could not do what was asked (game too large, time limit, no convergence)."""


class GameTooLargeError(SolverError, InputError):
    """The requested computation is beyond what enumeration can do in reasonable time."""

    def __init__(self, message: str):
        InputError.__init__(self, message)
