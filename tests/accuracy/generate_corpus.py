#!/usr/bin/python3
"""Labelled accuracy corpus for crmaudit's detectors (run by tests/accuracy/accuracy_test.cpp).

Writes one CRM-style CSV export per locale (en_US, de, fr, es, pt_BR, en_GB, zh_CN; the zh_CN
file is GB18030 with Chinese headers) and labels.json describing, per file:
  - "pii_columns":   column -> entity type every value of the column holds (formatted variants:
                     spaces, dashes, country prefixes, full-width digits);
  - "decoy_columns": columns of look-alikes that no detector may claim (order ids, epoch
                     milliseconds that pass Luhn, SKUs, UUIDs, amounts, four-part versions,
                     IBANs with a wrong check, cards that fail Luhn, 18-digit codes with a
                     wrong ID check character);
  - "free_text":     column -> entity type -> number of notes that embed at least one value of
                     that type (the profiler counts values, not occurrences).
Every value is synthetic and generated from a fixed seed, so the corpus is identical on every
run. crm_layouts.py adds seven files laid out like real CRM exports (Salesforce, HubSpot, Zoho,
Chinese CRMs, a SuiteCRM user table); its docstring describes them and the "optional_columns"
label. Usage: generate_corpus.py OUT_DIR [ROWS_PER_LOCALE]
"""

import json
import random
import string
import sys
import uuid
from pathlib import Path

# --- identifiers with valid check characters ------------------------------------------------


def luhn_check_digit(payload):
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number):
    return luhn_check_digit(number[:-1]) == number[-1]


def card(rng, kind=None):
    kind = kind or rng.choice(["visa", "mc", "amex", "unionpay", "unionpay19"])
    if kind == "visa":
        prefix, length = "4", 16
    elif kind == "mc":
        prefix, length = str(rng.randint(51, 55)), 16
    elif kind == "amex":
        prefix, length = rng.choice(["34", "37"]), 15
    elif kind == "unionpay":
        prefix, length = "62" + str(rng.randint(10, 99)), 16
    else:
        prefix, length = "62" + str(rng.randint(10, 99)), 19
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return body + luhn_check_digit(body)


def bad_card(rng):
    good = card(rng, rng.choice(["visa", "mc", "unionpay"]))
    return good[:-1] + str((int(good[-1]) + rng.randint(1, 9)) % 10)


def group4(text, sep=" "):
    return sep.join(text[i:i + 4] for i in range(0, len(text), 4))


IBAN_LENGTHS = {"DE": 22, "FR": 27, "ES": 24, "IT": 27, "NL": 18, "GB": 22, "PT": 25}


def iban_check(country, bban):
    rearranged = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return "%02d" % (98 - number % 97)


def iban(rng, country):
    n = IBAN_LENGTHS[country] - 4
    if country in ("GB", "NL"):
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(
            rng.choice(string.digits) for _ in range(n - 4))
    else:
        bban = "".join(rng.choice(string.digits) for _ in range(n))
    return country + iban_check(country, bban) + bban


def bad_iban(rng, country):
    good = iban(rng, country)
    check = int(good[2:4])
    wrong = (check + rng.randint(1, 50)) % 97
    if wrong < 2:
        wrong += 2
    return good[:2] + "%02d" % wrong + good[4:]


CN_REGIONS = ["110105", "110108", "310101", "310115", "440305", "440106", "320102", "330106",
              "510104", "420102"]
CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def cn_id_check(first17):
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, CN_WEIGHTS)) % 11]


def birth(rng):
    return rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)


def cn_resident_id(rng):
    y, m, d = birth(rng)
    first17 = "%s%04d%02d%02d%03d" % (rng.choice(CN_REGIONS), y, m, d, rng.randint(1, 999))
    return first17 + cn_id_check(first17)


