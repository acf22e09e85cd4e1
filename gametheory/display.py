"""Display hooks: how a model gets its Jupyter representation without importing the renderers.

Models (``Scenario``, ``NormalFormGame``, ``Solution``) sit below ``report/``
in the package's layers and may not import it. They ask this module instead:
``display.render(self, "html")``. The renderers in ``report/notebook.py``
register themselves here with :func:`register` when ``report.notebook`` is
imported, which ``import gametheory`` arranges (:func:`defer`) to happen at
the first :func:`render`.

>>> class Point:
...     def __repr__(self) -> str:
...         return "Point()"
>>> render(Point(), "html") is None
True
>>> register(Point, "html", lambda p: "<b>point</b>")
>>> render(Point(), "html")
'<b>point</b>'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_RENDERERS: dict[tuple[type, str], Callable[[Any], str]] = {}
_LOADERS: list[Callable[[], object]] = []


def defer(loader: Callable[[], object]) -> None:
    """Call ``loader`` (which registers renderers) before the first :func:`render`, not now.

    ``import gametheory`` defers loading ``report.notebook`` this way: a command-line run that never shows a
    model in a notebook does not pay for importing the renderers.
    """
    _LOADERS.append(loader)


def register(cls: type, kind: str, renderer: Callable[[Any], str]) -> None:
    """Use ``renderer(obj)`` as the ``kind`` ("text", "html", "latex") representation of ``cls`` objects."""
    _RENDERERS[(cls, kind)] = renderer


def render(obj: Any, kind: str) -> str | None:
    """The registered ``kind`` representation of ``obj`` (looked up along its class's MRO), or None."""
    while _LOADERS:
        _LOADERS.pop(0)()
    for cls in type(obj).__mro__:
        renderer = _RENDERERS.get((cls, kind))
        if renderer is not None:
            return renderer(obj)
    return None
