"""The plain-language check: jargon with a plain alternative and its place, long sentences, reading ease."""

from __future__ import annotations

from portal.reports.plain_language import check, find_jargon, find_long_sentences, glossary, reading_ease


def test_the_glossary_has_at_least_60_terms_each_with_a_plain_alternative():
    terms = glossary()
    print(f"\nglossary: {len(terms)} terms")
    assert len(terms) >= 60
    assert len({t.term.lower() for t in terms}) == len(terms)
    assert all(t.plain and t.plain.lower() != t.term.lower() for t in terms)


def test_jargon_is_found_where_it_is_with_a_plain_alternative():
    text = "Following the s47 enquiry the ICPC found disguised compliance. Mum is presenting as tired."
    flags = find_jargon(text)
    found = [(f.text, text[f.start:f.end]) for f in flags]
    assert ("s47", "s47") in found and ("ICPC", "ICPC") in found
    assert ("disguised compliance", "disguised compliance") in found
    assert any(f.text == "presenting" for f in flags)
    assert [f.suggestion for f in flags if f.text == "ICPC"] == ["the first child protection conference"]


def test_whole_words_only_and_acronyms_match_their_case():
    assert find_jargon("We will swim and present the plan.") == []  # "SW" and "presenting" are not inside other words
    assert find_jargon("the cin and the dv") == []  # acronyms match only in capitals
    assert [f.text for f in find_jargon("Section 47 and SECTION 47")] == ["Section 47", "SECTION 47"]


def test_longer_terms_win_over_shorter_ones_inside_them():
    flags = find_jargon("A section 47 enquiry and a non-engagement concern.")
    assert [f.text for f in flags] == ["section 47", "non-engagement"]


def test_long_sentences_are_flagged_with_their_length():
    long = " ".join(["word"] * 30) + "."
    text = f"A short one. {long} Another short one."
    flags = find_long_sentences(text)
    assert len(flags) == 1 and flags[0].suggestion == "30" and text[flags[0].start:flags[0].end].startswith("word")


def test_reading_ease_is_higher_for_plain_words():
    plain = "We are worried that Ruby is often hungry at school. We want to help you make sure she eats well every day."
    dense = ("The multi-agency safeguarding hub determined that the threshold for statutory intervention had been met "
             "following consideration of the chronology and the parental capacity assessment.")
    assert reading_ease(plain) > 60 > reading_ease(dense)
    assert reading_ease("Too short.") is None


def test_check_gathers_everything_in_text_order():
    result = check("The LADO was told. " + " ".join(["and"] * 30) + ".")
    assert [f.kind for f in result.flags] == ["jargon", "long_sentence"]
    assert result.words == 34 and result.reading_ease is not None
