"""The 2025 deliverables ledger: every deal, pledge, memorandum and purchase, as the seeds state it.

One row per agreement of :func:`helpers.analysis.deals.deal_facts` that names one or more of
the five and an outside power (deals between outside parties only, such as Australia and the
United States, and domestic programmes such as the Development Bank of Kazakhstan's, are left
out). A row whose document states no status, only that the parties cooperate in a project, is
a **project** with status "not stated" (Cove Capital's). Each row keeps apart what must not be mixed: the **kind** (deal, purchase, set of
agreements, memorandum, pledge: :func:`helpers.analysis.deals.kind_of`), the headline
**value** as written with its currency, the **count** as written (aircraft, locomotive kits,
agreements), the **status** each document gives, and every **document** by outlet name. Where
the documents differ, counts are compared with counts and values with values. Nothing here is
ever summed.
"""

import pandas as pd

from .. import data
from ..data import countries
from . import attribution, sources
from .deals import KINDS, _disagreement, agreements, deal_facts, deals_for

#: columns of :func:`ledger`
LEDGER_COLUMNS = ["date", "parties", "kind", "value_as_written", "currency", "quantity",
                  "status", "outlets", "said_by", "differs", "scope", "value_usd_bn", "fact_id"]
#: currencies in words
CURRENCY_WORDS = {"USD": "US dollars", "EUR": "euros"}


def outlet_label(source, names=None):
    """A document's outlet name for use inside brackets (no nested brackets).

    >>> outlet_label("003_9e4cd2514e6c289e.txt")
    'Al Jazeera, machine translation'
    """
    name = (names or sources.document_names())[source]
    return name.replace(" (", ", ").removesuffix(")") if " (" in name else name


def party_words(codes, org=None):
    """A deal's parties in words: the Central Asian side, the outside powers, the company.

    >>> party_words("KAZ;KGZ;TJK;TKM;USA;UZB"), party_words("USA;UZB", "Boeing")
    ('the five Central Asian countries and the United States', 'Uzbekistan, the United States and Boeing')
    >>> party_words("KAZ", "Development Bank of Kazakhstan")
    'Kazakhstan (Development Bank of Kazakhstan)'
    """
    codes = countries.split_codes(codes)
    c5 = [c for c in codes if c in countries.C5]
    words = (["the five Central Asian countries"] if set(c5) == set(countries.C5)
             else [countries.name(c) for c in c5])
    words += [("the " if c == "USA" else "") + countries.name(c) for c in codes
              if c not in countries.C5]
    org = org if isinstance(org, str) and org else None
    if org and len(words) == 1:
        return f"{words[0]} ({org})"
    words += [org] if org else []
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _statuses(group, names):
    """The status each document gives: one word when all agree, else each with its outlets.

    >>> names = sources.document_names()
    >>> _statuses(data.load("deals").query("fact_id == 'boeing_aircraft_purchase_central_asia'"), names)
    'signed'
    >>> _statuses(data.load("deals").query("fact_id.str.startswith('aus_us_')"), names)
    'agreed in Al Jazeera (machine translation); framework in Al Jazeera (reworded copy); pledged in Al Jazeera (machine translation) and Al Jazeera (reworded copy)'
    """
    stated = group.dropna(subset=["status"]).groupby("status", sort=False)["source"].agg(
        lambda s: " and ".join(names[x] for x in sorted(set(s))))
    if len(stated) <= 1:
        return " ".join(stated.index).replace("_", " ")
    return "; ".join(f"{st.replace('_', ' ')} in {who}" for st, who in stated.items())


def _said_by(group, names):
    """Who asserts a deal, once per asserter, with every document that reports it.

    >>> deals = data.load("deals")
    >>> _said_by(deals[deals["fact_id"] == "kdb_rare_earth_financing_2025_2030"], sources.document_names())
    'according to the Development Bank of Kazakhstan, as reported by Al Jazeera (machine translation) and Al Jazeera (reworded copy)'
    """
    said = {}
    for by, kind, source in zip(group["asserted_by"], group["asserter_kind"], group["source"]):
        said.setdefault((by, kind), []).append(names[source])
    return "; ".join(attribution.phrase(by, kind, " and ".join(dict.fromkeys(docs)))
                     for (by, kind), docs in said.items())


