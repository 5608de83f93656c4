"""The PDF list draws a name in any script with a real glyph from a font it embeds.

A name whose glyphs no font has comes out as empty boxes (the font's glyph 0, ".notdef"),
and the text layer still reads right, so reading the text back proves nothing. The test opens
each font the PDF embeds (fontTools), follows its ToUnicode map from glyph to characters, and
requires every character of every name to come from a glyph that is not .notdef and has an
outline. The fonts are Debian's Noto (fonts-noto-core, fonts-noto-cjk), which ``.ci/run``
installs.
"""

from __future__ import annotations

import io
import re

import pypdf
from fontTools.ttLib import TTFont

from congress.extensions import db
from congress.participants.rules import family_name_caps
from congress.registration.models import DelegateRole
from tests.participants_support import add_delegate, add_delegation, rio
from tests.pdf_support import get_pdf

# given names, family name: a delegate of each script, as they write their own names.
NAMES = {
    "Arabic": ("ليلى", "الحسيني"),
    "Chinese": ("王小明", "王"),
    "Japanese": ("さくら", "山田"),
    "Korean": ("서연", "김"),
    "Devanagari": ("प्रिया", "शर्मा"),
    "Thai": ("สมชาย", "ใจดี"),
    "Hebrew": ("נועה", "כהן"),
    "Cyrillic": ("Ольга", "Иванова"),
    "Greek": ("Ελένη", "Παπαδοπούλου"),
}


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """Glyph id to the characters it stands for, from a ToUnicode CMap."""
    text = cmap.decode("latin-1")
    mapping: dict[int, str] = {}

    def chars(hexes: str) -> str:
        return bytes.fromhex(hexes).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for gid, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(gid, 16)] = chars(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[gid] = chr(start + offset)
    return mapping


def _embedded_font(descriptor) -> TTFont:
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return TTFont(io.BytesIO(descriptor[key].get_object().get_data()))
    raise AssertionError(f"{descriptor['/FontName']} is not embedded")


def _has_outline(font: TTFont, gid: int) -> bool:
    order = font.getGlyphOrder()
    if gid >= len(order):
        return False
    name = order[gid]
    if "glyf" in font:
        glyph = font["glyf"][name]
        return glyph.numberOfContours != 0
    charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
    bounds = charstrings[name].calcBounds(charstrings)
    return bounds is not None


def drawn_characters(pdf: bytes) -> tuple[set[str], list[str]]:
    """The characters the PDF draws with a real glyph, and the fonts that drew a .notdef."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    drawn: set[str] = set()
    notdef: list[str] = []
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if id(font) in seen or "/ToUnicode" not in font:
                continue
            seen.add(id(font))
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            program = _embedded_font(descendant["/FontDescriptor"])
            # The codes the text uses are CIDs; a subset font may renumber its glyphs.
            cid_to_gid = descendant.get("/CIDToGIDMap")
            table = None
            if cid_to_gid is not None and cid_to_gid.get_object() != "/Identity":
                table = cid_to_gid.get_object().get_data()
            for cid, characters in _to_unicode(font["/ToUnicode"].get_object().get_data()).items():
                gid = cid if table is None else int.from_bytes(table[2 * cid : 2 * cid + 2], "big")
                if gid == 0 or not _has_outline(program, gid):
                    if characters.strip():
                        notdef.append(f"{font['/BaseFont']}: {characters!r}")
                    continue
                drawn.update(characters)
    return drawn, notdef


def test_names_in_nine_scripts_are_drawn_with_glyphs_of_embedded_fonts(archive, client):
    with archive.app_context():
        congress = rio(archive)
        delegation = add_delegation(congress, name="World Scripts Network")
        for given, family in NAMES.values():
            add_delegate(delegation, given, family, DelegateRole.EXPERT)
        db.session.commit()
    response = get_pdf(client, "/en/congresses/rio-2008/participants.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"

    drawn, notdef = drawn_characters(response.get_data())
    assert notdef == []
    for script, (given, family) in NAMES.items():
        # Family names are printed in capitals, as the list writes them.
        missing = set(given + family_name_caps(family)) - drawn - {" "}
        assert not missing, f"{script}: {sorted(missing)} drawn without a glyph"
    # And the text layer reads each name back.
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.get_data())).pages
    )
    for given, _family in NAMES.values():
        assert given in text
