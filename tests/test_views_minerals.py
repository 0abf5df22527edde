"""Unit tests for helpers.nb.views.minerals: each chart draws what it says with title, units and
source; each finding states the numbers the analysis computes, in words a reader reads."""

import re

import matplotlib.colors
import pytest
from matplotlib.figure import Figure

from helpers import data
from helpers.analysis import mineral_claims, minerals, sources
from helpers.data import countries
from helpers.nb import say, style
from helpers.nb.views import minerals as views


def axes():
    return Figure().subplots()  # no pyplot: no global figure state


def source_of(fig):
    (text,) = [t.get_text() for t in fig.texts if t.get_text().startswith("Source: ")]
    return text


def text(markdown):
    return markdown.data


def readable(sentence):
    """No notebook leftovers in a reader's sentence."""
    assert "(s)" not in sentence and "nan" not in sentence.lower() and "None" not in sentence
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", sentence), "an internal id in the prose"


@pytest.fixture(scope="module")
def claim():
    return mineral_claims.claimed_deposit()


# --- charts -------------------------------------------------------------------------------------

def test_region_map_names_the_five_and_cites_natural_earth():
    fig = views.region_map(data.load("region_polygons"), ax=axes())
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    assert {countries.name(c) for c in countries.C5} <= labels
    assert "Longitude" in ax.get_xlabel() and "Latitude" in ax.get_ylabel()
    assert data.citation("region_polygons") in source_of(fig)


def test_revisions_chart_one_row_per_country_with_both_editions():
    rev = minerals.edition_revisions("reserves")
    fig = views.revisions_chart(rev, ax=axes())
    ax = fig.axes[0]
    both = rev.dropna(subset=["t_2024", "t_2025"])
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(both["name"])
    assert len(ax.lines) == len(both)
    labelled = [t.get_text() for t in ax.texts]
    assert len(labelled) == int((both["change_t"].abs() >= 1e6).sum())
    assert "million t REO" in ax.get_xlabel() and ax.get_title()
    assert data.citation("rare_earths") in source_of(fig)


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_china_chart_bars_are_the_shares(edition):
    shares = mineral_claims.china_shares(edition)
    fig = views.china_chart(shares, ax=axes())
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert sorted(widths) == pytest.approx(sorted(shares["china_share_pct"]))
    assert {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches} == {style.color("CHN").lower()}
    assert ("lower bound" in source_of(fig)) == bool(shares["upper_bound"].any())
    assert "(%)" in ax.get_xlabel()


@pytest.mark.parametrize("edition,share", [(2025, 1.0), (2024, 0.3)])
def test_deposit_chart_hatches_the_claim(edition, share, claim):
    tonnes, written = claim
    result = minerals.rank_with_deposit(edition, tonnes, share)
    fig = views.deposit_chart(result, edition, share, written, ax=axes())
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_width() == pytest.approx(result.tonnes / 1e6)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert f"{result.rank}. Kazakhstan (if reserves*)" in labels
    assert f"MCS {edition}" in ax.get_title() and f"{share:.0%}" in ax.get_title()
    assert ax.get_title().startswith("If ") and "ore or a resource" in source_of(fig)
    assert "tonnes of metal" not in source_of(fig)
    assert written in source_of(fig)


def test_rank_curve_chart_one_step_line_per_edition_and_the_parameter(claim):
    tonnes, _ = claim
    curves = minerals.rank_curves(tonnes, points=100)
    result = minerals.rank_with_deposit(2025, tonnes, 0.5)
    fig = views.rank_curve_chart(curves, result, 2025, 0.5, tonnes, ax=axes())
    ax = fig.axes[0]
    assert len(ax.lines) == len(minerals.EDITIONS)
    (dot,) = ax.collections
    assert dot.get_offsets().tolist() == [[50.0, result.rank]]
    assert ax.yaxis_inverted()
    assert "Rank" in ax.get_ylabel() and "(%)" in ax.get_xlabel()


# --- sentences ------------------------------------------------------------------------------------

def test_setting_names_the_edition_and_the_share():
    sentence = text(views.setting(2024, 0.25))
    assert sentence == (f"Ranking against **MCS 2024** (reserves {minerals.latest_year(2024, 'reserves')}), "
                        "counting **25%** of the Karaganda estimate.")


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_world_totals(edition):
    sentence = text(views.world_totals(edition))
    reserves = minerals.world_total("reserves", edition)
    production = minerals.world_total("mine_production", edition)
    assert f"{reserves.value_t / 1e6:.0f} million tonnes" in sentence
    assert ("more than" in sentence) == reserves.lower_bound
    assert f"{production.value_t:,.0f} tonnes" in sentence
    readable(sentence)


