"""Which input format a page is in, from its suffix or its content.

>>> detect_format("<html><body><ul><li>x</li></ul></body></html>")
'html'
>>> detect_format("\\\\section{Publications}\\n\\\\begin{itemize}\\\\item A\\\\end{itemize}")
'latex'
>>> detect_format("## Papers\\n- **A. B.** *Title*. [pdf](x.pdf)")
'markdown'
>>> detect_format("#+TITLE: Pages\\n* Papers\\n- A. B. /Title/. [[x.pdf][pdf]]")
'org'
>>> detect_format("Papers\\nA. B. Title. In X, 2020.")
'text'
"""

from __future__ import annotations

from . import rx as re

SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".tex": "latex", ".ltx": "latex",
            ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".txt": "text", ".text": "text",
            ".org": "org", ".rst": "rst", ".rest": "rst"}


def scores(text: str) -> dict[str, float]:
    """A score in [0, 1] per format."""
    head = text[:200000]
    html = len(re.findall(r"<(?:li|p|div|br|ul|ol|h[1-6]|span|a|b|strong|em|td|tr|table|body|html)\b[^>]{0,500}>",
                          head, re.I))
    html_doc = bool(re.search(r"<!doctype html|<html\b|<body\b", head[:5000], re.I))
    latex = len(re.findall(r"\\(?:item|bibitem|section\*?|subsection\*?|textbf|emph|textit|begin|end|href|"
                           r"documentclass|usepackage|cventry|newcommand)\b", head))
    md = (len(re.findall(r"(?m)^ {0,3}#{1,6}\s+\S", head)) * 2
          + len(re.findall(r"\*\*[^*\n]{1,200}\*\*", head))
          + len(re.findall(r"\[[^\]\n]{1,300}\]\([^)\n]{0,500}\)", head)) * 2
          + len(re.findall(r"(?m)^\s{0,8}[-*+]\s+\S", head)) // 2
          + (5 if head.startswith("---\n") else 0)
          + len(re.findall(r"\{%.{0,200}%\}", head)))
    # org-mode: "#+TITLE:" keywords and [[url][label]] links; "* Heading" lines (Markdown bullets
    # too) only count beside them
    org = (len(re.findall(r"(?m)^#\+(?:TITLE|AUTHOR|OPTIONS|STARTUP|BEGIN_\w+|EMAIL|DATE):", head, re.I)) * 3
           + len(re.findall(r"\[\[[^\[\]\n]{1,500}\](?:\[[^\[\]\n]{0,300}\])?\]", head)) * 2)
    if org:
        org += len(re.findall(r"(?m)^\*{1,6} \S", head)) * 2
    # reStructuredText: directives and comments (".. x::"), `text <url>`_ links, "#." items,
    # titles underlined with what Markdown does not use; "===" / "---" underlines only beside them
    rst = (len(re.findall(r"(?m)^\.\. [\w-]+::", head)) * 3
           + len(re.findall(r"`[^`\n]{1,300}<[^>\s]{1,500}>`_", head)) * 2
           + len(re.findall(r"(?m)^\s*#\. \S", head))
           + len(re.findall(r"(?m)^([~^\"'`#*+:.])\1{3,}\s*$", head)) * 2)
    if rst:
        rst += len(re.findall(r"(?m)^([=-])\1{3,}\s*$", head))
    lines = max(1, head.count("\n"))
    out = {"text": 0.2}
    out["html"] = min(1.0, (html / lines) * 2 + (0.6 if html_doc else 0.0)) if html >= 3 or html_doc else 0.0
    out["latex"] = min(1.0, latex / lines * 3 + (0.5 if "\\documentclass" in head or "\\begin{" in head else 0)) \
        if latex >= 2 else 0.0
    out["markdown"] = min(1.0, 0.25 + md / lines * 2) if md >= 2 else 0.0
    out["org"] = min(1.0, 0.25 + org / lines * 2) if org >= 4 and org > md else 0.0
    out["rst"] = min(1.0, 0.25 + rst / lines * 2) if rst >= 4 and rst > md else 0.0
    return out


def detect_format(text: str, path: str | None = None) -> str:
    """``html``, ``latex``, ``markdown``, ``org``, ``rst`` or ``text``; the suffix wins except for ``.txt``,
    whose content is sniffed (pages saved as text are often Markdown or HTML)."""
    if path:
        low = path.lower()
        for suffix, fmt in SUFFIXES.items():
            if low.endswith(suffix) and fmt != "text":
                return fmt
    s = scores(text)
    best = max(s, key=lambda k: s[k])
    return best if s[best] >= 0.2 else "text"
