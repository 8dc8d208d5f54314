#!/usr/bin/env python3
"""The bench CSV's rows in another format, so throughput compares formats on the same records.

usage: convert.py ndjson|xlsx SRC.csv OUT

ndjson: one compact JSON object per CSV row, the header's names as keys and the cells as strings (the
        id as a number), in column order: the same values under the same names, so the same
        detectors and header hints apply and only the reader differs.
xlsx:   one worksheet with shared strings for text as Excel writes them and integers of up to
        15 digits without a leading zero as numbers (deflate level 6).
"""
import csv
import json
import sys
import zipfile
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def to_ndjson(src, out):
    with open(src, newline="", encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
        reader = csv.reader(f)
        header = next(reader)
        for row in reader:
            record = dict(zip(header, row))
            if "id" in record and record["id"].isdigit():
                record["id"] = int(record["id"])
            o.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def column_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def to_xlsx(src, out):
    strings, index = [], {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % REL)
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook %s xmlns:r="%s"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, REL))
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (REL, REL))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(('<?xml version="1.0"?><worksheet %s><sheetData>' % NS).encode())
            with open(src, newline="", encoding="utf-8") as f:
                for r, row in enumerate(csv.reader(f), start=1):
                    cells = []
                    for c, value in enumerate(row):
                        if not value:
                            continue
                        ref = "%s%d" % (column_name(c), r)
                        if value.isdigit() and len(value) <= 15 and not value.startswith("0"):
                            cells.append('<c r="%s"><v>%s</v></c>' % (ref, value))
                        else:
                            i = index.get(value)
                            if i is None:
                                i = index[value] = len(strings)
                                strings.append(value)
                            cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, i))
                    sheet.write(('<row r="%d">%s</row>' % (r, "".join(cells))).encode())
            sheet.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as sst:
            sst.write(('<?xml version="1.0"?><sst %s count="%d" uniqueCount="%d">' % (NS, len(strings), len(strings))).encode())
            for s in strings:
                sst.write(("<si><t xml:space=\"preserve\">%s</t></si>" % escape(s)).encode())
            sst.write(b"</sst>")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("ndjson", "xlsx"):
        sys.exit(__doc__)
    kind, src, out = sys.argv[1:]
    tmp = out + ".partial"  # a killed conversion must not leave a file that looks complete
    (to_ndjson if kind == "ndjson" else to_xlsx)(src, tmp)
    import os
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
