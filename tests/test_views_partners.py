"""Unit tests for helpers.nb.views.partners: partners-over-time charts, tables and sentences,
and the EU27 exports since 2021, state what the CSV files hold."""

import pytest
from conftest import csv_rows
from conftest import markdown_text as text

from helpers.analysis import partners, trade
from helpers.data import countries
from helpers.nb.views import partners as view

TRADE = csv_rows("derived/trade.csv")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
POWERS = ("USA", "CHN", "RUS")

pytestmark = pytest.mark.usefixtures("agg_figures")


def test_chart_has_one_panel_per_report_and_gaps_as_breaks():
    shares = partners.partner_shares("KAZ")
    fig = view.partners_chart(shares)
    assert len(fig.axes) == len(view.reports(shares)) == 1
    ax = fig.axes[0]
    years = sorted({int(r["year"]) for r in TRADE if r["reporter"] == "KAZ"})
    china = next(line for line in ax.get_lines() if line.get_label() == "China")
    xs = list(china.get_xdata())
    assert xs == list(range(years[0], years[-1] + 1))  # every year on the axis ...
    missing = [y for y in xs if y not in years]
    ys = dict(zip(xs, china.get_ydata()))
    assert all(ys[y] != ys[y] for y in missing)  # ... and a missing one is a break (NaN)
    assert "Share of Kazakhstan's total imports (%)" == ax.get_ylabel()
    assert any(t.get_text().startswith("Source: ") for t in fig.texts)


def test_mirror_panel_is_log_scale_with_plain_numbers():
    fig = view.partners_chart(partners.partner_shares("TKM"))
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and "mirror" in ax.get_title()
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and not any("10^" in t or "×" in t or "$" in t for t in labels)


def test_tables_have_units_and_empty_gaps():
    for table in view.partners_tables(partners.partner_shares("UZB")):
        assert all("% of the three" in c for c in table.frame.columns if c != "Year")
    mirror = view.partners_tables(partners.partner_shares("TJK"))[0].frame
    assert all("US$ million" in c for c in mirror.columns if c != "Year")
    assert (mirror == "").any().any()  # years a partner does not report stay empty


def test_sentences_give_latest_shares_of_the_total():
    said = text(view.partners_sentences(partners.partner_shares("KGZ"), "KGZ"))
    rows = [r for r in TRADE if r["reporter"] == "KGZ" and r["flow"] == "imports"]
    last = max(r["year"] for r in rows)
    year = {r["partner"]: float(r["value_full"]) for r in rows if r["year"] == last}
    for p in POWERS:
        assert f"{100 * year[p] / year['WLD']:.1f}%" in said
    assert "of its total imports" in said
    uzb = text(view.partners_sentences(partners.partner_shares("UZB"), "UZB"))
    assert "shares of the three powers together, not of all its trade" in uzb
    tjk = text(view.partners_sentences(partners.partner_shares("TJK"), "TJK"))
    assert "publishes no trade by partner" in tjk and "mirror data" in tjk
    overview = text(view.partners_sentences(partners.region_shares()))
    assert all(countries.name(c) in overview for c in C5)


def test_eu_rise_sentences_table_and_chart_state_the_data():
    rise = trade.eu_rise([*C5, "RUS"])
    eu = {(r["partner"], r["year"]): float(r["value_full"]) for r in TRADE
          if r["dataset"] == "eurostat_comext" and r["flow"] == "exports"}
    base, last = str(trade.EU_BASE_YEAR), max(y for _, y in eu)
    said = text(view.eu_sentences(rise, "KGZ"))
    assert (f"to Kyrgyzstan rose from €{eu[('KGZ', base)] / 1e9:.2f} billion in {base} to "
            f"€{eu[('KGZ', last)] / 1e9:.2f} billion in {last}") in said
    assert "cannot show" in said and "Russia" in said and "nominal" in said
    table = view.eu_table(rise).frame
    assert f"{base} (€ bn)" in table.columns and len(table) == len(rise)
    fig = view.eu_chart(trade.eu_exports([*C5, "RUS"]), rise)
    ax = fig.axes[0]
    assert len(ax.get_lines()) >= len(C5) + 1 and "€ bn" in ax.get_ylabel()
    assert ax.get_yscale() == "log"


def test_usd_never_reads_zero_billion():
    assert view.usd(0.002) == "US$2.0 million" and "0.00" not in view.usd(0.0004)


def test_region_sentences_escape_dollars_once_and_kyrgyz_series_starts_after_copied_years():
    from helpers.analysis import partners as analysis

    raw = view.partners_sentences(analysis.region_shares()).data
    assert "US\\$" in raw and "\\\\$" not in raw  # escaped once for Markdown, never twice
    kgz = view.partners_sentences(analysis.partner_shares("KGZ"), "KGZ").data
    repeated = analysis.repeated_years(analysis.partner_series("KGZ").query("basis == 'own'"))
    assert repeated and f"series starts in {max(repeated) + 1}" in kgz
    assert f"(in {max(repeated) + 1}:" in kgz
    assert "as staged" not in raw


def test_eu_sentences_of_a_fall_raise_no_transit_question():
    rise = trade.eu_rise()
    fell = rise[(rise["ratio"] < 1) & rise["country"].isin(countries.C5)]
    assert len(fell)
    said = text(view.eu_sentences(rise, fell["country"].iloc[0]))
    assert "fell from" in said and "went on to Russia" not in said
    assert "went on to Russia" in text(view.eu_sentences(rise, None))
