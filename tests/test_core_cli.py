"""The CLI shell: help, errors as one line, atomic output, inputs never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bibkit.cli.main import cli

ITEM = '[{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [[2001]]}}]'


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_help_lists_convert_with_example() -> None:
    res = run("--help")
    assert res.exit_code == 0 and "convert" in res.output
    res = run("convert", "--help")
    assert res.exit_code == 0 and "Examples" in res.output


def test_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    res = run("convert", str(tmp_path / "nope.json"))
    assert res.exit_code == 2
    assert res.output.strip().endswith("nope.json: no such file")
    assert "Traceback" not in res.output


def test_unknown_format_is_usage_error(tmp_path: Path) -> None:
    res = run("convert", "-", "--from", "nonsense", input=ITEM)
    assert res.exit_code == 2 and "cannot read format 'nonsense'" in res.output


def test_stdin_to_file_atomic(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    res = run("convert", "-", "--from", "csl-json", "-o", str(out), input=ITEM)
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())[0]["title"] == "T"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left


def test_output_equal_to_input_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.json"
    src.write_text(ITEM)
    res = run("convert", str(src), "-o", str(src))
    assert res.exit_code == 2 and "--in-place" in res.output
    assert src.read_text() == ITEM


def test_binary_input_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "junk.json"
    src.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 50)
    res = run("convert", str(src))
    assert res.exit_code == 2 and "junk.json" in res.output and "Traceback" not in res.output
