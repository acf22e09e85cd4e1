"""Reading and writing games in other programs' file formats.

Only Gambit's strategic-form ``.nfg`` format exists so far (:mod:`gametheory.formats.nfg`);
see ``docs/how-to/gambit.md`` for the commands that use it.
"""

from __future__ import annotations

from .nfg import DEFAULT_MAX_PROFILES, gambit_label_issues, load_nfg, read_nfg, write_nfg

__all__ = ["DEFAULT_MAX_PROFILES", "gambit_label_issues", "load_nfg", "read_nfg", "write_nfg"]
