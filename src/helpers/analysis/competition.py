"""The United States, China and Russia in one Central Asian country: what the sources say.

The numbers of notebook 03 come from three modules: :mod:`helpers.analysis.powers` (annual
trade with each power, compared like for like), :mod:`helpers.analysis.engagement` (events
and positions, each real-world event once) and this one: the deals and pledges ledger (kept
apart from trade: a one-off headline value is not a year's flow), the figures the seeds state
for the region, what the curated tables say about one country apart from the other four, and
which kinds of evidence the data hold for it.
"""

import re

import pandas as pd

from .. import data
from ..data import countries
from ..data.loader import memo
from . import sources
from .deals import deal_facts, deals_for, reported_totals
from .engagement import writers_voice
from .sources import outlets
from .powers import gdp
from .trade import partner_series, year_spans

POWERS = countries.POWERS
#: columns of :func:`deals_ledger`
LEDGER_COLUMNS = ["date", "scope", "power", "what", "status", "value_as_written", "value_usd_bn",
                  "period", "outlets", "fact_id"]


def _deal(row):
    """A deal in words: ``rail deal with Wabtec``, ``set of 70 trade and investment agreements``."""
    org = f" with {row['counterpart_org']}" if isinstance(row["counterpart_org"], str) else ""
    sector = str(row["sector"]).replace("trade_investment", "trade and investment")
    agreements = row.get("agreements", float("nan"))
    if agreements == agreements and agreements is not None:
        return f"set of {int(agreements)} {sector} agreements{org}".replace("_", " ")
    kind = row.get("kind", "deal")
    if kind == "project":  # only "cooperating in a ... project": no deal, no status stated
        return f"{sector} project{org} (status not stated)".replace("_", " ")
    return f"{sector} {kind if kind in ('pledge', 'purchase', 'memorandum') else 'deal'}{org}".replace("_", " ")


class _DealOutlets(dict):
    """``fact_id`` -> outlets; a merged agreement's id (``a+b``) gets the outlets of its parts."""

    def __missing__(self, key):
        parts = str(key).split("+")
        if len(parts) < 2 or not all(p in self.files for p in parts):
            raise KeyError(key)
        return outlets([f for p in parts for f in self.files[p]])


def _deal_outlets(deals):
    """``fact_id`` -> the outlets of the documents that state the deal (also for the ``a+b``
    id of one agreement the deals table records as several rows)."""
    table = data.load("deals") if deals is None else deals
    named = _DealOutlets(table.groupby("fact_id")["source"].agg(outlets).to_dict())
    named.files = table.groupby("fact_id")["source"].agg(list).to_dict()
    return named


def deals_ledger(country=None, *, deals=None, claims=None):
    """The deals and pledges the seeds state, one row per deal however many documents state it.

    A ledger, never a total: values overlap (Uzbekistan's "up to $35bn over three years" lies
    inside its "up to $100bn over ten") and are one-off headline figures, not a year's trade.

    ``country`` (ISO3 code, name or alias) keeps the deals that name it and the region-wide
    ones (:func:`helpers.analysis.deals.deals_for`); default: every deal naming one or more of
    the five.

    Returns
    -------
    pandas.DataFrame
        :data:`LEDGER_COLUMNS`: ``what`` the deal in words, ``status`` the firmest stated,
        ``period`` the periods stated (empty if none; a pledge is never spread over its
        horizon: it is not a year's trade), ``outlets`` the documents stating it. Largest
        value first.

    >>> ledger = deals_ledger("KAZ").set_index("fact_id")
    >>> ledger.loc["kaz_wabtec_locomotive_deal", "what"]
    'rail deal with Wabtec'
    >>> int(ledger["what"].str.contains("project with Cove Capital").sum()), int((ledger["power"] == "").sum())
    (1, 0)
    """
    facts = (deal_facts(deals, claims) if country is None else deals_for(country, deals))
    # with an outside power only: a country's own programme (the Kazakh development bank's) is
    # no deliverable of the competition between powers
    facts = facts[facts["scope"].isin(["country", "region"]) & (facts["power"].fillna("") != "")].copy()
    facts["what"] = facts.apply(_deal, axis=1)
    facts["outlets"] = facts["fact_id"].map(_deal_outlets(deals))
    facts["status"] = facts["status"].str.replace("_", " ")
    facts["period"] = facts["period"].fillna("")
    return facts[LEDGER_COLUMNS].reset_index(drop=True)


