#!/usr/bin/python3
"""Writes the sample CRM export in examples/crm-export/ and examples/expected-findings.json.

Deterministic: a fixed seed and fixed dates, so re-running it reproduces the committed files
byte for byte. Every person, company and account is synthetic: names are placeholders
("Alice Example", "张测试"), domains are example.com/.org/.net/.cn, phone numbers come from
ranges set aside for fiction where a country has one (US 555-01xx, UK 020 7946 0xxx,
0161 496 0xxx and the like), and card numbers are the issuers' published test numbers or numbers built
from a test prefix. Identifiers are generated to pass their checksums (Luhn with an issuer
prefix, IBAN MOD 97, GB 11643 MOD 11-2, GB 32100) so a scanner confirms them, but they
belong to nobody.

orders.tsv is the opposite: values built to look like identifiers to a careless pattern
(epoch-millisecond timestamps that pass Luhn, four-part version strings, UUIDs, order
numbers) that a scanner must NOT report.

Usage: /usr/bin/python3 examples/generate-export.py [--print-counts]
Python 3 standard library only.
"""
import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import re
import sys
import uuid

SEED = 20261124
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "crm-export")
BASE_TIME = dt.datetime(2025, 6, 1, 9, 0, 0, tzinfo=dt.timezone.utc)

rng = random.Random(SEED)

# Seeded-value counts per (file, column, entity), reported by --print-counts and README.md.
counts = {}


def seeded(file, column, entity, n=1):
    key = (file, column, entity)
    counts[key] = counts.get(key, 0) + n


# ---------------------------------------------------------------------------------------
# Identifier builders (each computes its check digits by the published rule)
# ---------------------------------------------------------------------------------------

