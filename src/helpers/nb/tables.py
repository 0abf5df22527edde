"""Show a table to a reader: human column labels with units, names not codes, no index, a source.

Every table a notebook shows goes through :func:`show`, which returns a :class:`Table`: in
JupyterLab and the HTML reports it renders as a pandas ``Styler`` (caption with the source,
index hidden, thousands separators, blanks for missing values, yes/no for booleans, full text
never cut); as plain text (what nbval compares) it is the same table, aligned.
"""

import re

import pandas as pd

from ..data import countries

#: column name -> the label a reader sees (units in brackets); extend it for a new column
LABELS = {
    "document": "Document", "seed": "Seed no.", "language_original": "Original language",
    "language_text": "Language of this text", "relation": "Kind of text", "copy_of": "Copy of",
    "document_a": "Document A", "line_a": "Line in A", "says_a": "A says (verbatim)",
    "document_b": "Document B", "line_b": "Line in B", "says_b": "B says (verbatim)",
    "similarity": "Similarity (cosine, 0–1)", "same_original": "Same original",
    "documents": "Documents stating it", "independent": "Independent documents",
    "stated_by": "Stated by", "fact": "Fact", "facts": "Facts", "pairs": "Disagreeing pairs",
    "total": "Total",
    "country": "Country", "countries": "Countries", "partner": "Partner",
    "reporter": "Reported by", "counterpart": "Partner", "power": "Outside power",
    "subject": "What", "scope": "Scope", "sector": "Sector", "status": "Status",
    "kind": "Kind", "basis": "Basis", "dataset": "Dataset", "flow": "Flow",
    "flow_reported": "Flow as reported", "currency": "Currency", "year": "Year",
    "date": "Date", "period": "Period", "theme": "Theme", "person": "Who",
    "position": "Position", "quote": "Quote", "note": "Note", "unit": "Unit",
    "qualifier": "Qualifier", "qualifiers": "Qualifiers", "value": "Value",
    "value_as_written": "As written", "value_usd_bn": "Value (US$ bn)",
    "horizon_years": "Horizon (years)", "quantity": "Quantity", "quantity_unit": "Quantity unit",
    "sources": "Documents", "source": "Document", "source_line": "Line",
    "disputed": "Disputed", "first_year": "First year", "last_year": "Last year",
    "years": "Years reported", "edition": "MCS edition", "measure": "Measure",
    "fact_id": "Fact", "as_written_a": "One document says", "as_written_b": "Another says",
    "outlet": "Outlet", "language": "Language", "title": "Title",
    "parties": "Central Asian parties", "deals": "Deals", "with_value": "With a stated value",
    "largest_usd_bn": "Largest stated (US$ bn)", "year_spans": "Years with data",
    "topic": "Topic", "counterpart_org": "Company or institution",
    "corroborated": "Stated by more than one document", "where_stated": "Where stated",
    "agreed": "Corroborated (independent documents agree)",
    "readings": "Readings (as written, by seed)",
    "pct_of_gdp": "Share of its GDP (%)", "pct_of_c5_gdp": "Share of the five's GDP (%)",
    "gdp_year": "GDP year", "share_of_world_pct": "Share of the reporter's total (%)",
    "share_of_powers_pct": "Share of the three powers (%)", "value_eur_bn": "Value (€ bn)",
    "powers_in_group": "Powers compared",
    "what": "What", "as_written": "As written", "evidence": "Evidence", "available": "Held",
    "detail": "Years or count", "all_five": "All five take part",
    "reserves_rank": "Rank in reserves", "reserves_t": "Reserves (t REO)",
    "production_t": "Mine production (t REO)", "mcs2024_mt": "MCS 2024 (million t REO)",
    "mcs2025_mt": "MCS 2025 (million t REO)", "revision_mt": "Revision (million t REO)",
    "revision_pct": "Revision (%)", "stage": "Stage", "china_share_pct": "China's share (%)",
    "location": "Where", "claimed_mt": "Claim as stated (million t)",
    "larger_countries": "Larger countries", "next_smaller": "Next smaller",
    "next_smaller_mt": "Next smaller (million t REO)",
    "third_after_china_brazil": "Third after China and Brazil",
    "ratio_to_china": "Ratio to China's reserves", "target_rank": "Rank to reach",
    "needed_2024_pct": "Share needed, MCS 2024 (% of estimate)",
    "needed_2025_pct": "Share needed, MCS 2025 (% of estimate)", "with_us": "With the US",
    "outlets": "Documents (by outlet)", "said_by": "Who says so", "dates_stated": "Dates as stated (by outlet)",
    "share_of_total_pct": "Share of the reporter's total (%)",
    "share_of_three_pct": "Share of the three powers together (%)",
    "occasion": "Occasion", "events": "Events", "occasions": "Occasions",
    "reading": "Reading of the claim's unit", "oxide": "Oxide used", "factor": "Oxide/metal factor",
    "reo_mt": "Counted (million t REO)", "rank_2024": "Rank, MCS 2024", "rank_2025": "Rank, MCS 2025",
    "commodity": "Mineral", "series": "What USGS measures", "rank_of": "World rank (of countries listed)",
    "world_share_pct": "Share of world total (%)",
    "differs": "Where the documents differ (counts with counts, values with values)",
}
_CODE_COLUMNS = {"country", "partner", "reporter", "counterpart", "power"}
_CODE_LIST_COLUMNS = {"countries"}
_SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def label(column):
    """The reader's label of a column: :data:`LABELS`, else the name in words.

    >>> label("value_usd_bn"), label("share_pct")
    ('Value (US$ bn)', 'Share pct')
    """
    if column in LABELS:
        return LABELS[column]
    text = str(column).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _country_name(code):
    try:
        return countries.name(code)
    except Exception:  # noqa: BLE001 - not a code (a name, a group): shown as it is
        return code


