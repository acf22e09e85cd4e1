"""Reading and writing games in other programs' file formats, and :func:`load`, which picks the reader.

Gambit's strategic-form ``.nfg`` (:mod:`gametheory.formats.nfg`) and game-tree
``.efg`` (:mod:`gametheory.formats.efg`) formats, and scenario JSON written
back out (:mod:`gametheory.formats.scenario_json`); see
``docs/how-to/gambit.md`` for the commands that use them.
"""

from __future__ import annotations

import os

from ..errors import InputError
from ..scenario import Scenario, load_scenario
from .efg import load_efg_scenario
from .nfg import DEFAULT_MAX_PROFILES, gambit_label_issues, load_nfg, read_nfg, write_nfg

__all__ = ["DEFAULT_MAX_PROFILES", "gambit_label_issues", "load", "load_nfg", "read_nfg", "write_nfg"]


def load(path: str | os.PathLike) -> Scenario:
    """Load a scenario (``.json``), a Gambit strategic-form game (``.nfg``) or a Gambit
    game tree (``.efg``) as a :class:`~gametheory.scenario.Scenario`.

    A Gambit game becomes a scenario without parameters, so everything that
    works on scenarios (solve, convert, report) works on it too; a tree keeps
    its structure in ``scenario.extensive`` (see :mod:`gametheory.extensive`).
    """
    file = os.fspath(path)
    try:
        if file.lower().endswith(".nfg"):
            return Scenario.from_game(load_nfg(file), file=file)
        if file.lower().endswith(".efg"):
            return load_efg_scenario(file)
        return load_scenario(file)
    except InputError as exc:  # e.g. a tree whose reduced form is too large: name the file
        raise exc.located(file=file) from None
