"""Write numbers and findings as a reader reads them: amounts with units, counts with words.

The sentences a notebook shows are built from computed values with these helpers, never
typed: ``plural(3, "deal")`` instead of "deal(s)", ``money(12.4)`` instead of "$12.4bn", and
:func:`markdown` to show them (a literal ``$`` is escaped so Jupyter does not read maths).
"""

from IPython.display import Markdown


def plural(n, word, many=None):
    """``n`` and the word in the right number.

    >>> plural(1, "deal"), plural(3, "deal"), plural(2, "country", "countries")
    ('1 deal', '3 deals', '2 countries')
    """
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def money(value, unit="billion", currency="US$", digits=1):
    """An amount written out: ``money(12.43)`` -> ``'US$12.4 billion'``.

    >>> money(12.43), money(5.014, currency="€", digits=2), money(950, unit="million", digits=0)
    ('US$12.4 billion', '€5.01 billion', 'US$950 million')
    """
    return f"{currency}{value:,.{digits}f} {unit}"


def percent(share, digits=0):
    """A share (0-1) as a percentage: ``percent(0.365, 1)`` -> ``'36.5%'``.

    >>> percent(0.365, 1), percent(0.69)
    ('36.5%', '69%')
    """
    return f"{100 * share:.{digits}f}%"


def join(items, last="and"):
    """Join words as prose: ``a, b and c``.

    >>> join(["China"]), join(["China", "Russia"]), join(["A", "B", "C"], last="or")
    ('China', 'China and Russia', 'A, B or C')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def escape(text):
    """Escape what Markdown in Jupyter would misread: a ``$`` starts maths, a ``<`` starts
    HTML (a quote holding ``<script>`` shows as text).

    >>> escape("$12bn")
    '\\\\$12bn'
    >>> escape("<b>bold</b>")
    '&lt;b>bold&lt;/b>'
    """
    return str(text).replace("$", "\\$").replace("<", "&lt;")


def markdown(*paragraphs, bullets=()):
    """Markdown to display: paragraphs, then a bulleted list; every ``$`` escaped."""
    parts = [escape(p) for p in paragraphs if p]
    if bullets:
        parts.append("\n".join(f"- {escape(b)}" for b in bullets))
    return Markdown("\n\n".join(parts))
