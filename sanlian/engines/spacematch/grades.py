"""Cleanroom grades, defined once as data.

ISO 14644-1 classes: a lower number is cleaner (ISO 5 is cleaner than ISO 8). GMP grades (China GMP 2010
Annex 1, as EU GMP Annex 1): A is cleaner than D. How they compare: each GMP grade carries the ISO class its
"at rest" particle limits correspond to (A and B → ISO 5, C → ISO 7, D → ISO 8), so a GMP room satisfies an
ISO request when that class is at least as clean. An ISO-only room never satisfies a GMP request: GMP also
requires microbial limits, qualification and monitoring that an ISO classification does not certify.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Grade:
    code: str
    label: str  # as written in Chinese and English alike: "ISO 7", "GMP C"
    iso_class: int  # the ISO class of its particle limits (at rest for GMP grades)
    gmp_rank: int | None = None  # 1 = A … 4 = D; None for ISO-only classifications


GRADES: dict[str, Grade] = {
    g.code: g
    for g in (
        Grade("gmp-a", "GMP A", 5, 1),
        Grade("gmp-b", "GMP B", 5, 2),
        Grade("gmp-c", "GMP C", 7, 3),
        Grade("gmp-d", "GMP D", 8, 4),
        Grade("iso5", "ISO 5", 5),
        Grade("iso6", "ISO 6", 6),
        Grade("iso7", "ISO 7", 7),
        Grade("iso8", "ISO 8", 8),
    )
}


def grade_satisfies(offered: str | None, asked: str) -> bool:
    """Whether a room of grade `offered` (None: no cleanroom) is at least as clean as `asked`."""
    if offered is None:
        return False
    have, want = GRADES[offered], GRADES[asked]
    if want.gmp_rank is not None:
        return have.gmp_rank is not None and have.gmp_rank <= want.gmp_rank
    return have.iso_class <= want.iso_class


def grade_better(offered: str, asked: str) -> bool:
    """Strictly cleaner than asked (for the explanation's "优于")."""
    have, want = GRADES[offered], GRADES[asked]
    if want.gmp_rank is not None and have.gmp_rank is not None:
        return have.gmp_rank < want.gmp_rank
    return have.iso_class < want.iso_class
