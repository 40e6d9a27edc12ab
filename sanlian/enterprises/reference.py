"""Loads the reference data (regions, parks, clusters, chain nodes, certification types).

Takes an app registry so the same code serves the data migration and `sanlian loadreference`.
Existing rows are updated in place, so officers' later additions are kept and reruns are safe.
"""

from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "reference.yaml"


def read_reference(path: Path = DATA_FILE) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_reference(apps, path: Path = DATA_FILE) -> dict[str, int]:
    data = read_reference(path)
    get = apps.get_model
    Region, Park, Cluster = get("enterprises", "Region"), get("enterprises", "Park"), get("enterprises", "Cluster")
    ChainNode, CertificationType = get("enterprises", "ChainNode"), get("enterprises", "CertificationType")

    regions = {}
    for row in data["regions"]:
        parent = regions.get(row.get("parent"))
        path = f"{parent.path if parent else ''}{row['code']}/"
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "level": row["level"],
                "parent": parent,
                "path": path,
            },
        )
    for row in data["parks"]:
        Park.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "aliases": row.get("aliases", ""),
                "town": regions[row["town"]],
            },
        )
    for row in data["clusters"]:
        Cluster.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    for sort, row in enumerate(data["chain_nodes"]):
        ChainNode.objects.update_or_create(
            code=row["code"], defaults={**{k: v for k, v in row.items() if k != "code"}, "sort": sort}
        )
    for row in data["certification_types"]:
        CertificationType.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
    return {key: len(rows) for key, rows in data.items()}
