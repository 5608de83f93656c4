"""What each endpoint is compared with: the same output made by the bare tools, rows already loaded.

- feeds: icalendar alone serialising the same sessions with the same properties
  (and the same VTIMEZONE, built once as the app caches it);
- pages and lists: a bare Jinja render (or ``csv``, ``json``) of the same rows,
  without the app's layout, collation, translation or formatting;
- 304 answers and the registration POST: a Flask endpoint returning an empty
  response, registered in the application under test (so with the same request
  hooks) and, for information, in a bare Flask application.

None of them touches the database while timed: that is the point of a baseline.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, Response
from icalendar import Calendar, Event, Timezone, vDuration
from jinja2 import Environment

EMPTY_PATH = "/_benchmark/empty"

_jinja = Environment(autoescape=True)

PROGRAMME = _jinja.from_string(
    """<table>{% for s in sessions %}<tr><td>{{ s.starts_at.astimezone(zone).strftime("%a %H:%M") }}
</td><td><a href="{{ prefix }}{{ s.id }}">{{ s.title[lang] }}</a></td><td>{{ s.kind.value }}</td>
<td>{{ s.room.name[lang] }}</td><td>{{ s.theme.name[lang] }}</td></tr>{% endfor %}</table>"""
)

SESSION = _jinja.from_string(
    """<h1>{{ s.title[lang] }}</h1><p>{{ s.starts_at.astimezone(zone).strftime("%a %H:%M") }}
{{ s.ends_at.astimezone(zone).strftime("%H:%M") }} {{ s.room.name[lang] }} {{ s.theme.name[lang] }}
</p><ul>{% for p in s.people %}<li>{{ p.role.value }}: {% if p.delegate %}
{{ p.delegate.given_names }} {{ p.delegate.family_name }}{% else %}{{ p.name }}{% endif %}</li>
{% endfor %}</ul>"""
)

PARTICIPANTS = _jinja.from_string(
    """{% for d, members in delegations %}<section><h3>{{ d.name }}</h3><dl>
{% for p in members %}<dd>{{ p.title }} {{ p.given_names }} <span>{{ p.family_name }}</span>,
{{ p.function }} ({{ p.role }})</dd>{% endfor %}</dl></section>{% endfor %}"""
)


def programme_page(sessions, zone: ZoneInfo, lang: str, prefix: str) -> str:
    return PROGRAMME.render(sessions=sessions, zone=zone, lang=lang, prefix=prefix)


def session_page(session, zone: ZoneInfo, lang: str) -> str:
    return SESSION.render(s=session, zone=zone, lang=lang)


def participants_page(delegations) -> str:
    """``delegations``: ``(delegation row, [delegate rows])``, as the database returned them."""
    return PARTICIPANTS.render(delegations=delegations)


def participants_csv(delegations) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for d, members in delegations:
        for p in members:
            writer.writerow([d.name, p.role, p.title, p.given_names, p.family_name, p.function])
    return buffer.getvalue()


def sessions_json(sessions, zone: ZoneInfo, lang: str) -> str:
    return json.dumps(
        {
            "sessions": [
                {
                    "id": s.id,
                    "uid": s.uid,
                    "title": s.title[lang],
                    "kind": s.kind.value,
                    "theme": {"number": s.theme.number, "name": s.theme.name[lang]},
                    "room": {"id": s.room.id, "name": s.room.name[lang]},
                    "status": s.status.value,
                    "starts_at": s.starts_at.astimezone(zone).isoformat(),
                    "ends_at": s.ends_at.astimezone(zone).isoformat(),
                    "starts_at_utc": s.starts_at.astimezone(UTC).isoformat(),
                    "ends_at_utc": s.ends_at.astimezone(UTC).isoformat(),
                    "working_languages": list(s.working_languages),
                }
                for s in sessions
            ]
        }
    )


class IcalendarOnly:
    """icalendar serialising sessions with the properties the app's feeds give them."""

    def __init__(self, congress, sessions, lang: str, url_prefix: str):
        self.congress = congress
        self.sessions = sessions
        self.lang = lang
        self.url_prefix = url_prefix
        self.zone = ZoneInfo(congress.timezone)
        first = min(s.starts_at for s in sessions).astimezone(self.zone).date()
        last = max(s.ends_at for s in sessions).astimezone(self.zone).date()
        self.vtimezone = Timezone.from_tzid(
            congress.timezone, first_date=first, last_date=last + timedelta(days=1)
        )

    def __call__(self) -> bytes:
        lang, zone = self.lang, self.zone
        language = {"LANGUAGE": lang}
        calendar = Calendar()
        calendar.add("version", "2.0")
        calendar.add("prodid", "-//Benchmark//Baseline//EN")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("name", self.congress.name[lang])
        calendar.add("x-wr-calname", self.congress.name[lang])
        calendar.add("x-wr-timezone", self.congress.timezone)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(timedelta(hours=1)))
        calendar.add("url", self.url_prefix, parameters={"VALUE": "URI"})
        calendar.add("source", self.url_prefix + "calendar.ics", parameters={"VALUE": "URI"})
        calendar.add_component(self.vtimezone)
        for s in self.sessions:
            event = Event()
            event.add("uid", s.uid)
            event.add("dtstamp", s.updated_at)
            event.add("last-modified", s.updated_at)
            event.add("created", s.created_at)
            event.add("sequence", s.revision)
            event.add("dtstart", s.starts_at.astimezone(zone))
            event.add("dtend", s.ends_at.astimezone(zone))
            event.add("status", s.status.value.upper())
            event.add("summary", s.title[lang], parameters=language)
            # The app's description: a line per role naming the people, then the text.
            people = [
                f"{role}: {', '.join(names)}"
                for role, names in (
                    ("Chairs", [p.display_name for p in s.people if p.role.value == "chair"]),
                    ("Speakers", [p.display_name for p in s.people if p.role.value == "speaker"]),
                )
                if names
            ]
            text = "\n\n".join(t for t in ("\n".join(people), s.description.get(lang, "")) if t)
            if text:
                event.add("description", text, parameters=language)
            location = f"{s.room.name[lang]}, {self.congress.venue}"
            event.add("location", location, parameters=language)
            event.add("url", f"{self.url_prefix}{s.id}", parameters={"VALUE": "URI"})
            event.add("categories", [s.kind.value], parameters=language)
            event.add("categories", [s.theme.name[lang]], parameters=language)
            calendar.add_component(event)
        return calendar.to_ical()


def add_empty_endpoint(app: Flask) -> None:
    """An endpoint returning an empty response, inside the application under test."""
    bp = Blueprint("benchmark", __name__)

    @bp.get(EMPTY_PATH)
    def empty():
        return Response(status=204)

    app.register_blueprint(bp)


def bare_flask_app() -> Flask:
    """The same empty endpoint in a Flask application with nothing else."""
    app = Flask("bare")
    add_empty_endpoint(app)
    return app