def stated_region_trade(claims=None):
    """The region's annual two-way trade with each power as the seeds state it.

    Only figures of the same kind (one year's two-way trade between a power and all five);
    a power the seeds give no such figure for has no row. ``qualifiers`` joins every
    document's reading, so a figure one document calls an outturn and another a forecast
    shows both.

    Returns
    -------
    pandas.DataFrame
        ``power, subject, year, value_usd_bn, qualifiers, sources, disputed, value_as_written,
        asserted_by``: ``value_as_written`` is the value as the first document writes it (no
        added precision), ``asserted_by`` who the documents say gave the figure.

    >>> stated_region_trade()[["power", "value_usd_bn", "value_as_written"]].values.tolist()
    [['CHN', 66.2, '$66.2 billion'], ['RUS', 45.0, '$45 billion']]
    """
    totals = reported_totals(claims)
    table = data.load("claims") if claims is None else claims
    kinds = table.groupby("fact_id")["metric"].first()
    five = set(countries.C5)
    keep = totals[totals["fact_id"].map(kinds).eq("trade_total")
                  & totals["country"].isin(POWERS)
                  & totals["partner"].map(lambda p: set(countries.split_codes(p)) == five)]
    out = keep.rename(columns={"country": "power"})
    out = out.assign(year=out["year"].astype("int64"))
    first = table.sort_values(["source", "source_line"]).groupby("fact_id").first()
    out["value_as_written"] = out["fact_id"].map(first["value_as_written"])
    out["asserted_by"] = out["fact_id"].map(first["asserted_by"]).fillna("")
    cols = ["power", "subject", "year", "value_usd_bn", "qualifiers", "sources", "disputed",
            "value_as_written", "asserted_by"]
    order = {p: i for i, p in enumerate(POWERS)}
    return out[cols].sort_values("power", key=lambda s: s.map(order), ignore_index=True)


def _names(text, country):
    """True when ``text`` names ``country`` by its name or one of its aliases (whole words)."""
    row = next(r for r in countries.table() if r["iso3"] == country)
    words = {w for w in (row["name"], row["short_name"], *row["aliases"]) if w}
    return any(re.search(rf"\b{re.escape(w)}\b", str(text), re.IGNORECASE) for w in words)


def passing_mentions(country):
    """Sentences of the seed documents that name ``country`` without naming all five.

    For a country the curated tables hold no fact about alone (:func:`country_facts`), these
    are what the documents do say of it in passing. One row per original text: a copy (a
    machine translation and a reworded copy of one article) adds its outlet to the row of the
    first, not a row of its own.

    Returns
    -------
    pandas.DataFrame
        ``source, source_line, text, outlets`` in seed order; ``text`` is the sentence that
        names the country.

    >>> passing_mentions("TJK")["source_line"].tolist()
    [27, 39]
    """
    country = countries.focus(country)
    others = [c for c in countries.C5 if c != country]
    origin = sources.origins()
    found = {}
    for source in sources.documents():
        for number, line in enumerate(sources.lines(source), 1):
            if not _names(line, country) or all(_names(line, c) for c in others):
                continue
            said = [t for t in re.split(r"(?<=[.!?])\s+", line) if _names(t, country)]
            key = origin.get(source, source)
            if key in found:
                found[key]["files"].append(source)
            else:
                found[key] = {"source": source, "source_line": number, "text": said[0],
                              "files": [source]}
            break
    rows = [{**{k: v for k, v in r.items() if k != "files"}, "outlets": outlets(r["files"])}
            for r in found.values()]
    return pd.DataFrame(rows, columns=["source", "source_line", "text", "outlets"])


