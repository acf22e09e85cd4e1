"""Monte Carlo over a scenario's parameters: how often does each regime occur?

The scenario's parameter *ranges* say what is plausible; a Monte Carlo run
turns them into distributions (declared per parameter in the file, uniform
over the range by default), draws ``samples`` parameter vectors, classifies
the equilibrium set at every draw with the regime engine
(:func:`gametheory.sensitivity.sweep.classify_points`), and reports the share
of draws in each regime with a Wilson score confidence interval.

Reproducibility: counter-based draws
------------------------------------
Draw number ``i`` of parameter ``p`` is the ``i``-th number of a PCG64 stream
seeded by ``SeedSequence(seed, spawn_key=(key(p),))``, pushed through the
inverse distribution function (inverse-transform sampling: Devroye,
*Non-Uniform Random Variate Generation*, 1986, section 2.1). A chunk covering
draws ``[start, stop)`` jumps straight to ``start`` with ``PCG64.advance``.
Therefore every draw is a function of (seed, parameter name, draw index) only:
results do not depend on the chunk size, on the order in which chunks finish,
on a resumption, on the Dask scheduler, nor on which *other* parameters are
drawn (fixing one parameter with ``--set`` leaves the draws of the others
unchanged: common random numbers for comparing variants). Normal and beta
draws use ``scipy.stats`` inverse distribution functions; the draws could
move in the last bits across scipy versions, which is why the result records
the scheme version, the seed and every distribution.

Chunks, checkpoints, parallel runs
----------------------------------
Work is cut into chunks of ``chunk_size`` draws (:func:`default_chunk_size`),
each drawn and classified in one vectorised call by :func:`run_chunk` and run by
:func:`~.executor.run_chunks` on local worker processes or a Dask cluster. A
chunk's totals are order-independent: integer counts, exact rational sums
(every float is a dyadic rational, so summing them exactly, as integers times
2**-1074, loses nothing) and minima/maxima. On Dask the closed forms travel
with the job as plain data (derived once, here; the workers only compile them).
With a checkpoint, every finished chunk appends one
checksummed line to an append-only log (:mod:`.checkpoint`: constant cost per
chunk); rerunning with the same checkpoint reads and checks those lines and
skips their chunks, so an interrupted run loses at most the chunks in progress
and never counts a draw twice. The log's header records what defines the run
(scenario, seed, samples, chunk size, distributions, fixed values); a
checkpoint for a different run, or one whose records do not add up, is refused
rather than silently mixed in.

Distributions (``"distribution"`` of a parameter in the scenario file)
---------------------------------------------------------------------
==============  ===============  ==================================================
kind            arguments        meaning
==============  ===============  ==================================================
``uniform``     (none)           uniform over ``range`` (the default)
``triangular``  ``mode``         triangular on ``range`` with its peak at ``mode``
``normal``      ``sd``, ``mean`` normal truncated to ``range`` (``mean`` defaults
                                 to the parameter's default value)
``beta``        ``alpha``,       Beta(alpha, beta) scaled from [0, 1] to ``range``
                ``beta``
``fixed``       (none)           not drawn: held at its default (or preset/--set) value
==============  ===============  ==================================================

A parameter without a range and without a ``normal`` distribution is held
fixed, and so is one the payoffs do not use. Parameters set by ``base``
(``--set``) are held fixed; so are those a preset sets, unless a distribution
is given for them explicitly (``distributions=`` / ``--dist``).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np

from .._limits import human_bytes, keep_freed_memory
from ..errors import InputError
from ..numtext import parameter_text
from .checkpoint import ChunkLog, read_header
from .executor import run_chunks
from .formcache import scenario_digest

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario

__all__ = [
    "SCHEME",
    "Distribution",
    "MonteCarloResult",
    "ParameterSummary",
    "RegimeShare",
    "draw",
    "monte_carlo",
    "parse_distribution",
    "resolve_distributions",
    "wilson_interval",
]

#: Version of the drawing scheme; part of every checkpoint's identity.
SCHEME = "gametheory-mc/1"
KINDS = ("uniform", "triangular", "normal", "beta", "fixed")
#: Arguments each kind accepts (``required``, ``optional``).
ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uniform": ((), ()),
    "triangular": (("mode",), ()),
    "normal": (("sd",), ("mean",)),
    "beta": (("alpha", "beta"), ()),
    "fixed": ((), ()),
}
#: Draws per chunk on the closed forms: about half a second of work at 1e5 draws/s, so the per-chunk costs
#: (a classify_points call, one checkpoint line) vanish, and an interruption loses at most that much.
DEFAULT_CHUNK = 50_000
#: Draws per chunk on the general solver (milliseconds per draw).
DEFAULT_SOLVER_CHUNK = 50
#: Below this many draws the general solver classifies each draw; from it on, the closed forms
#: (a one-off symbolic analysis of a few seconds, then ~1e5-1e6 draws/s). BASELINES.md: the
#: symbolic solve "pays for itself after about 2,300 points".
SYMBOLIC_MIN_SAMPLES = 2000
#: Separator between equilibrium families inside a regime label (see ``sweep.regime_label``).
FAMILY_SEPARATOR = " + "
#: Seconds per draw used for the estimate before a run: the closed forms (about 1e5 draws/s on one
#: core, the slow end of what they do) and the general solver (a few milliseconds a draw).
SYMBOLIC_SECONDS_PER_DRAW = 1e-5
SOLVER_SECONDS_PER_DRAW = 5e-3
#: Bytes a chunk's working arrays take per draw and per drawn parameter (draws, labels, copies).
BYTES_PER_DRAW_PARAMETER = 64
#: Bytes of one checkpoint line (a chunk's counts and parameter statistics), an upper estimate.
CHECKPOINT_LINE_BYTES = 2000
#: A run estimated to take longer than this is refused unless asked for (``allow_long``, ``--long``).
LONG_RUN_SECONDS = 3600.0


@dataclass(frozen=True)
class RunEstimate:
    """What a Monte Carlo run will take, estimated before it starts.

    ``seconds`` of work on one core, ``memory`` bytes (one chunk at a time, so
    it does not grow with the number of draws), ``disk`` bytes of checkpoint
    (0 without one).
    """

    samples: int
    seconds: float
    memory: int
    disk: int
    symbolic: bool

    @property
    def long(self) -> bool:
        return self.seconds > LONG_RUN_SECONDS

    def text(self) -> str:
        how = "with the closed forms" if self.symbolic else "with the general solver at every draw"
        disk = f", checkpoint about {human_bytes(self.disk)}" if self.disk else ""
        return (
            f"{self.samples:,} draws {how}: about {_duration(self.seconds)} of work on one core, "
            f"memory about {human_bytes(self.memory)} (one chunk at a time){disk}"
        )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def estimate_run(samples: int, chunk: int, parameters: int, *, symbolic: bool, checkpoint: bool) -> RunEstimate:
    """The :class:`RunEstimate` of ``samples`` draws of ``parameters`` parameters in chunks of ``chunk``."""
    per_draw = SYMBOLIC_SECONDS_PER_DRAW if symbolic else SOLVER_SECONDS_PER_DRAW
    chunks = -(-samples // chunk)
    memory = min(chunk, samples) * max(parameters, 1) * BYTES_PER_DRAW_PARAMETER
    return RunEstimate(
        samples, samples * per_draw, memory, chunks * CHECKPOINT_LINE_BYTES if checkpoint else 0, symbolic
    )


Progress = Callable[[int, int], None]


# ------------------------------------------------------------- distributions
@dataclass(frozen=True)
class Distribution:
    """The distribution a parameter is drawn from (floats: sampling is numeric).

    ``low``/``high`` is the parameter's declared range (``None`` for an
    untruncated normal). Build one with :func:`resolve_distributions` (which
    validates); :meth:`ppf` maps uniforms in (0, 1) to draws.
    """

    kind: str
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    alpha: float | None = None
    beta: float | None = None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse distribution function: draws from uniforms ``u`` in (0, 1)."""
        lo, hi = self.low, self.high
        if lo is not None and lo == hi:
            return np.full(np.shape(u), lo, dtype=float)
        if self.kind == "uniform":
            return lo + (hi - lo) * u
        if self.kind == "triangular":
            width, c = hi - lo, self.mode
            split = (c - lo) / width
            with np.errstate(invalid="ignore"):
                left = lo + np.sqrt(u * width * (c - lo))
                right = hi - np.sqrt((1 - u) * width * (hi - c))
            return np.where(u < split, left, right)
        if self.kind == "normal":
            from scipy.stats import truncnorm

            a = -np.inf if lo is None else (lo - self.mean) / self.sd
            b = np.inf if hi is None else (hi - self.mean) / self.sd
            x = truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd)
            return x if lo is None else np.clip(x, lo, hi)
        if self.kind == "beta":
            from scipy.stats import beta

            return np.clip(beta.ppf(u, self.alpha, self.beta, loc=lo, scale=hi - lo), lo, hi)
        raise ValueError(f"no sampler for kind {self.kind!r}")  # fixed parameters are never drawn

    def as_dict(self) -> dict[str, Any]:
        """JSON form: kind, its arguments, and the range it lives on."""
        out: dict[str, Any] = {"kind": self.kind}
        required, optional = ARGUMENTS[self.kind]
        for key in required + optional:
            out[key] = getattr(self, key)
        if self.low is not None:
            out["range"] = [self.low, self.high]
        return out


