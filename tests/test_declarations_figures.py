"""Figures where sources disagree: every place that shows them keeps them apart.

The congress page, the list of congresses, the chart, the API and the outcome
documents' pages each show every figure with what it counts and its source.
"""

from __future__ import annotations

import re

from congress.archive.chart import BAR_MAX, figures_chart
from congress.archive.queries import congresses_newest_first

MOFA = "Ministry of Foreign Affairs of Japan, the Second World Congress (in Japanese)"
UN_NEWS = "UN News, Yokohama forum renews commitment to combat sexual exploitation of children"

INDEX = "/en/congresses/"


def svg(html: str) -> str:
    return re.search(r"<svg .*?</svg>", html, re.S).group(0)


def panel(html: str, measure: str) -> str:
    return re.search(
        rf'<g class="panel" data-measure="{measure}">(.*?)\n    </g>', html, re.S
    ).group(1)


def group(panel_html: str, slug: str) -> str:
    return re.search(
        rf'<g class="congress" data-congress="{slug}">(.*?)\n      </g>', panel_html, re.S
    ).group(1)


def bars(group_html: str) -> list[tuple[str, str, str, str]]:
    """(reliability, value, width, label) of each bar, in order."""
    return re.findall(
        r'<g class="bar (\w+)" data-value="(\d+)" data-note="\d+">\s*'
        r'<rect x="0" y="[\d.]+" width="([\d.]+)"[^>]*/>\s*<text [^>]*>([^<]+)</text>',
        group_html,
    )


def test_chart_layout_keeps_one_bar_per_figure(app, archive):
    with app.app_context():
        chart = figures_chart(congresses_newest_first())
        governments, participants = chart.panels
        assert [g.congress.slug for g in governments.groups] == [
            "stockholm-1996",
            "yokohama-2001",
            "rio-2008",
        ]
        yokohama = governments.groups[1]
        assert [b.figure.value for b in yokohama.bars] == [161, 136, 134]
        assert [b.figure.source for b in yokohama.bars] == [
            "ECPAT Luxembourg, seed document",
            MOFA,
            UN_NEWS,
        ]
        assert (yokohama.disagree, yokohama.low, yokohama.high) == (True, 134, 161)
        # The longest bar of a panel is its largest figure; the others in proportion.
        assert [b.width for b in yokohama.bars] == [
            BAR_MAX,
            round(BAR_MAX * 136 / 161, 1),
            round(BAR_MAX * 134 / 161, 1),
        ]
        assert not governments.groups[2].disagree
        # Notes are numbered in the order the bars are drawn, across both panels.
        assert [n for n, _c, _f in chart.notes] == list(range(1, 11))
        assert [b.note for b in participants.groups[2].bars] == [9, 10]


def test_the_chart_is_server_side_accessible_svg(client, archive):
    html = client.get(INDEX).get_data(as_text=True)
    drawing = svg(html)
    assert 'role="img"' in drawing
    assert 'aria-labelledby="figures-chart-title figures-chart-desc"' in drawing
    assert (
        '<title id="figures-chart-title">Governments and participants per congress</title>'
        in drawing
    )
    desc = re.search(r'<desc id="figures-chart-desc">(.*?)</desc>', drawing, re.S).group(1)
    assert (
        "Yokohama 2001: 161 (governments committed to the Agenda for Action (wording of the seed"
        " document; probably a cumulative count); source: ECPAT Luxembourg, seed document;"
        f" sources disagree); 136 (governments attending (52 at ministerial level); source:"
        f" {MOFA}); 134 (governments attending; source: {UN_NEWS}; sources disagree)." in desc
    )
    # Drawn on the server: the page loads the site's own scripts and nothing for the chart.
    assert "<script" not in drawing
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/js/supported.js">',
        '<script type="module" src="/static/js/congress.js">',
    ]


