"""Reading and writing games in other programs' file formats, and :func:`load`, which picks the reader.

Gambit's strategic-form ``.nfg`` (:mod:`gametheory.formats.nfg`) and game-tree
``.efg`` (:mod:`gametheory.formats.efg`) formats, games typed into a
spreadsheet (:mod:`gametheory.formats.spreadsheet`), and scenario JSON written
back out (:mod:`gametheory.formats.scenario_json`); see
``docs/how-to/gambit.md`` for the commands that use them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..scenario import Scenario, load_scenario
from ..scenario.common import closest

if TYPE_CHECKING:  # the names below resolve lazily at run time (``__getattr__``); type checkers see them here
    from .nfg import DEFAULT_MAX_PROFILES, gambit_label_issues, load_nfg, read_nfg, write_nfg

__all__ = ["DEFAULT_MAX_PROFILES", "gambit_label_issues", "load", "load_nfg", "read_nfg", "write_nfg"]

#: Names of :mod:`.nfg` offered here too; the readers are imported when a file of theirs is read, so that
#: loading a scenario does not import the three others (5 ms of ``gametheory solve``).
_FROM_NFG = ("DEFAULT_MAX_PROFILES", "gambit_label_issues", "load_nfg", "read_nfg", "write_nfg")


def __getattr__(name: str) -> Any:
    if name in _FROM_NFG:
        from . import nfg

        return getattr(nfg, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path: str | os.PathLike) -> Scenario:
    """Load a scenario (``.json``), a Gambit strategic-form game (``.nfg``), a Gambit
    game tree (``.efg``) or a game typed into a spreadsheet (``.csv``, ``.xlsx``:
    :mod:`gametheory.formats.spreadsheet`) as a :class:`~gametheory.scenario.Scenario`.

    A Gambit game becomes a scenario without parameters, so everything that
    works on scenarios (solve, convert, report) works on it too; a tree keeps
    its structure in ``scenario.extensive`` (see :mod:`gametheory.extensive`).
    """
    file = os.fspath(path)
    if not os.path.exists(file):
        raise InputError(f"cannot read the file: No such file or directory{_nearby_file(file)}", file=file)
    try:
        lower = file.lower()
        if lower.endswith(".nfg"):
            from .nfg import load_nfg

            return Scenario.from_game(load_nfg(file), file=file)
        if lower.endswith(".efg"):
            from .efg import load_efg_scenario

            return load_efg_scenario(file)
        if not lower.endswith(".json"):
            from .spreadsheet import is_spreadsheet, load_spreadsheet

            if is_spreadsheet(file):
                return load_spreadsheet(file)
        return load_scenario(file)
    except InputError as exc:  # e.g. a tree whose reduced form is too large: name the file
        raise exc.located(file=file) from None


def _nearby_file(file: str) -> str:
    """`` (did you mean 'games/deterrence.json'?)`` for a mistyped name of a file in the same folder, else ``""``."""
    folder, name = os.path.split(file)
    try:
        siblings = os.listdir(folder or ".")
    except OSError:
        return ""
    close = closest(name, siblings)
    return f" (did you mean {os.path.join(folder, close)!r}?)" if close else ""
