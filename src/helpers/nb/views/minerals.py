"""The charts and finding sentences of notebook 01 (rare earths and critical minerals).

Numbers come from :mod:`helpers.analysis.minerals` (USGS tables, the deposit's rank) and
:mod:`helpers.analysis.mineral_claims` (what the seed documents claim). Each chart function
draws one chart on ``ax`` (a new figure when None) and returns the figure from
:func:`helpers.nb.style.finish`; each sentence function returns :func:`helpers.nb.say.markdown`.
"""

import pandas as pd

from ... import data
from ...analysis import mineral_claims, minerals, sources
from ...data import countries
from .. import say, style

#: the countries named on the map besides the five: the two big neighbours and two others
MAP_NEIGHBOURS = ("RUS", "CHN", "AFG", "IRN")


def _axes(ax, figsize):
    """``ax``, or the axes of a new pyplot figure of ``figsize`` (pyplot imported only then)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def _mt(tonnes, digits=1):
    """Tonnes in words, in millions unless they round to 0: ``'3.5 million tonnes'``, ``'4,500 tonnes'``."""
    if abs(tonnes) < 0.5 * 10 ** (6 - digits):
        return f"{tonnes:,.0f} tonnes"
    return f"{tonnes / 1e6:,.{digits}f} million tonnes"


def _other(edition):
    """The other USGS edition."""
    return next(e for e in minerals.EDITIONS if e != edition)


# --- the setting -----------------------------------------------------------------------------

def setting(edition, confirmed_share):
    """The parameters in one sentence: the edition ranked against and the share counted.

    Parameters
    ----------
    edition : int
        USGS MCS edition (validated).
    confirmed_share : float
        Share of the Karaganda estimate counted (validated, 0–1).

    Returns
    -------
    IPython.display.Markdown
    """
    return say.markdown(
        f"Ranking against **MCS {edition}** (reserves {minerals.latest_year(edition, 'reserves')}), "
        f"counting **{confirmed_share:.0%}** of the Karaganda estimate.")


def region_map(polygons, ax=None):
    """Map of the five Central Asian states (in their colours) and their neighbours.

    Parameters
    ----------
    polygons : pandas.DataFrame
        The ``region_polygons`` table (see :func:`helpers.nb.style.draw_region`).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    ax = _axes(ax, (8, 5.2))
    names = {c: countries.name(c) for c in (*countries.C5, *MAP_NEIGHBOURS)}
    style.draw_region(ax, polygons, highlight=countries.C5, labels=names)
    return style.finish(ax, title="The five Central Asian states and their neighbours",
                        source=data.citation("region_polygons") + " · de facto borders",
                        xlabel="Longitude (degrees east)", ylabel="Latitude (degrees north)")


# --- reserves and production -----------------------------------------------------------------

def world_totals(edition):
    """World reserves and mine production of an edition, and what a missing value means.

    Parameters
    ----------
    edition : int

    Returns
    -------
    IPython.display.Markdown
    """
    reserves = minerals.world_total("reserves", edition)
    production = minerals.world_total("mine_production", edition)
    year = minerals.latest_year(edition, "mine_production")
    return say.markdown(
        f"World reserves in MCS {edition}: {'more than ' if reserves.lower_bound else ''}"
        f"{_mt(reserves.value_t, 0)} REO; world mine production {year}: "
        f"{production.value_t:,.0f} tonnes REO. Countries without reserves are those USGS prints "
        "as NA or leaves empty.")


