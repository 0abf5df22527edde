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
#: line styles that keep the powers (and the five) apart in a greyscale print
LINESTYLES = {"USA": "-", "CHN": "--", "RUS": ":",
              "KAZ": "-", "KGZ": "--", "TJK": ":", "TKM": "-.", "UZB": (0, (6, 1.5, 1, 1.5, 1, 1.5))}
#: markers, the same for a country or power in every chart (shape survives greyscale print)
MARKERS = {"USA": "o", "CHN": "s", "RUS": "^",
           "KAZ": "o", "KGZ": "s", "TJK": "^", "TKM": "D", "UZB": "v", "EU27": "P", "WLD": "X"}
#: bar fills: hatching keeps bars of similar grey apart in print (drawn in white on the colour)
HATCHES = {"USA": "", "CHN": "//", "RUS": "..",
           "KAZ": "", "KGZ": "\\\\", "TJK": "..", "TKM": "xx", "UZB": "--"}
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


def line(code):
    """Keyword arguments for ``ax.plot`` of one country or power: colour, line style, marker.

    >>> line("CHN")
    {'color': '#D55E00', 'linestyle': '--', 'marker': 's'}
    >>> line("XYZ")["linestyle"]
    '-'
    """
    return {"color": color(code), "linestyle": LINESTYLES.get(code, "-"),
            "marker": MARKERS.get(code, "o")}


def bar(code):
    """Keyword arguments for ``ax.bar``/``barh`` of one country or power: colour and a white
    hatch (none for the United States and Kazakhstan), so that bars differ in greyscale.

    >>> bar("RUS")
    {'facecolor': '#3F3F3F', 'hatch': '..', 'edgecolor': 'white', 'linewidth': 0}
    """
    return {"facecolor": color(code), "hatch": HATCHES.get(code, ""), "edgecolor": "white",
            "linewidth": 0}


def apply():
    """Apply the house style to matplotlib (and seaborn's defaults) for this kernel."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    plt.style.use(STYLE_FILE)
    mpl.rcParams["svg.hashsalt"] = "c5plus1"
    _alt_text_in_outputs()


def figure_alt(fig):
    """What a figure shows, for its alt text: its suptitle, then its axes' titles.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(); _ = fig.add_subplot().set_title("Imports by power")
    >>> figure_alt(fig)
    'Imports by power'
    """
    sup = getattr(fig, "_suptitle", None)
    titles = [sup.get_text()] if sup is not None and sup.get_text() else []
    titles += [t for ax in fig.axes for t in (ax.get_title("left"), ax.get_title(),
                                               ax.get_title("right")) if t]
    return "; ".join(dict.fromkeys(" ".join(t.split()) for t in titles))


def _alt_text_in_outputs():
    """Every figure a notebook shows carries :func:`figure_alt` in its output metadata
    (``image/png: {alt: …}``); the readers' site puts it on the image (docs/site.md).
    The inline backend registers its PNG printer with the kernel's first figure, so this
    runs from :func:`apply` and again from :func:`finish` (once it has wrapped, it stops)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.get_backend()
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        base = formatter.lookup_by_type(Figure)
    except KeyError:
        return
    if getattr(base, "c5_alt", False):
        return

    def png(fig):
        data = base(fig)
        alt = figure_alt(fig)
        return (data, {"alt": alt}) if data is not None and alt else data

    png.c5_alt = True
    formatter.for_type(Figure, png)


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
    _alt_text_in_outputs()
    return fig


def _ring_area_centroid(lon, lat):
    """Signed area and centroid of one closed lon/lat ring (shoelace formula, planar)."""
    cross = lon[:-1] * lat[1:] - lon[1:] * lat[:-1]
    area = cross.sum() / 2
    if area == 0:
        return 0.0, (float(lon.mean()), float(lat.mean()))
    cx = ((lon[:-1] + lon[1:]) * cross).sum() / (6 * area)
    cy = ((lat[:-1] + lat[1:]) * cross).sum() / (6 * area)
    return float(area), (float(cx), float(cy))


