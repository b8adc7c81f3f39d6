"""Splitting an amount exactly: integer parts that always add up to the whole."""

from __future__ import annotations

from collections.abc import Sequence


def split_exact(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` split in proportion to `weights` by the largest-remainder method.

    Every part is a whole krona and the parts add up to `amount` exactly; ties in
    the remainders go to the earlier weight. Zero total weight splits evenly.
    """
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    total = sum(weights)
    floors = [amount * weight // total for weight in weights]
    remainders = [amount * weight % total for weight in weights]
    short = amount - sum(floors)
    order = sorted(range(len(weights)), key=lambda index: (-remainders[index], index))
    for index in order[:short]:
        floors[index] += 1
    return floors
