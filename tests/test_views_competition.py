"""Unit tests for helpers.nb.views.competition: the charts and sentences of notebook 03 state what the data hold."""

from collections import defaultdict

import pytest
from conftest import csv_rows, figure_text
from conftest import markdown_text as text

from helpers.analysis import competition, deals
from helpers.data import countries
from helpers.nb.views import competition as view

EVENTS = csv_rows("curated/events.csv")
STATEMENTS = csv_rows("curated/statements.csv")


pytestmark = pytest.mark.usefixtures("agg_figures")




def test_year_labels_cover_every_balance_column():
    for iso in countries.C5:
        columns = set(competition.balance_by_year(iso, 2010, 2023).columns) - {"year"}
        assert columns <= set(view.year_labels()), iso
    assert view.year_labels()["exports_share_rus_pct"] == "Exports to Russia (% of the three)"


def test_own_split_chart_draws_the_shares_or_nothing():
    split = competition.own_power_split("KGZ", 2010, 2019)
    fig = view.own_split_chart(split, "Kyrgyzstan")
    ax = fig.axes[0]
    assert "Kyrgyzstan" in ax.get_title() and "%" in ax.get_ylabel()
    assert figure_text(fig).startswith("Source: WTO")
    assert len(ax.patches) == 3 * split["year"].nunique()
    assert view.own_split_chart(competition.own_power_split("TJK", 2010, 2019), "Tajikistan") is None


def test_mirror_chart_has_one_line_per_reporting_power():
    mirror = competition.mirror_exports_gdp("UZB", 2010, 2023)
    fig = view.mirror_chart(mirror, "Uzbekistan", 2010, 2023)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2 and ax.get_yscale() == "log"
    assert "World Bank" in figure_text(fig)
    assert view.mirror_chart(mirror.iloc[0:0], "Uzbekistan", 2010, 2023) is None


@pytest.mark.parametrize("chart", ["volumes", "region", "timeline", "positions"])
def test_other_charts_have_title_labels_and_source(chart):
    if chart == "volumes":
        fig = view.volumes_chart(competition.volumes_by_power("KAZ"), "Kazakhstan")
    elif chart == "region":
        fig = view.region_chart(competition.region_totals_vs_gdp())
    elif chart == "timeline":
        fig = view.timeline_chart(competition.engagement_timeline(), "KGZ")
    else:
        fig = view.positions_chart(competition.statements_by_theme())
    ax = fig.axes[0]
    assert ax.get_title() and (ax.get_xlabel() or ax.get_ylabel())
    assert figure_text(fig).startswith("Source: ")


def test_timeline_chart_fills_only_the_focus_countrys_events():
    timeline = competition.engagement_timeline()
    fig = view.timeline_chart(timeline, "UZB")
    filled = sum(len(c.get_offsets()) for c in fig.axes[0].collections
                 if c.get_label() in {countries.name(p) for p in countries.POWERS})
    assert filled == len(competition.engagement_timeline("UZB"))


def test_trade_text_states_the_leaders_and_keeps_euros_apart():
    split = competition.own_power_split("KGZ", 2010, 2023)
    mirror = competition.mirror_exports_gdp("KGZ", 2010, 2023)
    shares = competition.power_shares("KGZ", 2018)
    out = text(view.trade_text(split, mirror, shares, 2018, "Kyrgyzstan"))
    imports = split[split["flow"] == "imports"]
    first = imports[imports["year"] == 2010].sort_values("share_of_powers_pct").iloc[-1]
    assert f"{countries.name(first['counterpart'])} ({first['share_of_powers_pct']:.0f}%) in 2010" in out
    eu = shares[shares["counterpart"] == "EU27"]["value_eur_bn"].iloc[0]
    assert f"€{eu:,.2f} billion" in out
    none = text(view.trade_text(competition.own_power_split("TKM", 2010, 2023), mirror,
                                shares, 2018, "Turkmenistan"))
    assert "does not report its trade by partner" in none