def luhn_complete(body):
    """Appends the Luhn check digit to a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


# Published issuer test numbers (Stripe/Adyen/PayPal sandboxes): valid, never real accounts.
TEST_CARDS = [
    "4242424242424242", "4000056655665556", "4111111111111111", "4012888888881881",
    "5555555555554444", "5105105105105100", "2223003122003222", "5200828282828210",
    "378282246310005", "371449635398431", "6011111111111117", "6011000990139424",
    "36227206271667", "3566002020360505", "6200000000000005",
]


def test_card():
    if rng.random() < 0.6:
        number = rng.choice(TEST_CARDS)
    else:
        # Visa 16 digits behind the "4111 11" test prefix, completed to pass Luhn.
        number = luhn_complete("411111" + "".join(rng.choice("0123456789") for _ in range(9)))
    assert luhn_ok(number)
    return number


def card_print_form(number):
    style = rng.random()
    if len(number) == 15:  # Amex prints 4-6-5
        groups = [number[:4], number[4:10], number[10:]]
    elif len(number) == 14:  # Diners prints 4-6-4
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i:i + 4] for i in range(0, len(number), 4)]
    if style < 0.4:
        return " ".join(groups)
    if style < 0.6:
        return "-".join(groups)
    return number


def iban(country, bban):
    rearranged = bban + country + "00"
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    check = 98 - int(digits) % 97
    return f"{country}{check:02d}{bban}"


def iban_print_form(value):
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def letters(n):
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(n))


def iban_for(country):
    if country == "DE":
        return iban("DE", "37040044" + digits(10))
    if country == "GB":
        # Sort code and account start non-zero: a print-form group such as "0016 2966" would
        # read as a 00-prefixed international phone number to a phone pattern.
        return iban("GB", "XMPL" + "40" + digits(4) + "7" + digits(7))
    if country == "FR":
        return iban("FR", "20041" + "01005" + digits(11) + digits(2))
    if country == "ES":
        return iban("ES", "2100" + "0418" + digits(2) + digits(10))
    if country == "NL":
        return iban("NL", "XMPL" + digits(10))
    if country == "IT":
        return iban("IT", "X" + "05428" + "11101" + digits(12))
    raise ValueError(country)


RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CN_REGIONS = [("110105", "北京市朝阳区"), ("310115", "上海市浦东新区"),
              ("440305", "深圳市南山区"), ("330106", "杭州市西湖区"),
              ("510107", "成都市武侯区"), ("420106", "武汉市武昌区")]


def cn_resident_id(region):
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 42 * 365))
    first17 = region + birth.strftime("%Y%m%d") + digits(3)
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_WEIGHTS))
    return first17 + "10X98765432"[total % 11]


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def cn_uscc(region):
    # 9 = registered with market regulation, 1 = enterprise, region, then the organisation code.
    first17 = "91" + region + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def cn_mobile_digits():
    # Blocks of the form 13x 1234 5xxx look deliberately made up.
    return rng.choice(["138", "139", "137", "150", "186", "199"]) + "1234" + "5" + digits(3)


def cn_mobile():
    d = cn_mobile_digits()
    style = rng.random()
    if style < 0.5:
        return d
    if style < 0.75:
        return f"+86 {d[:3]} {d[3:7]} {d[7:]}"
    if style < 0.9:
        return f"+86-{d}"
    return f"0086 {d[:3]} {d[3:7]} {d[7:]}"


def us_phone():
    area = rng.choice(["201", "212", "415", "617", "312"])
    line = f"01{rng.randrange(0, 100):02d}"  # 555-0100..0199 are reserved for fiction
    style = rng.random()
    if style < 0.4:
        return f"+1 {area}-555-{line}"
    if style < 0.7:
        return f"+1 ({area}) 555-{line}"
    return f"({area}) 555-{line}"


def uk_phone():
    # Ofcom's drama ranges (London, Manchester, Birmingham, Leeds). The mobile drama range
    # 07700 900xxx is left out: libphonenumber treats it as not valid.
    area = rng.choice(["20 7946", "161 496", "121 496", "113 496"])
    return f"+44 {area} 0{rng.randrange(0, 1000):03d}"


def de_phone():
    return f"+49 30 1234 5{rng.randrange(0, 1000):03d}"


def phone_for(country):
    if country == "US":
        return us_phone()
    if country == "GB":
        return uk_phone()
    if country == "CN":
        return cn_mobile()
    return de_phone()


# ---------------------------------------------------------------------------------------
# Synthetic people and companies
# ---------------------------------------------------------------------------------------

FIRST_NAMES = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan",
               "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent",
               "Victor", "Walter", "Wendy"]
LAST_NAMES = ["Example", "Sample", "Testperson", "Placeholder", "Demo", "Fictional", "Mock",
              "Dummy", "Synthetic", "Specimen"]
CN_SURNAMES = [("张", "zhang"), ("李", "li"), ("王", "wang"), ("赵", "zhao"), ("陈", "chen"),
               ("刘", "liu"), ("杨", "yang"), ("黄", "huang")]
CN_GIVEN = [("测试", "ceshi"), ("示例", "shili"), ("样例", "yangli"), ("演示", "yanshi"),
            ("模拟", "moni")]
COMPANIES = ["Example Corp", "Acme Widgets Ltd", "Sample Logistics GmbH", "Demo Retail SAS",
             "Placeholder Foods BV", "Testing Partners SL", "Fictional Media Inc",
             "Mock Analytics Ltd"]
CN_COMPANIES = ["示例科技有限公司", "测试贸易有限公司", "样例物流有限公司", "演示文化传媒有限公司",
                "模拟软件有限公司", "范例餐饮管理有限公司"]
CN_STREETS = ["示例路", "测试大道", "样例街", "演示巷"]
COUNTRIES = ["US", "GB", "DE", "CN", "FR", "ES", "NL"]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

NEUTRAL_NOTES_EN = ["Interested in the premium plan.", "Follow-up scheduled next week.",
                    "Requested a product demo.", "Renewal due in Q3.", "No answer, try again.",
                    "Prefers contact by email.", ""]
NEUTRAL_NOTES_CN = ["意向强烈", "下周回访", "已签约", "需要报价单", "暂无需求"]
NEUTRAL_BEIZHU = ["意向强烈", "下周回访", "已签约", "需要报价单", "暂无需求", "", "展会获客"]


def timestamp(days_back_max=365):
    moment = BASE_TIME - dt.timedelta(seconds=rng.randrange(0, days_back_max * 86400))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------
# contacts.csv
# ---------------------------------------------------------------------------------------

def contact_note(row_email):
    """A free-text note; returns (text, entities embedded)."""
    roll = rng.random()
    if roll < 0.12:
        return f"客户手机{cn_mobile_digits()}已确认", ["PHONE_NUMBER"]
    if roll < 0.22:
        return f"Asked to call back on {us_phone()} after 3pm.", ["PHONE_NUMBER"]
    if roll < 0.32:
        return f"Secondary address: {row_email.replace('@', '.alt@', 1)}", ["EMAIL_ADDRESS"]
    if roll < 0.40:
        return (f"Customer read card {card_print_form(test_card())} over the phone; "
                "told them not to."), ["CREDIT_CARD_NUMBER"]
    if roll < 0.46:
        return (f"请将合同发送至 {rng.choice(CN_SURNAMES)[1]}.ceshi@example.cn，"
                f"联系电话 {cn_mobile()}"), ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    if roll < 0.75:
        return rng.choice(NEUTRAL_NOTES_EN), []
    return rng.choice(NEUTRAL_NOTES_CN), []


def write_contacts():
    path = os.path.join(OUT, "contacts.csv")
    name = "contacts.csv"
    rows = []
    for i in range(1, 301):
        country = rng.choice(COUNTRIES)
        if country == "CN":
            surname, surname_py = rng.choice(CN_SURNAMES)
            given, given_py = rng.choice(CN_GIVEN)
            first, last = given, surname
            email = f"{surname_py}.{given_py}{i}@example.cn"
            company = rng.choice(CN_COMPANIES)
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{first.lower()}.{last.lower()}{i}@{rng.choice(EMAIL_DOMAINS)}"
            company = rng.choice(COMPANIES)
        phone = phone_for(country)
        account = ""
        if country in ("DE", "GB", "FR", "ES", "NL"):
            account = iban_for(country)
            if rng.random() < 0.4:
                account = iban_print_form(account)
            seeded(name, "iban", "IBAN_CODE")
        card = ""
        if rng.random() < 0.35:
            card = card_print_form(test_card())
            seeded(name, "card_number", "CREDIT_CARD_NUMBER")
        note, embedded = contact_note(email)
        for entity in embedded:
            seeded(name, "notes", entity)
        seeded(name, "email", "EMAIL_ADDRESS")
        seeded(name, "phone", "PHONE_NUMBER")
        seeded(name, "first_name", "PERSON_NAME")
        seeded(name, "last_name", "PERSON_NAME")
        rows.append([f"C{i:05d}", first, last, email, phone, company, country, account, card,
                     timestamp(), note])
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "first_name", "last_name", "email", "phone", "company", "country",
                         "iban", "card_number", "created_at", "notes"])
        writer.writerows(rows)


# ---------------------------------------------------------------------------------------
# leads_cn.csv (GB18030, Chinese headers)
# ---------------------------------------------------------------------------------------

def lead_note(email):
    roll = rng.random()
    if roll < 0.15:
        return f"客户手机{cn_mobile_digits()}已确认", ["PHONE_NUMBER"]
    if roll < 0.25:
        region = rng.choice(CN_REGIONS)[0]
        return f"法人身份证{cn_resident_id(region)}已核验", ["CN_RESIDENT_ID"]
    if roll < 0.35:
        return f"请发送报价至{email}，周五前回复", ["EMAIL_ADDRESS"]
    if roll < 0.42:
        return f"备用联系电话：{cn_mobile()}", ["PHONE_NUMBER"]
    return rng.choice(NEUTRAL_BEIZHU), []


def write_leads_cn():
    name = "leads_cn.csv"
    rows = []
    for i in range(1, 161):
        surname, surname_py = rng.choice(CN_SURNAMES)
        given, given_py = rng.choice(CN_GIVEN)
        region, region_name = rng.choice(CN_REGIONS)
        email = f"{surname_py}.{given_py}{i}@example.cn"
        street = rng.choice(CN_STREETS)
        note, embedded = lead_note(email)
        for entity in embedded:
            seeded(name, "备注", entity)
        for column, entity in (("姓名", "PERSON_NAME"), ("手机", "PHONE_NUMBER"),
                               ("邮箱", "EMAIL_ADDRESS"), ("身份证号", "CN_RESIDENT_ID"),
                               ("统一社会信用代码", "CN_USCC"), ("地址", "POSTAL_ADDRESS")):
            seeded(name, column, entity)
        rows.append([surname + given, cn_mobile(), email, cn_resident_id(region),
                     rng.choice(CN_COMPANIES), cn_uscc(region),
                     f"{region_name}{street}{rng.randrange(1, 300)}号", note])
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")  # Excel-style line ends, as exported
    writer.writerow(["姓名", "手机", "邮箱", "身份证号", "公司", "统一社会信用代码", "地址", "备注"])
    writer.writerows(rows)
    with open(os.path.join(OUT, name), "wb") as out:
        out.write(text.getvalue().encode("gb18030"))


# ---------------------------------------------------------------------------------------
# accounts.json
# ---------------------------------------------------------------------------------------

def write_accounts():
    name = "accounts.json"
    records = []
    for i in range(1, 81):
        country = rng.choice(["DE", "GB", "FR", "ES", "NL", "IT"])
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        phone_country = country if country in ("DE", "GB") else rng.choice(["US", "GB", "DE"])
        record = {
            "id": f"A{i:04d}",
            "name": f"{rng.choice(COMPANIES)} #{i}",
            "billing": {"iban": iban_for(country), "currency": "GBP" if country == "GB" else "EUR",
                        "terms_days": rng.choice([14, 30, 60])},
            "contact": {"name": f"{first} {last}",
                        "email": f"{first.lower()}.{last.lower()}.{i}@example.org",
                        "phone": phone_for(phone_country)},
            "tags": rng.sample(["enterprise", "smb", "emea", "priority", "trial", "partner"], 2),
            "created_at": timestamp(),
        }
        for column, entity in (("billing.iban", "IBAN_CODE"), ("contact.email", "EMAIL_ADDRESS"),
                               ("contact.phone", "PHONE_NUMBER"), ("contact.name", "PERSON_NAME")):
            seeded(name, column, entity)
        records.append(record)
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as out:
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")


# ---------------------------------------------------------------------------------------
# activities.jsonl.gz
# ---------------------------------------------------------------------------------------

def activity_note(kind):
    roll = rng.random()
    if roll < 0.15:
        return f"Called {uk_phone()}, left a voicemail.", ["PHONE_NUMBER"]
    if roll < 0.25:
        return f"会议纪要：客户手机 {cn_mobile()}，下周回访", ["PHONE_NUMBER"]
    if roll < 0.35:
        who = rng.choice(FIRST_NAMES).lower()
        return f"Forwarded the thread to {who}.assistant@example.net for approval.", \
            ["EMAIL_ADDRESS"]
    if roll < 0.40:
        return (f"Payment retried with card ending {test_card()[-4:]}; full number "
                f"{card_print_form(test_card())} was pasted in chat."), ["CREDIT_CARD_NUMBER"]
    return rng.choice([f"{kind.capitalize()} completed.", "Sent pricing sheet.",
                       "Discussed onboarding timeline.", "客户对方案满意", "No show."]), []


def write_activities():
    name = "activities.jsonl.gz"
    lines = []
    for i in range(1, 401):
        kind = rng.choice(["call", "email", "meeting", "note"])
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        note, embedded = activity_note(kind)
        for entity in embedded:
            seeded(name, "notes", entity)
        seeded(name, "contact_email", "EMAIL_ADDRESS")
        lines.append(json.dumps({
            "activity_id": f"act-{i:06d}",
            "type": kind,
            "timestamp": timestamp(180),
            "contact_email": f"{first.lower()}.{last.lower()}@example.com",
            "notes": note,
        }, ensure_ascii=False))
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as raw:
        # mtime=0 and no file name in the header keep the bytes reproducible.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
            out.write(payload)


# ---------------------------------------------------------------------------------------
# orders.tsv: decoys only
# ---------------------------------------------------------------------------------------

def luhn_passing_epoch_ms():
    """A 2024-2025 epoch-millisecond timestamp nudged to pass Luhn (13 digits, leading 17)."""
    while True:
        value = str(rng.randrange(1_704_067_200_000, 1_748_736_000_000))
        if luhn_ok(value):
            return value


def version_string():
    # Four parts like an IP address, but the build number is above 255 as real builds are.
    return f"{rng.randrange(1, 12)}.{rng.randrange(0, 30)}.{rng.randrange(0, 20)}." \
           f"{rng.randrange(1000, 30000)}"


def request_id():
    """A random UUID. Ones holding a long decimal run are drawn again: a digit run inside hex
    is no identifier, but a pattern without word boundaries would read it as one."""
    while True:
        value = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if not re.search(r"[0-9]{8}", value):
            return value


def write_orders():
    rows = []
    for i in range(1, 251):
        rows.append([
            f"SO{rng.randrange(24, 26)}{i:06d}",
            f"SKU-{letters(3)}-{rng.randrange(100, 999)}",
            str(rng.randrange(1, 20)),
            f"{rng.randrange(5, 5000)}.{rng.randrange(0, 100):02d}",
            rng.choice(["EUR", "USD", "GBP", "CNY"]),
            luhn_passing_epoch_ms(),
            version_string(),
            request_id(),
        ])
    with open(os.path.join(OUT, "orders.tsv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["order_no", "sku", "quantity", "amount", "currency", "created_ms",
                         "client_version", "request_id"])
        writer.writerows(rows)



# ---------------------------------------------------------------------------------------
# sf_Contact.csv and hubspot_contacts.csv: the layouts of a Salesforce Data Loader export and
# a HubSpot contacts export. Phones are written the national way (no country code; the country
# is in its own column), street addresses may span two lines, birth dates sit beside created /
# modified dates (which are not birth dates), and HubSpot records the visitor's IP address.
# ---------------------------------------------------------------------------------------

PLACEHOLDER_STREETS = {"US": ["Example Street", "Sample Avenue", "Placeholder Road"],
                       "GB": ["Example Road", "Sample Lane", "Specimen Street"],
                       "DE": ["Musterstraße", "Beispielweg", "Probegasse"]}
CITIES = {"US": [("Springfield", "62701"), ("Austin", "73301"), ("Portland", "97201")],
          "GB": [("London", "SW1A 1AA"), ("Leeds", "LS1 4AP"), ("Manchester", "M1 1AE")],
          "DE": [("Berlin", "10115"), ("Hamburg", "20095"), ("Köln", "50667")],
          "CN": [("北京市", "100020"), ("上海市", "200120"), ("深圳市", "518057")]}
COUNTRY_NAMES = {"US": "United States", "GB": "United Kingdom", "DE": "Germany", "CN": "China"}


def national_phone(country):
    """A phone number without its country code, from the ranges set aside for fiction."""
    if country == "US":
        return f"({rng.choice(['201', '212', '415', '617'])}) 555-01{rng.randrange(0, 100):02d}"
    if country == "GB":
        return f"020 7946 0{rng.randrange(0, 1000):03d}"
    if country == "DE":
        return f"030 1234 5{rng.randrange(0, 1000):03d}"
    d = cn_mobile_digits()
    return rng.choice([d, f"{d[:3]} {d[3:7]} {d[7:]}"])


def street_address(country):
    if country == "CN":
        return f"{rng.choice(CN_STREETS)}{rng.randrange(1, 300)}号{rng.randrange(1, 30)}栋{rng.randrange(101, 2000)}室"
    street = rng.choice(PLACEHOLDER_STREETS[country])
    line = f"{street} {rng.randrange(1, 200)}" if country == "DE" else f"{rng.randrange(1, 200)} {street}"
    if rng.random() < 0.3:
        line += "\n" + ("Hinterhaus" if country == "DE" else f"Suite {rng.randrange(100, 500)}")
    return line


def birth_date():
    return (dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 50 * 365))).isoformat()


def person_for(country, i):
    if country == "CN":
        surname, surname_py = rng.choice(CN_SURNAMES)
        given, given_py = rng.choice(CN_GIVEN)
        return given, surname, f"{surname_py}.{given_py}.{i}@example.cn"
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return first, last, f"{first.lower()}.{last.lower()}.{i}@{rng.choice(EMAIL_DOMAINS)}"


def write_sf_contacts():
    name = "sf_Contact.csv"
    header = ["Id", "FirstName", "LastName", "MailingStreet", "MailingCity", "MailingPostalCode",
              "MailingCountry", "Phone", "Email", "Birthdate", "CreatedDate", "LastModifiedDate"]
    rows = []
    for i in range(1, 121):
        country = rng.choice(["US", "GB", "DE", "CN"])
        first, last, email = person_for(country, i)
        city, postcode = rng.choice(CITIES[country])
        row = {"Id": f"0035g0000{i:06d}AAA", "FirstName": first, "LastName": last,
               "MailingStreet": street_address(country) if rng.random() < 0.8 else "",
               "MailingCity": city, "MailingPostalCode": postcode,
               "MailingCountry": rng.choice([country, COUNTRY_NAMES[country]]),
               "Phone": national_phone(country) if rng.random() < 0.85 else "",
               "Email": email, "Birthdate": birth_date() if rng.random() < 0.7 else "",
               "CreatedDate": timestamp(900).replace("Z", ".000Z"),
               "LastModifiedDate": timestamp(90).replace("Z", ".000Z")}
        for column, entity in (("FirstName", "PERSON_NAME"), ("LastName", "PERSON_NAME"),
                               ("MailingStreet", "POSTAL_ADDRESS"), ("Phone", "PHONE_NUMBER"),
                               ("Email", "EMAIL_ADDRESS"), ("Birthdate", "DATE_OF_BIRTH")):
            if row[column]:
                seeded(name, column, entity)
        rows.append([row[h] for h in header])
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)  # as Data Loader writes
        writer.writerow(header)
        writer.writerows(rows)


def documentation_ip():
    """An address from the ranges RFC 5737 / RFC 3849 reserve for documentation."""
    if rng.random() < 0.2:
        return f"2001:db8:{rng.randrange(0, 0xffff):x}::{rng.randrange(1, 0xffff):x}"
    return f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randrange(1, 255)}"


def write_hubspot_contacts():
    name = "hubspot_contacts.csv"
    header = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Street Address",
              "City", "Postal Code", "Country/Region", "Date of birth", "Contact owner",
              "Create Date", "Last Activity Date", "IP Address"]
    owners = ["Grace Example", "Heidi Sample", "Ivan Demo"]
    rows = []
    for i in range(1, 101):
        country = rng.choice(["US", "GB", "DE"])
        first, last, email = person_for(country, 500 + i)
        city, postcode = rng.choice(CITIES[country])
        row = {"Record ID": str(51000 + i * 7), "First Name": first, "Last Name": last,
               "Email": email, "Phone Number": national_phone(country) if rng.random() < 0.75 else "",
               "Street Address": street_address(country) if rng.random() < 0.7 else "",
               "City": city, "Postal Code": postcode, "Country/Region": COUNTRY_NAMES[country],
               "Date of birth": birth_date() if rng.random() < 0.6 else "",
               "Contact owner": rng.choice(owners),
               "Create Date": timestamp(900)[:16].replace("T", " "),
               "Last Activity Date": timestamp(60)[:16].replace("T", " "),
               "IP Address": documentation_ip() if rng.random() < 0.7 else ""}
        for column, entity in (("First Name", "PERSON_NAME"), ("Last Name", "PERSON_NAME"),
                               ("Email", "EMAIL_ADDRESS"), ("Phone Number", "PHONE_NUMBER"),
                               ("Street Address", "POSTAL_ADDRESS"),
                               ("Date of birth", "DATE_OF_BIRTH"), ("Contact owner", "PERSON_NAME"),
                               ("IP Address", "IP_ADDRESS")):
            if row[column]:
                seeded(name, column, entity)
        rows.append([row[h] for h in header])
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

# ---------------------------------------------------------------------------------------
# expected-findings.json
# ---------------------------------------------------------------------------------------

# Columns a scan must classify: structured columns where every value is the entity (names,
# street addresses and birth dates included), and free-text columns with embedded,
# checksum-valid values.
FREE_TEXT_COLUMNS = {"notes", "备注"}

# The sample database (crm-db/, loaded by scripts/pg-sandbox) and what a scan of it must list.
# Kept here so that expected-findings.json is written in one place; crm-db/schema.sql and
# crm-db/gen_data.py hold the tables and values.
DATABASE_FINDINGS = [
    ("crm.contacts", "first_name", "PERSON_NAME"), ("crm.contacts", "last_name", "PERSON_NAME"),
    ("crm.contacts", "email", "EMAIL_ADDRESS"), ("crm.contacts", "birthday", "DATE_OF_BIRTH"),
    ("crm.leads", "full_name", "PERSON_NAME"), ("crm.leads", "email", "EMAIL_ADDRESS"),
    ("crm.leads", "id_card", "CN_RESIDENT_ID"),
    ("crm.customers", "first_name", "PERSON_NAME"), ("crm.customers", "last_name", "PERSON_NAME"),
    ("crm.customers", "street", "POSTAL_ADDRESS"), ("crm.customers", "phone", "PHONE_NUMBER"),
    ("crm.customers", "email", "EMAIL_ADDRESS"),
    ("crm.staff", "first_name", "PERSON_NAME"), ("crm.staff", "last_name", "PERSON_NAME"),
    ("crm.staff", "birth_date", "DATE_OF_BIRTH"), ("crm.staff", "email", "EMAIL_ADDRESS"),
    ("crm.consents", "ip_address", "IP_ADDRESS"),
]

# Decoys: a dataset (all of it) or a column that a scan must leave out of the inventory.
CLEAN = [
    {"file": "orders.tsv"},
    {"file": "sf_Contact.csv", "column": "CreatedDate"},
    {"file": "sf_Contact.csv", "column": "LastModifiedDate"},
    {"file": "sf_Contact.csv", "column": "Id"},
    {"file": "hubspot_contacts.csv", "column": "Create Date"},
    {"file": "hubspot_contacts.csv", "column": "Last Activity Date"},
    {"file": "hubspot_contacts.csv", "column": "Record ID"},
    {"file": "contacts.csv", "column": "created_at"},
    {"file": "contacts.csv", "column": "company"},
    {"table": "crm.accounts", "column": "name"},
    {"table": "crm.customers", "column": "customer_since"},
    {"table": "crm.customers", "column": "created_at"},
    {"table": "crm.staff", "column": "hire_date"},
    {"table": "crm.staff", "column": "department"},
]


def write_expected_findings():
    findings = []
    for (file, column, entity), n in sorted(counts.items()):
        if column in FREE_TEXT_COLUMNS and n < 10:
            continue  # too few embedded values to insist on
        findings.append({"file": file, "column": column, "entity": entity})
    expected = {
        "findings": findings,
        "database_findings": [{"table": t, "column": c, "entity": e} for t, c, e in DATABASE_FINDINGS],
        "must_stay_clean": CLEAN,
    }
    with open(os.path.join(HERE, "expected-findings.json"), "w", encoding="utf-8") as out:
        json.dump(expected, out, ensure_ascii=False, indent=2)
        out.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    write_contacts()
    write_leads_cn()
    write_accounts()
    write_activities()
    write_orders()
    write_sf_contacts()
    write_hubspot_contacts()
    write_expected_findings()
    if "--print-counts" in sys.argv[1:]:
        print("| file | column | entity | rows seeded |")
        print("|---|---|---|---|")
        for (file, column, entity), n in sorted(counts.items()):
            print(f"| {file} | {column} | {entity} | {n} |")


if __name__ == "__main__":
    main()
