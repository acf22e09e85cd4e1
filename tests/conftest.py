"""Shared fixtures: paths and small textbook games used across the test modules."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.support import ROOT

# The closed-form cache (gametheory.sensitivity.formcache) of this session: empty at the start, so that
# tests derive closed forms as a first run does, and never the developer's own ~/.cache.
os.environ["GAMETHEORY_CACHE_DIR"] = tempfile.mkdtemp(prefix="gametheory-test-cache-")


def _documentation_examples(items: list[pytest.Item]) -> list[pytest.Item]:
    return [
        item
        for item in items
        if item.path.name == "test_docs.py" and getattr(item, "originalname", None) == "test_examples"
    ]


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
        docs.start_pages(
            session.config, docs.selected_pages(examples), alongside_other_tests=len(examples) < len(session.items)
        )


@pytest.fixture
def root() -> Path:
    return ROOT
