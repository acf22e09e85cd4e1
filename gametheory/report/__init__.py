"""Renderers: they read solved results and turn them into text, JSON, Markdown or LaTeX.

Renderers never compute equilibria; everything they print comes from a
:class:`~gametheory.solution.Solution` (or a scenario and its game).
"""

from __future__ import annotations

FORMATS = ("text", "json", "markdown", "latex")


def render_solution(solution, scenario=None, fmt: str = "text") -> str:
    """Render a solution in one of :data:`FORMATS`."""
    if fmt == "json":
        from .jsonout import solution_json

        return solution_json(solution, scenario)
    if fmt in ("text", "markdown", "latex"):
        from .summary import solution_document

        return solution_document(solution, scenario, fmt)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