def parse_distribution(text: str) -> dict[str, str]:
    """Parse the command-line form ``KIND[:KEY=VALUE[,KEY=VALUE...]]`` into a spec dict.

    >>> parse_distribution("triangular:mode=3")
    {'kind': 'triangular', 'mode': '3'}
    >>> parse_distribution("normal:mean=12,sd=4")
    {'kind': 'normal', 'mean': '12', 'sd': '4'}
    """
    kind, _, rest = text.strip().partition(":")
    spec: dict[str, str] = {"kind": kind.strip()}
    for item in filter(None, (p.strip() for p in rest.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(f"expected KEY=VALUE after {kind!r}:, got {item!r} (e.g. triangular:mode=3)")
        if key.strip() in spec:
            raise InputError(f"{key.strip()!r} is given twice in {text!r}")
        spec[key.strip()] = value.strip()
    return spec


def _number(raw: object, what: str, where: str | None, file: str | None) -> float:
    if isinstance(raw, bool) or raw is None:
        raise InputError(f"{what} must be a number, got {raw!r}", file=file, path=where)
    try:
        value = float(Fraction(raw) if isinstance(raw, str) else raw)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise InputError(f"{what} must be a number, got {raw!r}", file=file, path=where) from None
    if not math.isfinite(value):
        raise InputError(f"{what} must be finite, got {raw!r}", file=file, path=where)
    return value


def make_distribution(
    name: str,
    spec: Mapping[str, Any] | str | None,
    *,
    low: object = None,
    high: object = None,
    default: object = None,
    file: str | None = None,
    where: str | None = None,
) -> Distribution:
    """Validate one distribution spec for parameter ``name`` (range ``[low, high]``).

    ``where`` is the JSON path of the spec (``$.parameters.x.distribution``) or a
    description of the option it came from; errors name it, with the argument
    appended (``$.parameters.x.distribution.sd``).
    """
    if isinstance(spec, str):
        spec = parse_distribution(spec)
    spec = dict(spec) if spec is not None else {"kind": "uniform"}

    def at(key: str | None) -> str | None:
        if where is None:
            return None
        return f"{where}.{key}" if key and where.startswith("$") else where

    def fail(message: str, key: str | None = None) -> InputError:
        return InputError(message if where else f"{name}: {message}", file=file, path=at(key))

    kind = spec.pop("kind", None)
    if kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise fail(f"unknown distribution kind {kind!r}{hint}; kinds are {', '.join(KINDS)}", "kind")
    required, optional = ARGUMENTS[kind]
    for key in spec:
        if key not in required + optional:
            takes = ", ".join(required + optional) or "no arguments"
            raise fail(f"a {kind} distribution takes {takes}; {key!r} is not one of them", key)
    for key in required:
        if key not in spec:
            raise fail(f"a {kind} distribution needs {' and '.join(required)}; {key!r} is missing", None)
    args = {key: _number(value, key, at(key), file) for key, value in spec.items()}
    lo = None if low is None else float(low)
    hi = None if high is None else float(high)
    if kind == "fixed":
        return Distribution("fixed", lo, hi)
    if lo is None and kind != "normal":
        raise fail(f"a {kind} distribution needs the parameter's range, and {name} declares none")
    if kind == "triangular" and not lo <= args["mode"] <= hi:
        raise fail(
            f"mode {parameter_text(args['mode'])} must lie inside the range [{parameter_text(lo)}, {parameter_text(hi)}]",
            "mode",
        )
    if kind == "beta":
        for key in ("alpha", "beta"):
            if args[key] <= 0:
                raise fail(f"{key} must be > 0, got {parameter_text(args[key])}", key)
    if kind == "normal":
        if args["sd"] <= 0:
            raise fail(f"sd must be > 0, got {parameter_text(args['sd'])}", "sd")
        args.setdefault("mean", float(default) if default is not None else None)
        if args["mean"] is None:
            raise fail("a normal distribution needs a mean (the parameter has no default)", "mean")
        if lo is not None and lo < hi:
            mass = NormalDist(args["mean"], args["sd"])
            if mass.cdf(hi) - mass.cdf(lo) < 1e-9:
                raise fail(
                    f"normal(mean {parameter_text(args['mean'])}, sd {parameter_text(args['sd'])}) puts almost no probability "
                    f"on the range [{parameter_text(lo)}, {parameter_text(hi)}]",
                    "mean",
                )
    return Distribution(kind, lo, hi, **args)


def resolve_distributions(
    scenario: Scenario,
    distributions: Mapping[str, Mapping[str, Any] | str] | None = None,
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
) -> tuple[dict[str, Distribution], dict[str, Any]]:
    """Decide, for every parameter the payoffs use, whether it is drawn and from what.

    Returns ``(drawn, fixed)``: ``drawn`` maps parameter names (in the file's
    order) to validated :class:`Distribution` objects; ``fixed`` maps the other
    parameters to their exact values (default, then preset, then ``base``).
    ``distributions`` overrides the file's specs (values are spec dicts or
    command-line strings such as ``"triangular:mode=3"``). Every problem is an
    :class:`InputError` naming the file and JSON path or the override.
    """
    base = dict(base or {})
    overrides = dict(distributions or {})
    values = scenario.parameter_values(base, preset=preset, strict=False)
    chosen = preset if preset is not None else scenario.default_preset
    preset_names = set(scenario.presets[chosen].values) if chosen is not None else set()
    for name in overrides:
        if name not in scenario.parameters:
            import difflib

            close = difflib.get_close_matches(name, list(scenario.parameters), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"distribution given for unknown parameter {name!r}{hint}", file=scenario.file)
        if name in base:
            raise InputError(
                f"{name} is both fixed (set to {base[name]}) and given a distribution; choose one",
                file=scenario.file,
            )
    drawn: dict[str, Distribution] = {}
    fixed: dict[str, Any] = {}
    used = scenario.used_parameters
    for name, param in scenario.parameters.items():
        if name in overrides:
            spec, where, file = overrides[name], f"distribution of {name}", None
        else:
            spec = param.distribution
            where, file = f"$.parameters.{name}.distribution", scenario.file
        dist = make_distribution(
            name, spec, low=param.low, high=param.high, default=values[name], file=file, where=where
        )
        held = name in base or (name in preset_names and name not in overrides)
        if (
            name not in used
            or held
            or dist.kind == "fixed"
            or (dist.low is None and dist.kind != "normal")
            or (dist.low is not None and dist.low == dist.high)
        ):
            fixed[name] = values[name]
        else:
            drawn[name] = dist
    return drawn, fixed


# -------------------------------------------------------------------- draws
def _stream_key(name: str) -> int:
    """A stable 64-bit integer for a parameter name (the spawn key of its stream)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


def uniforms(seed: int, name: str, start: int, count: int) -> np.ndarray:
    """Uniforms in (0, 1) number ``start .. start+count-1`` of parameter ``name``'s stream.

    ``random()`` returns k / 2**53 and uses one 64-bit output per number, so
    ``advance(start)`` lands exactly on number ``start``; adding 2**-54 moves
    each value to the middle of its cell, so 0 never occurs.
    """
    bits = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(_stream_key(name),)))
    bits.advance(start)
    return np.random.Generator(bits).random(count) + 2.0**-54


def draw(drawn: Mapping[str, Distribution], seed: int, start: int, stop: int) -> dict[str, np.ndarray]:
    """Draws ``start .. stop-1`` of every drawn parameter (float arrays of length ``stop - start``)."""
    return {name: dist.ppf(uniforms(seed, name, start, stop - start)) for name, dist in drawn.items()}


# -------------------------------------------------------------- statistics
def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3).

    With ``p = k/n`` and ``z`` the two-sided normal quantile, the interval is
    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. Unlike the
    textbook ``p ± z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and does not
    collapse to a point when ``k`` is 0 or ``n``: the honest answer for a
    regime that was never (or always) seen.
    """
    if trials <= 0:
        return (0.0, 1.0)
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be between 0 and 1, got {confidence}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials)) / (1 + z2n)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class RegimeShare:
    """How often one regime (or one equilibrium family) occurred."""

    label: str
    count: int
    share: float
    low: float
    high: float


