"""Shared fixtures: paths and small textbook games used across the test modules."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from gametheory.game import NormalFormGame

ROOT = Path(__file__).resolve().parent.parent
GAMES = ROOT / "games"


def _documentation_examples(items: list[pytest.Item]) -> list[pytest.Item]:
    return [item for item in items
            if item.path.name == "test_docs.py" and getattr(item, "originalname", None) == "test_examples"]


@pytest.hookimpl(trylast=True)  # after deselection (-k, -m)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The examples of the documentation (tests/test_docs.py) are checked last: their pages run in
    the background from the start of the session, on the cores the rest of the suite leaves idle."""
    examples = _documentation_examples(items)
    if examples:
        chosen = set(examples)
        items[:] = [item for item in items if item not in chosen] + examples


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the pages whose examples this session checks (see tests/test_docs.py)."""
    examples = _documentation_examples(session.items)
    if examples and not session.config.option.collectonly:
        docs = examples[0].module
        docs.start_pages(session.config, docs.selected_pages(examples),
                         alongside_other_tests=len(examples) < len(session.items))


@pytest.fixture
def root() -> Path:
    return ROOT


def prisoners_dilemma() -> NormalFormGame:
    """Cooperate/defect with T=5 > R=3 > P=1 > S=0 (Axelrod's values)."""
    return NormalFormGame.from_arrays(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["Row", "Col"], strategies=[["C", "D"], ["C", "D"]]
    )


def g1_defaults() -> NormalFormGame:
    """G1 of SCENARIOS.md at its defaults, from the 'value at defaults' column typed in by hand."""
    table = {
        (0, 0, 0): (7, -3, -1), (0, 0, 1): (4, -3, 0), (0, 1, 0): (-17, -6, -9), (0, 1, 1): (-26, 2, -12),
        (1, 0, 0): (0, 0, -2), (1, 0, 1): (0, 0, 0), (1, 1, 0): (-8, 4, -6), (1, 1, 1): (-8, 4, -4),
    }
    arrays = [[[[table[(e, r, u)][i] for u in range(2)] for r in range(2)] for e in range(2)] for i in range(3)]
    return NormalFormGame.from_arrays(
        *arrays,
        players=["Europe", "Russia", "US"],
        strategies=[["deploy", "hold"], ["accept", "target"], ["backstop", "stay_out"]],
    )


F = Fraction