def words(value):
    """A coded value in words: ``financing_programme`` -> ``financing programme``.

    >>> words("financing_programme"), words("Abraham Accords")
    ('financing programme', 'Abraham Accords')
    """
    return value.replace("_", " ") if isinstance(value, str) and _SNAKE.match(value) else value


def _cell_text(value, digits):
    """One cell as a reader reads it."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int) or (hasattr(value, "is_integer") and type(value).__name__.startswith("int")):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15 and digits is None:
            return f"{value:,.0f}"
        return f"{value:,.{2 if digits is None else digits}f}"
    return str(words(value))


def readable(frame, *, digits=None, labels=None):
    """A copy of ``frame`` as text a reader reads: labels, names for codes, formatted numbers.

    A meaningful index (one with a name) becomes the first column; a 0..n-1 index is dropped.

    >>> readable(pd.DataFrame({"country": ["KGZ"], "value_usd_bn": [1.5], "disputed": [True]})
    ...          ).to_dict("records")
    [{'Country': 'Kyrgyzstan', 'Value (US$ bn)': '1.50', 'Disputed': 'yes'}]
    """
    out = frame.copy()
    if any(name is not None for name in out.index.names):
        out = out.reset_index()
    out = out.reset_index(drop=True)
    for column in out.columns:
        if column in _CODE_COLUMNS:
            out[column] = out[column].map(lambda v: _country_name(v) if isinstance(v, str) else v)
        elif column in _CODE_LIST_COLUMNS:
            out[column] = out[column].map(lambda v: ", ".join(
                _country_name(c) for c in countries.split_codes(v)) if isinstance(v, str) else v)
        places = digits.get(column) if isinstance(digits, dict) else digits
        out[column] = [_cell_text(v, places) for v in out[column].astype(object)]
    names = {**LABELS, **(labels or {})}
    return out.rename(columns={c: names.get(c, label(c)) for c in out.columns})


class Table:
    """A table for people: HTML (a styled table with a caption) and plain text alike."""

    def __init__(self, frame, caption=None, source=None):
        self.frame, self.caption, self.source = frame, caption, source

    def _repr_html_(self):
        styler = self.frame.style.hide(axis="index").set_uuid("c5")
        styler = styler.set_table_attributes('class="c5-table"')
        # text shows as text: a quote holding "<script>" or "<b>" is not markup ("<" opens
        # every tag, so it is the one character escaped; other text is left byte for byte)
        text = [c for c in self.frame.columns
                if self.frame[c].map(lambda v: isinstance(v, str)).all()]
        if text:
            styler = styler.format(lambda v: v.replace("<", "&lt;"), subset=text)
        parts = [p for p in (self.caption, f"Source: {self.source}" if self.source else None) if p]
        if parts:
            styler = styler.set_caption(" — ".join(map(str, parts)).replace("<", "&lt;"))
        return styler.to_html(table_uuid="c5", cell_ids=False)

    def __repr__(self):
        lines = [self.caption] if self.caption else []
        if self.frame.empty:
            lines.append("(no rows)")
        else:
            lines.append(self.frame.to_string(index=False))
        if self.source:
            lines.append(f"Source: {self.source}")
        return "\n".join(lines)


def show(frame, *, caption=None, source=None, digits=None, labels=None):
    """The table to display for ``frame`` (make it a cell's last expression).

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
    caption : str, optional
        What the table shows, one line.
    source : str, optional
        Where the numbers come from (e.g. ``data.source_line("trade")``).
    digits : int or dict, optional
        Decimal places for floats (all, or per column); default 2, none for whole numbers.
    labels : dict, optional
        Labels for columns :data:`LABELS` does not know (or to override it).
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    return Table(readable(frame, digits=digits, labels=labels), caption, source)
