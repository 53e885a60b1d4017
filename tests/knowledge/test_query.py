"""The search language: parsed before any database sees it, malformed input explained."""

import pytest

from healthgap.knowledge.query import QuerySyntaxError, parse, to_fts5, to_tsquery


def test_words_phrases_or_and_exclusions():
    query = parse('smoking OR tobacco "young people" -vaping')
    assert to_fts5(query) == '(("smoking" OR "tobacco") AND ("young people")) NOT "vaping"'
    assert to_tsquery(query) == "(smoking | tobacco) & (young <-> people) & !(vaping)"


def test_operator_characters_are_never_passed_through():
    query = parse("NEAR(a b) title:x * ^ AND")
    assert to_fts5(query) == '(("near a") AND ("b") AND ("title x") AND ("and"))'
    assert to_tsquery(query) == "(near <-> a) & (b) & (title <-> x) & (and)"


def test_empty_query_matches_everything():
    assert parse("   ") is None
    assert parse("!!! ...") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"unclosed phrase', "Close the quotation mark"),
        ("OR smoking", "word on each side of OR"),
        ("smoking OR", "word on each side of OR"),
        ("smoking OR -vaping", "word on each side of OR"),
        ("-vaping", "at least one word"),
        ("x" * 201, "200 characters or fewer"),
    ],
)
def test_malformed_queries_get_a_clear_message(text, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse(text)