def test_the_chart_shows_every_yokohama_figure_with_a_legend(client, archive):
    html = client.get(INDEX).get_data(as_text=True)
    governments = panel(svg(html), "governments")
    yokohama = group(governments, "yokohama-2001")
    assert 'Yokohama 2001 <tspan font-weight="normal">· 134 to 161, by source</tspan>' in yokohama
    assert bars(yokohama) == [
        ("disputed", "161", "220.0", "161 [3]"),
        ("verified", "136", "185.8", "136 [4]"),
        ("disputed", "134", "183.1", "134 [5]"),
    ]
    assert bars(group(governments, "rio-2008")) == [("verified", "137", "187.2", "137 [6]")]
    participants = panel(svg(html), "participants")
    assert bars(group(participants, "stockholm-1996")) == [
        ("verified", "1300", "81.7", "over 1,300 [7]")
    ]
    assert bars(group(participants, "rio-2008")) == [
        ("verified", "3500", "220.0", "over 3,500 [9]"),
        ("disputed", "3158", "198.5", "3,158 [10]"),
    ]
    # The legend explains the marks; the caption says no figure is chosen.
    assert '<text x="128" y="16">sources disagree</text>' in html
    assert "none is chosen over the others" in html


def test_the_chart_lists_its_sources_underneath(client, archive):
    html = client.get(INDEX).get_data(as_text=True)
    sources = re.search(r'<ol class="chart-sources">(.*?)</ol>', html, re.S).group(1)
    items = [
        " ".join(re.sub(r"<[^>]+>", "", i).split())
        for i in re.findall(r"<li [^>]*>(.*?)</li>", sources, re.S)
    ]
    assert len(items) == 10
    assert items[2:5] == [
        "Yokohama 2001, governments: 161 governments committed to the Agenda for Action (wording"
        " of the seed document; probably a cumulative count). Source: ECPAT Luxembourg, seed"
        " document (sources disagree) No source gives 161 as a count for Yokohama. Lusa (25"
        " November 2008) says the Stockholm Declaration and Agenda for Action were adopted by"
        " 161 countries: a cumulative count of adopters by 2008.",
        "Yokohama 2001, governments: 136 governments attending (52 at ministerial level)."
        f" Source: {MOFA}",
        f"Yokohama 2001, governments: 134 governments attending. Source: {UN_NEWS}"
        " (sources disagree) IPS also gives 134 countries.",
    ]
    assert '<li id="figures-chart-source-4" value="4">' in sources
    assert (
        '<a href="https://www.mofa.go.jp/mofaj/gaiko/csec01/gh_0112.html" rel="noopener">'
        "Ministry of Foreign Affairs" in sources
    )


def test_the_list_of_congresses_shows_every_figure_not_one_picked(client, archive):
    for url in (INDEX, "/en/"):
        html = client.get(url).get_data(as_text=True)
        yokohama = html.split('href="/en/congresses/yokohama-2001/"', 1)[1].split("</ul>", 1)[0]
        shown = re.findall(r"<strong>([^<]+)</strong>\s*([^<]+?)\s*<small", yokohama)
        assert shown == [
            (
                "161",
                "governments committed to the Agenda for Action (wording of the seed document;"
                " probably a cumulative count)",
            ),
            ("136", "governments attending (52 at ministerial level)"),
            ("134", "governments attending"),
            ("3,050", "participants"),
        ]
        assert yokohama.count("sources disagree") == 2


def test_the_api_gives_every_figure_with_its_source(client, archive):
    data = client.get("/api/v1/congresses/yokohama-2001?lang=en").get_json()
    governments = [
        (f["value"], f["source"], f["reliability"])
        for f in data["figures"]
        if f["measure"] == "governments"
    ]
    assert governments == [
        (161, "ECPAT Luxembourg, seed document", "disputed"),
        (136, MOFA, "verified"),
        (134, UN_NEWS, "disputed"),
    ]
    listed = client.get("/api/v1/congresses").get_json()["congresses"]
    yokohama = next(c for c in listed if c["slug"] == "yokohama-2001")
    assert [f["value"] for f in yokohama["figures"]] == [161, 136, 134, 3050]


def test_the_chart_reads_in_the_pages_language(client, archive):
    html = client.get("/fr/congresses/").get_data(as_text=True)
    participants = panel(svg(html), "participants")
    assert bars(group(participants, "rio-2008"))[1] == (
        "disputed",
        "3158",
        "198.5",
        "3\u202f158 [10]",  # French groups digits with a narrow no-break space
    )
    assert "Rio de Janeiro 2008" in participants
    assert "gouvernements présents (52 au niveau ministériel)" in html
