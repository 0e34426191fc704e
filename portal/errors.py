"""Domain errors raised by operations when an action is refused."""


class OperationError(Exception):
    """An action the rules refuse; views flash the message or attach it to the form field.

    ``field`` names the form field the message belongs to (``None`` for a page-level message).
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)  # a lazy_gettext message, in the language of the moment
        self.field = field

    def __str__(self) -> str:
        return self.message
