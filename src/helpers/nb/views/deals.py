"""The 2025 deliverables ledger of notebook 02: its table, its sentences and the deals chart.

Numbers come from :mod:`helpers.analysis.deliverables` (the ledger) and
:mod:`helpers.analysis.deals` (deal facts, nested pledges, signed totals); documents are
named by outlet, never by number; counts, values, pledges and contracts stay apart.
"""

from ... import data
from ...analysis import deals
from ...data import countries
from .. import say, style
from ..tables import words

#: how each kind reads in a sentence, one and many
KIND_WORDS = {"deal": ("deal", "deals"), "purchase": ("purchase", "purchases"),
              "set of agreements": ("set of agreements", "sets of agreements"),
              "memorandum": ("memorandum", "memoranda"), "pledge": ("pledge", "pledges"),
              "project": ("project (status not stated)", "projects (status not stated)")}


def _figure(**kwargs):
    import matplotlib.pyplot as plt  # on first use: importing the module leaves pyplot alone
    return plt.subplots(**kwargs)


def ledger_table(rows):
    """The ledger as a reader sees it: no ids, no scope column (the parties say it), no
    outlets column when "Who says so" names them, no column of differences when the documents
    differ on nothing (the sentences above the table say so).

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`helpers.analysis.deliverables.ledger`.
    """
    drop = ["fact_id", "scope", "value_usd_bn"]
    if "said_by" in rows and "outlets" in rows:
        drop.append("outlets")
    if "differs" in rows and not rows["differs"].fillna("").astype(str).str.strip().any():
        drop.append("differs")
    return rows.drop(columns=drop).rename(columns={
        "parties": "Parties", "value_as_written": "Value as stated", "quantity": "Count as stated",
        "status": "Status as stated"})


def kinds_list(counts):
    """``{"deal": 1, "pledge": 2}`` as a list of words: ``['1 deal', '2 pledges']``.

    >>> say.join(kinds_list({"deal": 1, "memorandum": 2, "pledge": 1}))
    '1 deal, 2 memoranda and 1 pledge'
    """
    return [say.plural(n, *KIND_WORDS[k]) for k, n in counts.items()]


def month_words(date):
    """A ledger date in words: ``2025-09`` -> ``September 2025``; others as they are.

    >>> month_words("2025-09"), month_words("2025"), month_words("not stated")
    ('September 2025', '2025', 'not stated')
    """
    import calendar

    year, _, month = str(date).partition("-")
    return f"{calendar.month_name[int(month)]} {year}" if month.isdigit() else str(date)


def ledger_sentences(rows, iso=None):
    """What the ledger holds for a country (or the region): kinds, the largest, disagreements.

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`helpers.analysis.deliverables.ledger` of ``iso`` (or of all five).
    iso : str, optional
        The focus country; None for the regional overview.
    """
    from ...analysis import deliverables

    own = rows[rows["scope"] == "country"]
    region = say.join(kinds_list(deliverables.kinds_count(rows[rows["scope"] == "region"])))
    if own.empty:
        text = (f"No 2025 deal, pledge or purchase in the documents names {countries.name(iso)} on "
                f"its own; {region} name all five together, without saying what falls to any "
                "one of them.")
    else:
        single = own[own["kind"] != "set of agreements"]
        parts = kinds_list(deliverables.kinds_count(single))
        parts += [f"a set of {r.quantity or 'agreements'} with {r.parties.split(' and ')[-1]}"
                  + (f" (worth {r.value_as_written} in all)" if r.value_as_written else "")
                  for r in own[own["kind"] == "set of agreements"].itertuples()]
        lead = (f"The documents name {countries.name(iso)} in" if iso else
                "Naming some of the five but not all, the documents give")
        text = f"{lead} {say.join(parts)}. Besides, {region} name all five."
        signed = single[single["kind"].isin(["deal", "purchase"]) & single["value_usd_bn"].notna()]
        if len(signed):
            top = signed.sort_values("value_usd_bn", ascending=False).iloc[0]
            text += (f" The largest single signed {top['kind']} is {top['value_as_written']} "
                     f"({top['parties']}, {month_words(top['date'])}).")
    for r in rows[rows["differs"] != ""].itertuples():
        text += f" The documents differ on one {r.kind} ({r.parties}): {r.differs}."
    return say.markdown(text)


