"""Decoding inputs and atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibkit.errors import InputError
from bibkit.fsio import decode_bytes, read_text, write_text_atomic


def test_decodes_boms_and_latin1() -> None:
    assert decode_bytes("\ufeffé".encode(), "x") == "é"
    assert decode_bytes("Gödel".encode("utf-16"), "x") == "Gödel"
    assert "Gödel" in decode_bytes("Kurt Gödel wrote a famous paper about logic.".encode("latin-1"), "x")


def test_binary_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x00\x01\x02\xff" * 100, "x.bin")


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bib"]


def test_failed_write_leaves_old_content(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bib"]


def test_missing_file() -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text("/nonexistent/file.bib")