def draw_region(ax, polygons, *, highlight=(), labels=None, extent=None, base_color="#E6E6E6"):
    """Draw country outlines from a table of lon/lat rings (no geopandas needed).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    polygons : pandas.DataFrame
        One row per vertex with columns ``country``, ``part``, ``ring`` (0 = exterior, 1.. =
        holes), ``point``, ``lon``, ``lat`` (the ``region_polygons`` table).
    highlight : sequence of str
        Codes filled in their :func:`color`; every other country is ``base_color``.
    labels : dict, optional
        ``{code: text}`` written at the centroid of the country's largest part.
    extent : tuple, optional
        ``(lon_min, lon_max, lat_min, lat_max)``; default: the highlighted countries' bounds
        plus a margin.

    Returns
    -------
    dict
        ``{code: (lon, lat)}``, the label anchor of every country drawn.
    """
    import math

    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    anchors = {}
    for code, rows in polygons.sort_values(["country", "part", "ring", "point"]).groupby("country", sort=True):
        vertices, codes, best = [], [], (0.0, None)
        for (part, ring), pts in rows.groupby(["part", "ring"], sort=True):
            lon, lat = pts["lon"].to_numpy(float), pts["lat"].to_numpy(float)
            vertices += list(zip(lon, lat))
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(lon) - 2) + [MplPath.CLOSEPOLY]
            if ring == 0:
                area, centre = _ring_area_centroid(lon, lat)
                if abs(area) > best[0]:
                    best = (abs(area), centre)
        face = color(code) if code in highlight else base_color
        ax.add_patch(PathPatch(MplPath(vertices, codes), facecolor=face, edgecolor="white",
                               linewidth=0.8, zorder=2 if code in highlight else 1))
        anchors[code] = best[1]
    if extent is None:
        chosen = polygons[polygons["country"].isin(highlight)] if len(highlight) else polygons
        pad_lon = 0.08 * (chosen["lon"].max() - chosen["lon"].min())
        pad_lat = 0.08 * (chosen["lat"].max() - chosen["lat"].min())
        extent = (chosen["lon"].min() - pad_lon, chosen["lon"].max() + pad_lon,
                  chosen["lat"].min() - pad_lat, chosen["lat"].max() + pad_lat)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / math.cos(math.radians((extent[2] + extent[3]) / 2)))  # equal km at mid-latitude
    ax.grid(False)
    for code, text in (labels or {}).items():
        if code not in anchors:
            continue
        anchors[code] = _visible_anchor(polygons[polygons["country"] == code], anchors[code], extent)
        if anchors[code] is not None:
            ax.annotate(text, anchors[code], ha="center", va="center", fontsize=9, zorder=3,
                        color="#222222" if code in highlight else "#555555",
                        style="normal" if code in highlight else "italic")
    return anchors


def _visible_anchor(rows, centre, extent, steps=40):
    """``centre`` if it lies inside ``extent``; else the middle of the country's visible part.

    The visible part is sampled on a ``steps`` x ``steps`` grid over ``extent``; the anchor is
    the sampled point inside the country nearest to the median of all such points (None when
    the country is not visible).
    """
    import numpy as np
    from matplotlib.path import Path as MplPath

    lon0, lon1, lat0, lat1 = extent
    if centre is not None and lon0 <= centre[0] <= lon1 and lat0 <= centre[1] <= lat1:
        return centre
    grid = np.array([(lon0 + (lon1 - lon0) * (i + 0.5) / steps, lat0 + (lat1 - lat0) * (j + 0.5) / steps)
                     for i in range(steps) for j in range(steps)])
    inside = np.zeros(len(grid), dtype=bool)
    for _, pts in rows[rows["ring"] == 0].groupby("part", sort=True):
        inside |= MplPath(pts[["lon", "lat"]].to_numpy(float)).contains_points(grid)
    if not inside.any():
        return None
    points = grid[inside]
    middle = np.median(points, axis=0)
    best = points[np.argmin(((points - middle) ** 2).sum(axis=1))]
    return float(best[0]), float(best[1])
