"""Checks every page type shares."""

import itertools
import re


def assert_one_h1_and_headings_in_order(html: str) -> None:
    """Screen-reader users navigate by headings: one h1, first, and no level skipped going down."""
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels.count(1) == 1
    assert levels[0] == 1
    assert [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1] == []
