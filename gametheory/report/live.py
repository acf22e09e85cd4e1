"""The live seminar page as one self-contained HTML file (``gametheory app``).

This module only writes: the data and the compiled functions come from
:func:`gametheory.sensitivity.live.live_page`; the page's stylesheet and script
are package data (``report/live_page/``), inlined so that the file needs no
network, no server and no external script or font. A Content-Security-Policy
in the page forbids every fetch, so the browser enforces that too.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from typing import Any

from .._version import __version__

_PLACEHOLDER = re.compile(r"__(VERSION|TITLE|CSS|MODEL|CODE|SCRIPT)__")


def _asset(name: str) -> str:
    return resources.files("gametheory.report").joinpath("live_page", name).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Text that cannot end the ``<script>`` element it sits in."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def render_live_page(page: Any) -> str:
    """The HTML of a :class:`~gametheory.sensitivity.live.LivePage`."""
    model = dict(page.model)
    model["version"] = __version__
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
