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


def _in_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(trylast=True)  # after deselection (-k, -m)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (README's ``-n auto`` with ``--dist loadscope``), each module's tests stay on
    one worker (its module-scoped fixtures are computed once) and each documentation page, a class of
    its own in tests/test_docs.py, is a unit of its own; the pages come first, longest first, so that
    none is left running alone at the end. In one process, the pages run in the background from the
    start of the session, on the core the rest of the suite leaves idle, and their checks come last."""
    examples = _documentation_examples(items)
    chosen = set(examples)
    if _in_xdist_worker(config):
        examples.sort(key=lambda item: item.module.slow_first(item.callspec.params["page"]))
        items[:] = examples + [item for item in items if item not in chosen]
    elif examples:
        items[:] = [item for item in items if item not in chosen] + examples


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the pages whose examples this session checks (see tests/test_docs.py); in a
    pytest-xdist worker each page starts when its test runs instead."""
    examples = _documentation_examples(session.items)
    if examples and not session.config.option.collectonly and not _in_xdist_worker(session.config):
        docs = examples[0].module
        docs.start_pages(
            session.config, docs.selected_pages(examples), alongside_other_tests=len(examples) < len(session.items)
        )


@pytest.fixture
def root() -> Path:
    return ROOT
