"""A disk cache of compiled closed forms, so that a scenario's symbolic work is done once across runs.

Deriving a scenario's equilibrium families (:func:`~.symbolic.analyse`) and
compiling them (:func:`~.engine.compile_forms`) costs seconds; evaluating them
costs milliseconds. The compiled forms are plain data (Python source of two
numpy functions and index tables: :class:`~.engine.CompiledForms`), stored
here as JSON, one file per

* the scenario's content (its file's parsed text, every payoff expression and
  every parameter's declaration: :func:`scenario_digest`),
* the free parameters and the exact values of the fixed ones,
* the tool's version and the layout version of the forms.

A second sweep of the same scenario therefore starts evaluating at once and
does not even import sympy. The directory is ``$GAMETHEORY_CACHE_DIR`` if set,
else ``$XDG_CACHE_HOME/gametheory``, else ``~/.cache/gametheory``; it is safe
to delete at any time, and ``--no-cache`` (``cache=False`` in the library)
bypasses it. A cache file that cannot be read, does not parse, or whose
source does not pass :func:`~.engine.load_function`'s allowlist is ignored
and derived again: the cache can make a run faster, never wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._io import atomic_write
from .._version import __version__

#: Environment variable naming the cache directory (overrides the XDG default).
CACHE_ENV = "GAMETHEORY_CACHE_DIR"
#: A cache file larger than this is not read (a scenario's forms are kilobytes to a few megabytes).
MAX_CACHE_BYTES = 64 * 2**20


def cache_dir() -> Path:
    """Where compiled forms are kept (see the module docstring)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gametheory"


_DIGESTS: dict[int, tuple[object, str]] = {}


def content_key(scenario) -> str:
    """:func:`scenario_digest`, computed once per scenario object: the key of the in-memory caches of closed
    forms, so that two loads of the same file (or two equal scenarios) share one derivation."""
    hit = _DIGESTS.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1]
    digest = scenario_digest(scenario)
    _DIGESTS[id(scenario)] = (scenario, digest)  # holding the scenario keeps its id from being reused
    if len(_DIGESTS) > 256:
        _DIGESTS.pop(next(iter(_DIGESTS)))
    return digest


def scenario_digest(scenario) -> str:
    """A SHA-256 of the model: the file's parsed content, every payoff expression and every parameter."""
    payload = {
        "raw": scenario.raw,
        "payoffs": [str(e) for e in np.asarray(scenario.payoffs).ravel()],
        "parameters": {k: [str(p.default), str(p.low), str(p.high)] for k, p in scenario.parameters.items()},
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def forms_key(scenario, names: Sequence[str], fixed: Mapping[str, Any], layout: int) -> str:
    """The cache key of a scenario's forms with ``names`` free, the others at ``fixed``, in forms ``layout``."""
    payload = {
        "version": __version__,
        "forms": layout,
        "scenario": scenario_digest(scenario),
        "free": list(names),
        "fixed": {k: str(v) for k, v in sorted(fixed.items())},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / f"forms-{key}.json"


def load_forms(key: str) -> dict[str, Any] | None:
    """The cached forms under ``key`` as a JSON object, or None (absent, unreadable, not JSON or too large)."""
    path = _path(key)
    try:
        if not path.is_file() or path.stat().st_size > MAX_CACHE_BYTES:
            return None
        with open(path, encoding="utf-8") as handle:
            data = json.loads(handle.read(MAX_CACHE_BYTES + 1))
        return data if isinstance(data, dict) and data.get("key") == key else None
    except (OSError, ValueError):
        return None


def store_forms(key: str, forms: Mapping[str, Any]) -> None:
    """Keep ``forms`` under ``key`` (best effort: a cache that cannot be written is skipped)."""
    path = _path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps({"key": key, **forms})
        atomic_write(path, text, what="cache file")
    except OSError:
        return
