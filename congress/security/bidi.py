"""Names people typed, kept from reordering the text around them.

A name may be written right to left (Arabic, Hebrew, Persian, Urdu), and may carry
the invisible characters that steer the direction of text: an override (U+202E)
that nobody closes turns everything after it backwards, up to the end of the line,
so that a delegation's name could make the next line read as something else. Each
name shown is therefore *isolated*: its direction is worked out from its own
letters, and whatever it opens ends with it.

- in HTML, the name goes inside ``<bdi>`` (the ``bdi`` filter);
- in plain text (the PDF's lines, a CSV cell read in a text editor, a mail), between
  FIRST STRONG ISOLATE (U+2068) and POP DIRECTIONAL ISOLATE (U+2069) (``isolate``).
"""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup, escape

FSI = "\u2068"  # FIRST STRONG ISOLATE: the name's own first letter sets its direction
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE: closes the isolate and all it opened

# Embeddings and overrides (closed by U+202C) and isolates (closed by U+2069).
_OPEN_EMBEDDING = {"\u202a", "\u202b", "\u202d", "\u202e"}
_CLOSE_EMBEDDING = "\u202c"
_OPEN_ISOLATE = {"\u2066", "\u2067", "\u2068"}
_CLOSE_ISOLATE = "\u2069"
CONTROLS = frozenset(
    {*_OPEN_EMBEDDING, _CLOSE_EMBEDDING, *_OPEN_ISOLATE, _CLOSE_ISOLATE}
    | {"\u200e", "\u200f", "\u061c"}  # the marks: left-to-right, right-to-left, Arabic
)


def left_open(text: str) -> bool:
    """Whether ``text`` opens an embedding, override or isolate it does not close.

    Such a text changes the direction of what follows it in the same line; a text
    whose controls all close again (or that has none) does not.
    """
    if not CONTROLS.intersection(text):
        return False
    # UAX #9, in short: a stack of what is open; a closing character pops what it
    # closes, and a PDI also closes the embeddings opened inside its isolate.
    stack: list[str] = []
    for char in text:
        if char in _OPEN_EMBEDDING:
            stack.append("embedding")
        elif char in _OPEN_ISOLATE:
            stack.append("isolate")
        elif char == _CLOSE_EMBEDDING:
            if stack and stack[-1] == "embedding":
                stack.pop()
        elif char == _CLOSE_ISOLATE and "isolate" in stack:
            while stack.pop() != "isolate":
                pass
    return bool(stack)


def isolate(text: str | None) -> str:
    """``text`` between FSI and PDI, as plain text; empty stays empty."""
    if not text:
        return ""
    return f"{FSI}{text}{PDI}"


def bdi(text: str | None) -> Markup:
    """``text`` escaped inside ``<bdi>``, for a name in a page; empty stays empty."""
    if text is None or text == "":
        return Markup("")
    return Markup("<bdi>%s</bdi>") % escape(text)


def init_app(app: Flask) -> None:
    app.add_template_filter(bdi, "bdi")
    app.add_template_filter(isolate, "isolate")