def cn_bad_resident_id(rng):
    good = cn_resident_id(rng)
    wrong = rng.choice([c for c in "0123456789X" if c != good[-1]])
    return good[:-1] + wrong


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def cn_uscc(rng):
    body = rng.choice(["91", "92", "93", "11", "51", "52"]) + rng.choice(CN_REGIONS) + "".join(
        rng.choice(USCC_ALPHABET) for _ in range(9))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def cn_mobile(rng):
    return "1" + rng.choice("3456789") + "".join(rng.choice(string.digits) for _ in range(9))


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni(rng):
    n = rng.randint(10000000, 99999999)
    return "%08d%s" % (n, DNI_LETTERS[n % 23])


def es_nie(rng):
    prefix = rng.choice("XYZ")
    n = rng.randint(0, 9999999)
    return "%s%07d%s" % (prefix, n, DNI_LETTERS[("XYZ".index(prefix) * 10000000 + n) % 23])


IT_ODD = {}
for _i, _v in enumerate([1, 0, 5, 7, 9, 13, 15, 17, 19, 21]):
    IT_ODD[str(_i)] = _v
    IT_ODD[chr(ord("A") + _i)] = _v
for _c, _v in zip("KLMNOPQRSTUVWXYZ", [2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]):
    IT_ODD[_c] = _v


def it_fiscal_code(rng):
    letters = string.ascii_uppercase
    y, m, d = birth(rng)
    day = d + (40 if rng.random() < 0.5 else 0)
    body = ("".join(rng.choice("BCDFGLMNPRST") for _ in range(6)) + "%02d" % (y % 100) +
            "ABCDEHLMPRST"[m - 1] + "%02d" % day + rng.choice("ABCDEFGHLM") +
            "%03d" % rng.randint(1, 999))
    total = 0
    for i, c in enumerate(body):
        if i % 2 == 0:
            total += IT_ODD[c]
        else:
            total += int(c) if c.isdigit() else ord(c) - ord("A")
    return body + letters[total % 26]


def fr_nir(rng):
    y, m, _ = birth(rng)
    dept = "%02d" % rng.choice([1, 6, 13, 31, 33, 44, 59, 69, 75, 92, 93, 94])
    first13 = "%d%02d%02d%s%03d%03d" % (rng.randint(1, 2), y % 100, m, dept, rng.randint(1, 990),
                                        rng.randint(1, 999))
    return first13 + "%02d" % (97 - int(first13) % 97)


def de_tax_id(rng):
    while True:
        digits = rng.sample("0123456789", 9)
        if digits[0] == "0":
            continue
        repeat = rng.choice(digits)
        digits.insert(rng.randint(1, 9), repeat)
        first10 = "".join(digits)
        if first10[0] == "0":
            continue
        product = 10
        for ch in first10:
            s = (int(ch) + product) % 10
            if s == 0:
                s = 10
            product = (2 * s) % 11
        return first10 + str((11 - product) % 10)


def nl_bsn(rng):
    while True:
        first8 = "".join(rng.choice(string.digits) for _ in range(8))
        if first8[0] == "0":
            continue
        total = sum((9 - i) * int(c) for i, c in enumerate(first8))
        last = total % 11
        if last <= 9:
            return first8 + str(last)


def uk_nino(rng):
    first = rng.choice("ABCEGHJKLMNOPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    while first + second in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
        second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    return first + second + "%06d" % rng.randint(0, 999999) + rng.choice("ABCD")


def us_ssn(rng):
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return "%03d-%02d-%04d" % (area, rng.randint(1, 99), rng.randint(1, 9999))


def us_bad_ssn(rng):
    return "%03d-%02d-%04d" % (rng.randint(900, 999), rng.randint(1, 49), rng.randint(1, 9999))


def us_routing(rng):
    while True:
        first8 = "%02d" % rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 26, 31, 32]) + "".join(
            rng.choice(string.digits) for _ in range(6))
        d = [int(c) for c in first8]
        partial = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5])
        return first8 + str((10 - partial % 10) % 10)


def cn_passport(rng):
    if rng.random() < 0.5:
        return rng.choice("EG") + "%08d" % rng.randint(0, 99999999)
    return "E" + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + "%07d" % rng.randint(0, 9999999)


