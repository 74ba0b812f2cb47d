"""One figure style for the whole book, and one way to save a figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.rcParams["svg.hashsalt"] = "supermodel"  # reproducible vector output
matplotlib.rcParams["pdf.fonttype"] = 42

PALETTE = "colorblind"


def set_theme() -> None:
    """Set the seaborn theme every chapter uses (call once at the top of a chapter)."""
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    matplotlib.rcParams.update({"figure.dpi": 100, "savefig.dpi": 150, "figure.figsize": (7.0, 4.2),
                                "savefig.bbox": "tight"})


def save_figure(fig, name: str, output_dir: Path) -> None:
    """Save ``fig`` as the vector file ``<output_dir>/<name>.pdf`` (TrueType fonts, no timestamp) for papers.

    The book shows the cell's own inline PNG, so no raster copy is written. Returns nothing on
    purpose: a captioned figure cell must have the figure as its only output.
    """
    fig.savefig(Path(output_dir) / f"{name}.pdf", metadata={"CreationDate": None})
