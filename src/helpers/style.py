"""One figure style, fixed colours per country and power, and the source line under charts.

Nothing here runs on import: a notebook calls :func:`apply` once (in its imports cell), and
every chart ends with :func:`finish`, which sets title and axis labels (with units) and writes
the source line under the figure.
"""

from pathlib import Path

#: fixed colours (Okabe–Ito, colour-blind safe), the same in every notebook
COLORS = {
    "KAZ": "#E69F00",  # orange
    "KGZ": "#009E73",  # bluish green
    "TJK": "#CC79A7",  # reddish purple
    "TKM": "#8C7A00",  # dark yellow (Okabe–Ito yellow darkened to print on white)
    "UZB": "#56B4E9",  # sky blue
    "USA": "#0072B2",  # blue
    "CHN": "#D55E00",  # vermillion
    "RUS": "#3F3F3F",  # dark grey
    "EU27": "#7A5195",
    "WLD": "#999999",
}
#: colour for anything not in :data:`COLORS`
OTHER = "#B0B0B0"
#: line styles that keep the three powers apart in a greyscale print
LINESTYLES = {"USA": "-", "CHN": "--", "RUS": ":"}
STYLE_FILE = Path(__file__).with_name("c5.mplstyle")


def color(code):
    """Colour of a country or power code; grey for any other.

    >>> color("KAZ"), color("XYZ")
    ('#E69F00', '#B0B0B0')
    """
    return COLORS.get(code, OTHER)


def palette(codes):
    """A list of colours for ``codes`` (for seaborn's ``palette=``).

    >>> palette(["USA", "CHN"])
    ['#0072B2', '#D55E00']
    """
    return [color(c) for c in codes]


def apply():
    """Apply the house style to matplotlib (and seaborn's defaults) for this kernel."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    plt.style.use(STYLE_FILE)
    mpl.rcParams["svg.hashsalt"] = "c5plus1"


def finish(ax, *, title, source, xlabel=None, ylabel=None, legend=None):
    """Title, axis labels (state the unit!) and a source line under the figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title : str
        What the chart shows, one line.
    source : str
        Where the numbers come from; shown as "Source: …" under the figure.
    xlabel, ylabel : str, optional
        Axis labels with units, e.g. "Reserves (million t REO)".
    legend : bool, optional
        Force a legend on (True) or off (False); default keeps matplotlib's choice.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if legend is True:
        ax.legend()
    elif legend is False and ax.get_legend() is not None:
        ax.get_legend().remove()
    fig = ax.figure
    fig.text(0.0, -0.01, f"Source: {source}", ha="left", va="top", fontsize=8, color="#444444",
             wrap=True)
    return fig
