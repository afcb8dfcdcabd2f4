"""Robustness of the profile parser: it never raises and always returns in bounded time.

Hypothesis feeds arbitrary text and Markdown / HTML / LaTeX / reference-shaped text
(random nesting of ``<li>``, ``**``, ``\\item``, brackets, quotes, long lines) to
``bibkit.parse_profile``; every call must return a ``ReadResult`` within the deadline.
A few adversarial shapes (10k list items, a 1 MB single line, 5,000 nested brackets /
braces / tags, many quotes) run deterministically in a subprocess with a hard timeout,
so a pathological regex cannot hang the suite (over the limit: xfail "slow"; over 3x: failure).
The limits are on CPU seconds of the subprocess (load-independent); the hard timeout is wall time.

Example counts: ``BIBKIT_FUZZ_EXAMPLES`` (default 50 per strategy); run with
``--hypothesis-show-statistics`` to see how many ran.  Skips while the parser is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

profile = pytest.importorskip("bibkit.profile")
if not hasattr(profile, "parse_profile"):
    pytest.skip("bibkit.profile.parse_profile not there yet", allow_module_level=True)

from bibkit.model import Entry, ReadResult  # noqa: E402

EXAMPLES = int(os.environ.get("BIBKIT_FUZZ_EXAMPLES", "50"))
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, suppress_health_check=[HealthCheck.too_slow],
                derandomize=os.environ.get("BIBKIT_FUZZ_RANDOM") is None)


@pytest.fixture(scope="module", autouse=True)
def _empty_cwd(tmp_path_factory: pytest.TempPathFactory):
    """Run from an empty directory, so that no generated one-liner names an existing file."""
    old = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("fuzz-cwd"))
    yield
    os.chdir(old)


def check(text: str) -> None:
    one_line = "\n" not in text and len(text) < 4096
    # a one-liner naming a file or a URL is a path/URL for parse_profile, not text (no network in tests)
    assume(not (one_line and (text.strip().lower().startswith(("http:", "https:")) or _exists(text))))
    result = profile.parse_profile(text)
    assert isinstance(result, ReadResult)
    for e in result.entries:
        assert isinstance(e, Entry)
        assert e.title is None or isinstance(e.title, str)


def _exists(text: str) -> bool:
    """True when ``text`` names an existing file or is ``-`` (stdin); a name too long or with NUL is text."""
    try:
        return text == "-" or Path(text).exists()
    except (OSError, ValueError):
        return False


# -- strategies ------------------------------------------------------------------------------
WORDS = st.sampled_from([
    "Deep", "learning", "for", "graphs", "Smith,", "J.", "and", "Müller", "K.", "et al.", "In", "Proc.",
    "NeurIPS", "2024", "(2023)", "pp.", "12–34", "vol.", "3(2):45-67", "arXiv:2401.01234", "doi:10.1/x",
    "Journal", "of", "Things", "Best Paper", "Oral", "accepted", "submitted to", "under review", "’24", "SC'24",
    "Ł", "ç", "東京", "🎉", "📧", "&amp;", "&#8211;", "&", "\u200b", "\xa0", "ﬁ", "ArtiÔ¨Åcial", "üìß",
])
PUNCT = st.sampled_from([
    "**", "*", "_", "__", "`", "[", "]", "(", ")", "{", "}", "\"", "“", "”", "'", "‘", "’", "«", "»", "\\", "|",
    "#", "##", "- ", "* ", "+ ", "1. ", "12) ", ">", "---", "<!--", "-->", "{%", "%}", "{{", "}}", ":", ";", ",",
    ".", "…", "–", "—", "$", "^", "~", "%", "\t", "\n", "\n\n", "\r\n", "\r",
])
TOKENS = st.one_of(WORDS, PUNCT, st.text(max_size=6))


def _joined(parts: list[str]) -> str:
    return " ".join(parts)


LINE = st.lists(TOKENS, max_size=30).map(_joined)

MARKDOWN = st.recursive(
    LINE,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["- ", "* ", "1. ", "# ", "## ", "> ", "    "]), inner).map("".join),
        st.tuples(st.sampled_from(["**", "*", "_", "[", "(", "\"", "“", "`"]), inner,
                  st.sampled_from(["**", "*", "_", "]", ")", "\"", "”", "`", ""])).map("".join),
        st.tuples(inner, st.sampled_from(["](http://x.invalid/a.pdf)", "\n", "\n\n", "  \n"]), inner).map("".join),
        st.lists(inner, max_size=8).map("\n".join),
    ),
    max_leaves=40,
)

TAGS = st.sampled_from(["li", "ul", "ol", "p", "b", "i", "strong", "em", "a", "div", "span", "h2", "h3", "br",
                        "sup", "u", "font", "table", "td", "script", "style"])


def _tag(parts: tuple[str, str, str]) -> str:
    tag, attrs, body = parts
    return f"<{tag}{attrs}>{body}</{tag}>"


HTML = st.recursive(
    LINE.map(lambda s: s.replace("&", "&amp;")),
    lambda inner: st.one_of(
        st.tuples(TAGS, st.sampled_from(["", ' href="https://doi.org/10.1/x"', " class=x", ' href="', "<"]),
                  inner).map(_tag),
        st.tuples(st.sampled_from(["<li>", "</li>", "<ul>", "</ul>", "<br>", "<p>", "<!--", "-->", "&nbsp;", "<b>"]),
                  inner).map("".join),
        st.lists(inner, max_size=8).map("".join),
    ),
    max_leaves=40,
).map(lambda body: f"<html><body><h2>Publications</h2>{body}</body></html>")

LATEX = st.recursive(
    LINE,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["\\textbf{", "\\emph{", "\\textit{", "{\\bf ", "\\href{x}{", "{", "\\'{", "\\\"{"]),
                  inner, st.sampled_from(["}", "", "}}"])).map("".join),
        st.tuples(st.sampled_from(["\\item ", "\\bibitem{k} ", "\\section{Publications}\n", "\\\\\n", "% ", "$^*$",
                                   "\\begin{itemize}\n", "\\end{itemize}\n", "\\'e", "{\\\"o}", "--", "~", "\\&"]),
                  inner).map("".join),
        st.lists(inner, max_size=8).map("\n".join),
    ),
    max_leaves=40,
).map(lambda body: "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n")

REFERENCE = st.builds(
    lambda pre, authors, quote, title, venue, year, tail: (
        f"{pre}{', '.join(authors)}. {quote[0]}{title}{quote[1]} {venue} {year}{tail}"),
    st.sampled_from(["- ", "* ", "1. ", "[C3] ", "**[ICML'24]** ", "", "\\item ", "<li>"]),
    st.lists(st.sampled_from(["J. Smith", "**A. Owner**", "Müller K", "van der Berg, P.", "李娜", "X. Y*", "et al"]),
             max_size=12),
    st.sampled_from([("", ""), ("\"", "\""), ("“", "”"), ("*", "*"), ("**", "**"), ("\"", ""), ("", "”")]),
    st.text(min_size=0, max_size=200),
    st.sampled_from(["In Proc. NeurIPS", "*Nature*", "arXiv preprint", "(SC'24)", "Submitted to ICLR", ""]),
    st.one_of(st.integers(-10, 3000).map(str), st.just("")),
    st.sampled_from(["", ".", " [PDF] [Code]", " (Oral)", "</li>", "\n"]),
)

LONG_LINES = st.builds(lambda tok, n: tok * n, st.sampled_from(["a", "[", "(", "\"", "**", "\\item ", "<li>", "x, "]),
                       st.integers(1, 2000))


@FUZZ
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    check(text)


@FUZZ
@given(st.lists(st.text(), max_size=30).map("\n".join))
def test_never_raises_on_arbitrary_lines(text: str) -> None:
    check(text)


@FUZZ
@given(MARKDOWN)
def test_never_raises_on_markdown_shapes(text: str) -> None:
    check(text)


@FUZZ
@given(HTML)
def test_never_raises_on_html_shapes(text: str) -> None:
    check(text)


@FUZZ
@given(LATEX)
def test_never_raises_on_latex_shapes(text: str) -> None:
    check(text)


@FUZZ
@given(st.lists(REFERENCE, min_size=1, max_size=20).map("\n".join))
def test_never_raises_on_reference_lists(text: str) -> None:
    check("# Publications\n\n" + text)


@FUZZ
@given(st.lists(LONG_LINES, min_size=1, max_size=3).map("\n".join))
def test_never_raises_on_long_repetitive_lines(text: str) -> None:
    check(text)


# -- adversarial shapes, each in a subprocess with a hard timeout -----------------------------------
ADVERSARIAL = {
    # name: (python expression building the text, seconds allowed)
    "10k_markdown_items": ("'# Publications\\n\\n' + ''.join(f'- A. Author{i}, B. Other. "
                           "\"Title number {i} on things.\" *Venue {i % 50}*, {1990 + i % 35}.\\n' "
                           "for i in range(10000))", 10.0),
    "1mb_single_line": ("'# Publications\\n\\n- ' + ('Smith, J., Doe, A. (2020). A title. In Proc. X, 1-2. ' * 20000)"
                        "[:1_000_000]", 5.0),
    "1mb_no_spaces": ("'x' * 1_000_000", 5.0),
    "5k_nested_brackets": ("'# Publications\\n\\n- ' + '[' * 5000 + 'title' + ']' * 5000 + ' (' * 5000 + ')' * 5000",
                           3.0),
    "5k_nested_braces_latex": ("'\\\\section{Publications}\\n\\\\begin{itemize}\\n\\\\item ' + '{' * 5000 + "
                               "'\\\\textbf{A. B.}, Title' + '}' * 5000 + '\\n\\\\end{itemize}\\n'", 3.0),
    "5k_nested_html_lists": ("'<html><body><h2>Publications</h2>' + '<ul><li>' * 5000 + 'A. B., \"T\", V, 2020.' "
                             "+ '</li></ul>' * 5000 + '</body></html>'", 5.0),
    "unclosed_tags_html": ("'<html><body><h2>Publications</h2><ul>' + ''.join(f'<li><b>A{i}</b>, <i>T{i}' "
                           "for i in range(3000))", 5.0),
    "many_quotes": ("'# Publications\\n\\n' + ''.join('- ' + '\"' * 200 + ' “ ” ‘ ’ ' * 200 + '\\n' "
                    "for _ in range(300))", 3.0),
    "many_authors": ("'# Publications\\n\\n- ' + ', '.join(f'A{i}. Person{i}' for i in range(20000)) "
                     "+ '. A title. Nature, 2020.'", 5.0),
}

_RUNNER = """
import json, sys, time
from bibkit.profile import parse_profile
text = eval(sys.argv[1])
# secs: CPU time of this process (the parser's own work; wall time on a shared machine moves with the load)
t0, w0 = time.process_time(), time.perf_counter()
try:
    res = parse_profile(text)
    out = {"secs": time.process_time() - t0, "wall": time.perf_counter() - w0, "entries": len(res.entries),
           "chars": len(text)}
