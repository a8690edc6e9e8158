"""The dashboard's figure tables as a reader sees them: parsed from the page's HTML, not from its context."""

import lxml.html


def figure_table(html, table_id="sub-units"):
    """{row name: {indicator code: cell}} of the table `table_id`; a cell is a dict of what it shows: value,
    the numbers under it (counts) and the lists they link to (links), the verdict's label and title, its
    class and its sort key."""
    table = lxml.html.fromstring(html).get_element_by_id(table_id)
    codes = [button.text_content().strip() for button in table.xpath("./thead//th/button")][1:]
    rows = {}
    for tr in table.xpath("./tbody/tr"):
        name_cell, *cells = tr.xpath("./td")
        rows[name_cell.get("data-sort")] = {code: _cell(td) for code, td in zip(codes, cells, strict=True)}
    return rows


def _cell(td):
    verdict = td.find_class("verdict")[0]
    counts = td.find_class("fig-counts")[0]
    return {
        "value": td.find_class("fig-value")[0].text_content(),
        "counts": counts.text_content(),
        "links": [a.get("href") for a in counts.iter("a")],
        "label": verdict.get("aria-label"),
        "title": verdict.get("title"),
        "symbol": verdict.text_content(),
        "class": td.get("class"),
        "sort": td.get("data-sort"),
    }
