"""The ``report`` and ``explain`` commands for seminars (registered in :mod:`gametheory.cli`).

Both are thin: convert options, call :func:`gametheory.report.handout.build_handout`
or :func:`gametheory.explain.explain`, render, write. Bad input raises
:class:`~gametheory.errors.InputError`, which the command group turns into one
line on stderr and exit code 2.
"""

from __future__ import annotations

import shlex

import click

from ..errors import InputError
from ._common import (
    STRICT_HELP,
    echo,
    figure_options,
    figure_settings,
    load_and_bind,
    out_option,
    parse_sets,
    parse_vary,
    progress_bar,
    set_option,
    warnings_to_stderr,
    write_output,
)

#: A handout plots one parameter (a line) or two (a regime map), with at least this many points per axis.
MIN_PLOT_POINTS = 3


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The handout file; its extension picks the format: .html (one self-contained page, plot embedded), "
    ".md or .tex (plot written beside it as NAME-plot.png).",
)
@set_option()
@click.option("--preset", default=None, help="Use a named preset of the scenario (e.g. --preset art5_like).")
@click.option(
    "--vary",
    multiple=True,
    metavar="NAME[=LO:HI[:N]]",
    help="What to plot: one parameter gives a line plot of every equilibrium against it, two give a regime "
    "map (repeat the option). Without LO:HI the declared range is used; N points (default 401 for a line, "
    "121 per axis for a map). Default: the first parameter with a threshold.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME",
    help="List the exact thresholds of this parameter (repeatable). Default: the parameters the scenario's "
    "claims name, or every parameter the payoffs use if it has no claims.",
)
@click.option("--no-thresholds", is_flag=True, help="Leave out the thresholds section (faster).")
@click.option("--no-plot", is_flag=True, help="Leave out the plot.")
@click.option("--no-working", is_flag=True, help="Leave out the step-by-step derivation of the equilibria.")
@click.option(
    "--pdf", is_flag=True, help="With a .tex handout, also run pdflatex (which must be installed) to make the PDF."
)
@click.option(
    "--commit",
    "leader",
    default=None,
    metavar="LEADER",
    help="Add a section on LEADER committing in advance: its best promise, what it is worth against the "
    "equilibria, and the exact values of the listed parameters where committing starts or stops paying.",
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@figure_options
def report(
    file, out, sets, preset, vary, params, no_thresholds, no_plot, no_working, pdf, leader, strict, size, dpi
) -> None:
    """Write a seminar handout for FILE: the story and its sources, the parameters, the payoff tables
    with best responses marked, the equilibria and what distinguishes them, the exact thresholds with a
    sentence each, a plot, the claims the scenario speaks to, and the working.

    HTML opens in any browser with no network; Markdown renders on a code-hosting site; LaTeX compiles
    with pdflatex (use --pdf). Computing the thresholds takes a few seconds per parameter.

    \b
    Examples:
      gametheory report games/deterrence.json --out handout.html
      gametheory report games/deterrence.json --out handout.md --param x_r --vary x_r=0:15
      gametheory report games/deterrence.json --out map.html --vary x_r --vary n_us --set m_us=1.5
      gametheory report games/deterrence.json --out handout.tex --pdf
      gametheory report games/deterrence.json --out slides.md --no-working --size 13.3x7.5 --dpi 200
      gametheory report games/deterrence.json --out handout.md --param x_r --commit US
    """
    from ..report.handout import compile_latex, format_for, write_handout
    from ..teaching.handout import build_handout

    fmt = format_for(out)
    if fmt == "text":
        raise InputError(f"--out must end in .html, .md or .tex, got {out!r}")
    if pdf and fmt != "latex":
        raise InputError("--pdf needs a .tex output file")
    grid = parse_vary(vary, min_points=MIN_PLOT_POINTS)
    if len(grid) > 2:
        raise InputError(
            f"--vary: a handout plots one parameter (a line plot) or two (a regime map); {len(grid)} given"
        )
    scenario, game = load_and_bind(file, sets, preset, strict)
    overrides = parse_sets(sets)
    names = [] if no_thresholds else (list(params) if params else None)
    args = [file, "--out", out] + [f"--set={v}" for v in sets] + ([f"--preset={preset}"] if preset else [])
    args += [f"--vary={v}" for v in vary] + [f"--param={p}" for p in params]
    args += [f"--commit={leader}"] if leader is not None else []
    args += [
        flag
        for flag, on in (("--no-thresholds", no_thresholds), ("--no-plot", no_plot), ("--no-working", no_working))
        if on
    ]
    args += ([f"--size={size}"] if size else []) + ([f"--dpi={dpi}"] if dpi else [])
    command = "gametheory report " + " ".join(shlex.quote(a) for a in args)
    with (
        warnings_to_stderr(scenario.file or file),
        progress_bar("thresholds and plot") as progress,
        figure_settings(size, dpi),
    ):
        handout = build_handout(
            scenario,
            game,
            overrides=overrides,
            preset=preset,
            parameters=names,
            vary=grid,
            plot=not no_plot,
            explain=not no_working,
            command=command,
            progress=progress,
            leader=leader,
        )
    written = write_handout(handout, out)
    if pdf:
        written.append(compile_latex(out))
    count = len(handout.solution.equilibria)
    echo(
        f"{count} equilibri{'um' if count == 1 else 'a'}, {sum(len(t.thresholds) for t in handout.thresholds)} "
        f"threshold(s) in {len(handout.thresholds)} parameter(s); wrote " + ", ".join(str(p) for p in written),
        err=True,
    )
    for note in handout.notes:
        echo(f"note: {note}", err=True)


PARTS = {
    "backward-induction": "tree",
    "best-responses": "best_responses",
    "dominance": "dominance",
    "pure": "pure",
    "mixed": "mixed",
    "plausibility": "plausibility",
    "commitment": "commitment",
}


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@set_option()
@click.option("--preset", default=None, help="Use a named preset of the scenario.")
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(list(PARTS)),
    help="Show only these parts (repeatable): backward-induction (game trees), best-responses, dominance "
    "(iterated elimination), pure (why each pure equilibrium is one), mixed (the indifference conditions, "
    "solved), plausibility (which equilibrium the selection criteria favour), commitment (each player as a "
    "Stackelberg leader). Default: all.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "latex", "html"]),
    default="text",
    show_default=True,
    help="Output format (latex: a complete document; html: a complete page).",
)
@click.option("--strict", is_flag=True, help="Treat a parameter outside its declared range as an error.")
@out_option()
def explain(file, sets, preset, only, fmt, strict, out) -> None:
    """Explain the equilibria of FILE step by step, as a teacher would on the board.

    Each player's best responses; iterated elimination of strictly dominated strategies with every
    step justified by its inequalities; why each pure equilibrium is one (no profitable deviation,
    with the numbers) and why the other profiles are not; and for each mixed equilibrium the
    indifference equations, with the payoffs at these values and with the scenario's expressions,
    solved step by step (with the general closed form in the parameters where one equation fixes an
    unknown). Then which equilibrium is most plausible (logit, payoff and risk dominance,
    best-response dynamics, subgame perfection), in the handout's words. For a game tree,
    backward induction comes first: each decision from the last moves up, with the values that
    justify it.

    \b
    Examples:
      gametheory explain games/deterrence.json
      gametheory explain games/deterrence.json --only mixed
      gametheory explain games/deterrence.json --set x_r=10 --format markdown --out g1.md
      gametheory explain games/classics/battle_of_the_sexes.json --only pure --only mixed
      gametheory explain games/classics/stag_hunt.json --only plausibility
      gametheory explain games/sequencing.json --only backward-induction
    """
    from ..report.handout import render
    from ..teaching.explain import explain as explain_game

    scenario, game = load_and_bind(file, sets, preset, strict)
    parts = [PARTS[p] for p in PARTS if p in only] or None
    result = explain_game(game, scenario, parts=parts)
    blocks = result.blocks(parts=parts)
    write_output(render(blocks, fmt, title=f"Step by step: {result.title}"), out)
