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


# A .bib a user typed in Word on Windows: curly quotes and apostrophes next to accented letters
WORD_BIB = (
    "@article{lefevre2019,\n"
    "  author = {Lef\u00e8vre, Marie and Dubois, Jean},\n"
    "  title = {\u201c\u00c9tudes\u201d sur l\u2019hiver et d\u2019\u00e9t\u00e9 \u00e0 Gen\u00e8ve},\n"
    "  journal = {Revue d\u2019histoire},\n"
    "  year = {2019}\n"
    "}\n"
    "@book{muller2020,\n"
    "  author = {M\u00fcller, J\u00fcrgen},\n"
    "  title = {\u201eGr\u00f6\u00dfe\u201c \u2013 eine Einf\u00fchrung},\n"
    "  publisher = {Verlag f\u00fcr Stra\u00dfenbau},\n"
    "  year = {2020}\n"
    "}\n"
)


def test_windows_1252_with_curly_quotes_is_read_as_cp1252_and_said(tmp_path: Path) -> None:
    from bibkit.fsio import decode

    for sample in (WORD_BIB, WORD_BIB.split("@book")[0]):
        text, note = decode(sample.encode("cp1252"), "word.bib")
        assert text == sample  # not Lefčvre / Genčve (cp1250) nor Big5
        assert note is not None and str(note) == "word.bib: warning: decoded as cp1252 (not UTF-8)"


def test_other_legacy_charsets_still_detected() -> None:
    from bibkit.fsio import decode

    polish = "@article{lodz, author = {Ma\u0142ecki, \u0141ukasz}, title = {Za\u017c\u00f3\u0142\u0107 " \
             "g\u0119\u015bl\u0105 ja\u017a\u0144 w \u0141odzi}, year = 2019}\n"
    russian = "@article{x, author = {\u0418\u0432\u0430\u043d\u043e\u0432, \u0418\u0432\u0430\u043d}, " \
              "title = {\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440 \u0438 \u0432\u0441\u0435\u043c}}\n"
    for sample, enc in ((polish, "cp1250"), (russian, "cp1251")):
        text, note = decode(sample.encode(enc), "x.bib")
        assert text == sample and note is not None and enc in note.message
    assert decode("plain UTF-8: Genève".encode(), "x") == ("plain UTF-8: Genève", None)


def test_utf16_without_bom_is_text(tmp_path: Path) -> None:
    from bibkit.fsio import decode

    for codec in ("utf-16-le", "utf-16-be"):
        text, note = decode(WORD_BIB.encode(codec), "u16.bib")
        assert text == WORD_BIB and note is not None and "UTF-16" in note.message


def test_explicit_encoding_wins_and_bad_bytes_name_the_line() -> None:
    from bibkit.fsio import decode

    assert decode(WORD_BIB.encode("cp1252"), "x", "cp1250")[0].startswith("@article{lefevre2019,\n  author = {Lefčvre")
    with pytest.raises(InputError, match=r"x:2: cannot decode as utf-8"):
        decode(b"@misc{a,\n title={\xe9}}", "x", "utf-8")


def test_encoding_option_on_every_reading_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bibkit.cli.main import cli

    src = tmp_path / "word.bib"
    src.write_bytes(WORD_BIB.encode("cp1252"))
    runner = CliRunner()
    res = runner.invoke(cli, ["convert", str(src), "--to", "csl-json"])
    assert res.exit_code == 0
    assert "Lefèvre" in res.stdout and "Genève" in res.stdout
    assert f"{src}: warning: decoded as cp1252 (not UTF-8)" in res.stderr
    assert "0 failed, 1 warnings" in res.stderr
    forced = runner.invoke(cli, ["convert", str(src), "--encoding", "cp1250", "--to", "csl-json"])
    assert "Lefčvre" in forced.stdout and "decoded as" not in forced.stderr
    for command in (["dedupe"], ["format"], ["check"], ["enrich", "--offline", "--no-cache"]):
        res = runner.invoke(cli, [*command, str(src), "--encoding", "cp1252"])
        assert res.exit_code == 0, (command, res.output)
        assert "no such option" not in res.output
    bad = runner.invoke(cli, ["convert", str(src), "--encoding", "klingon"])
    assert bad.exit_code == 2 and "unknown encoding 'klingon'" in bad.stderr
