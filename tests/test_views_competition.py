"""Unit tests for helpers.nb.views.competition and competition_charts: the sections, charts and
sentences of notebook 03 state what the data hold, for a country and for the region."""

import re
from collections import defaultdict

import pytest
from conftest import csv_rows, figure_text
from conftest import markdown_text as text

from helpers.analysis import competition, deals, engagement, powers
from helpers.data import countries
from helpers.nb import tables
from helpers.nb.views import competition as view
from helpers.nb.views import competition_charts as charts

EVENTS = csv_rows("curated/events.csv")
C5 = countries.C5
#: what a reader must not see: fact ids, seed numbers, "(s)" plurals, value (year) labels
INTERNAL = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|\b00[0-4]\b|\(s\)|\d%\s*\(\d{4}\)")

pytestmark = pytest.mark.usefixtures("agg_figures")


def visible(parts):
    """Every text a section shows: sentences and tables (captions, cells, source)."""
    return "\n".join(text(p) if hasattr(p, "data") else repr(p) for p in parts)


@pytest.mark.parametrize("iso", [None, *C5])
def test_sections_read_as_prose_for_people(iso):
    shown = "\n".join(visible(section) for section in (
        view.trade_section(iso, 2010, 2023), view.deals_section(iso), view.sources_section(iso),
        view.context_section(iso), view.gaps_section(iso), [view.findings(iso, 2010, 2023)]))
    assert not INTERNAL.findall(shown), INTERNAL.findall(shown)[:5]
    assert "nan" not in shown.split() and "None" not in shown
    if iso is not None:
        assert shown.count(countries.name(iso)) > max(
            shown.count(countries.name(o)) for o in C5 if o != iso)


def test_year_labels_cover_every_balance_column():
    for iso in C5:
        columns = set(powers.balance_by_year(iso, 2010, 2023).columns) - {"year"}
        assert columns <= set(view.year_labels()), iso
    labels = view.year_labels()
    assert labels["imports_rus_pct_total"] == "Imports from Russia (% of all imports)"
    assert labels["exports_share_rus_pct"] == "Exports to Russia (% of the three)"


def test_trade_text_gives_shares_of_the_total_and_keeps_mirror_apart():
    out = text(view.trade_text("KAZ"))
    split = powers.own_power_split("KAZ", 2019, 2019).set_index("counterpart")
    for p in ("RUS", "CHN", "USA"):
        assert f"{split.loc[p, 'share_of_total_pct']:.1f}%" in out
    assert "of all its imports from Russia" in out
    assert f"{split.loc['RUS', 'share_of_three_pct']:.0f}%" not in out  # not the share of three
    assert "Russia publishes no such figure" in out
    uzb = text(view.trade_text("UZB"))
    assert "shares of the three" in uzb
    tkm = text(view.trade_text("TKM"))
    assert "publishes no trade by partner" in tkm and "million" in tkm  # small sums in millions


def test_deals_are_a_ledger_never_a_total_or_a_share_of_gdp():
    for iso in (None, "KAZ", "UZB", "TKM"):
        shown = visible(view.deals_section(iso))
        assert "GDP" not in shown and "total" not in shown.lower()
        assert "listed, not added up" in shown
    tkm = visible(view.deals_section("TKM"))
    assert "no deal or pledge that names Turkmenistan" in tkm
    assert "Deals and pledges that name Turkmenistan" not in tkm  # no table of its own
    region = deals.deals_for("TKM")
    for r in region.itertuples():  # the region-wide ones are named in the sentence
        assert r.value_as_written in tkm


def test_summit_dates_count_documents_and_name_outlets():
    docs = defaultdict(set)
    for r in EVENTS:
        if r["fact_id"] == view.SUMMIT and r["date_precision"] == "day":
            docs[r["date"]].add(r["source"])
    out = text(view.summit_dates())
    for date, files in docs.items():
        assert f"{int(date[-2:])} November 2025 in {len(files)} document" in out
    assert "VOV World" in out


def test_engagement_text_states_the_bias_and_no_counts_across_powers():
    timeline = engagement.engagement_timeline()
    out = text(view.engagement_text(timeline, None))
    n_docs = len(csv_rows("curated/documents.csv"))
    assert out.startswith(f"Events mentioned in the {n_docs} news texts")
    assert "not how much each power engages" in out
    for power in countries.POWERS:  # no event counts power by power
        assert not re.search(rf"\d+ events? (on \d+ occasions? )?with (the )?{countries.name(power)}",
                             out)
    mine = engagement.engagement_timeline("KAZ")
    kaz = text(view.engagement_text(timeline, "KAZ"))
    assert " of the " not in kaz  # no "n of 13"
    for title in mine.loc[~mine["all_five"], "title"]:
        assert title in kaz
    assert "names all five" in text(view.engagement_text(timeline, "TKM"))
    for iso in (None, "KAZ"):
        found = text(view.findings(iso, 2010, 2023))
        assert not re.search(r"\d+ of the \d+ engagement events|\d+ occasions? (of engagement )?with",
                             found)
    assert view.events_title() in charts.timeline_chart(timeline).axes[0].get_title() or \
        "Events mentioned in the news texts" in charts.timeline_chart(timeline).axes[0].get_title()