HEALTH = ["diabetes", "asthma", "hypertension", "pregnant", "depression", "epilepsy", "HIV positive"]
ETHNIC_ZH = ["汉族", "回族", "维吾尔族", "藏族", "蒙古族", "壮族", "满族"]
PRODUCT_TEXT = ["Charity pin supporting cancer research", "Sugar-free snacks, diabetic friendly",
                "Buddhist-inspired incense gift set", "Christmas hamper with Catholic-school crest",
                "Pride month rainbow mug, gay-owned bakery collab", "Party supplies: Republican red",
                "Union Jack tea towel", "Fingerprint-resistant phone case"]


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- locales ---------------------------------------------------------------------------------

FIRST = {
    "en_US": ["James", "Mary", "Robert", "Linda", "Michael", "Susan"],
    "en_GB": ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava"],
    "de": ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie"],
    "fr": ["Louis", "Camille", "Hugo", "Léa", "Jules", "Chloé"],
    "es": ["Hugo", "Lucía", "Martín", "Sofía", "Pablo", "Carmen"],
    "pt_BR": ["João", "Maria", "Pedro", "Ana", "Lucas", "Júlia"],
    "zh_CN": ["伟", "芳", "娜", "敏", "静", "磊"],
}
LAST = {
    "en_US": ["Smith", "Johnson", "Brown", "Garcia"],
    "en_GB": ["Taylor", "Evans", "Wilson", "Davies"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer"],
    "fr": ["Martin", "Bernard", "Dubois", "Lefèvre"],
    "es": ["García", "Fernández", "López", "Martínez"],
    "pt_BR": ["Silva", "Santos", "Oliveira", "Souza"],
    "zh_CN": ["王", "李", "张", "刘"],
}


def phone(rng, locale):
    if locale == "en_US":
        a = rng.choice([201, 212, 305, 312, 415, 512, 617, 646, 702, 718, 808, 917])
        b = rng.choice([x for x in range(230, 990) if x != 555 and x % 100 != 11])
        c = rng.randint(0, 9999)
        return rng.choice(["(%d) %d-%04d", "+1 %d-%d-%04d", "%d-%d-%04d"]) % (a, b, c)
    if locale == "en_GB":
        return rng.choice(["+44 7700 9%05d", "07700 9%05d"]) % rng.randint(0, 99999)
    if locale == "de":
        return rng.choice(["+49 151 %08d", "0151 %08d"]) % rng.randint(10000000, 99999999)
    if locale == "fr":
        n = "%08d" % rng.randint(0, 99999999)
        pretty = " ".join(n[i:i + 2] for i in range(0, 8, 2))
        return rng.choice(["+33 6 %s", "06 %s"]) % pretty
    if locale == "es":
        n = "%08d" % rng.randint(0, 99999999)
        return rng.choice(["+34 6%s %s %s", "6%s %s %s"]) % (n[:2], n[2:5], n[5:])
    if locale == "pt_BR":
        return "+55 11 9%04d-%04d" % (rng.randint(1000, 9999), rng.randint(0, 9999))
    m = cn_mobile(rng)
    return rng.choice([m, "+86 %s %s %s" % (m[:3], m[3:7], m[7:]), "0086" + m, full_width(m),
                       "%s-%s-%s" % (m[:3], m[3:7], m[7:])])


# Per locale: (header, entity, generator, formatter variants) for structured PII columns.
def structured_columns(locale):
    spaced = lambda v: group4(v, " ")  # noqa: E731
    dashed = lambda v: group4(v, "-")  # noqa: E731
    plain = lambda v: v  # noqa: E731
    cols = {
        "en_US": [("ssn", "US_SSN", us_ssn, [plain]),
                  ("routing_number", "US_BANK_ROUTING", us_routing, [plain]),
                  ("health_status", "SPECIAL_CATEGORY", lambda r: r.choice(HEALTH), [plain]),
                  ("api_token", "SECRET_KEY", lambda r: "".join(
                      r.choice(string.ascii_letters + string.digits) for _ in range(40)), [plain]),
                  ("credit_card", "CREDIT_CARD_NUMBER", lambda r: card(r, r.choice(["visa", "mc", "amex"])),
                   [plain, spaced, dashed])],
        "en_GB": [("national_insurance_number", "UK_NINO", uk_nino,
                   [plain, lambda v: "%s %s %s %s %s" % (v[:2], v[2:4], v[4:6], v[6:8], v[8])]),
                  ("iban", "IBAN_CODE", lambda r: iban(r, "GB"), [plain, spaced])],
        "de": [("Steuer-ID", "DE_TAX_ID", de_tax_id,
                [plain, lambda v: "%s %s %s %s" % (v[:2], v[2:5], v[5:8], v[8:])]),
               ("IBAN", "IBAN_CODE", lambda r: iban(r, "DE"), [plain, spaced]),
               ("BSN", "NL_BSN", nl_bsn, [plain, lambda v: "%s.%s.%s" % (v[:4], v[4:6], v[6:])])],
        "fr": [("numero_securite_sociale", "FR_NIR", fr_nir,
                [plain, lambda v: "%s %s %s %s %s %s %s" % (v[0], v[1:3], v[3:5], v[5:7], v[7:10],
                                                             v[10:13], v[13:])]),
               ("iban", "IBAN_CODE", lambda r: iban(r, "FR"), [plain, spaced])],
        "es": [("dni", "ES_DNI", es_dni, [plain, lambda v: v[:8] + "-" + v[8]]),
               ("nie", "ES_NIE", es_nie, [plain]),
               ("iban", "IBAN_CODE", lambda r: iban(r, "ES"), [plain, spaced])],
        "pt_BR": [("email", "EMAIL_ADDRESS", None, [plain]),
                  ("cartao_credito", "CREDIT_CARD_NUMBER", lambda r: card(r, r.choice(["visa", "mc"])),
                   [plain, spaced])],
        "zh_CN": [("身份证号", "CN_RESIDENT_ID", cn_resident_id, [plain, full_width]),
                  ("护照号码", "CN_PASSPORT", cn_passport, [plain]),
                  ("民族", "SPECIAL_CATEGORY", lambda r: r.choice(ETHNIC_ZH), [plain]),
                  ("统一社会信用代码", "CN_USCC", cn_uscc, [plain]),
                  ("手机", "PHONE_NUMBER", None, [plain]),
                  ("银行卡号", "CREDIT_CARD_NUMBER", lambda r: card(r, r.choice(["unionpay", "unionpay19"])),
                   [plain, spaced])],
    }
    return cols[locale]


# --- free text -------------------------------------------------------------------------------

CHECKSUM_MAKERS = {
    "en_US": [("US_SSN", us_ssn, "SSN {v}"), ("CREDIT_CARD_NUMBER", lambda r: card(r, "visa"), "card {v}"),
              ("IBAN_CODE", lambda r: iban(r, "DE"), "wire to IBAN {v}")],
    "en_GB": [("UK_NINO", uk_nino, "NI number {v}"), ("IBAN_CODE", lambda r: iban(r, "GB"), "IBAN {v}"),
              ("CREDIT_CARD_NUMBER", lambda r: card(r, "mc"), "paid by card {v}")],
    "de": [("DE_TAX_ID", de_tax_id, "Steuer-ID {v}"), ("IBAN_CODE", lambda r: iban(r, "DE"),
                                                       "Bankverbindung IBAN {v}"),
           ("CREDIT_CARD_NUMBER", lambda r: card(r, "visa"), "Kreditkarte {v}")],
    "fr": [("FR_NIR", fr_nir, "numéro de sécurité sociale {v}"),
           ("IBAN_CODE", lambda r: iban(r, "FR"), "RIB / IBAN {v}"),
           ("CREDIT_CARD_NUMBER", lambda r: card(r, "mc"), "carte bancaire {v}")],
    "es": [("ES_DNI", es_dni, "DNI {v}"), ("ES_NIE", es_nie, "NIE {v}"),
           ("IBAN_CODE", lambda r: iban(r, "ES"), "cuenta IBAN {v}")],
    "pt_BR": [("CREDIT_CARD_NUMBER", lambda r: card(r, "visa"), "cartão {v}"),
              ("IBAN_CODE", lambda r: iban(r, "PT"), "IBAN {v}"),
              ("IT_FISCAL_CODE", it_fiscal_code, "codice fiscale {v}")],
    "zh_CN": [("CN_RESIDENT_ID", cn_resident_id, "身份证号{v}"), ("CN_USCC", cn_uscc, "统一社会信用代码{v}"),
              ("CREDIT_CARD_NUMBER", lambda r: card(r, "unionpay"), "银行卡号{v}")],
}

# Prefixes inside ranges libphonenumber's metadata lists as allocated mobile blocks.
INTL_PHONE = {"en_GB": "+44 7700 1%05d", "de": "+49 151 %08d", "fr": "+33 6 12 %06d",
              "es": "+34 6%08d", "pt_BR": "+55 11 9%04d-%04d"}


def intl_phone(locale):
    """A phone number as written in a note: international form outside the US and China, since
    the scan's default region (US) cannot read a French or German national number."""
    def make(rng):
        if locale in ("en_US", "zh_CN"):
            return phone(rng, locale)
        template = INTL_PHONE[locale]
        if template.count("%") == 2:
            return template % (rng.randint(1000, 9999), rng.randint(0, 9999))
        digits = {"en_GB": 5, "fr": 6}.get(locale, 8)
        return template % rng.randint(10 ** (digits - 1), 10 ** digits - 1)
    return make


NOTE_PHONE_WORD = {"en_US": "call back on ", "en_GB": "mobile ", "de": "Handy ", "fr": "portable ",
                   "es": "móvil ", "pt_BR": "celular ", "zh_CN": "客户手机"}
SPECIAL_NOTE = {"en_US": "patient diagnosed with %s", "en_GB": "client mentioned a medical condition: %s",
                "de": "Patient hat Diagnose %s", "fr": "patient, diagnostic %s", "es": "paciente con diagnóstico de %s",
                "pt_BR": "paciente com diagnóstico de %s", "zh_CN": "客户确诊%s"}
SPECIAL_TERMS = {"zh_CN": ["糖尿病", "高血压", "抑郁症", "哮喘"]}
PASSWORD_NOTE = {"zh_CN": "密码：%s"}


def password_value(rng):
    return rng.choice(["Sommer", "Winter", "Hello", "Bayern", "Paris", "Tiger"]) + str(
        rng.randint(1000, 9999)) + rng.choice("!#$%?")


OTHER_MAKERS = {
    locale: [
        ("PHONE_NUMBER", lambda r, l=locale: NOTE_PHONE_WORD[l] + intl_phone(l)(r)),
        ("EMAIL_ADDRESS", lambda r, l=locale: ("邮箱%s" if l == "zh_CN" else "mail %s") % email(r, "kunde", "x")),
        ("SPECIAL_CATEGORY", lambda r, l=locale: SPECIAL_NOTE[l] % r.choice(
            SPECIAL_TERMS.get(l, ["diabetes", "asthma", "epilepsy", "cancer"]))),
        ("PLAINTEXT_PASSWORD", lambda r, l=locale: PASSWORD_NOTE.get(l, "password=%s") % password_value(r)),
        ("SECRET_KEY", lambda r, l=locale: ("接口" if l == "zh_CN" else "") + r.choice(
            ["api_key=%s", "Authorization: Bearer %s", "token: %s"]) % "".join(
            r.choice(string.ascii_letters + string.digits) for _ in range(32))),
    ]
    for locale in ["en_US", "de", "fr", "es", "pt_BR", "en_GB", "zh_CN"]
}

OPENERS = {
    "en_US": ["Customer called about the renewal,", "Left a voicemail;", "Per the signed form,"],
    "en_GB": ["Rang the client re: invoice,", "Meeting notes:", "Client confirmed by post,"],
    "de": ["Kunde hat angerufen,", "Rückruf vereinbart:", "Laut Formular"],
    "fr": ["Le client a appelé,", "Rappel prévu :", "Selon le formulaire signé,"],
    "es": ["El cliente llamó,", "Pendiente de revisar:", "Según el formulario firmado,"],
    "pt_BR": ["Cliente ligou sobre a renovação,", "Reunião registrada:", "Conforme o formulário,"],
    "zh_CN": ["客户来电咨询续费，", "回访记录：", "根据签署的表格，"],
}
CLOSERS = {
    "en_US": ["please verify.", "follow up next week.", "ticket closed."],
    "en_GB": ["to be checked.", "chase on Monday.", "all sorted."],
    "de": ["bitte prüfen.", "nächste Woche nachfassen.", "erledigt."],
    "fr": ["à vérifier.", "relancer la semaine prochaine.", "dossier clos."],
    "es": ["por favor verificar.", "seguimiento la próxima semana.", "cerrado."],
    "pt_BR": ["favor verificar.", "retornar semana que vem.", "encerrado."],
    "zh_CN": ["已确认", "下周跟进", "请核实"],
}


DECOY_LABELS = {"order": ("order ", "订单号"), "ts": ("ts=", "时间戳"), "build": ("build ", "版本"),
                "ref": ("ref ", "参考号"), "id": ("id ", "编号")}


def decoy_snippet(rng, locale):
    """Look-alikes written into notes: none of them is personal data."""
    kind = rng.choice(sorted(DECOY_LABELS))
    label = DECOY_LABELS[kind][1 if locale == "zh_CN" else 0]
    if kind == "order":
        value = str(rng.randint(10 ** 9, 10 ** 10 - 1))
    elif kind == "ts":
        value = str(luhn_timestamp(rng))
    elif kind == "build":
        value = "%d.%d.%d.%d" % (rng.randint(1, 9), rng.randint(0, 30), rng.randint(0, 9),
                                 rng.randint(100, 9999))
    elif kind == "ref":
        value = bad_iban(rng, rng.choice(["DE", "FR", "ES", "GB"]))
    else:
        value = str(uuid.UUID(int=rng.getrandbits(128)))
    return label + value


def luhn_timestamp(rng):
    while True:
        ts = rng.randint(1_600_000_000_000, 1_800_000_000_000)
        if luhn_ok(str(ts)):
            return ts


def note(rng, locale, counts):
    makers = CHECKSUM_MAKERS[locale]
    parts = [rng.choice(OPENERS[locale])]
    chosen = set()
    for entity, make, template in makers:
        if rng.random() < 0.35:
            value = make(rng)
            if locale == "zh_CN" and rng.random() < 0.2:
                value = full_width(value)
            parts.append(template.format(v=value))
            chosen.add(entity)
    for entity, make in OTHER_MAKERS[locale]:
        if rng.random() < 0.2:
            parts.append(make(rng))
            chosen.add(entity)
    if rng.random() < 0.4:
        parts.append(decoy_snippet(rng, locale))
    parts.append(rng.choice(CLOSERS[locale]))
    for entity in chosen:
        counts[entity] = counts.get(entity, 0) + 1
    # Chinese prose runs values into the text with no spaces around them.
    return ("" if locale == "zh_CN" else " ").join(parts)


# --- decoys ----------------------------------------------------------------------------------


def decoys(rng, locale):
    row = {
        "order_id": str(rng.randint(10 ** 10, 10 ** 11 - 1)),
        "created_ms": str(luhn_timestamp(rng)),
        "sku": "SKU-%05d-%s" % (rng.randint(0, 99999), rng.choice(["BLK", "RED", "XL", "M"])),
        "session_uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        "amount": "%d.%02d" % (rng.randint(1, 99999), rng.randint(0, 99)),
        "app_version": "%d.%d.%d.%d" % (rng.randint(1, 12), rng.randint(0, 40), rng.randint(0, 9),
                                        rng.randint(1000, 99999)),
        "rejected_iban": bad_iban(rng, rng.choice(["DE", "FR", "ES", "GB", "NL", "IT"])),
        "test_card": bad_card(rng),
    }
    if locale == "zh_CN":
        row["批次编码"] = cn_bad_resident_id(rng)  # 18 digits, wrong ID check character
    if locale == "en_US":
        row["batch_ref"] = us_bad_ssn(rng)  # SSN shape in the never-issued 900 range
        row["product_description"] = rng.choice(PRODUCT_TEXT)
        row["description"] = rng.choice(PRODUCT_TEXT)  # a free-text column: no context words
    return row


# --- files -----------------------------------------------------------------------------------

ZH_HEADERS = {"name": "客户名称", "email": "邮箱", "notes": "备注"}


def email(rng, first, last):
    local = "".join(c for c in (first + "." + last).lower() if c.isascii() and c.isalpha() or c == ".")
    if len(local) < 3:
        local = "user%d" % rng.randint(100, 9999)
    return "%s%d@%s" % (local, rng.randint(1, 99), rng.choice(["example.com", "mail.example.org",
                                                               "example.net"]))


def write_locale(out_dir, locale, rows, rng):
    columns = structured_columns(locale)
    headers = ["customer_name"]
    if locale == "zh_CN":
        headers = [ZH_HEADERS["name"]]
    if locale != "pt_BR":
        headers.append(ZH_HEADERS["email"] if locale == "zh_CN" else "email")
    headers += [c[0] for c in columns]
    notes_header = ZH_HEADERS["notes"] if locale == "zh_CN" else "notes"
    headers.append(notes_header)
    decoy_headers = list(decoys(random.Random(0), locale).keys())
    headers += decoy_headers

    counts = {}
    lines = []
    for _ in range(rows):
        first, last = rng.choice(FIRST[locale]), rng.choice(LAST[locale])
        name = last + first if locale == "zh_CN" else first + " " + last
        record = {headers[0]: name}
        mail = email(rng, "kehu" if locale == "zh_CN" else first, last if locale != "zh_CN" else "")
        if locale != "pt_BR":
            record[headers[1]] = mail
        for header, entity, make, variants in columns:
            if entity == "EMAIL_ADDRESS":
                value = mail
            elif entity == "PHONE_NUMBER":
                value = phone(rng, locale)
            else:
                value = rng.choice(variants)(make(rng))
            record[header] = value
        record[notes_header] = note(rng, locale, counts)
        record.update(decoys(rng, locale))
        lines.append([record[h] for h in headers])

    def csv_field(value):
        if any(c in value for c in ',"\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    text = "\n".join(",".join(csv_field(v) for v in line) for line in [headers] + lines) + "\n"
    name = "crm_%s.csv" % locale
    encoding = "gb18030" if locale == "zh_CN" else "utf-8"
    (out_dir / name).write_bytes(text.encode(encoding))
    pii = {c[0]: c[1] for c in columns}
    pii[headers[0]] = "PERSON_NAME"  # customer_name / 客户名称: given name and family name
    if locale != "pt_BR":
        pii[headers[1]] = "EMAIL_ADDRESS"
    return name, {
        "optional_columns": {},
        "pii_values": {column: rows for column in pii},
        "locale": locale,
        "encoding": encoding,
        "rows": rows,
        "pii_columns": pii,
        "decoy_columns": decoy_headers,
        "free_text": {notes_header: counts},
    }


def main():
    out_dir = Path(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 700
    out_dir.mkdir(parents=True, exist_ok=True)
    labels = {}
    for i, locale in enumerate(["en_US", "de", "fr", "es", "pt_BR", "en_GB", "zh_CN"]):
        rng = random.Random(20261124 + i)
        name, label = write_locale(out_dir, locale, rows, rng)
        labels[name] = label
    # CRM export layouts (Salesforce, HubSpot, Zoho, Chinese CRMs, SuiteCRM users): crm_layouts.py.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import crm_layouts
    labels.update(crm_layouts.write_layouts(out_dir, rows / 700.0))
    # Labels live beside, not inside, the scanned directory's CSV set: the test scans only *.csv.
    (out_dir.parent / (out_dir.name + ".labels.json")).write_text(
        json.dumps(labels, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
