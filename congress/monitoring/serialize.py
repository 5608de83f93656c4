"""Follow-up records as plain values: the exports and the API read them alike."""

from __future__ import annotations

from congress.i18n import current_language
from congress.i18n.content import localize
from congress.i18n.countries import country_name
from congress.monitoring.areas import areas_of
from congress.monitoring.models import FollowUpRecord


def area_title(document, key: str | None, lang: str | None = None) -> str:
    """An area of action's title in the page's language ("" for the document as a whole)."""
    area = areas_of(document.congress.slug, document.slug).get(key)
    return localize(area.title, "en", lang or current_language()).text if area else ""


def record(r: FollowUpRecord, lang: str) -> dict:
    """A record with its source in every row: a reader of one row knows who says so."""
    return {
        "id": r.id,
        "country_code": r.country_code,
        "country": country_name(r.country_code, lang, r.on),
        "congress": r.document.congress.slug,
        "document": r.document.slug,
        "area": r.area or "",
        "area_title": area_title(r.document, r.area, lang),
        "date": r.on.isoformat(),
        "kind": r.kind.value,
        "text": localize(r.text, r.original_language, lang).text,
        "source": r.source,
        "source_url": r.source_url or "",
        "reliability": r.reliability.value,
        "organisation": r.organisation,
        "synthetic": r.is_synthetic,
    }