def ledger(country=None, *, deals=None, claims=None):
    """The deliverables ledger: one row per deal fact naming the five, nothing added up.

    Parameters
    ----------
    country : str, optional
        ISO3 code, name or alias: the deals that name it and the region-wide ones
        (:func:`helpers.analysis.deals.deals_for`); default every deal naming one or more of
        the five.
    deals, claims : pandas.DataFrame, optional
        The curated tables (default: loaded).

    Returns
    -------
    pandas.DataFrame
        :data:`LEDGER_COLUMNS`: ``date`` as the chosen document dates it (YYYY-MM, "not
        stated" if none); ``parties`` in words (:func:`party_words`); ``kind``;
        ``value_as_written`` the headline value as written ("" if none) and ``currency`` in
        words; ``quantity`` the count as written ("300 sets of locomotive components");
        ``status`` as stated (each document's when they differ); ``outlets`` every document
        by outlet; ``said_by`` who asserts the deal in each document
        (see :func:`_said_by`); ``differs`` what the documents state differently (counts with counts,
        values with values; "" if nothing); ``value_usd_bn`` the value in US$ bn where stated
        in dollars (for ordering, never to add). Own deals first, then region-wide; within each
        by kind (:data:`~helpers.analysis.deals.KINDS`) and value, largest first.

    >>> l = ledger("KAZ").set_index("fact_id")
    >>> l.loc["kaz_china_70_trade_agreements", ["kind", "quantity", "value_as_written"]].tolist()
    ['set of agreements', '70 trade agreements', 'nearly $15 billion']
    >>> ledger("UZB").set_index("fact_id").loc["boeing_aircraft_purchase_central_asia", ["kind", "quantity"]].tolist()
    ['purchase', '22 aircraft']
    """
    table = data.load("deals") if deals is None else deals
    claims = data.load("claims") if claims is None else claims
    facts = (deal_facts(table, claims) if country is None
             else deals_for(country, table))
    facts = facts[facts["scope"].isin(["country", "region"]) & (facts["power"] != "")]
    merged = agreements(table)
    table = table.assign(fact_id=table["fact_id"].map(merged))
    claims = claims.assign(fact_id=claims["fact_id"].map(lambda f: merged.get(f, f)))
    names = sources.document_names()
    rows = []
    for f in facts.itertuples():
        group = table[table["fact_id"] == f.fact_id].sort_values(["source", "source_line"])
        differs, _ = _disagreement(group, claims, label=lambda s: outlet_label(s, names))
        currency = group["currency"].dropna()
        rows.append({
            "date": f.date if isinstance(f.date, str) and f.date else "not stated",
            "parties": party_words(f.countries, f.counterpart_org), "kind": f.kind,
            "value_as_written": f.value_as_written if isinstance(f.value_as_written, str) else "",
            "currency": CURRENCY_WORDS.get(currency.iloc[0], currency.iloc[0]) if len(currency) else "",
            "quantity": f"{f.quantity:g} {f.quantity_unit}" if f.quantity == f.quantity else "",
            "status": "not stated" if f.kind == "project" else _statuses(group, names),
            "outlets": sources.outlets(group["source"]),
            "said_by": _said_by(group, names),
            "differs": differs, "scope": f.scope, "fact_id": f.fact_id,
            "value_usd_bn": f.value_usd_bn,
        })
    out = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    out["_kind"] = out["kind"].map({k: i for i, k in enumerate(KINDS)})
    out["_scope"] = out["scope"].map({"country": 0, "region": 1})
    out = out.sort_values(["_scope", "_kind", "value_usd_bn", "fact_id"],
                          ascending=[True, True, False, True], na_position="last")
    return out[LEDGER_COLUMNS].reset_index(drop=True)


def kinds_count(ledger_rows):
    """How many rows of a :func:`ledger` are of each kind, in :data:`KINDS` order (0 left out).

    >>> kinds_count(ledger("KAZ"))
    {'deal': 1, 'set of agreements': 2, 'pledge': 1, 'project': 1}
    """
    counts = ledger_rows["kind"].value_counts()
    return {k: int(counts[k]) for k in KINDS if counts.get(k, 0)}
