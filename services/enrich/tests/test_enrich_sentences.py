"""Where sentences end, which decides what a summary can copy."""

from __future__ import annotations

from newsroom_enrich.enrichers.document import build_document
from newsroom_enrich.enrichers.sentences import iter_sentences


def sentences(body: str, hint: str | None = None) -> list[str]:
    document = build_document("x", None, body, hint)
    field = document.field("body")
    assert field is not None
    return [sentence.text for sentence in iter_sentences(field)]


def test_an_ordinal_date_does_not_end_a_sentence():
    assert sentences(
        "Der Landtag stimmte am 3. März über das Gesetz ab. Am 28. Oktober folgt die zweite Lesung. "
        "Le conseil se réunira le 2. juin à Lyon."
    ) == [
        "Der Landtag stimmte am 3. März über das Gesetz ab.",
        "Am 28. Oktober folgt die zweite Lesung.",
        "Le conseil se réunira le 2. juin à Lyon.",
    ]


def test_a_stop_after_a_number_still_ends_a_sentence_before_anything_but_its_month():
    assert sentences("Prices rose 7. Then they fell. The vote was on April 30. May began calmly.") == [
        "Prices rose 7.",
        "Then they fell.",
        "The vote was on April 30.",
        "May began calmly.",
    ]


def test_abbreviations_with_a_stop_do_not_end_a_sentence():
    assert sentences(
        "Viele Städte, z. B. Kassel, bauen neu. Es sprach u. a. Prof. Dr. h. c. Jutta Berger. "
        "Der Saal fasst ca. 400 Gäste. Voir cf. p. 48 du rapport. Le maire a signé."
    ) == [
        "Viele Städte, z. B. Kassel, bauen neu.",
        "Es sprach u. a. Prof. Dr. h. c. Jutta Berger.",
        "Der Saal fasst ca. 400 Gäste.",
        "Voir cf. p. 48 du rapport.",
        "Le maire a signé.",
    ]


def test_an_ordinal_date_leaves_the_summary_whole(enrich):
    body = (
        "Der Stadtrat hat am 12. Dezember den Bebauungsplan für das Hafenviertel beschlossen. "
        "Die Fraktion der Grünen stimmte geschlossen dagegen."
    )
    summary = enrich("Stadtrat beschließt Bebauungsplan", body).result.summary
    assert summary.startswith("Der Stadtrat hat am 12. Dezember den Bebauungsplan")


CASELESS = {
    "ar": ["افتتحت البلدية جسرا جديدا فوق النهر.", "هل سيخفف الجسر الزحام؟", "يقول السكان إنه سيفعل."],
    "he": ["העירייה פתחה גשר חדש מעל הנהר.", "האם הגשר יקל על הפקקים?", "התושבים אומרים שכן."],
    "hi": ["नगर निगम ने नदी पर नया पुल खोला।", "क्या इससे जाम कम होगा?", "लोगों का कहना है कि होगा।"],
    "zh": ["市政府在河上开通了一座新桥。", "这座桥能缓解拥堵吗？", "居民们说能！"],
    "ja": ["市は川に新しい橋を開通させた。", "渋滞は緩和されるのか？", "住民はそう期待している。"],
}


def test_scripts_without_capitals_end_sentences_at_their_stops():
    for language, parts in CASELESS.items():
        gap = "" if language in ("zh", "ja") else " "
        assert sentences(gap.join(parts), language) == parts, language


def test_a_summary_in_a_script_without_capitals_is_whole_sentences(enrich):
    for language, parts in CASELESS.items():
        gap = "" if language in ("zh", "ja") else " "
        summary = enrich(parts[0][:8], gap.join(parts), hint=language).result.summary
        assert summary == gap.join(parts[:2]), language


def test_a_chinese_quote_keeps_its_attribution():
    quote, after = "“我们明天再谈！”部长说。", "会议随后结束。"
    assert sentences(quote + after, "zh") == [quote, after]


def test_a_number_before_a_month_ends_an_english_sentence():
    assert sentences(
        "Inflation rose 5. March figures showed a sharp rise. The score was 10. June Carter sang."
    ) == [
        "Inflation rose 5.",
        "March figures showed a sharp rise.",
        "The score was 10.",
        "June Carter sang.",
    ]


def test_the_sentence_splitter_reads_the_documents_language():
    german = "Der Landtag stimmte am 3. März über das Gesetz ab, und die Opposition war dagegen."
    assert sentences(german) == [german]
    assert sentences(german, hint="en") == [german]  # the text, not the hint, is German
    english = "The council said inflation rose 5. March figures were higher, and the mayor was worried."
    assert len(sentences(english)) == 2


def test_a_lowercase_letter_before_a_stop_ends_an_english_sentence():
    assert sentences("He took vitamin d. It helped. The first was option a. The second failed.") == [
        "He took vitamin d.",
        "It helped.",
        "The first was option a.",
        "The second failed.",
    ]


def test_letter_abbreviations_and_a_page_number_keep_their_sentence_whole():
    assert sentences(
        "Die Mieten steigen, d. h. Familien ziehen weg. Es sprach Dr. h. c. Jutta Berger. "
        "Viele Städte, u. a. Kassel, bauen. Siehe cf. p. 12 im Bericht."
    ) == [
        "Die Mieten steigen, d. h. Familien ziehen weg.",
        "Es sprach Dr. h. c. Jutta Berger.",
        "Viele Städte, u. a. Kassel, bauen.",
        "Siehe cf. p. 12 im Bericht.",
    ]


def test_an_unspaced_e_g_before_a_capital_still_ends_a_sentence_as_before():
    assert sentences(
        "The report names several firms, e.g. Some were fined. Others, i.e. The rest, were not."
    ) == [
        "The report names several firms, e.g.",
        "Some were fined.",
        "Others, i.e.",
        "The rest, were not.",
    ]


def test_a_time_in_p_m_before_a_capital_keeps_its_sentence_as_before():
    assert sentences("The meeting ended at 5 p.m. Officials said a deal was close.") == [
        "The meeting ended at 5 p.m. Officials said a deal was close."
    ]
