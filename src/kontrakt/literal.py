"""A number with a decimal point as a portfolio file wrote it.

The parser (yamlload) gives a float for `12.5`, as YAML says; a float is the
nearest binary number, and the digits written are lost: `0.10000000000000000001`
reads as 0.1. A value meant exactly (an indicator's) is read from the text
instead, which the parser keeps with the float; everywhere else it is a float.
"""

from __future__ import annotations


class WrittenFloat(float):
    """A float, and the text it was read from (`12.50`, `1e-06`)."""

    __slots__ = ("text",)

    text: str

    def __new__(cls, text: str) -> WrittenFloat:
        number = super().__new__(cls, text)
        number.text = text
        return number

    def __getnewargs__(self) -> tuple[str]:  # type: ignore[override]
        """A copy (the editing commands copy a file's data) keeps the text."""
        return (self.text,)
