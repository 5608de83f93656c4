"""Where the app may send a browser back to: the one function that decides every redirect
target taken from a request.

Forms that bring the visitor back where they were (sign-in, marking a session in an
agenda) carry a ``next`` address. Sent as it comes, it would let anyone make a link to
this site that ends on another: ``//evil.example`` is an address on another host,
``/\\evil.example`` and ``/\\t/evil.example`` become one once a browser has turned the
backslash into a slash and dropped the tab, and percent-encoding hides both from a
naive check. So a target is kept only when it is plainly a path on this site, read the
way a browser would read it, and anything else gives way to the view's own default.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

# The longest address worth sending back to; a longer one is not a page of ours.
MAX_LENGTH = 2000


def _harmless(text: str) -> bool:
    # Browsers drop tabs and line breaks from addresses and read "\\" as "/"; spaces
    # and invisible characters (controls, bidi marks) have no place in our addresses.
    return not any(
        char == "\\" or char.isspace() or unicodedata.category(char)[0] in ("C", "Z")
        for char in text
    )


def _plain_path(target: str) -> bool:
    """``target`` starts as a path on this site, and reads as no other host's."""
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def local_target(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, otherwise ``default``.

    ``default`` is the view's own address (built with ``url_for``), so the answer is
    always somewhere on this site.
    """
    if not target or len(target) > MAX_LENGTH or not _harmless(target):
        return default
    # The decoded and compatibility forms of the path must pass too: "/%2F%2Fevil.example",
    # "/%5Cevil.example", "/%09/evil.example" and "/\uff0fevil.example" (a full-width
    # solidus) are each one step from an address elsewhere for some browser, proxy or
    # framework. The query may hold anything encoded: it cannot change the host.
    path = re.split(r"[?#]", target, maxsplit=1)[0]
    decoded = unquote(unquote(path))
    for form in (path, decoded, unicodedata.normalize("NFKC", decoded)):
        if not (_plain_path(form) and _harmless(form)):
            return default
    return target