def test_deals_text_with_and_without_a_named_deal():
    volumes = competition.volumes_by_power("UZB")
    out = text(view.deals_text(volumes, deals.deals_for("UZB"), "Uzbekistan"))
    usa = volumes[(volumes["power"] == "USA") & (volumes["measure"] == "largest_deal")].iloc[0]
    assert f"worth {usa['pct_of_gdp']:.1f}% of its {usa['year']} GDP" in out
    assert "seeds:" not in out and "uzb_" not in out
    kgz = text(view.deals_text(competition.volumes_by_power("KGZ"), deals.deals_for("KGZ"), "Kyrgyzstan"))
    region = (deals.deals_for("KGZ")["scope"] == "region").sum()
    assert "No deal in the seeds names Kyrgyzstan" in kgz and f"party to {region} region-wide" in kgz


def test_region_text_and_findings_carry_the_region_figures():
    region = competition.region_totals_vs_gdp()
    out = text(view.region_text(region))
    for r in region.itertuples():
        assert f"US${r.value_usd_bn:,.1f} billion" in out and f"{r.pct_of_c5_gdp:.1f}%" in out
    timeline = competition.engagement_timeline()
    bullets = text(view.findings(timeline, "TJK", 2015, region, competition.volumes_by_power("TJK"),
                                 competition.own_power_split("TJK", 2010, 2023))).splitlines()
    assert len(bullets) == 4 and all(b.startswith("- ") for b in bullets)
    assert "Tajikistan has no own-reported trade" in " ".join(bullets)


def test_summit_dates_count_documents_from_the_csv():
    docs = defaultdict(set)
    for r in EVENTS:
        if r["fact_id"] == view.SUMMIT and r["date_precision"] == "day":
            docs[r["date"]].add(r["source"])
    out = text(view.summit_dates(competition.engagement_timeline()))
    for date, sources in docs.items():
        day = int(date[-2:])
        assert f"{day} November 2025 in {len(sources)} document" in out


def test_engagement_text_counts_and_names_bilateral_events():
    timeline = competition.engagement_timeline()
    out = text(view.engagement_text(timeline, "KAZ", 2015))
    mine = competition.engagement_timeline("KAZ")
    assert f"Kazakhstan takes part in {len(mine)} of the {len(timeline)}" in out
    for title in mine.loc[~mine["all_five"], "title"]:
        assert title in out
    assert "none is bilateral" in text(view.engagement_text(timeline, "TKM", 2015))


def test_positions_text_counts_us_actors():
    positions = competition.statements_by_theme()
    out = text(view.positions_text(positions))
    assert f"{len(positions)} positions" in out
    assert f"{(positions['country'] == 'USA').sum()} come from US actors" in out
    assert "(USA)" not in out and "(United States)" in out


def test_facts_text_counts_kinds_or_says_nothing():
    facts = competition.country_facts("KAZ")
    out = text(view.facts_text(facts, "Kazakhstan"))
    assert f"{(facts['kind'] == 'event').sum()} events" in out
    assert "say nothing about Kyrgyzstan" in text(view.facts_text(competition.country_facts("KGZ"), "Kyrgyzstan"))


def test_gaps_text_lists_what_is_missing():
    tjk = text(view.gaps_text(competition.evidence("TJK"), "Tajikistan"))
    assert "- No own trade figures by partner." in tjk
    assert "not in the data at all" in tjk
    kgz = text(view.gaps_text(competition.evidence("KGZ"), "Kyrgyzstan"))
    assert "own trade figures" not in kgz and "known only from Kyrgyzstan's own figures" in kgz


def test_leader_names_the_largest_share():
    split = competition.own_power_split("UZB", 2023, 2023)
    imports = split[split["flow"] == "imports"]
    top = imports.sort_values("share_of_powers_pct").iloc[-1]
    assert view.leader(imports, 2023) == f"{countries.name(top['counterpart'])} ({top['share_of_powers_pct']:.0f}%)"


def test_tables_name_keeps_labels_that_are_not_codes():
    assert view.tables_name("KAZ") == "Kazakhstan"
    assert view.tables_name("international/not stated") == "international/not stated"
