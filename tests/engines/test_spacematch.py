"""The space matching engine: hard constraints, grade ordering, scored preferences and their reasons."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from sanlian.engines.spacematch import GRADES, Need, Space, Specs, grade_satisfies, rank


def space(id=1, **specs) -> Space:
    base = {"kind": "wet_lab", "vacant_area": Decimal("500"), "rent_fen": 450, "available_date": date(2026, 1, 1),
            "park": "lingang-pujiang", "town": "pujiang"}  # fmt: skip
    fields = {k: specs.pop(k) for k in list(specs) if k in base}
    return Space(id=id, **{**base, **fields}, specs=Specs(**specs))


def test_iso_5_is_cleaner_than_iso_8_and_gmp_a_cleaner_than_d():
    assert grade_satisfies("iso5", "iso8") and not grade_satisfies("iso8", "iso5")
    assert grade_satisfies("gmp-a", "gmp-d") and not grade_satisfies("gmp-d", "gmp-a")


def test_a_gmp_room_satisfies_the_iso_class_of_its_at_rest_limits_but_an_iso_room_never_satisfies_gmp():
    assert grade_satisfies("gmp-c", "iso7") and not grade_satisfies("gmp-c", "iso6")
    assert grade_satisfies("gmp-b", "iso5")
    assert not grade_satisfies("iso5", "gmp-d")
    assert not grade_satisfies(None, "iso8")


def test_a_listing_failing_a_hard_constraint_is_excluded_and_says_which():
    need = Need(required=Specs(floor_load=800, pure_water=True))
    result = rank([space(1, floor_load=500, pure_water=True), space(2, floor_load=1000, pure_water=True)], need)
    assert [r.space.id for r in result.ranked] == [2]
    (excluded,) = result.excluded
    assert excluded.space.id == 1
    assert [(f.term, f.offered, f.asked) for f in excluded.failed] == [("floor_load", 500, 800)]


def test_met_reasons_carry_the_margin():
    need = Need(required=Specs(cleanroom="gmp-c", floor_load=500))
    (ranked,) = rank([space(cleanroom="gmp-b", floor_load=800)], need).ranked
    reasons = {r.term: r for r in ranked.reasons}
    assert reasons["cleanroom"].status == "met" and reasons["cleanroom"].margin == 1
    assert reasons["floor_load"].margin == 300


def test_preferences_order_the_ranking_and_cheaper_breaks_ties():
    need = Need(preferred=Specs(exhaust=True, pure_water=True))
    spaces = [space(1, rent_fen=300), space(2, exhaust=True, rent_fen=600), space(3, exhaust=True, rent_fen=500),
              space(4, exhaust=True, pure_water=True, rent_fen=900)]  # fmt: skip
    result = rank(spaces, need)
    assert [r.space.id for r in result.ranked] == [4, 3, 2, 1]
    assert [r.score for r in result.ranked] == [20, 10, 10, 0]
    missed = [r.term for r in result.ranked[1].reasons if r.status == "missed"]
    assert missed == ["pure_water"]


def test_area_rent_date_kind_and_park_are_hard_constraints():
    need = Need(kind="wet_lab", area_min=Decimal("300"), area_max=Decimal("800"), max_rent_fen=500,
                move_in_date=date(2026, 3, 1), parks=frozenset({"lingang-pujiang"}))  # fmt: skip
    spaces = [space(1), space(2, vacant_area=Decimal("200")), space(3, vacant_area=Decimal("900")),
              space(4, rent_fen=501), space(5, available_date=date(2026, 4, 1)), space(6, kind="office"),
              space(7, park="caohejing-pujiang")]  # fmt: skip
    result = rank(spaces, need)
    assert [r.space.id for r in result.ranked] == [1]
    failed = {e.space.id: [f.term for f in e.failed] for e in result.excluded}
    assert failed == {2: ["area_min"], 3: ["area_max"], 4: ["rent"], 5: ["available"], 6: ["kind"], 7: ["park"]}


# -- properties --------------------------------------------------------------------------------------------

grades = st.one_of(st.none(), st.sampled_from(sorted(GRADES)))
specs = st.builds(
    Specs,
    cleanroom=grades,
    floor_load=st.one_of(st.none(), st.integers(0, 2000)),
    power_kva=st.one_of(st.none(), st.integers(0, 2000)),
    exhaust=st.booleans(),
    pure_water=st.booleans(),
    hazchem_permit=st.booleans(),
    env_approval=st.booleans(),
)
spaces = st.builds(
    Space,
    id=st.integers(1, 10_000),
    kind=st.sampled_from(["office", "wet_lab", "gmp_workshop"]),
    vacant_area=st.decimals(10, 5000, places=2),
    rent_fen=st.integers(100, 1500),
    available_date=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    park=st.sampled_from(["lingang-pujiang", "caohejing-pujiang"]),
    town=st.just("pujiang"),
    specs=specs,
)
needs = st.builds(
    Need,
    kind=st.one_of(st.none(), st.sampled_from(["office", "wet_lab", "gmp_workshop"])),
    area_min=st.one_of(st.none(), st.decimals(10, 3000, places=0)),
    required=specs,
    preferred=specs,
    max_rent_fen=st.one_of(st.none(), st.integers(100, 1500)),
    move_in_date=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 12, 31))),
)


@given(st.lists(spaces, max_size=8), needs)
def test_a_listing_that_fails_a_hard_constraint_never_ranks(listing, need):
    result = rank(listing, need)
    for ranked in result.ranked:
        assert all(r.status != "failed" for r in ranked.reasons)
    assert len(result.ranked) + len(result.excluded) == len(listing)
    assert all(e.failed for e in result.excluded)


@given(spaces, needs, st.sampled_from(["cleanroom", "floor_load", "power_kva", "exhaust", "pure_water",
                                       "hazchem_permit", "env_approval"]))  # fmt: skip
def test_adding_a_preference_the_space_meets_never_lowers_its_score(one, need, term):
    before = rank([one], need).ranked
    met_value = getattr(one.specs, term)
    assume(met_value not in (None, False))  # the space has something to meet this term with
    after = rank([one], replace(need, preferred=replace(need.preferred, **{term: met_value}))).ranked
    assert bool(before) == bool(after)
    if before:
        assert after[0].score >= before[0].score