def test_revisions_finding_names_the_two_largest_revisions():
    sentence = text(views.revisions_finding())
    rev = minerals.edition_revisions("reserves").dropna(subset=["change_t"])
    for code, row in rev.head(2).iterrows():
        assert f"{row['name']}'s" in sentence and f"({row['change_pct']:.0f}%)" in sentence
        assert f"to {minerals.reserves_table(2025).loc[code, 'reserves_rank']}" in sentence
    assert f"{minerals.world_total('reserves', 2024).value_t / 1e6:.0f} million tonnes" in sentence
    readable(sentence)


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_china_finding_states_the_computed_shares(edition):
    sentence = text(views.china_finding(edition))
    shares = mineral_claims.china_shares(edition)["china_share_pct"]
    for share in shares:
        assert f"{share:.0f}%" in sentence
    year = minerals.latest_year(edition, "mine_production")
    salient = mineral_claims.salient_share(edition, year)
    assert ("critical-minerals table gives" in sentence) == (salient is not None)
    n_april, rows = sources.stated_value(mineral_claims.RESTRICTION_STEPS[1][0])
    assert f"restricted {n_april:.0f} of them in April 2025 ({mineral_claims.outlet_refs(rows)})" in sentence
    readable(sentence)


def test_discovery_sentence_dates_the_finds():
    statements = mineral_claims.deposit_statements()
    sentence = text(views.discovery_sentence(statements))
    found = statements[statements["kind"] == "discovery"]
    assert mineral_claims.outlet_refs(found) in sentence and "April 2025" in sentence
    readable(sentence)


@pytest.mark.parametrize("edition,share", [(2025, 1.0), (2024, 0.3), (2025, 0.0)])
def test_claims_finding_gives_both_ranks_and_the_parameters(edition, share, claim):
    tonnes, written = claim
    sentence = text(views.claims_finding(tonnes, written, edition, share))
    check = mineral_claims.claim_check(tonnes)
    for ed in minerals.EDITIONS:
        assert f"{check.loc[ed, 'reserves_rank']} in MCS {ed}" in sentence
        assert f"{check.loc[ed, 'ratio_to_china']:.0%} of China's" in sentence
    holds = [str(e) for e in check.index if check.loc[e, "third_after_china_brazil"]]
    assert (f"holds only under MCS {say.join(holds)}" if holds else "holds under neither") in sentence
    mine = minerals.rank_with_deposit(edition, tonnes, share)
    assert f"rank **{mine.rank}** in MCS {edition}" in sentence
    assert f"'{written}'" in sentence
    readable(sentence)


def test_confirmation_finding(claim):
    tonnes, _ = claim
    sentence = text(views.confirmation_finding(tonnes))
    needed = minerals.share_needed(2025, tonnes, 3)
    assert f"at least {needed:.1%}" in sentence
    assert f"{minerals.reserves_table(2025).iloc[2]['name']}'s reserves" in sentence
    assert ("never reaches third" in sentence) == (minerals.share_needed(2024, tonnes, 3) is None)
    readable(sentence)


def test_portfolio_finding_counts_deals_and_partners():
    portfolio = mineral_claims.us_minerals_portfolio()
    sentence = text(views.portfolio_finding(portfolio))
    with_us = portfolio[portfolio["with_us"]]
    assert say.plural(len(with_us), "US minerals deal") in sentence
    assert say.plural(with_us["partner"].nunique(), "partner") in sentence
    assert say.escape(say.money(with_us["value_usd_bn"].max())) in sentence
    readable(sentence)


def test_uranium_finding():
    sentence = text(views.uranium_finding())
    supply, rows = sources.stated_value(mineral_claims.URANIUM_FACTS[0])
    assert f"over {supply:.0f}%" in sentence
    assert f"covers uranium: **{'yes' if mineral_claims.salient_covers('uranium') else 'no'}**" in sentence
    assert f"of the {len(data.load('documents'))} news documents" in sentence
    readable(sentence)


def test_claims_finding_says_tied_when_the_counted_tonnes_equal_a_country(claim):
    tonnes, written = claim
    share = minerals.share_needed(2025, tonnes, 3)
    mine = minerals.rank_with_deposit(2025, tonnes, share)
    sentence = text(views.claims_finding(tonnes, written, 2025, share))
    assert mine.below[1] == mine.tonnes
    assert f"tied with {countries.name(mine.below[0])}" in sentence


def test_units_and_world_findings_name_their_sources_in_words(claim):
    from helpers.analysis import world_minerals
    from helpers.nb.views import minerals_world

    sentence = text(minerals_world.units_finding(*claim))
    readable(sentence)
    assert "IUPAC CIAAW" in sentence and "rank 2 under both USGS editions" in sentence
    assert "if it were reserves" in sentence and "preliminary" in sentence and "ore" in sentence
    assert "support" not in sentence  # a sensitivity check, no verdict on the unit
    positions = world_minerals.positions()
    finding = text(minerals_world.positions_finding(positions))
    readable(finding)
    assert "Tajikistan: antimony production 2024 (USGS estimate), rank 2 of 15" in finding
    for row in world_minerals.best_positions(positions).itertuples():  # ties are disclosed
        tied = [countries.name(c) for c in row.tied_with.split(";") if c]
        line = next(x for x in finding.splitlines() if f"{row.commodity.lower()} {row.measure}" in x
                    and countries.name(row.country) in x)
        assert ("tied with" in line) == bool(tied) and all(n in line for n in tied)
    mg = positions[(positions["country"] == "KAZ") & (positions["commodity"] == "Magnesium metal")]
    assert mg["tied_with"].tolist() == ["BRA;ISR"]
    assert "(tied with Brazil and Israel)" in minerals_world.positions_table(mg)["rank_of"].iloc[0]
    fig = minerals_world.positions_chart(positions, ax=axes())
    assert source_of(fig).startswith("Source: USGS") and fig.axes[0].get_xlabel()
