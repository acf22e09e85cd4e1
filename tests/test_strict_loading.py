"""Strict loading: duplicate keys, lone surrogates, oversized and special files are located errors.

Before, a second ``"title"`` silently replaced the first, a ``\\ud800`` escape
ended in an internal UnicodeEncodeError, and ``/dev/zero`` or a FIFO was read
forever (the size check used ``getsize``, which is 0 for them).
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from gametheory._limits import MAX_FILE_BYTES
from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.formats import load
from gametheory.scenario import read_json
from tests.support import SMALL_SCENARIO


@pytest.mark.parametrize(
    ("old", "new", "path", "key"),
    [
        ('"title": "t"', '"title": "t", "title": "u"', "$", "title"),
        ('{"default": 1}', '{"default": 1, "default": 2}', "$.parameters.x", "default"),
        ('"x": {"default": 1}', '"x": {"default": 1}, "x": {"default": 3}', "$.parameters", "x"),
        ('"matrix"', '"matrix": [], "matrix"', "$", "matrix"),
    ],
)
def test_duplicate_key_is_a_located_error(old, new, path, key):
    text = json.dumps(SMALL_SCENARIO).replace(old, new)
    with pytest.raises(InputError) as caught:
        read_json(text, file="d.json")
    assert str(caught.value).startswith(f"d.json: {path}: duplicate key {key!r}")


def test_lone_surrogate_is_a_located_error():
    text = json.dumps(SMALL_SCENARIO).replace('"title": "t"', '"title": "bad \\ud800 title"')
    with pytest.raises(InputError) as caught:
        read_json(text, file="s.json")
    assert str(caught.value).startswith("s.json: $.title: text has a lone surrogate \\ud800")


def test_paired_surrogates_are_one_character_and_accepted():
    text = json.dumps(SMALL_SCENARIO).replace('"title": "t"', '"title": "\\ud83d\\ude00"')
    assert read_json(text)["title"] == "\U0001f600"


def test_lone_surrogate_in_a_file_exits_2(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(SMALL_SCENARIO).replace('"B"', '"B\\udc80"'), encoding="utf-8")
    result = CliRunner().invoke(app, ["solve", str(path)])
    assert result.exit_code == 2 and "lone surrogate" in result.output


@pytest.mark.parametrize("suffix", [".json", ".nfg", ".efg"])
def test_special_files_are_refused_without_reading(tmp_path, suffix):
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)  # nobody writes: a read would block for ever
    with pytest.raises(InputError, match="not a regular file \\(a FIFO\\)"):
        load(fifo)


def test_a_device_is_refused(tmp_path):
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file \\(a device\\)"):
        load(link)


@pytest.mark.parametrize(("suffix", "kind"), [(".json", "scenario"), (".nfg", "nfg"), (".efg", "efg")])
def test_oversized_files_are_refused_by_a_capped_read(tmp_path, suffix, kind):
    path = tmp_path / f"big{suffix}"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES[kind] + 1)  # sparse: costs no disk
    with pytest.raises(InputError, match=f"larger than {MAX_FILE_BYTES[kind]:,} bytes"):
        load(path)


def test_a_tree_too_large_to_reduce_names_its_file(tmp_path):
    """Gambit's cs.efg and ttt.efg were refused without naming the file."""
    branches = 19  # chance picks one of 19 places, A chooses l or r at each: 2**19 > 250,000 reduced plans
    moves = " ".join(f'"c{k}" 1/{branches}' for k in range(branches))
    text = f'EFG 2 R "big" {{ "A" }}\n""\nc "" 1 "" {{ {moves} }} 0\n'
    for k in range(branches):
        text += f'p "" 1 {k + 1} "" {{ "l" "r" }} 0\nt "" {2 * k + 1} "" {{ 1 }}\nt "" {2 * k + 2} "" {{ 0 }}\n'
    path = tmp_path / "big.efg"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: ")
