"""Equilibria and regimes as people read them: the scenario's names, else one readable notation.

Two kinds of text name an equilibrium set, and each output carries the kind it needs:

* the **machine label** of :mod:`gametheory.sensitivity.labels`
  (``pure(hold,target,stay_out) + mixed(deploy|accept,target|backstop,stay_out)``): stable,
  unambiguous, quoted where a strategy name needs it. Sweep tables (the ``regime`` column),
  checkpoints and every JSON ``label``/``regime`` field keep it, so that files read back and
  compared across runs never change meaning;
* the **display text** made here, for people: the name the scenario file gives an equilibrium
  (its ``names`` key, e.g. ``probabilistic deterrence``), else ``pure (hold, target, stay_out)``
  or ``mixed (deploy, accept/target, backstop/stay_out)``: players in order separated by ``,``, a
  player's support joined by ``/`` (by `` or `` in a family where a strategy name holds a ``/``, as the
  plans of game trees do: ``mixed (deploy, refuse/-/target or sign/accept/-)``). Tables, plots, legends,
  the tornado diagram, Monte Carlo reports, ``sweep``'s summary, handouts and ``solve`` show it; JSON
  outputs add it next to the label (``display``, ``name``).

``names`` everywhere below maps a support (each player's strategy names, in file order) to its
name: :attr:`gametheory.scenario.Scenario.equilibrium_names`, carried by a bound game as
:attr:`gametheory.game.NormalFormGame.names`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Names = Mapping[tuple[tuple[str, ...], ...], str]

#: What the special labels mean, for people.
_SPECIAL = {"none": "no equilibrium", "boundary": "on a threshold", "unknown": "unknown", "": "unknown"}


def family_text(kind: str, support: Sequence[Sequence[str]], names: Names | None = None, count: int = 1) -> str:
    """One equilibrium family for people: its name, else ``mixed (deploy, accept/target, backstop)``.

    ``support`` is each player's strategies (names) with positive probability; ``count`` > 1 puts
    ``2 x`` in front (two equilibria with one support, e.g. the roots of a quadratic).
    """
    key = tuple(tuple(s) for s in support)
    name = (names or {}).get(key)
    # Plans of game trees are written with "/" (``refuse/-/target``): their supports are joined by " or ".
    joint = " or " if any("/" in s for strategies in key for s in strategies) else "/"
    text = name if name is not None else f"{kind} ({', '.join(joint.join(s) for s in key)})"
    return f"{count} x {text}" if count > 1 else text


def regime_parts(label: str, names: Names | None = None) -> list[str]:
    """The families of a machine label for people, one text each (``[]`` for ``none``).

    A text that is not a label (a heading such as ``other (3 regimes)``) comes back as it is.
    """
    if label in _SPECIAL:
        return []
    # Imported here: ``solve`` shows names through this module without loading the sensitivity package.
    from ..sensitivity.labels import parse_label

    try:
        parsed = parse_label(label)
    except ValueError:
        return [label]
    return [family_text(kind, support, names, count) for count, kind, support in parsed]


def regime_text(label: str, names: Names | None = None) -> str:
    """A machine label for people: families separated by ``; `` (``no equilibrium`` for ``none``)."""
    parts = regime_parts(label, names)
    return "; ".join(parts) if parts else _SPECIAL.get(label, label)


def outcome_text(text: str, regime: str = "", names: Names | None = None, exact: bool = False) -> str:
    """An analyst's outcome for people: a regime outcome (``regime``, its machine label) by its families'
    names or notation, ``exactly ...`` when the equilibrium set must be exactly those; any other
    outcome (``Europe=deploy``) as typed (``text``)."""
    if not regime:
        return text
    return ("exactly " if exact else "") + regime_text(regime, names)


def game_family_text(game, support: Sequence[Sequence[int]], kind: str, count: int = 1) -> str:
    """:func:`family_text` of a support given as strategy indices of ``game`` (names from ``game.names``)."""
    named = tuple(tuple(game.strategies[i][k] for k in s) for i, s in enumerate(support))
    return family_text(kind, named, getattr(game, "names", None), count)


def equilibrium_name(game, support: Sequence[Sequence[int]]) -> str | None:
    """The scenario's name of the equilibrium family with this support (strategy indices of ``game``), or None."""
    named = tuple(tuple(game.strategies[i][k] for k in s) for i, s in enumerate(support))
    return (getattr(game, "names", None) or {}).get(named)
