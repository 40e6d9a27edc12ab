"""The search text: tokens of a document and the query a search box's words make (no database)."""

from sanlian.search import text


def test_a_title_is_indexed_by_its_words_and_its_two_character_pieces():
    title_tokens, body_tokens = text.document_tokens("上海复宏汉霖生物技术股份有限公司", "单克隆抗体与生物类似药")

    assert "复宏汉霖" in title_tokens.split()
    assert "汉霖" in title_tokens.split()  # a piece, for partial names
    assert "抗体" in body_tokens.split()
    assert "汉霖" not in body_tokens.split()  # bodies are not cut into pieces


def test_a_compound_query_word_is_matched_whole_or_by_all_its_sub_words():
    query = text.parse("医疗器械")

    assert [group.word for group in query.groups] == ["医疗器械"]
    assert ("医疗器械",) in query.groups[0].alternatives
    assert ("医疗", "器械") in query.groups[0].alternatives


def test_english_words_and_codes_are_lower_cased_and_may_match_as_a_prefix():
    query = text.parse("Henlius 91310000MA1K3XXXXX")

    assert [(group.word, group.prefix) for group in query.groups] == [("henlius", True), ("91310000ma1k3xxxxx", True)]
    assert '"henlius"*' in text.fts5(query)
    assert "'henlius':*" in text.tsquery(query)


def test_a_single_character_or_a_stop_word_alone_makes_an_empty_query():
    assert not text.parse("药")
    assert not text.parse("上海")
    assert not text.parse("   ")


def test_quotes_and_operators_in_the_query_stay_inside_quoted_tokens():
    query = text.parse('GMP" OR "x\' | !')

    fts = text.fts5(query)
    ts = text.tsquery(query)

    assert fts == '(("gmp") OR "gmp"*) AND (("or"))'  # the typed OR is a quoted word, not an operator
    assert ts == "(('gmp') | 'gmp':*) & (('or'))"


def test_the_snippet_window_starts_before_the_first_hit_and_marks_each_hit():
    body = "开头" * 40 + "细胞治疗GMP车间出租,细胞治疗企业优先"

    start, end, spans = text.snippet_spans(body, ["细胞治疗"], width=30)

    assert start <= 80 < end
    assert [body[a:b] for a, b in spans] == ["细胞治疗", "细胞治疗"]


def test_the_matching_tsquery_leaves_out_alternatives_another_one_implies_and_ranking_keeps_them_all():
    # given a compound word (its pieces imply its sub-words) and an English word (its prefix implies it)
    query = text.parse("生物科技 Kangtai")

    # when the tsquery is written for matching and for ranking
    match, rank = text.tsquery(query, for_match=True), text.tsquery(query)

    # then matching reads fewer lexemes, ranking the whole tree
    assert match == "(('生物科技') | ('生物' & '科技')) & ('kangtai':*)"
    assert rank == "(('生物科技') | ('生物' & '科技') | ('生物' & '物科' & '科技')) & (('kangtai') | 'kangtai':*)"
