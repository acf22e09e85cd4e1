"""Fixtures shared by the sensitivity tests: the scenarios most of them read, loaded once per module."""

from __future__ import annotations

import pytest

import gametheory as gt
from tests.support import GAMES


@pytest.fixture(scope="module")
def g1() -> gt.Scenario:
    """G1, games/deterrence.json: the reassurance triad."""
    return gt.load(GAMES / "deterrence.json")


@pytest.fixture(scope="module")
def g3() -> gt.Scenario:
    """G3, games/guarantee_menu.json: the menu of guarantees, with presets."""
    return gt.load(GAMES / "guarantee_menu.json")
