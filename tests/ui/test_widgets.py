"""ui.widgets.md_safe: uploaded values in Markdown captions stay literal and never become links."""

from __future__ import annotations

import re

import pytest

from ui.widgets import md_safe

ZERO_WIDTH = "\u200b"  # invisible; what md_safe may insert to break a link

# What Streamlit's Markdown (remark-gfm's literal autolinks) turns into links after escapes resolve.
GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def _unescaped(text: str) -> str:
    """The text node Markdown makes of md_safe's output (backslash escapes resolved)."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize(
    "value",
    [
        "http://evil.example/x",
        "https://evil.example/x",
        "HTTPS://EVIL.EXAMPLE",
        "www.evil.example",
        "WWW.evil.example/path",
        "[click](http://x.example)",
        '<a href="http://evil.example">x</a>',
        "mail ada@evil.example now",
        "Tinytown (see https://evil.example)",
    ],
)
def test_no_autolink_survives(value: str) -> None:
    text = _unescaped(md_safe(value))
    assert not GFM_URL.search(text) and not GFM_EMAIL.search(text)
    # What a person reads is the value itself (the zero-width space is invisible).
    assert text.replace(ZERO_WIDTH, "") == value


def test_markdown_syntax_is_escaped() -> None:
    out = md_safe("**bold** _it_ ![img](x) # head `code`")
    assert "\\*\\*bold\\*\\*" in out and "\\!\\[img\\]" in out and "\\`code\\`" in out


def test_ordinary_words_are_untouched() -> None:
    assert md_safe("Wigan and Leigh") == "Wigan and Leigh"
    assert md_safe("showwww") == "showwww"  # no trigger inside a word
