"""The live seminar page as one self-contained HTML file (``gametheory app``).

This module only writes: the data and the compiled functions come from
:func:`gametheory.sensitivity.live.live_page`; the page's stylesheet and script
are package data (``report/live_page/``), inlined so that the file needs no
network, no server and no external script or font. A Content-Security-Policy
in the page forbids every fetch, so the browser enforces that too.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from .._version import __version__
from .names import family_text

_PLACEHOLDER = re.compile(r"__(VERSION|TITLE|CSS|MODEL|CODE|SCRIPT)__")


def _asset(name: str) -> str:
    return resources.files("gametheory.report").joinpath("live_page", name).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Text that cannot end the ``<script>`` element it sits in."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


#: Pure profiles up to this many get their text for people in the page (``display``); beyond, their labels show.
MAX_DISPLAYED_PROFILES = 4096


def display_texts(model: Mapping[str, Any]) -> dict[str, str]:
    """Machine label of each family the page can show -> its text for people (:mod:`.names`): the closed-form
    families and, in games of at most :data:`MAX_DISPLAYED_PROFILES` profiles, every pure profile (labelled
    as the page's script labels them)."""
    strategies = model["strategies"]
    names = {tuple(tuple(s) for s in support): name for support, name in model.get("names", ())}
    out: dict[str, str] = {}
    for fam in model.get("families", ()):
        support = tuple(tuple(strategies[i][k] for k in s) for i, s in enumerate(fam["support"]))
        kind = "pure" if all(len(s) == 1 for s in support) else "mixed"
        out[fam["label"]] = family_text(kind, support, names)
    if math.prod(len(s) for s in strategies) <= MAX_DISPLAYED_PROFILES:
        for profile in itertools.product(*strategies):
            out.setdefault("pure(" + ",".join(profile) + ")", family_text("pure", [(s,) for s in profile], names))
    return out


def render_live_page(page: Any) -> str:
    """The HTML of a :class:`~gametheory.sensitivity.live.LivePage`."""
    model = dict(page.model)
    model["version"] = __version__
    model["display"] = display_texts(model)
    data = _script_safe(json.dumps(model, ensure_ascii=False, allow_nan=False))
    parts = {
        "__VERSION__": html.escape(__version__),
        "__TITLE__": html.escape(page.title),
        "__CSS__": _asset("live.css"),
        "__MODEL__": data,
        "__CODE__": _script_safe(page.code),
        "__SCRIPT__": _script_safe(_asset("live.js")),
    }
    # one pass, so that no inserted text is read again as a placeholder
    return _PLACEHOLDER.sub(lambda m: parts[m.group(0)], _asset("live.html"))
