"""Sweep results as table files: Parquet and CSV written chunk by chunk through pyarrow, and JSON.

The rows arrive as batches of column arrays (:func:`gametheory.sensitivity.sweep.column_batches`),
so a grid of any size is written with the memory of one batch:

* ``.parquet``: one row group per batch; ``regime`` is dictionary-encoded,
  missing values are nulls; the grid, the fixed parameters and every regime
  with its point count are in the file's key-value metadata under
  ``"gametheory"`` (``pyarrow.parquet.ParquetFile(path).metadata.metadata``);
* ``.csv``: the same columns, written by pyarrow's vectorised CSV writer
  (``regime`` as its label text, nulls as empty cells), with that metadata in
  a sidecar ``NAME.meta.json``;
* ``.json``: the whole in-memory result as one object.

Every file is written atomically: an interrupted run leaves no half-written
file (and no sidecar without its table).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

import numpy as np

from .._io import atomic_write

#: Output formats by file suffix.
TABLE_SUFFIXES = (".parquet", ".csv", ".json")
#: What a regime label means, in the metadata of every table.
NOTATION = (
    "A regime lists the equilibria at a point, joined by ' + '. pure(a,b,c): every player plays one strategy, "
    "in player order. mixed(a|b,c|d): the strategies each player mixes, players separated by '|'. "
    "continuum(...): a connected set of equilibria whose extreme points use those strategies. "
    "k*X: k equilibria of kind X. 'boundary': a point on a threshold that was not solved."
)

#: One batch of rows: column name -> values, or -> ``(codes, labels)`` for a dictionary-encoded text column.
Batch = Mapping[str, Any]


def table_format(path: str | os.PathLike) -> str:
    """``"parquet"``, ``"csv"`` or ``"json"`` from the file name (``ValueError`` for another suffix)."""
    lower = os.fspath(path).lower()
    for suffix in TABLE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix[1:]
    raise ValueError(f"expected a file ending in {', '.join(TABLE_SUFFIXES)}")


def sidecar_path(path: str | os.PathLike) -> str:
    """Where the metadata of a CSV table goes: ``map.csv`` -> ``map.meta.json``."""
    text = os.fspath(path)
    stem = text[:-4] if text.lower().endswith(".csv") else text
    return stem + ".meta.json"


def _arrow_array(values: np.ndarray):
    """A numpy column as an Arrow array, built from its buffers (NaN -> null).

    ``pyarrow.array`` would do the same but imports pandas (about a second)
    whenever pandas is installed; building from buffers avoids that cost on
    every ``sweep`` run.
    """
    import pyarrow as pa

    kinds = {"f": pa.float64(), "b": pa.bool_()}
    values = np.ascontiguousarray(values)
    if values.dtype.kind == "b":
        return pa.Array.from_buffers(
            pa.bool_(), len(values), [None, pa.py_buffer(np.packbits(values, bitorder="little"))]
        )
    arrow_type = kinds.get(values.dtype.kind) or pa.from_numpy_dtype(values.dtype)
    validity = None
    if values.dtype.kind == "f":
        values = values.astype(np.float64, copy=False)
        missing = np.isnan(values)
        if missing.any():
            validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(arrow_type, len(values), [validity, pa.py_buffer(values)])


def _arrow_strings(labels: Sequence[str]):
    """Labels as an Arrow string array, from offsets and UTF-8 bytes (see :func:`_arrow_array`)."""
    import pyarrow as pa

    encoded = [label.encode("utf-8") for label in labels]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets), data])


def _arrow_batch(columns: Batch, dictionary: bool):
    """One batch as an Arrow table; ``(codes, labels)`` columns become dictionary columns (decoded for CSV)."""
    import pyarrow as pa

    arrays = []
    for values in columns.values():
        if isinstance(values, tuple):
            codes, labels = values
            coded = pa.DictionaryArray.from_arrays(
                _arrow_array(np.asarray(codes, dtype=np.int32)), _arrow_strings(labels)
            )
            arrays.append(coded if dictionary else coded.dictionary_decode())
        else:
            arrays.append(_arrow_array(values))
    return pa.Table.from_arrays(arrays, names=list(columns))


def _with_metadata(metadata: Callable[[], Mapping[str, Any]]) -> dict[str, Any]:
    return {**metadata(), "notation": NOTATION}


def write_parquet(path: str | os.PathLike, batches: Iterable[Batch], metadata: Callable[[], Mapping[str, Any]]) -> int:
    """Write ``batches`` as a Parquet file; ``metadata()`` is read after the last batch. Returns the row count."""
    import pyarrow.parquet as pq

    rows = 0

    def write(handle: IO[bytes]) -> None:
        nonlocal rows
        writer = None
        try:
            with _Background() as background:
                for columns in batches:
                    table = _arrow_batch(columns, dictionary=True)
                    writer = writer or pq.ParquetWriter(handle, table.schema, compression="zstd")
                    background.run(writer.write_table, table)
                    rows += table.num_rows
            if writer is not None:
                writer.add_key_value_metadata({"gametheory": json.dumps(_with_metadata(metadata))})
        finally:
            if writer is not None:
                writer.close()

    atomic_write(path, write, binary=True, what="table")
    return rows


def _csv_header(names: Sequence[str]) -> bytes:
    """The header line, quoted where a name needs it (family labels contain commas)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(names)
    return buffer.getvalue().encode("utf-8")


