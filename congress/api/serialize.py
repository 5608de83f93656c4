"""Plain-data views of the models for the JSON API."""

from __future__ import annotations

from congress.archive.models import Congress, Figure
from congress.i18n.content import localized_text


def figure(f: Figure, lang: str) -> dict:
    return {
        "measure": f.measure,
        "value": f.value,
        "qualifier": f.qualifier,
        "counts": localized_text(f, "counts", lang),
        "reliability": f.reliability.value,
        "source": f.source,
        "source_url": f.source_url,
        "note": f.note,
    }


def congress(c: Congress, lang: str) -> dict:
    return {
        "slug": c.slug,
        "ordinal": c.ordinal,
        "name": localized_text(c, "name", lang),
        "city": localized_text(c, "city", lang),
        "country": c.country_code,
        "venue": c.venue,
        "timezone": c.timezone,
        "start_date": c.start_date.isoformat(),
        "end_date": c.end_date.isoformat(),
        "status": c.status.value,
        "is_demo": c.is_demo,
        "figures": [figure(f, lang) for f in c.figures],
    }
