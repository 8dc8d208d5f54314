#!/usr/bin/env python3
"""Synthetic CRM data for benchmarks: a contacts CSV and an NDJSON file of a given size.

Values are synthetic and pass their checksums (Luhn cards, mod-97 IBANs) so the validators do
real work; about a third of the cells are decoys (order numbers, epoch-ms timestamps, SKUs,
UUIDs, amounts). The CSV also has the columns every CRM table is built around and issue 10's
detectors read: a street address, city, postcode, country, birth date, a phone written the
national way (region from the country column) and the last login IP; notes mention IPs and
identifiers with their context word. A pool of rows is generated once and repeated with fresh ids, so gigabytes are
written at disk speed. Deterministic for a given seed. The pool (5,000 rows unless --pool says
otherwise) is what makes the data repeat: a matcher's caches meet every value again after it, so
--pool with the file's row count (355,000 for 100 MB) gives data where nothing repeats but what
the columns themselves repeat (names, cities), for a figure without that help.

usage: generate.py csv|ndjson OUT SIZE_MB [--seed N] [--pool ROWS]
"""
import json
import random
import sys

FIRST = ["Anna", "Ben", "Chen", "Dana", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "李娜", "王伟"]
LAST = ["Example", "Sample", "Test", "Demo", "Muster", "Placeholder", "张", "刘"]
NOTES = [
    "Called back, prefers email",
    "客户要求下周回电",
    "Renewal discussed; budget approved for Q3",
    "Sent brochure to {email}",
    "Asked to update card {card} on file",
    "Wire to {iban} confirmed",
    "Mobile {phone} preferred",
    "No answer, try again Monday",
    "Login from {ip} flagged by the portal",
    "Klant gaf BSN {bsn} door",
]
STREETS = ["Hauptstraße", "Lindenweg", "Rue de la Paix", "Calle Mayor", "Via Roma", "Kerkstraat",
           "Baker Street", "Oak Avenue"]
CITIES = ["Berlin", "Lyon", "Madrid", "Torino", "Utrecht", "Leeds", "Austin", "Hamburg"]
# (country, national-format phone template): numbers in allocated ranges of each country.
NATIONAL = [("DE", "0170 %07d"), ("FR", "06 12 %02d %02d %02d"), ("NL", "06 %08d"),
            ("GB", "020 7946 %04d"), ("ES", "612 %03d %03d"), ("IT", "347 %03d %04d")]


def bsn(rng):
    while True:
        first8 = "%08d" % rng.randint(10000000, 99999999)
        last = sum((9 - i) * int(c) for i, c in enumerate(first8)) % 11
        if last <= 9:
            return first8 + str(last)


def national_phone(rng):
    country, template = rng.choice(NATIONAL)
    slots = template.count("%")
    if slots == 1:
        width = int(template.split("%0")[1][0])
        return country, template % rng.randint(0, 10 ** width - 1)
    if slots == 2:
        return country, template % (rng.randint(0, 999), rng.randint(0, 9999 if "%04d" in template else 999))
    return country, template % (rng.randint(0, 99), rng.randint(0, 99), rng.randint(0, 99))


def luhn_complete(prefix, length, rng):
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return digits + str((10 - total % 10) % 10)


def iban_de(rng):
    bban = "".join(rng.choice("0123456789") for _ in range(18))
    numeric = "".join(str(int(c, 36)) for c in bban + "DE00")
    check = 98 - int(numeric) % 97
    return "DE%02d%s" % (check, bban)


def row_pool(rng, size=5000):
    rows = []
    for i in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = "%s.%s%d@example.com" % ("user", "x", i)
        phone = rng.choice(["+1 202 555 %04d" % rng.randint(100, 199),
                            "+44 20 7946 %04d" % rng.randint(0, 999),
                            "+49 30 %08d" % rng.randint(10000000, 99999999),
                            "+86 138 %04d %04d" % (rng.randint(0, 9999), rng.randint(0, 9999))])
        card = luhn_complete(rng.choice(["4", "51", "37", "62"]), 16 if rng.random() < 0.8 else 15, rng)
        iban = iban_de(rng)
        ip = "%d.%d.%d.%d" % (rng.randint(11, 223), rng.randint(0, 255), rng.randint(0, 255),
                              rng.randint(1, 254))
        note = rng.choice(NOTES).format(email=email, card=card, iban=iban, phone=phone, ip=ip,
                                        bsn=bsn(rng))
        country, national = national_phone(rng)
        rows.append({
            "first_name": first, "last_name": last, "email": email, "phone": phone,
            "card_number": card, "iban": iban,
            "street": "%s %d" % (rng.choice(STREETS), rng.randint(1, 240)),
            "city": rng.choice(CITIES), "postal_code": "%05d" % rng.randint(1000, 99999),
            "country": country, "mobile": national,
            "birthdate": "%04d-%02d-%02d" % (rng.randint(1940, 2006), rng.randint(1, 12),
                                             rng.randint(1, 28)),
            "last_login_ip": ip,
            "order_no": str(rng.randint(10 ** 9, 10 ** 10)),
            "created_ms": str(1600000000000 + rng.randint(0, 10 ** 11)),
            "sku": "SKU-%06d" % rng.randint(0, 999999),
            "amount": "%d.%02d" % (rng.randint(1, 9999), rng.randint(0, 99)),
            "session": "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                                        rng.getrandbits(12), rng.getrandbits(12),
                                                        rng.getrandbits(48)),
            "notes": note,
        })
    return rows


def csv_field(value):
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    kind, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
    options = dict(zip(sys.argv[4::2], sys.argv[5::2]))
    if set(options) - {"--seed", "--pool"}:
        sys.exit(__doc__)
    seed = int(options.get("--seed", 7))
    rng = random.Random(seed)
    pool = row_pool(rng, int(options.get("--pool", 5000)))
    target = size_mb * 1000 * 1000
    columns = list(pool[0].keys())
    written = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        if kind == "csv":
            header = "id," + ",".join(columns) + "\n"
            f.write(header)
            written += len(header.encode())
        row_id = 0
        while written < target:
            chunk = []
            for row in pool:
                row_id += 1
                if kind == "csv":
                    line = str(row_id) + "," + ",".join(csv_field(row[c]) for c in columns) + "\n"
                else:
                    record = {"id": row_id, "contact": {"email": row["email"], "phone": row["phone"]},
                              "billing": {"iban": row["iban"], "card": row["card_number"]},
                              "order_no": row["order_no"], "created_ms": row["created_ms"],
                              "sku": row["sku"], "notes": row["notes"]}
                    line = json.dumps(record, ensure_ascii=False) + "\n"
                chunk.append(line)
            text = "".join(chunk)
            f.write(text)
            written += len(text.encode())
    print("%s: %d bytes, %d rows" % (out, written, row_id))


if __name__ == "__main__":
    main()
