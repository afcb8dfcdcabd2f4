"""Text repair: mojibake, entities, ligatures, invisible characters."""

from __future__ import annotations

import pytest

from bibkit.profile.repair import repair_text, strip_symbols


@pytest.mark.parametrize("broken, fixed", [
    ("ArtiÔ¨Åcial", "Artificial"),           # UTF-8 read as Mac Roman (ligature fi)
    ("230‚Äì237", "230–237"),                 # en dash, Mac Roman
    ("X.üìß Chu", "X.📧 Chu"),               # emoji whose first byte was lost
    ("# üõ†Ô∏è Projects", "# 🛠️ Projects"),
    ("CafÃ© naÃ¯ve", "Café naïve"),           # UTF-8 read as latin-1 / cp1252
    ("Tom &amp; Jerry &#233;t&eacute;", "Tom & Jerry été"),
    ("e\ufb03cient", "efficient"),
    ("a\u00a0b\u200bc\u00ad", "a bc"),
    ("Gödel. “Über formal unentscheidbare Sätze”", "Gödel. “Über formal unentscheidbare Sätze”"),  # not Mac Roman
    ("–ü—Ä–∏–≤–µ—Ç", "Привет"),               # Cyrillic read as Mac Roman
])
def test_repairs(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


def test_clean_text_is_unchanged() -> None:
    text = "Jürgen Müller, José García and 张伟: Ελληνικά — “quoted” (2020)."
    assert repair_text(text) == text.replace("“", '"').replace("”", '"') or repair_text(text) == text


def test_entities_can_be_kept_for_html() -> None:
    assert repair_text("a &amp; b", entities=False) == "a &amp; b"


def test_strip_symbols() -> None:
    assert strip_symbols("Z. Tang💡📧") == "Z. Tang"
    assert strip_symbols("Müller") == "Müller"
