"""The starting supplier → customer edges of the chain taxonomy (data/edges.yaml)."""

from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "edges.yaml"


def load_edges(apps, path: Path = DATA_FILE) -> int:
    """Create the file's edges that do not exist yet (officers' edits are kept)."""
    ChainNode, ChainEdge = apps.get_model("enterprises", "ChainNode"), apps.get_model("chain", "ChainEdge")
    nodes = {node.code: node for node in ChainNode.objects.all()}
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["edges"]
    for supplier, customer, note in rows:
        ChainEdge.objects.get_or_create(supplier=nodes[supplier], customer=nodes[customer], defaults={"note": note})
    return len(rows)
