def test_world_builds(world, db):
    assert world["objects"]["enterprise"].pk
