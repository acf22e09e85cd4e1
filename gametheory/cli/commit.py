"""The ``commit`` command: Stackelberg leadership for a scenario (registered in :mod:`gametheory.cli`).

Thin: convert options, call :mod:`gametheory.sensitivity.commitment`, render
with :mod:`gametheory.report.commitment`. Bad input (an unknown leader or
parameter, a game too large) raises :class:`~gametheory.errors.InputError`,
which the command group turns into one line on stderr and exit code 2.
"""

from __future__ import annotations

import click

from ..errors import InputError
from ._common import (
    STRICT_HELP,
    format_option,
    load_and_bind,
    out_option,
    parse_sets,
    parse_vary,
    preset_option,
    set_option,
    warnings_to_stderr,
    write_output,
)


@click.command(name="commit")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--leader", required=True, metavar="NAME", help="The player who commits first (a player name of FILE).")
@set_option()
@preset_option()
@format_option()
@click.option(
    "--vary",
    multiple=True,
    metavar="NAME[=LO:HI]",
    help="Also follow the leader's best commitment as this parameter varies (over its declared range, or "
    "LO:HI), with the exact thresholds where it changes or starts to pay (repeatable).",
)
@click.option(
    "--no-table", is_flag=True, help="Leave out the who-gains-by-moving-first table (one analysis per player)."
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@out_option()
def commit(file, leader, sets, preset, fmt, vary, no_table, strict, out) -> None:
    """What the leader gets by committing before the others move (Stackelberg leadership) in FILE.

    Pure commitment for any number of players (the followers then play each
    equilibrium of the game left: optimistic and pessimistic), mixed commitment
    for two players (exact, Conitzer-Sandholm LPs; strong and weak forms),
    commitment to a correlated strategy (the upper bound), the leader's best
    and worst Nash payoff, and who gains by moving first. Trees are analysed on
    their reduced normal form, Bayesian games on their ex-ante form.

    \b
    Examples:
      gametheory commit games/deterrence.json --leader US
      gametheory commit games/deterrence.json --leader US --vary x_r --format json
      gametheory commit games/sequencing.json --leader US --set pledge_us=2
    """
    from ..report.commitment import render_commitment
    from ..sensitivity.commitment import analyse_commitment, commitment_thresholds

    scenario, game = load_and_bind(file, sets, preset, strict)
    axes = parse_vary(vary)
    if any(count is not None for _, _, count in axes.values()):
        raise InputError("--vary for commit takes NAME or NAME=LO:HI (thresholds are exact, no grid of N points)")
    with warnings_to_stderr(scenario.file or file):
        analysis = analyse_commitment(scenario, game, leader, table=not no_table)
        values = scenario.parameter_values(parse_sets(sets), preset=preset)
        scans = tuple(
            commitment_thresholds(scenario, leader, name, values=values, search=None if lo is None else (lo, hi))
            for name, (lo, hi, _) in axes.items()
        )
    write_output(render_commitment(analysis, fmt, scans), out)