def overlaps_sentence(facts):
    """Why stated values are not added: one agreement's horizons, totals that may include deals.

    A signed total over a past period ("in the first six months of Trump's second term") is
    given with its window as the documents date it, and the named signed deals dated after
    that window are listed: the documents say the total may include them, their dates say not.

    Parameters
    ----------
    facts : pandas.DataFrame
        :func:`helpers.analysis.deals.deal_facts`.
    """
    parts = []
    for row in facts[facts["fact_id"].str.contains("+", regex=False)
                     & facts["horizon_years"].notna()].itertuples():
        parts.append(f"{deals.parties(row.countries)}'s \"{row.value_as_written}\" are the "
                     "horizons of one agreement (the shorter lies inside the longer)")
    later = []
    for row in deals.signed_totals(facts).itertuples():
        window = f"{month_words(row.period_start)} to {month_words(row.period_end)}"
        named = facts[(facts["status"] == "signed") & (facts["power"] == row.power)
                      & facts["kind"].isin(["deal", "purchase"])
                      & (facts["date"].fillna("") > str(row.period_end))]
        written = row.date_as_written[:1].lower() + row.date_as_written[1:]
        parts.append(f"the {row.value_as_written} of deals signed \"{written}\" "
                     f"(about {window}, as the documents date it) may include named deals")
        later += [f"{r.value_as_written} with {deals.parties(r.countries)} in "
                  f"{month_words(r.date)}" for r in named.itertuples()]
    text = f"Stated values are not added up: {say.join(parts)}." if parts else ""
    if later:
        text += (f" The named deals are dated after that window ({say.join(later)}), so the "
                 "documents' dating of the total and of the deals does not agree.")
    return say.markdown(text)


def deal_label(row, iso):
    """The label of one deal on the deals chart: who, sector, kind, horizon; ◆ = the focus.

    >>> row = {"scope": "country", "countries": "KAZ;USA", "sector": "rare_earths",
    ...        "status": "financing_programme", "horizon_years": 5.0}
    >>> deal_label(row, "KAZ"), deal_label(row, "UZB")
    ('◆ Kazakhstan · rare earths · financing programme · 5 yrs', 'Kazakhstan · rare earths · financing programme · 5 yrs')
    >>> deal_label({**row, "kind": "set of agreements", "agreements": 70.0}, None)
    'Kazakhstan · rare earths · set of agreements · 70 agreements · 5 yrs'
    """
    who = "all five" if row["scope"] == "region" else " + ".join(
        countries.name(c) for c in countries.split_codes(row["countries"]) if c in countries.C5)
    mark = ("◆ " if iso and row["scope"] == "country"
            and iso in countries.split_codes(row["countries"]) else "")
    span = row["horizon_years"]
    span = "" if span != span else f" · {span:g} yrs" if span >= 1 else f" · {span * 12:g} months"
    sets = row.get("agreements", float("nan"))
    sets = "" if sets != sets else f" · {sets:g} agreements"
    kind = row.get("kind") or words(row["status"])
    return f"{mark}{who} · {words(row['sector'])} · {kind}{sets}{span}"


def deals_chart(facts, iso=None):
    """Bar chart of the deals that state a value, coloured by outside power, nothing added.

    ``facts`` is :func:`helpers.analysis.deals.deal_facts` (the regional overview: every deal
    naming the five) or :func:`helpers.analysis.deals.deals_for` (a country's report: its own
    and the region-wide deals, its own marked ◆). Outlined bars are pledges or "up to" ceilings.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.patches import Patch

    region = facts[(facts["scope"] != "outside") & facts["value_usd_bn"].notna()]
    region = region.sort_values("value_usd_bn", ascending=True)
    import textwrap

    fig, ax = _figure(figsize=(8, 0.5 * len(region) + 2.2))
    labels = [textwrap.fill(deal_label(r, iso), 38) for _, r in region.iterrows()]
    for y, (label, row) in enumerate(zip(labels, region.itertuples())):
        look = style.bar(row.power) if row.power else {"facecolor": style.OTHER}
        if row.status == "pledged" or row.qualifier == "up_to":  # outline: not a firm value
            look = {"facecolor": "white", "edgecolor": look["facecolor"], "linewidth": 1.5,
                    "hatch": look.get("hatch", "")}
        bar = ax.barh(label, row.value_usd_bn, **look)[0]
        ax.annotate(textwrap.fill(str(row.value_as_written).replace("; ", ";\n"), 30),
                    (bar.get_width(), y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_xlim(0, region["value_usd_bn"].max() * 1.6)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    powers = [p for p in ("USA", "CHN") if (region["power"] == p).any()]
    handles = [Patch(**style.bar(p), label=f"with {'the ' if p == 'USA' else ''}"
                     f"{countries.name(p)}") for p in powers]
    if (region["power"] == "").any():
        handles.append(Patch(color=style.OTHER, label="domestic (no outside power)"))
    handles.append(Patch(facecolor="white", edgecolor="#555555", linewidth=1.5,
                         label="pledge or 'up to' (outline)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.14), ncol=2)
    years = sorted({str(d)[:4] for d in region["date"].dropna()})
    when = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    whose = f"naming {countries.name(iso)} or all five" if iso else "with Central Asia"
    return style.finish(ax, title=f"Deals and pledges {whose} stated in the documents ({when})",
                        source=data.source_line("deals", "claims"),
                        xlabel="Stated value (US$ bn, as written; never added)", ylabel=None)