def _csv_text(label: str) -> str:
    """A text cell as pyarrow's CSV writer renders it (``quoting_style="needed"``): quoted, quotes doubled."""
    return '"' + label.replace('"', '""') + '"'


#: Rows rendered together by :func:`_csv_rows` (bounds the temporary text of one step).
CSV_ROWS = 32_768


def _categories(values) -> tuple[np.ndarray, list[str]] | None:
    """A column of few distinct values as ``(codes, cell texts)``: text columns, booleans, small integers."""
    if isinstance(values, tuple):
        codes, labels = values
        return np.asarray(codes, dtype=np.int64), [_csv_text(label) for label in labels]
    if hasattr(values, "axis"):  # a grid axis: numbers (:func:`_number_text`)
        return None
    values = np.asarray(values)
    if values.dtype.kind == "b":
        return values.astype(np.int64), ["false", "true"]
    if values.dtype.kind in "iu" and values.size:
        low, high = int(values.min()), int(values.max())
        if high - low < 4096:
            return values.astype(np.int64) - low, [str(v) for v in range(low, high + 1)]
    return None


def _compute():
    """``(call_function, CastOptions)`` of Arrow's compute layer.

    ``pyarrow.compute`` builds a Python wrapper with a docstring for each of its some 300 functions when
    imported (25 to 30 ms, a twentieth of a warm ``sweep --out map.csv``); the four kernels used here are
    called by name through the function behind all those wrappers, imported from where the wrappers take it.
    """
    try:
        from pyarrow._compute import CastOptions, call_function
    except ImportError:  # a pyarrow that moved it: the public module has both
        from pyarrow.compute import CastOptions, call_function
    return call_function, CastOptions


def _joined_categories(run: list[tuple[np.ndarray, list[str]]], newline: bool):
    """Adjacent categorical columns as one text column: each distinct combination rendered once, then gathered."""
    call, _ = _compute()
    key = np.zeros(len(run[0][0]), dtype=np.int64)
    size = 1
    for codes, texts in run:
        key = key * len(texts) + codes
        size *= len(texts)
    if size <= 8 * len(key):  # a table over every combination: no sort
        present = np.flatnonzero(np.bincount(key, minlength=size))
        lookup = np.zeros(size, dtype=np.int32)
        lookup[present] = np.arange(len(present), dtype=np.int32)
        inverse = lookup[key]
    else:
        present, inverse = np.unique(key, return_inverse=True)
    rendered = []
    for k in present.tolist():
        parts = []
        for _, texts in reversed(run):
            k, code = divmod(k, len(texts))
            parts.append(texts[code])
        rendered.append(",".join(reversed(parts)) + ("\n" if newline else ""))
    return call("take", [_arrow_strings(rendered), _arrow_array(inverse.reshape(-1).astype(np.int32))])


def _text_scalar(text: str):
    """An Arrow string scalar taken from an array: passing a Python ``str`` to a compute function converts it
    through code that imports pandas (a second or so), whenever pandas is installed."""
    return _arrow_strings([text])[0]


def _number_text(values):
    """A numeric column as CSV cells; a grid axis (``axis[index]``: ``.axis`` and ``.index``) formats each of
    its values once."""
    import pyarrow as pa

    call, cast_options = _compute()

    def text(numbers: np.ndarray):
        cells = call("cast", [_arrow_array(numbers)], cast_options.safe(pa.string()))
        return call("coalesce", [cells, _text_scalar("")])  # nulls (NaN) as empty cells

    axis, index = getattr(values, "axis", None), getattr(values, "index", None)
    if isinstance(axis, np.ndarray) and isinstance(index, np.ndarray) and len(axis) < len(index):
        return call("take", [text(axis), _arrow_array(index.astype(np.int32))])
    return text(np.asarray(values))


