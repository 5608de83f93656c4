// Read calendar feeds with Mozilla's ical.js, as Thunderbird and many web calendars do, and
// print what it understood as JSON: the tests (tests/calendar_support.py) compare it with the
// instants the database holds.
//
// stdin: {"feeds": ["BEGIN:VCALENDAR...", ...],
//         "probes": {"<TZID>": [[year, month, day, hour, minute, second], ...]}}
// stdout: {"feeds": [{"zones": [...], "events": [{uid, start, end, startOffset, tzid,
//          categories, summary}]}], "instants": {"<TZID>": [unix seconds, ...]}}
//
// Like a process that keeps the first VTIMEZONE it reads for a TZID (vobject does, for the
// whole process), every feed's local times are converted with the block of the first feed
// that had that TZID; and each probe's wall-clock time is read with that block too.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const firstZones = new Map();

function instant(property) {
  const value = property.getFirstValue();
  const tzid = property.getParameter("tzid");
  if (!tzid) return { seconds: value.toUnixTime(), offset: 0, tzid: null };
  const zone = firstZones.get(tzid);
  if (!zone) throw new Error(`no VTIMEZONE for ${tzid}`);
  const local = new ICAL.Time(
    {
      year: value.year,
      month: value.month,
      day: value.day,
      hour: value.hour,
      minute: value.minute,
      second: value.second,
      isDate: false,
    },
    zone,
  );
  return { seconds: local.toUnixTime(), offset: zone.utcOffset(local), tzid };
}

const feeds = request.feeds.map((text) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents("vtimezone").map((component) => {
    const zone = new ICAL.Timezone(component);
    if (!firstZones.has(zone.tzid)) firstZones.set(zone.tzid, zone);
    return zone.tzid;
  });
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const start = instant(vevent.getFirstProperty("dtstart"));
    const end = instant(vevent.getFirstProperty("dtend"));
    return {
      uid: vevent.getFirstPropertyValue("uid"),
      summary: vevent.getFirstPropertyValue("summary"),
      start: start.seconds,
      end: end.seconds,
      startOffset: start.offset,
      tzid: start.tzid,
      categories: vevent.getAllProperties("categories").map((p) => p.getValues()),
    };
  });
  return { zones, events };
});

// A reader meets local times (DTSTART;TZID=...) and turns them into instants: probe the
// zones that way, wall-clock time in, UTC instant out.
const instants = {};
for (const [tzid, walls] of Object.entries(request.probes || {})) {
  const zone = firstZones.get(tzid);
  if (!zone) throw new Error(`no VTIMEZONE for ${tzid}`);
  instants[tzid] = walls.map(([year, month, day, hour, minute, second]) =>
    new ICAL.Time({ year, month, day, hour, minute, second, isDate: false }, zone).toUnixTime(),
  );
}

process.stdout.write(JSON.stringify({ feeds, instants }));
