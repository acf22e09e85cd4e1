"""The ``app`` command: the live seminar page (registered in :mod:`gametheory.cli`).

Thin: read the file, call :func:`gametheory.sensitivity.live.live_page`, render
with :func:`gametheory.report.live.render_live_page`, write.
"""

from __future__ import annotations

import click

from ..errors import InputError
from ..formats import load
from ._common import progress_bar, warnings_to_stderr, write_output


@click.command(name="app")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The page to write (.html).")
@click.option(
    "--free",
    multiple=True,
    metavar="NAME",
    help="Give a slider to this parameter only (repeatable); the others stay at their defaults. Default: every "
    "parameter the payoffs use. Fewer free parameters make the closed forms much quicker to find.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME",
    help="Mark this parameter's thresholds on its slider (repeatable). Default: the parameters the scenario's "
    "claims name, or every parameter the payoffs use if it has no claims.",
)
@click.option(
    "--map",
    "axes",
    multiple=True,
    metavar="NAME",
    help="A parameter of the regime map the page opens with (give two). Default: the first two marked parameters.",
)
@click.option("--no-thresholds", is_flag=True, help="Mark no thresholds (much faster to build).")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds of algebra allowed per support of the closed forms (default 120); beyond it the page finds "
    "pure equilibria only (and says so).",
)
def app_command(file, out, free, params, axes, no_thresholds, time_limit) -> None:
    """Write a live seminar page for FILE: one self-contained HTML file (no network, no server) with a
    slider for every parameter, the equilibria and payoff table recomputed at once as a slider moves,
    each slider's thresholds on its track, a regime map of two parameters, presets, and the values in
    the page's address (seminar.html#x_r=6&m_us=2.5) so that a link reopens a setting.

    Closed forms of the equilibria are compiled to JavaScript; where the game has none (piecewise
    payoffs, game trees) the page finds the pure equilibria (and, for trees, backward induction) and
    says that mixed equilibria are not covered. Building takes from seconds to a few minutes.

    \b
    Examples:
      gametheory app games/deterrence.json --out seminar.html
      gametheory app games/sequencing.json --out sequencing.html --param pledge_us
      gametheory app games/deterrence.json --out quick.html --free x_r --free m_us
      gametheory app games/guarantee_menu.json --out menu.html --map kappa --map a_g
    """
    from ..report.live import render_live_page  # here: every other command starts without the page's modules
    from ..sensitivity.live import PAGE_SUPPORT_TIME_LIMIT, live_page

    time_limit = PAGE_SUPPORT_TIME_LIMIT if time_limit is None else time_limit
    if not str(out).lower().endswith((".html", ".htm")):
        raise InputError(f"--out must end in .html, got {out!r}")
    if axes and len(axes) != 2:
        raise InputError(f"--map: give two parameters (the map's axes), got {len(axes)}")
    scenario = load(file)
    with warnings_to_stderr(scenario.file or file), progress_bar("thresholds") as progress:
        page = live_page(
            scenario,
            free=list(free) or None,
            parameters=list(params) if params else None,
            thresholds=not no_thresholds,
            map_axes=list(axes) or None,
            time_limit=time_limit,
            progress=progress,
        )
    text = render_live_page(page)
    write_output(text, out)
    marks = sum(len(p["thresholds"]) for p in page.model["parameters"])
    kind = "closed forms" if page.mode == "closed" else "pure equilibria on the page"
    click.echo(
        f"wrote {out} ({len(text) // 1024} KB; {kind}; {marks} threshold mark(s); {page.seconds:.1f} s)", err=True
    )
    for note in page.notes:
        click.echo(f"note: {note}", err=True)