def test_stated_trade_text_says_who_gave_each_figure_as_written():
    out = view.stated_trade_text()
    stated = competition.stated_region_trade()
    for r in stated.itertuples():
        assert f"{r.value_as_written} in {r.year}" in out  # as written: no added precision
    assert "Putin said the region's trade with Russia exceeded $45 billion" in out
    assert "45.0" not in out
    assert "no such figure for the United States" in out


def test_facts_and_gaps_say_what_is_there_and_what_is_not():
    facts = competition.country_facts("KAZ")
    assert f"{(facts['kind'] == 'event').sum()} events" in text(view.facts_text(facts, "Kazakhstan"))
    tjk_facts = text(view.facts_text(competition.country_facts("TJK"), "Tajikistan"))
    assert "hold no fact about Tajikistan alone" in tjk_facts
    assert "say nothing" not in tjk_facts
    for m in competition.passing_mentions("TJK").itertuples():  # quoted as the seed writes it
        assert m.text in tjk_facts
    tjk = text(view.gaps_text(competition.evidence("TJK"), "Tajikistan"))
    assert "- No own trade figures by partner." in tjk and "not in the data at all" in tjk


def test_findings_are_quotable_sentences_with_sources():
    kaz = text(view.findings("KAZ", 2010, 2023))
    assert all(line.startswith("- ") for line in kaz.splitlines())
    assert "own report to the WTO" in kaz and "As China and the United States record" in kaz
    region = text(view.findings(None, 2010, 2023))
    assert "Kazakhstan" in region and "Kyrgyzstan" in region and "coverage" in region


def test_positions_text_counts_actors_not_writers():
    out = text(view.positions_text())
    positions = engagement.statements_by_theme()
    writers = len(engagement.statements_by_theme(writers=True)) - len(positions)
    assert f"{len(positions)} positions of named actors" in out
    assert f"{(positions['country'] == 'USA').sum()} come from US actors" in out
    assert writers > 0 and f"A further {writers} sentences" in out
    assert "characterised by the commentator" not in out
    assert "international/not stated" not in out


def test_opening_names_the_country_without_codes_and_summarises_it():
    for iso in C5:
        shown = "\n".join(text(p) for p in view.opening(iso, 2010, 2023))
        assert f"({iso})" not in shown and "Focus:" not in shown
        assert f"{countries.name(iso)} in brief" in shown
        assert shown.count("\n- ") == 3
    assert len(view.opening(None, 2010, 2023)) == 1


def test_new_labels_are_for_people():
    for column in ("outlets", "dates_stated", "share_of_total_pct", "share_of_three_pct"):
        assert "_" not in tables.label(column)


# ---------------------------------------------------------------- charts


def test_plain_number_log_ticks():
    assert [charts.plain_number(v) for v in (0.02, 0.5, 1.0, 5.0, 20.0)] == [
        "0.02", "0.5", "1", "5", "20"]


def test_own_trade_chart_draws_shares_of_the_total_or_nothing():
    fig = charts.own_trade_chart("KGZ", 2010, 2019)
    ax = fig.axes[0]
    assert "Kyrgyzstan" in ax.get_title() and "all its imports" in ax.get_ylabel()
    assert figure_text(fig).startswith("Source: WTO")
    assert len(ax.get_lines()) == 3
    assert "the three powers together" in charts.own_trade_chart("UZB", 2010, 2023).axes[0].get_ylabel()
    assert charts.own_trade_chart("TJK", 2010, 2019) is None
    assert charts.trade_chart(None, 2010, 2023) is not None


@pytest.mark.parametrize("iso", [None, "UZB"])
def test_mirror_chart_log_axis_reads_as_plain_numbers(iso):
    fig = charts.mirror_chart(iso, 2010, 2023)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and "World Bank" in figure_text(fig)
    ticks = [t.get_text() for t in ax.get_yticklabels() + ax.get_yticklabels(minor=True)]
    assert ticks and not [t for t in ticks if "10^" in t or "×" in t or "$" in t]


@pytest.mark.parametrize("chart", ["timeline", "positions"])
def test_other_charts_have_title_labels_and_outlet_credit(chart):
    if chart == "timeline":
        fig = charts.timeline_chart(engagement.engagement_timeline(), "KGZ")
    else:
        fig = charts.positions_chart(None)
    ax = fig.axes[0]
    assert ax.get_title() and (ax.get_xlabel() or ax.get_ylabel())
    credit = figure_text(fig)
    assert credit.startswith("Source: ") and "VOV World" in credit and "seeds/" not in credit
    assert charts.positions_chart("KAZ") is None


def test_timeline_chart_fills_only_the_focus_countrys_events():
    timeline = engagement.engagement_timeline()
    fig = charts.timeline_chart(timeline, "UZB")
    filled = sum(len(c.get_offsets()) for c in fig.axes[0].collections
                 if c.get_label() in {countries.name(p) for p in countries.POWERS})
    assert filled == len(engagement.engagement_timeline("UZB"))