@dataclass(frozen=True)
class ParameterSummary:
    """The draws of one parameter: its distribution, moments and the mean per regime."""

    name: str
    distribution: Distribution
    mean: float
    sd: float
    min: float
    max: float
    by_regime: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class MonteCarloResult:
    """The outcome of :func:`monte_carlo`, with everything needed to reproduce it.

    ``regimes``: one entry per regime label seen, most frequent first, with a
    Wilson interval at ``confidence``. ``families``: the share of draws whose
    equilibrium set *contains* each equilibrium family (the parts of a regime
    label). ``boundary``: draws that fell on a regime boundary (degenerate
    games; they are counted under the label the engine gave them).
    Rendered by :mod:`gametheory.report.montecarlo` (report, JSON, CSV) and
    :func:`gametheory.report.plots.plot_montecarlo` (the bar chart).
    """

    title: str
    file: str | None
    samples: int
    seed: int
    chunk_size: int
    confidence: float
    regimes: tuple[RegimeShare, ...]
    families: tuple[RegimeShare, ...]
    boundary: int
    parameters: tuple[ParameterSummary, ...]
    fixed: Mapping[str, Any]
    preset: str | None = None
    how: Mapping[str, int] = field(default_factory=dict)
    resumed_chunks: int = 0
    elapsed: float = 0.0
    scheme: str = SCHEME
    #: The scenario's names of equilibria (support by strategy names -> name), for display only.
    names: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {r.label: r.count for r in self.regimes}

    @property
    def shares(self) -> dict[str, float]:
        return {r.label: r.share for r in self.regimes}

    def share(self, label: str) -> RegimeShare:
        """The entry for ``label`` (a zero count with its Wilson interval if it never occurred)."""
        for r in self.regimes:
            if r.label == label:
                return r
        low, high = wilson_interval(0, self.samples, self.confidence)
        return RegimeShare(label, 0, 0.0, low, high)

    def combined_share(self, labels: Iterable[str], label: str) -> RegimeShare:
        """The draws in any of the regimes ``labels`` as one entry named ``label``, with its
        Wilson interval (e.g. the regimes a plot lumps together as "other")."""
        wanted = set(labels)
        count = sum(r.count for r in self.regimes if r.label in wanted)
        low, high = wilson_interval(count, self.samples, self.confidence)
        return RegimeShare(label, count, count / self.samples, low, high)