def revisions_chart(revisions, ax=None):
    """Each country's reserves in both editions, joined by a line (a dumbbell chart).

    Parameters
    ----------
    revisions : pandas.DataFrame
        :func:`helpers.analysis.minerals.edition_revisions` of reserves; countries without a
        value in either edition are left out. Changes of 1 million t or more are labelled.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    rev = revisions.dropna(subset=["t_2024", "t_2025"])
    rev = rev.assign(top=rev[["t_2024", "t_2025"]].max(axis=1)).sort_values("top", kind="mergesort")
    ax = _axes(ax, (8, 5))
    for y, (code, row) in enumerate(rev.iterrows()):
        colour, old, new = style.color(code), row["t_2024"] / 1e6, row["t_2025"] / 1e6
        ax.plot([old, new], [y, y], color=colour, linewidth=1.5, zorder=1)
        ax.scatter(old, y, s=45, facecolor="white", edgecolor=colour, linewidth=1.5, zorder=2,
                   label="MCS 2024 (reserves 2023)" if y == 0 else None)
        ax.scatter(new, y, s=45, color=colour, zorder=3,
                   label="MCS 2025 (reserves 2024)" if y == 0 else None)
        if abs(row["change_t"]) >= 1e6:
            ax.annotate(f"{old:.0f} → {new:.1f} Mt", (old, y), xytext=(8, 0),
                        textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(range(len(rev)), rev["name"])
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", title="one dot: same in both editions", title_fontsize=8)
    return style.finish(ax, title="Rare-earth reserves by country, USGS MCS 2024 and 2025",
                        source=data.citation("rare_earths"), xlabel="Reserves (million t REO)")


def revisions_finding():
    """The two largest revisions of reserves between the editions, and the world totals.

    Returns
    -------
    IPython.display.Markdown
    """
    first, second = minerals.edition_revisions("reserves").dropna(subset=["change_t"]).head(2).itertuples()
    r24, r25 = (minerals.reserves_table(e)["reserves_rank"] for e in minerals.EDITIONS)
    verbs = ["cut" if row.change_t < 0 else "raised" for row in (first, second)]
    old, new = (minerals.world_total("reserves", e) for e in minerals.EDITIONS)
    return say.markdown(
        f"**Finding.** MCS 2025 {verbs[0]} {first.name}'s reserves from {first.t_2024 / 1e6:.0f} to "
        f"{_mt(first.t_2025)} ({first.change_pct:.0f}%) and "
        f"{'' if verbs[1] == verbs[0] else verbs[1] + ' '}{second.name}'s from "
        f"{second.t_2024 / 1e6:.0f} to {_mt(second.t_2025)} ({second.change_pct:.0f}%). "
        f"{first.name} {'fell' if r25[first.Index] > r24[first.Index] else 'rose'} from rank "
        f"{r24[first.Index]} to {r25[first.Index]}, {second.name} from {r24[second.Index]} to "
        f"{r25[second.Index]}. The world total went from {_mt(old.value_t, 0)} to "
        f"'{'more than ' if new.lower_bound else ''}{_mt(new.value_t, 0)}'. "
        "Which edition a claim was checked against therefore matters.")


# --- China -----------------------------------------------------------------------------------

def china_chart(shares, ax=None):
    """China's share of the world at each stage, one bar each; the seeds' bar dotted.

    Parameters
    ----------
    shares : pandas.DataFrame
        :func:`helpers.analysis.mineral_claims.china_shares`; an upper bound is hatched.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    ax = _axes(ax, (8, 3.6))
    ys = list(range(len(shares)))[::-1]
    for y, row in zip(ys, shares.itertuples()):
        hatch = "//" if row.upper_bound else ".." if row.from_seeds else ""
        ax.barh(y, row.china_share_pct, color=style.color("CHN"), alpha=0.55 if hatch else 1.0,
                hatch=hatch, edgecolor="white")
        ax.annotate(f"{row.china_share_pct:.0f}%", (row.china_share_pct, y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(ys, [f"{r.stage}\n({'news reports' if r.from_seeds else 'USGS'})" for r in shares.itertuples()])
    ax.set_xlim(0, 100)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    note = (" Hatched reserves bar: at most, as the world total is published as a lower bound."
            if shares["upper_bound"].any() else "")
    return style.finish(ax, title="China's share of world rare earths, by stage",
                        source=data.source_line("rare_earths", "claims") + "." + note,
                        xlabel="Share of world total (%)")


def china_finding(edition):
    """China's shares at each stage, and the restrictions the seeds date.

    Parameters
    ----------
    edition : int

    Returns
    -------
    IPython.display.Markdown
    """
    shares = mineral_claims.china_shares(edition)
    reserves, production, processing = shares["china_share_pct"]
    upper = shares["upper_bound"].iloc[0]
    year = minerals.latest_year(edition, "mine_production")
    salient = mineral_claims.salient_share(edition, year)
    has, april, october = (step[0] for step in mineral_claims.RESTRICTION_STEPS[:3])
    delay = mineral_claims.RESTRICTION_STEPS[3][1]
    n_has, _ = sources.stated_value(has)
    n_all, _ = sources.stated_value(mineral_claims.ELEMENTS_FACT)
    n_apr, apr_rows = sources.stated_value(april)
    n_oct, oct_rows = sources.stated_value(october)
    _, processing_rows = sources.stated_value("china_rare_earth_processing_share")
    events = data.load("events")
    delayed = events[events["fact_id"] == delay]
    apr_when, oct_when = (pd.Period(events.loc[events["fact_id"] == f, "date"].mode().iloc[0], "M")
                          for f in (april, october))
    return say.markdown(
        f"**Finding.** China holds {reserves:.0f}% of world reserves in MCS {edition}"
        f"{' (at most: the world total is a lower bound)' if upper else ''} and mined "
        f"{production:.0f}% of the world's rare earths in {year}"
        + (f" (USGS's critical-minerals table gives {salient:.0f}%)" if salient is not None else "")
        + f"; news reports put its processing share at {processing:.0f}% "
        f"({mineral_claims.outlet_refs(processing_rows)}). China has {n_has:.0f} of the {n_all:.0f} "
        f"rare-earth metals, the same reports say; it restricted {n_apr:.0f} of them in {apr_when:%B %Y} ({mineral_claims.outlet_refs(apr_rows)}) and "
        f"{n_oct:.0f} more in {oct_when:%B} ({mineral_claims.outlet_refs(oct_rows)}), then agreed to delay the "
        f"{oct_when:%B} restrictions in talks in {delayed['location'].iloc[0]} ({mineral_claims.outlet_refs(delayed)}). "
        f"The documents do not say whether the {oct_when:%B} {n_oct:.0f} are among the {n_has:.0f}.")


# --- Kazakhstan's deposit --------------------------------------------------------------------

def discovery_sentence(statements):
    """When Kazakhstan announced the finds, and whether the documents agree on it.

    Parameters
    ----------
    statements : pandas.DataFrame
        :func:`helpers.analysis.mineral_claims.deposit_statements`.

    Returns
    -------
    IPython.display.Markdown
    """
    found = statements[statements["kind"] == "discovery"]
    month = pd.Period(found["date"].mode().iloc[0], "M")
    agree = ("every document that dates it agrees" if found["date"].nunique() == 1
             else "the most common of the dates the documents give")
    return say.markdown(f"Kazakhstan announced the finds in **{month:%B %Y}** "
                        f"({mineral_claims.outlet_refs(found)}; {agree}).")


def claims_finding(tonnes, as_written, edition, confirmed_share, country="KAZ"):
    """The seeds' two comparisons checked under both editions, then the parameters' rank.

    Parameters
    ----------
    tonnes : float
        The claimed size (tonnes), as stated.
    as_written : str
        The seeds' words for it ("more than 20 million tons").
    edition : int
        The edition of the parameters.
    confirmed_share : float
        The share of the claim counted with the parameters.
    country : str, default 'KAZ'

    Returns
    -------
    IPython.display.Markdown
    """
    check = mineral_claims.claim_check(tonnes, country)
    statements = mineral_claims.deposit_statements()
    holds = [str(e) for e in check.index if check.loc[e, "third_after_china_brazil"]]
    full = {e: minerals.rank_with_deposit(e, tonnes, country=country) for e in minerals.EDITIONS}
    larger = {e: set(r.ranking.index[r.ranking["reserves_rank"] < r.rank]) for e, r in full.items()}
    movers = sorted(set.union(*larger.values()) - set.intersection(*larger.values()))
    listed = {e: minerals.reserves_table(e) for e in minerals.EDITIONS}
    moved = [f"{countries.name(c)}: " + "; ".join(
        f"{_mt(listed[e].loc[c, 'reserves_t'])}, rank {listed[e].loc[c, 'reserves_rank']} in MCS {e}"
        for e in minerals.EDITIONS) for c in movers]
    china = {e: listed[e].loc["CHN", "reserves_t"] for e in minerals.EDITIONS}
    mine = minerals.rank_with_deposit(edition, tonnes, confirmed_share, country)
    other = minerals.rank_with_deposit(_other(edition), tonnes, confirmed_share, country)
    name = countries.name
    return say.markdown(
        f"**Finding (the claims as stated).** 'Third largest after China and Brazil' "
        f"({mineral_claims.outlet_refs(statements[statements['kind'] == 'rank'])}) "
        + (f"holds only under MCS {say.join(holds)}" if holds else "holds under neither edition")
        + f": the full estimate of {_mt(tonnes, 0)} ranks "
        + ", ".join(f"{r.rank} in MCS {e}" for e, r in full.items())
        + (f" ({'; '.join(moved)})" if moved else "")
        + f". 'Close to half of China's' ({mineral_claims.outlet_refs(statements[statements['kind'] == 'ratio'])}) "
        "gives " + ", ".join(f"{check.loc[e, 'ratio_to_china']:.0%} of China's {_mt(china[e], 0)} in MCS {e}"
                             for e in minerals.EDITIONS)
        + f"; all of these are lower bounds, as the documents write '{as_written}'.",
        f"**As this report counts it** ({confirmed_share:.0%} confirmed, {_mt(mine.tonnes)}): rank "
        f"**{mine.rank}** in MCS {edition}"
        + (f", behind {name(mine.above[0])} ({_mt(mine.above[1])})" if mine.above else "")
        + (f", {'tied with' if mine.below[1] == mine.tonnes else 'ahead of'} {name(mine.below[0])} "
           f"({_mt(mine.below[1])})" if mine.below else "")
        + f"; rank {other.rank} in MCS {_other(edition)}.")


def deposit_chart(result, edition, confirmed_share, as_written, top=10, ax=None):
    """The edition's reserves ranking with the claimed deposit counted (hatched), top ``top``.

    Parameters
    ----------
    result : helpers.analysis.minerals.DepositRank
        :func:`helpers.analysis.minerals.rank_with_deposit` with the parameters.
    edition : int
    confirmed_share : float
    as_written : str
        The seeds' words for the claim, quoted in the source line.
    top : int, default 10
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    ranking = result.ranking.head(top).iloc[::-1]
    half = result.ranking.loc["CHN", "reserves_t"] / 2e6
    ax = _axes(ax, (8, 4.8))
    for y, (code, row) in enumerate(ranking.iterrows()):
        ax.barh(y, row["reserves_t"] / 1e6, color=style.color(code), hatch="//" if row["candidate"] else "",
                edgecolor="black" if row["candidate"] else "white")
        ax.annotate(f"{row['reserves_t'] / 1e6:.1f}", (row["reserves_t"] / 1e6, y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=9)
    labels = [f"{r.reserves_rank}. {r.name}{' (if reserves*)' if r.candidate else ''}"
              for r in ranking.itertuples()]
    ax.set_yticks(range(len(ranking)), labels)
    ax.axvline(half, color=style.color("CHN"), linestyle="--", linewidth=1)
    ax.annotate("half of China's reserves", (half, 0), xytext=(4, -2), textcoords="offset points",
                fontsize=8, color=style.color("CHN"))
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    name = countries.name(result.country)
    return style.finish(
        ax, title=f"If {name}'s claimed deposit were reserves ({confirmed_share:.0%} counted): "
                  f"the MCS {edition} ranking",
        source=data.source_line("rare_earths", "claims")
        + f". *A sensitivity check, not a rank: the Kazakh ministry's preliminary estimate as "
        f"reported, '{as_written} of rare earth metals', placed here at face value as if it were "
        "tonnes of oxide (REO) in reserves; the words may mean ore or a resource.",
        xlabel=f"Reserves (million t REO; {name}: million t as stated)")


def rank_curve_chart(curves, result, edition, confirmed_share, tonnes, ax=None):
    """Rank of the deposit against the share of the estimate confirmed, one step line per edition.

    Parameters
    ----------
    curves : pandas.DataFrame
        :func:`helpers.analysis.minerals.rank_curves`.
    result : helpers.analysis.minerals.DepositRank
        The parameters' rank, marked on the chart.
    edition : int
    confirmed_share : float
    tonnes : float
        The claimed size (tonnes), for the title.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    ax = _axes(ax, (8, 4.4))
    looks = {2024: (style.OTHER, "--"), 2025: (style.color(result.country), "-")}
    for ed, curve in curves.groupby("edition", sort=True):
        colour, line = looks.get(ed, (style.OTHER, ":"))
        ax.step(curve["confirmed_share"] * 100, curve["rank"], where="post", color=colour, linestyle=line,
                linewidth=2, label=f"against MCS {ed}")
    ax.scatter([confirmed_share * 100], [result.rank], s=60, color="black", zorder=3,
               label=f"{confirmed_share:.0%} counted, MCS {edition}: rank {result.rank}")
    ax.invert_yaxis()
    ax.set_yticks(range(1, int(ax.get_ylim()[0]) + 1))
    ax.legend(loc="lower right")
    return style.finish(
        ax, title=f"Rank of {countries.name(result.country)}'s reserves by share of the "
                  f"{tonnes / 1e6:.0f} Mt estimate confirmed",
        source=data.source_line("rare_earths", "claims"), xlabel="Share of the estimate confirmed (%)",
        ylabel="Rank in world reserves (1 = largest)")


def confirmation_finding(tonnes, country="KAZ"):
    """How much of the estimate must be confirmed to stay third, and what confirmation is not.

    Parameters
    ----------
    tonnes : float
        The claimed size (tonnes), as stated.
    country : str, default 'KAZ'

    Returns
    -------
    IPython.display.Markdown
    """
    needed = {e: minerals.share_needed(e, tonnes, 3, country) for e in minerals.EDITIONS}
    third = minerals.reserves_table(2025).iloc[2]
    statements = data.load("statements")
    obstacles = statements[statements["fact_id"] == mineral_claims.OBSTACLES_FACT]
    return say.markdown(
        f"**Finding.** Under MCS 2025 the deposit stays third as long as at least {needed[2025]:.1%} of "
        f"it is confirmed ({_mt(needed[2025] * tonnes)}, {third['name']}'s reserves); under MCS 2024 "
        + (f"it needs {needed[2024]:.1%}." if needed[2024] is not None
           else "it never reaches third, even in full.")
        + " Confirmation is not extraction: the Atlantic Council warns of high transport costs and poor "
        f"infrastructure ({mineral_claims.outlet_refs(obstacles)}).")


# --- the US portfolio and uranium ------------------------------------------------------------

def portfolio_finding(portfolio):
    """How many US minerals deals the seeds name, with whom, and the largest stated value.

    Parameters
    ----------
    portfolio : pandas.DataFrame
        :func:`helpers.analysis.mineral_claims.us_minerals_portfolio`.

    Returns
    -------
    IPython.display.Markdown
    """
    with_us = portfolio[portfolio["with_us"]]
    partners = sorted({countries.name(c) for p in with_us["partner"] for c in p.split(";")})
    stated = with_us.dropna(subset=["value_usd_bn"])
    largest = stated.loc[stated["value_usd_bn"].idxmax()]
    return say.markdown(
        f"**Finding.** The documents name {say.plural(len(with_us), 'US minerals deal')} with "
        f"{say.plural(len(partners), 'partner')} ({say.join(partners)}); {len(stated)} state a value "
        f"(largest: {countries.name(largest['partner'])}, {say.money(largest['value_usd_bn'])}). The values "
        "are of different kinds (a pipeline of projects, an investment per country, one project) and "
        "are not added up here.")


def uranium_finding():
    """Whether USGS's critical-minerals table covers uranium, and the seeds' two figures.

    Returns
    -------
    IPython.display.Markdown
    """
    supply, supply_rows = sources.stated_value(mineral_claims.URANIUM_FACTS[0])
    imports, import_rows = sources.stated_value(mineral_claims.URANIUM_FACTS[1])
    rows = pd.concat([supply_rows, import_rows])
    n_docs, n_all = rows["source"].nunique(), len(data.load("documents"))
    covered = "yes" if mineral_claims.salient_covers("uranium") else "no"
    return say.markdown(
        f"USGS's critical-minerals table covers uranium: **{covered}**.",
        f"**Finding (news reports only, unverified).** Kazakhstan has over {supply:.0f}% of global uranium supply "
        f"and supplies {imports:.0f}% of US uranium imports ({mineral_claims.outlet_refs(rows)}): {n_docs} of the "
        f"{n_all} news documents {'states' if n_docs == 1 else 'state'} them, with no public table to check "
        "against.")