except BaseException as exc:
    out = {"secs": time.process_time() - t0, "wall": time.perf_counter() - w0,
           "error": f"{type(exc).__name__}: {str(exc)[:300]}", "chars": len(text)}
print(json.dumps(out))
"""


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_input_is_bounded(name: str, tmp_path: Path) -> None:
    """Fails when the parser raises or needs more than 3x the limit (a hang / superlinear blow-up);
    between 1x and 3x it is reported as xfail ("slow"), so a slow-but-bounded parser does not turn CI red."""
    expr, limit = ADVERSARIAL[name]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    hard = 3 * limit
    # the limits are CPU seconds; the wall-clock timeout (a hang) leaves room for a machine loaded 3x over
    wall = 3 * hard + 3  # + interpreter start-up
    try:
        proc = subprocess.run([sys.executable, "-c", _RUNNER, expr], capture_output=True, text=True,
                              timeout=wall, cwd=tmp_path, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: no answer within {wall:.0f} s wall (limit {limit} s CPU)")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "error" not in out, f"{name}: {out['error']}"
    assert out["secs"] < hard, f"{name}: {out['secs']:.2f} s for {out['chars']} chars (limit {limit} s)"
    if out["secs"] >= limit:
        pytest.xfail(f"{name}: slow, {out['secs']:.2f} s for {out['chars']} chars (limit {limit} s)")
