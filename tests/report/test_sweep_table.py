"""The vectorised CSV rows of sweep tables against pyarrow's own CSV writer (a second implementation)."""

from __future__ import annotations

import io
import sys

import numpy as np
import pyarrow.compute
import pyarrow.csv as pcsv

from gametheory.report.sweep_table import _arrow_batch, _csv_rows
from gametheory.sensitivity.sweep import AxisColumn


def _columns() -> dict:
    """Columns of every kind a sweep table has, with nulls, infinities and text that needs quoting."""
    rng = np.random.default_rng(3)
    n = 5000
    x = rng.uniform(-1e6, 1e6, n)
    x[::7] = np.nan  # nulls: empty cells
    x[1:6] = [0.1, 1e-300, -0.0, np.inf, 5.0]
    labels = ["pure(a,b)", 'mixed("x,y"|z) + 2*mixed(a|b)', "none"]  # commas and quotes in text cells
    columns = {
        "x": x,
        "k": rng.integers(-5, 5, n).astype(np.int16),
        "edge": rng.random(n) > 0.5,
        "regime": (rng.integers(0, 3, n).astype(np.int32), labels),
        "big": rng.integers(-(10**6), 10**6, n),  # too many values to render once each
        "p": np.where(rng.random(n) > 0.5, rng.random(n), np.nan),
        "axis": AxisColumn(np.asarray([0.0, 0.1, 1 / 3, np.nan, 5.0]), np.repeat(np.arange(5), n // 5)),
    }
    return columns


def _pyarrow_csv(columns: dict) -> bytes:
    """The rows as pyarrow's own CSV writer writes them."""
    plain = {k: (np.asarray(v) if isinstance(v, AxisColumn) else v) for k, v in columns.items()}
    table = _arrow_batch(plain, dictionary=False)
    expected = io.BytesIO()
    options = pcsv.WriteOptions(include_header=False, quoting_style="needed")
    with pcsv.CSVWriter(expected, table.schema, write_options=options) as writer:
        writer.write_table(table)
    return expected.getvalue()


def test_csv_rows_are_what_pyarrows_csv_writer_writes():
    columns = _columns()
    expected = _pyarrow_csv(columns)
    assert bytes(_csv_rows(columns)) == expected
    lines = expected.splitlines()
    for lo, hi in ((990, 1010), (3000, 3004)):  # the 4 rows have fewer rows than combinations: sorted, not tabled
        part = {k: ((v[0][lo:hi], v[1]) if isinstance(v, tuple) else v[lo:hi]) for k, v in columns.items()}
        assert bytes(_csv_rows(part)).splitlines() == lines[lo:hi]


def test_csv_rows_through_the_public_compute_module(monkeypatch):
    """Where pyarrow has no ``pyarrow._compute`` to take the kernels from, the public module serves, same bytes."""
    assert pyarrow.compute.call_function  # imported before the private module is hidden
    monkeypatch.setitem(sys.modules, "pyarrow._compute", None)  # its import now fails
    columns = {k: ((v[0][:700], v[1]) if isinstance(v, tuple) else v[:700]) for k, v in _columns().items()}
    assert bytes(_csv_rows(columns)) == _pyarrow_csv(columns)