@memo  # same data, same result: a reused kernel computes it once (data.loader.memo)
def country_facts(country, *, events=None, deals=None, claims=None, statements=None):
    """What the curated tables say about the focus country apart from the other four.

    Events, deals and figures whose countries name it but not all five, and positions of its
    own officials or whose text (position or quote) names it (not the writers' own sentences,
    :func:`helpers.analysis.engagement.writers_voice`), one row per fact however many
    documents state it. Figures of ``metric`` ``other`` are left out (incidental numbers such
    as a "Read also" box, ``data/curated/NOTES.md``).

    Returns
    -------
    pandas.DataFrame
        ``kind`` (event, deal, figure, position), ``date``, ``what``, ``as_written`` (the
        value as a document writes it), ``sources`` (documents), ``outlets`` (named), by kind.

    >>> sorted(country_facts("UZB")["kind"].unique())
    ['deal', 'event', 'figure', 'position']
    """
    country = countries.focus(country)

    def alone(codes):
        codes = set(countries.split_codes(codes if isinstance(codes, str) else ""))
        return country in codes and not set(countries.C5) <= codes

    def first(group):
        return group.sort_values(["source", "source_line"]).iloc[0]

    def docs(group):
        return group["source"].nunique(), outlets(group["source"])

    rows = []
    table = data.load("events") if events is None else events
    for _, g in table[table["countries"].map(alone)].groupby("fact_id"):
        rows.append(("event", first(g)["date"], first(g)["title"], None, *docs(g)))
    named = _deal_outlets(deals)
    for r in deal_facts(deals, claims).itertuples():
        if alone(r.countries):
            rows.append(("deal", r.date, _deal(r._asdict()), r.value_as_written, r.sources,
                         named[r.fact_id]))
    table = data.load("claims") if claims is None else claims
    for _, g in table[table["country"].map(alone) & (table["metric"] != "other")].groupby("fact_id"):
        rows.append(("figure", first(g)["year"], first(g)["subject"], first(g)["value_as_written"],
                     *docs(g)))
    table = data.load("statements") if statements is None else statements
    table = table[~writers_voice(table)]  # a writer's sentence is no actor's position
    for _, g in table.groupby("fact_id"):
        if (g["country"] == country).any() or _names(" ".join(g["position"] + " " + g["quote"]),
                                                     country):
            rows.append(("position", None, f"{first(g)['person']}: {first(g)['position']}", None,
                         *docs(g)))
    out = pd.DataFrame(rows, columns=["kind", "date", "what", "as_written", "sources", "outlets"])
    out["date"] = out["date"].map(lambda d: None if pd.isna(d) else str(d).removesuffix(".0"))
    order = {"event": 0, "deal": 1, "figure": 2, "position": 3}
    return out.astype({"sources": "int64"}).sort_values(
        ["kind", "what"], key=lambda s: s.map(order) if s.name == "kind" else s, ignore_index=True)


@memo  # same data, same result: a reused kernel computes it once (data.loader.memo)
def evidence(country, *, trade=None, wdi=None, deals=None, events=None, statements=None):
    """Which kinds of evidence the data hold for the focus country, and for which years.

    Returns
    -------
    pandas.DataFrame
        ``evidence, available, detail``: its own trade figures by partner; China's, the US's and
        Russia's reports of imports from it; the EU's exports to it (EUR); deals, events and
        positions that name it apart from the other four (:func:`country_facts`); its GDP.
        ``detail`` gives the years held or the count.

    >>> e = evidence("TJK").set_index("evidence")
    >>> bool(e.loc["Own trade figures by partner", "available"])
    False
    """
    country = countries.focus(country)
    series = partner_series(country, partners=[*POWERS, "EU27"], trade=trade)
    masks = [("Own trade figures by partner", series["basis"] == "own")]
    masks += [(f"Exports as {'the ' * (p == 'USA')}{countries.name(p)} reports them (mirror)",
               (series["basis"] == "mirror") & (series["counterpart"] == p))
              for p in ("CHN", "USA", "RUS")]
    masks += [("Imports from the EU as the EU reports them (EUR)",
               series["counterpart"] == "EU27")]
    spans = [(what, sorted(series.loc[mask, "year"].unique())) for what, mask in masks]
    spans.append(("GDP (World Bank)", sorted(gdp(country, wdi=wdi).dropna().index)))
    rows = [(what, bool(ys), year_spans(ys) if ys else "none") for what, ys in spans]
    facts = country_facts(country, events=events, deals=deals, statements=statements)
    for kind, what in (("deal", "Deals that name it (not region-wide)"),
                       ("event", "Events that name it (not region-wide)"),
                       ("position", "Positions of its officials or naming it")):
        n = int((facts["kind"] == kind).sum())
        rows.insert(-1, (what, n > 0, str(n)))
    return pd.DataFrame(rows, columns=["evidence", "available", "detail"])
