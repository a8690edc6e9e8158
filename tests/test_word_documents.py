"""The Party's administrative document in Word (party_portal.word): typed text goes in as plain text."""

import io

import docx

from party_portal import word


def _document(text):
    doc = word.Document()
    doc.letterhead(committee="TỈNH ỦY THỬ NGHIỆM", board="BAN TỔ CHỨC", number="Số: 3-BC/BTCTU", date_line="")
    doc.paragraph(text)
    doc.table(["STT", "Ý kiến"], [["1", text]])
    return doc.to_bytes()


def test_typed_text_goes_in_as_plain_text_one_paragraph_a_line():
    typed = '=HYPERLINK("http://x")\r\n<w:fldSimple w:instr="DATE"/>\x07 {DATE}\n\n'

    content = _document(typed)

    lines = word.text_of(content).split("\n")
    xml = docx.Document(io.BytesIO(content)).element.xml
    # The bell character is dropped (XML cannot hold it); the rest is text, line by line.
    assert lines.count('=HYPERLINK("http://x")') == 2
    assert lines.count('<w:fldSimple w:instr="DATE"/> {DATE}') == 2
    assert "<w:fldSimple" not in xml
    assert "w:instrText" not in xml


def test_the_page_is_a4_with_the_party_margins_and_times_new_roman():
    document = docx.Document(io.BytesIO(_document("Nội dung")))

    section = document.sections[0]
    normal = document.styles["Normal"].font
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert (normal.name, normal.size.pt) == ("Times New Roman", 14)