def _csv_rows(columns: Batch):
    """One batch as CSV rows: the bytes of every row, each ending in a newline, built column-wise in Arrow.

    Numbers become text through Arrow's cast (what its CSV writer uses), nulls empty cells; adjacent
    columns of few values (text, booleans, small integers) are rendered once per distinct combination and
    gathered; one element-wise join makes the rows. The result is byte for byte what
    ``pyarrow.csv.CSVWriter`` writes (``quoting_style="needed"``), without its per-cell passes.
    """
    call, _ = _compute()
    cells = []
    run: list[tuple[np.ndarray, list[str]]] = []
    for values in columns.values():
        category = _categories(values)
        limit = np.prod([len(t) for _, t in run], dtype=np.float64) * (len(category[1]) if category else 1)
        if category is not None and limit < 2**62:
            run.append(category)
        else:
            if run:
                cells.append(_joined_categories(run, newline=False))
                run = []
            if category is not None:
                run.append(category)
            else:
                cells.append(_number_text(values))
    comma = _text_scalar(",")
    if run:
        cells.append(_joined_categories(run, newline=True))
        rows = call("binary_join_element_wise", [*cells, comma]) if len(cells) > 1 else cells[0]
    else:
        joined = call("binary_join_element_wise", [*cells, comma])
        rows = call("binary_join_element_wise", [joined, _text_scalar("\n"), _text_scalar("")])
    buffers = rows.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=len(rows) + 1, offset=rows.offset * 4)
    return memoryview(buffers[2])[offsets[0] : offsets[-1]]


def _write_csv_rows(handle: IO[bytes], columns: Batch, n: int) -> None:
    """Render and write one batch of ``n`` rows, :data:`CSV_ROWS` at a time."""
    for lo in range(0, n, CSV_ROWS):
        part = {k: (v[0][lo : lo + CSV_ROWS], v[1]) if isinstance(v, tuple) else v[lo : lo + CSV_ROWS]
                for k, v in columns.items()}  # fmt: skip
        handle.write(_csv_rows(part))


class _Background:
    """One writer thread: renders and writes a batch while the caller computes the next one.

    Arrow's kernels and file writes release the GIL, so on two cores the output costs little more than the
    computation. At most two batches wait (memory stays bounded); the writes keep their order, and the first
    error raised by a write is raised again here.
    """

    def __enter__(self) -> _Background:
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gametheory-table")
        self.pending: list[Any] = []
        return self

    def run(self, task: Callable[..., None], *args: Any) -> None:
        self.pending.append(self.pool.submit(task, *args))
        while len(self.pending) > 2:
            self.pending.pop(0).result()

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                for future in self.pending:
                    future.result()
        finally:
            for future in self.pending:
                future.cancel()
            self.pool.shutdown(wait=True)


def write_csv(path: str | os.PathLike, batches: Iterable[Batch], metadata: Callable[[], Mapping[str, Any]]) -> int:
    """Write ``batches`` as CSV (header, then one row per point) and the metadata sidecar. Returns the row count.

    Rows are built column-wise in Arrow (:func:`_csv_rows`), as pyarrow's CSV writer would write them."""
    rows = 0

    def write(handle: IO[bytes]) -> None:
        nonlocal rows
        header = False
        with _Background() as background:
            for columns in batches:
                if not header:
                    handle.write(_csv_header(list(columns)))
                    header = True
                first = next(iter(columns.values()))
                n = len(first[0] if isinstance(first, tuple) else first)
                background.run(_write_csv_rows, handle, columns, n)
                rows += n

    atomic_write(path, write, binary=True, what="table")
    atomic_write(sidecar_path(path), json.dumps(_with_metadata(metadata), indent=1), what="metadata")
    return rows


def write_json(path: str | os.PathLike, data: Mapping[str, Any]) -> None:
    """Write an in-memory sweep's JSON form (:func:`gametheory.sensitivity.sweep.sweep_dict`) atomically."""
    atomic_write(path, lambda handle: json.dump({**data, "notation": NOTATION}, handle), what="table")


def write_table(path: str | os.PathLike, batches: Iterable[Batch], metadata: Callable[[], Mapping[str, Any]]) -> int:
    """Write ``batches`` to ``path`` as Parquet or CSV by its suffix (see :func:`write_parquet`, :func:`write_csv`).

    From a notebook: ``write_table("map.parquet", *table_of(result))`` with
    :func:`gametheory.sensitivity.sweep.table_of`.
    """
    writer = write_parquet if table_format(path) == "parquet" else write_csv
    return writer(path, batches, metadata)
