"""Refusals of the ballots domain. Each carries a translated message; views answer its
`status`: BallotInvalidError 422 (next to `field`), NotEligibleError 403, AlreadyVotedError,
VotingClosedError and QuestionStateError 409. Nothing is recorded when one is raised."""


class BallotError(Exception):
    """A refusal with a translated, user-facing `message` (never the choice made)."""

    status = 409

    def __init__(self, message, field: str | None = None):
        # Kept lazy: the message is rendered in the reader's language when shown.
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class BallotInvalidError(BallotError):
    """The ballot or the question as submitted breaks a rule (a forged choice, too many…)."""

    status = 422


class NotEligibleError(BallotError):
    """The person is not in the electorate taken at opening."""

    status = 403


class AlreadyVotedError(BallotError):
    """The roll already holds this person (or their unit): the replay changes nothing."""

    status = 409


class VotingClosedError(BallotError):
    """Not open yet, or closed (by the clock, even before the worker has run)."""

    status = 409


class QuestionStateError(BallotError):
    """The question's state does not allow this action now."""

    status = 409


class BallotStorageError(RuntimeError):
    """Writing the ballot failed. Raised `from None` so no SQL (with its parameters, i.e. the
    choice) reaches a traceback in the logs (B-08)."""