# ---------------------------------------------------------------- the run
@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to run one chunk (picklable, for Dask; inherited by forked workers)."""

    scenario: Any
    drawn: Mapping[str, Distribution]
    base: Mapping[str, Any]
    preset: str | None
    seed: int
    samples: int
    chunk_size: int
    symbolic: bool = True
    #: The compiled closed forms (``forms_to_dict``), derived once by the client, for Dask workers
    forms: Mapping[str, Any] | None = None

    @property
    def chunks(self) -> int:
        return -(-self.samples // self.chunk_size)

    def bounds(self, index: int) -> tuple[int, int]:
        start = index * self.chunk_size
        return start, min(self.samples, start + self.chunk_size)


def default_chunk_size(symbolic: bool) -> int:
    """Draws per chunk when none is asked for: about a second of work either way (see the constants)."""
    return DEFAULT_CHUNK if symbolic else DEFAULT_SOLVER_CHUNK


def run_chunk(job: _Job, index: int) -> dict[str, Any]:
    """Draw and classify chunk ``index``; return its totals (a checkpoint record's data: JSON-ready, exact).

    Vectorised: one :func:`~.sweep.classify_points` call for the whole chunk
    (the grid's engine), then one ``bincount`` per parameter for the sums by
    regime. Sums are float sums of the chunk written as exact rationals, so
    merging chunks (in any order) is exact.
    """
    from .sweep import classify_points

    keep_freed_memory()
    if job.forms is not None:
        from .engine import adopt_forms
        from .sweep import base_values_quiet

        adopt_forms(job.scenario, tuple(job.drawn), base_values_quiet(job.scenario, job.base, job.preset), job.forms)
    start, stop = job.bounds(index)
    values = draw(job.drawn, job.seed, start, stop)
    regimes = classify_points(
        job.scenario, values, base=job.base or None, preset=job.preset, jobs=1, symbolic=job.symbolic
    )
    codes = np.asarray(regimes.codes, dtype=np.intp).reshape(-1)
    solved = int(np.count_nonzero(regimes.solved))
    per_code = np.bincount(codes, minlength=len(regimes.regimes))
    seen = np.flatnonzero(per_code)
    labels = [str(regimes.regimes[code]) for code in seen]
    sums = {name: np.bincount(codes, weights=x, minlength=len(regimes.regimes))[seen] for name, x in values.items()}
    how = {key: n for key, n in (("symbolic", stop - start - solved), ("solver", solved)) if n}
    return {
        "draws": stop - start,
        "counts": {label: int(per_code[code]) for label, code in zip(labels, seen)},
        "boundary": int(np.count_nonzero(regimes.boundary)),
        "how": how,
        "sum": {label: {name: _float_text(sums[name][k]) for name in values} for k, label in enumerate(labels)},
        "sumsq": {name: _float_text(np.square(x).sum()) for name, x in values.items()},  # not BLAS dot
        "min": {name: float(x.min()) for name, x in values.items()},
        "max": {name: float(x.max()) for name, x in values.items()},
    }


def _float_text(x: float) -> str:
    """A float as the exact rational it is (``"3/8"``, ``"-5"``): what ``exact_text`` writes, without a Fraction."""
    num, den = float(x).as_integer_ratio()
    return str(num) if den == 1 else f"{num}/{den}"


#: Binary scale of :class:`_ExactSum`: every float is a multiple of 2**-1074, so a sum of floats
#: times 2**SUM_SCALE is an integer.
SUM_SCALE = 1074


class _ExactSum:
    """An exact sum of rationals written as text, kept as an integer times 2**-SUM_SCALE.

    Chunk sums are floats, dyadic rationals, so adding them is a shift and an
    integer addition, where Fractions would take a gcd at every step (that
    was a quarter of a million-draw run's CPU time). Other rationals (read
    from a checkpoint written otherwise) are kept aside as a Fraction.
    """

    __slots__ = ("other", "scaled")

    def __init__(self) -> None:
        self.scaled = 0
        self.other = Fraction(0)

    def add(self, text: str) -> None:
        num, _, den = text.partition("/")
        q = int(den) if den else 1
        shift = SUM_SCALE - (q.bit_length() - 1)
        if q & (q - 1) == 0 and shift >= 0:
            self.scaled += int(num) << shift
        else:
            self.other += Fraction(int(num), q)

    def value(self) -> Fraction:
        return Fraction(self.scaled, 1 << SUM_SCALE) + self.other


def _empty_totals() -> dict[str, Any]:
    return {
        "draws": 0,
        "counts": Counter(),
        "boundary": 0,
        "how": Counter(),
        "sum": {},
        "sumsq": {},
        "min": {},
        "max": {},
    }


def _merge(totals: dict[str, Any], chunk: Mapping[str, Any]) -> None:
    """Add one chunk's totals exactly (integers and exact sums; the order of chunks does not matter)."""
    totals["draws"] += chunk["draws"]
    totals["boundary"] += chunk["boundary"]
    totals["counts"].update(chunk["counts"])
    totals["how"].update(chunk["how"])
    for label, sums in chunk["sum"].items():
        into = totals["sum"].setdefault(label, {})
        for name, s in sums.items():
            _sum_of(into, name).add(s)
    for name, s in chunk["sumsq"].items():
        _sum_of(totals["sumsq"], name).add(s)
    for name, m in chunk["min"].items():
        totals["min"][name] = min(m, totals["min"].get(name, m))
    for name, m in chunk["max"].items():
        totals["max"][name] = max(m, totals["max"].get(name, m))


def _sum_of(sums: dict[str, _ExactSum], name: str) -> _ExactSum:
    found = sums.get(name)
    if found is None:
        found = sums[name] = _ExactSum()
    return found


# ------------------------------------------------------------ checkpoints
def _run_identity(job: _Job, fixed: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "scheme": SCHEME,
        "scenario": scenario_digest(job.scenario),
        "seed": job.seed,
        "samples": job.samples,
        "chunk_size": job.chunk_size,
        "preset": job.preset,
        "distributions": {name: d.as_dict() for name, d in job.drawn.items()},
        "fixed": {name: str(v) for name, v in fixed.items()},
    }


#: An exact rational as :func:`~gametheory.numtext.exact_text` writes it (bounded: no huge literal is converted).
_RATIONAL = re.compile(r"-?[0-9]{1,400}(/[0-9]{1,400})?")
RECORD_FIELDS = ("draws", "counts", "boundary", "how", "sum", "sumsq", "min", "max")


def _record_checker(job: _Job) -> Callable[[int, Any], None]:
    """The consistency check of one chunk record of this run (raises an unlocated :class:`InputError`)."""
    from .labels import is_regime_label

    names = set(job.drawn)

    def bad(message: str) -> InputError:
        return InputError(message)

    def count(value: object, what: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise bad(f"{what} must be a whole number from {low} to {high}, got {value!r}")
        return value

    def rational(value: object, what: str) -> Fraction:
        if not isinstance(value, str) or not _RATIONAL.fullmatch(value) or value.endswith("/0"):
            raise bad(f'{what} must be an exact rational such as "3/4", got {value!r}')
        return Fraction(value)

    def number(value: object, what: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise bad(f"{what} must be a finite number, got {value!r}")
        return float(value)

    def per_parameter(value: object, what: str) -> dict[str, Any]:
        if not isinstance(value, dict) or set(value) != names:
            raise bad(f"{what} must give a value for each drawn parameter ({', '.join(sorted(names))})")
        return value

    def check(chunk: int, data: Any) -> None:
        start, stop = job.bounds(chunk)
        draws = stop - start
        if not isinstance(data, dict) or set(data) != set(RECORD_FIELDS):
            raise bad(f"the record's data must have exactly the fields {', '.join(RECORD_FIELDS)}")
        if data["draws"] != draws or isinstance(data["draws"], bool):
            raise bad(f"draws is {data['draws']!r}, but chunk {chunk} has {draws} draws")
        counts, sums = data["counts"], data["sum"]
        if not isinstance(counts, dict) or not counts:
            raise bad("counts must map regime labels to numbers of draws")
        for label, n in counts.items():
            if not is_regime_label(label, job.scenario.strategies):
                raise bad(f"{label!r} is not a regime label of this scenario")
            count(n, f"the count of {label!r}", 1, draws)
        if sum(counts.values()) != draws:
            raise bad(f"the regime counts add up to {sum(counts.values())}, but the chunk has {draws} draws")
        count(data["boundary"], "boundary", 0, draws)
        how = data["how"]
        if not isinstance(how, dict) or not set(how) <= {"symbolic", "solver"}:
            raise bad("how must map 'symbolic' and/or 'solver' to numbers of draws")
        if sum(count(n, f"how.{key}", 0, draws) for key, n in how.items()) != draws:
            raise bad(f"how adds up to {sum(how.values())}, but the chunk has {draws} draws")
        low = {name: number(v, f"min.{name}") for name, v in per_parameter(data["min"], "min").items()}
        high = {name: number(v, f"max.{name}") for name, v in per_parameter(data["max"], "max").items()}
        for name, dist in job.drawn.items():
            lo = dist.low if dist.low is not None else -math.inf
            hi = dist.high if dist.high is not None else math.inf
            if not lo <= low[name] <= high[name] <= hi:
                raise bad(f"min and max of {name} must satisfy {lo:g} <= min <= max <= {hi:g}")
        for name, value in per_parameter(data["sumsq"], "sumsq").items():
            if rational(value, f"sumsq.{name}") < 0:
                raise bad(f"sumsq.{name} is negative")
        if not isinstance(sums, dict) or set(sums) != set(counts):
            raise bad("sum must have an entry for each regime in counts")
        for label, by_name in sums.items():
            for name, value in per_parameter(by_name, f"sum of {label!r}").items():
                mean = float(rational(value, f"sum of {name} in {label!r}") / counts[label])
                slack = 1e-9 * max(1.0, abs(low[name]), abs(high[name]))
                if not low[name] - slack <= mean <= high[name] + slack:
                    raise bad(f"the mean of {name} in {label!r} lies outside the chunk's min and max")

    return check


def _saved_run(checkpoint: str | None) -> dict[str, Any]:
    """The run identity recorded in an existing checkpoint (empty if there is none yet)."""
    header = read_header(checkpoint) if checkpoint else None
    return header["run"] if header is not None and isinstance(header["run"], dict) else {}


def _saved_count(saved: Mapping[str, Any], key: str) -> int | None:
    value = saved.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _seed(seed: object, saved: Mapping[str, Any]) -> int:
    if seed is None:
        reused = _saved_count(saved, "seed")
        return reused if reused is not None else int(np.random.SeedSequence().entropy % 2**63)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _closed_forms(scenario: Scenario, drawn: Mapping[str, Any], base, preset) -> tuple[bool, dict | None]:
    """Whether the regime engine answers for these drawn parameters, and its compiled forms as plain data
    (derives and caches it: the first chunk then starts at once, and forked workers inherit it; a Dask
    worker gets the plain data with the job)."""
    from .engine import RegimeEngine, forms_to_dict
    from .sweep import base_values_quiet
    from .treesweep import closed_form_engine

    engine = closed_form_engine(scenario, tuple(drawn), base_values_quiet(scenario, base, preset))
    compiled = engine.supported and isinstance(engine, RegimeEngine)  # a tree's engine derives nothing
    return engine.supported, forms_to_dict(engine.forms) if compiled else None


def monte_carlo(
    scenario: Scenario,
    samples: int,
    seed: int | None = None,
    *,
    distributions: Mapping[str, Mapping[str, Any] | str] | None = None,
    chunk_size: int | None = None,
    checkpoint: str | os.PathLike | None = None,
    scheduler: Any = None,
    jobs: int | None = None,
    preset: str | None = None,
    base: Mapping[str, object] | None = None,
    confidence: float = 0.95,
    progress: Progress | None = None,
    symbolic: bool | None = None,
    allow_long: bool = False,
    announce: Callable[[RunEstimate], None] | None = None,
) -> MonteCarloResult:
    """Draw ``samples`` parameter vectors and report the share of each regime.

    ``seed`` (a non-negative integer) makes the run reproducible; ``None``
    picks a fresh one (recorded in the result; with an existing checkpoint its
    seed is reused). ``distributions`` overrides the file's per-parameter
    distributions (spec dicts or strings like ``"normal:mean=12,sd=4"``).
    ``base`` fixes parameters at given values (like ``--set``); ``preset``
    applies a preset (its parameters are held fixed unless given a
    distribution). ``checkpoint``: a log file (:mod:`.checkpoint`) that gets
    one line per finished chunk; rerunning with it resumes the run.
    ``scheduler``: a Dask scheduler address (``"tcp://host:8786"``) or a
    ``distributed.Client``, to run the chunks on a cluster; otherwise they run
    on ``jobs`` local processes (default 2; see :mod:`.executor`).
    ``progress(done, total)`` is called after every chunk (an exception it
    raises, e.g. KeyboardInterrupt, stops the run with the checkpoint up to
    date). ``symbolic``: classify with the closed forms (True) or the general
    solver at every draw (False); by default the closed forms from
    :data:`SYMBOLIC_MIN_SAMPLES` draws on. The labels agree either way (the
    regime engine guarantees it), so the choice affects speed only and is not
    part of the run's identity. ``chunk_size`` (draws per chunk) is: it
    defaults to the checkpoint's, else to :func:`default_chunk_size` (for a
    local run, of the closed forms if they answer for this scenario).

    Before the first draw the run is estimated (:func:`estimate_run`: time,
    memory, checkpoint size) and ``announce(estimate)`` is called; a run
    estimated at more than :data:`LONG_RUN_SECONDS` is refused with its
    estimate unless ``allow_long`` (memory does not grow with the draws: one
    chunk is held at a time).
    """
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise InputError(f"samples must be a positive integer, got {samples!r}")
    samples = int(samples)
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1
    ):
        raise InputError(f"chunk size must be a positive integer, got {chunk_size!r}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError(f"jobs must be a positive integer, got {jobs!r}")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be between 0 and 1, got {confidence}")
    path = os.fspath(checkpoint) if checkpoint is not None else None
    saved = _saved_run(path)
    seed = _seed(seed, saved)
    drawn, fixed = resolve_distributions(scenario, distributions, base=base, preset=preset)
    if not drawn:
        raise InputError(
            "nothing to draw: every parameter the payoffs use is fixed (no range, kind 'fixed', a preset or --set)",
            file=scenario.file,
        )
    use_symbolic = samples >= SYMBOLIC_MIN_SAMPLES if symbolic is None else bool(symbolic)
    chunk = chunk_size if chunk_size is not None else _saved_count(saved, "chunk_size")
    forms = None
    if use_symbolic and (scheduler is not None or chunk is None or chunk < 1):
        # not wasted: locally it is the first chunk's derivation; on Dask the workers get its result
        use_symbolic, forms = _closed_forms(scenario, drawn, base, preset)
    if chunk is None or chunk < 1:
        chunk = default_chunk_size(use_symbolic)
    job = _Job(
        scenario,
        drawn,
        dict(base or {}),
        preset,
        seed,
        samples,
        int(chunk),
        symbolic=use_symbolic,
        forms=forms if scheduler is not None else None,
    )
    estimate = estimate_run(samples, int(chunk), len(drawn), symbolic=use_symbolic, checkpoint=path is not None)
    if estimate.long and not allow_long:
        raise InputError(
            f"this run is estimated at {estimate.text()}; runs over {_duration(LONG_RUN_SECONDS)} are started only "
            "when asked for (--long; allow_long=True in Python): fewer draws give the shares within "
            "about 1/sqrt(draws) (1e6 draws: 0.1 percentage point)",
            file=scenario.file,
        )
    if announce is not None:
        announce(estimate)
    totals = _empty_totals()
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        log = None
        if path is not None:
            log = stack.enter_context(
                ChunkLog.open(
                    path,
                    kind="montecarlo",
                    run=_run_identity(job, fixed),
                    chunks=job.chunks,
                    check=_record_checker(job),
                )
            )
            for data in log.done.values():
                _merge(totals, data)

        def finished(index: int, data: Mapping[str, Any]) -> None:
            _merge(totals, data)
            if log is not None:
                log.append(index, data)
            if progress is not None:
                progress(totals["draws"], samples)

        if progress is not None:
            progress(totals["draws"], samples)
        pending = [k for k in range(job.chunks) if log is None or k not in log.done]
        run_chunks(run_chunk, job, pending, finished, scheduler=scheduler, workers=jobs)
    resumed = len(log.done) if log is not None else 0
    return _result(scenario, job, fixed, totals, confidence, resumed, time.perf_counter() - started)


def family_parts(label: str) -> set[str]:
    """The equilibrium families named in a regime label (``2*mixed(a|b)`` counts as ``mixed(a|b)``)."""
    parts = set()
    for part in label.split(FAMILY_SEPARATOR):
        head, star, rest = part.partition("*")
        parts.add(rest if star and head.isdigit() else part)
    return parts


def _families(counts: Mapping[str, int]) -> Counter:
    families: Counter = Counter()
    for label, n in counts.items():
        for part in family_parts(label):
            families[part] += n
    return families


def _result(
    scenario: Scenario,
    job: _Job,
    fixed: Mapping[str, Any],
    totals: Mapping[str, Any],
    confidence: float,
    resumed: int,
    elapsed: float,
) -> MonteCarloResult:
    n = totals["draws"]

    def shares(counter: Mapping[str, int]) -> tuple[RegimeShare, ...]:
        ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return tuple(RegimeShare(label, c, c / n, *wilson_interval(c, n, confidence)) for label, c in ordered)

    summaries = []
    for name, dist in job.drawn.items():
        per = {label: s[name].value() for label, s in totals["sum"].items()}
        total = sum(per.values(), Fraction(0))
        mean = total / n
        var = totals["sumsq"][name].value() / n - mean * mean
        by_regime = {label: float(per[label] / totals["counts"][label]) for label in sorted(per)}
        summaries.append(
            ParameterSummary(
                name,
                dist,
                float(mean),
                math.sqrt(max(0.0, float(var) * n / max(1, n - 1))),
                totals["min"][name],
                totals["max"][name],
                by_regime,
            )
        )
    return MonteCarloResult(
        title=scenario.title,
        file=scenario.file,
        samples=job.samples,
        seed=job.seed,
        chunk_size=job.chunk_size,
        confidence=confidence,
        regimes=shares(totals["counts"]),
        families=shares(_families(totals["counts"])),
        boundary=totals["boundary"],
        parameters=tuple(summaries),
        fixed=dict(fixed),
        preset=job.preset,
        how=dict(totals["how"]),
        resumed_chunks=resumed,
        elapsed=elapsed,
        names=scenario.equilibrium_names,
    )
