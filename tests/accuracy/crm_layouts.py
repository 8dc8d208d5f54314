"""CRM export layouts for the accuracy corpus (imported by generate_corpus.py).

Eight files laid out like publicly documented CRM exports, with the mess real exports have:
  - sf_Contact.csv, sf_Account.csv: Salesforce Data Loader / weekly export (API field names,
    every field quoted, ISO dates, CreatedDate as 2024-03-05T10:22:13.000Z);
  - hubspot_contacts.csv: HubSpot contacts export (display names: "Record ID", "First Name",
    "Phone Number", "Country/Region", "Contact owner", "Create Date", "IP Address"...);
  - zoho_Leads.csv: Zoho CRM Leads export (API names: Lead_Owner, First_Name, Zip_Code...);
  - xiaoshouyi_个人客户.csv: a Chinese CRM's individual-customer list (纷享销客/销售易-like:
    客户名称 is the person, 手机, 座机, 地址, 出生日期, 身份证号, 备注), GB18030 with CRLF;
  - fxiaoke_企业客户.csv: a Chinese CRM's company-customer list (客户名称 is the company, 地址 is
    the company's address, 联系人 the person), UTF-8 with a byte-order mark;
  - sf_Task.csv: Salesforce tasks (logged calls and meetings) whose Description notes carry
    most of the free-text entities; a task has no country, so its notes write phones the
    international way;
  - suitecrm_users.csv: a self-hosted CRM's user table (SuiteCRM `users`: user_name,
    user_hash...) with a legacy plaintext password column and the last login IP.

The mess: 20-40 % empty cells in optional columns; phones of ten countries written the national
way (the country in another column) and the international way; two values in one cell
(`a@x.com; b@y.com`, `+49 30 1234567 / 0170 2348589`); multi-line quoted street addresses;
notes in several languages embedding identifiers after their context word (`Klant gaf BSN …
door`, `SSN …`, `身份证号…`), IP addresses and e-mails; and a decoy for each entity type:
company names and company addresses, city, product and job-title names, created / modified /
close / customer-since dates, four-part version strings and OIDs, order numbers, usernames,
ITIN-shaped references with no ITIN context, IBANs (which are not cards).

Names, streets and cities are short hand-written lists of common values (no test-data
generator, and nothing from the detectors' data in policies/). Identifiers carry their real
check digits. Labels are the truth about each value, whatever any detector finds:
  - pii_columns:      column -> the entity every non-empty value holds;
  - pii_values:       column -> its non-empty cells (a cell with two values counts once);
  - optional_columns: column -> entity types a claim may name without being false (a city or
                      postcode column is part of a person's postal address, but not one alone);
  - decoy_columns:    columns no detector may claim;
  - free_text:        column -> entity type -> number of notes embedding at least one value.
"""

import random
import string
import uuid

import generate_corpus as base

# --- people and places, by country --------------------------------------------------------------

FIRST = {
    "US": ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
           "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
           "Sarah", "Christopher", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony",
           "Betty", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily"],
    "GB": ["Oliver", "Olivia", "George", "Amelia", "Harry", "Isla", "Jack", "Ava", "Charlie",
           "Emily", "Thomas", "Sophie", "Oscar", "Grace", "William", "Lily", "James", "Jessica",
           "Alfie", "Poppy", "Henry", "Freya", "Joshua", "Evie", "Daniel", "Ruby"],
    "DE": ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Leon", "Laura", "Maximilian",
           "Julia", "Paul", "Sophie", "Tim", "Katharina", "Jan", "Sarah", "Niklas", "Lena",
           "Stefan", "Sabine", "Andreas", "Petra", "Thomas", "Claudia", "Jürgen", "Ursula",
           "Matthias", "Birgit", "Wolfgang", "Monika"],
    "FR": ["Louis", "Camille", "Hugo", "Léa", "Jules", "Chloé", "Gabriel", "Manon", "Arthur",
           "Inès", "Nathan", "Sarah", "Théo", "Emma", "Lucas", "Juliette", "Nicolas", "Céline",
           "Philippe", "Nathalie", "Julien", "Isabelle", "Mathieu", "Sandrine", "François",
           "Hélène"],
    "ES": ["Hugo", "Lucía", "Martín", "Sofía", "Pablo", "Carmen", "Alejandro", "María", "Daniel",
           "Paula", "Javier", "Laura", "Sergio", "Marta", "Álvaro", "Elena", "Adrián", "Cristina",
           "Jorge", "Raquel", "Diego", "Nuria", "Iván", "Pilar"],
    "IT": ["Francesco", "Giulia", "Alessandro", "Chiara", "Lorenzo", "Francesca", "Matteo",
           "Sara", "Andrea", "Valentina", "Marco", "Federica", "Giuseppe", "Elisa", "Luca",
           "Martina", "Davide", "Silvia", "Stefano", "Paola", "Giovanni", "Alessia"],
    "NL": ["Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Sophie", "Jesse", "Tess",
           "Thijs", "Fenna", "Bram", "Anouk", "Ruben", "Lotte", "Sander", "Marieke", "Joost",
           "Femke", "Pieter", "Ingrid"],
    "BR": ["João", "Maria", "Pedro", "Ana", "Lucas", "Júlia", "Gabriel", "Beatriz", "Rafael",
           "Larissa", "Mateus", "Fernanda", "Gustavo", "Camila", "Thiago", "Letícia", "Bruno",
           "Mariana", "Felipe", "Aline", "Rodrigo", "Patrícia"],
    "PT": ["João", "Maria", "Rodrigo", "Leonor", "Martim", "Matilde", "Tomás", "Beatriz",
           "Duarte", "Carolina", "Afonso", "Inês", "Diogo", "Mariana", "Rui", "Sofia", "Nuno",
           "Ana", "Tiago", "Catarina"],
}
LAST = {
    "US": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
           "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas",
           "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
           "Lewis", "Robinson", "Walker", "Young", "Allen", "King"],
    "GB": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
           "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
           "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Edwards"],
    "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
           "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
           "Hartmann", "Lange", "Schmitt", "Werner", "Krause"],
    "FR": ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
           "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David",
           "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine"],
    "ES": ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
           "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
           "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres"],
    "IT": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
           "Giordano", "Rizzo", "Lombardi", "Moretti"],
    "NL": ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
           "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
           "Hendriks", "van Leeuwen", "Dekker", "Brouwer"],
    "BR": ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
           "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
           "Soares", "Fernandes", "Vieira", "Barbosa"],
    "PT": ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
           "Martins", "Jesus", "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques",
           "Alves", "Almeida", "Ribeiro", "Pinto", "Carvalho"],
}
CN_SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
               "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
               "邓", "曹", "欧阳", "司马"]
CN_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
            "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "文博", "子涵",
            "欣怡", "浩然", "雨桐", "宇轩", "思远", "嘉怡", "志强", "海燕", "春梅", "立新"]

STREET = {
    "US": ["Oak Street", "Maple Avenue", "Cedar Lane", "Washington Blvd", "Lake Drive",
           "Sunset Road", "Park Avenue", "Elm Street", "Hillcrest Drive", "Main Street"],
    "GB": ["High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane",
           "Manor Road", "Park Road", "Queens Road", "Mill Lane", "Kings Road"],
    "DE": ["Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Lindenstraße",
           "Bergstraße", "Kirchweg", "Am Markt", "Goethestraße", "Rosenweg"],
    "FR": ["rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Voltaire",
           "rue des Lilas", "place de la Mairie", "chemin des Vignes", "rue Pasteur"],
    "ES": ["Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución", "Calle Real",
           "Paseo de Gracia", "Calle del Sol", "Plaza de España", "Calle San Vicente"],
    "IT": ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Viale della Vittoria",
           "Via Dante Alighieri", "Piazza Cavour", "Via Verdi"],
    "NL": ["Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsplein", "Schoolstraat",
           "Julianalaan", "Beukenlaan", "Prinsengracht"],
    "BR": ["Rua das Flores", "Avenida Paulista", "Rua XV de Novembro", "Rua da Consolação",
           "Avenida Atlântica", "Rua São Bento", "Rua Augusta", "Avenida Brasil"],
    "PT": ["Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Rua do Carmo",
           "Avenida da República", "Rua Direita", "Travessa do Forno", "Largo do Chiado"],
}
# City names: many read like given names or surnames (Florence, Charlotte, Lincoln, Jackson...).
CITY = {
    "US": ["Austin", "Charlotte", "Jackson", "Lincoln", "Madison", "Florence", "Tyler",
           "Denver", "Portland", "Springfield", "Savannah", "Eugene"],
    "GB": ["Leeds", "Chester", "Lincoln", "Bristol", "York", "Durham", "Preston", "Sheffield",
           "Norwich", "Exeter"],
    "DE": ["Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart",
           "Düsseldorf", "Leipzig", "Dresden", "Hannover"],
    "FR": ["Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Bordeaux", "Lille",
           "Saint-Étienne", "Valence"],
    "ES": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Murcia",
           "Palma", "Santiago", "Victoria"],
    "IT": ["Roma", "Milano", "Napoli", "Torino", "Palermo", "Genova", "Bologna", "Firenze",
           "Ancona", "Lucca"],
    "NL": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
           "Breda", "Nijmegen", "Haarlem", "Arnhem"],
    "BR": ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Salvador",
           "Fortaleza", "Recife", "Porto Alegre", "Vitória", "Natal"],
    "PT": ["Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Aveiro", "Évora", "Setúbal"],
}
COUNTRY_WRITTEN = {  # how a CRM user types the country: ISO code, English or local name
    "US": ["US", "United States", "USA"], "GB": ["GB", "United Kingdom", "UK"],
    "DE": ["DE", "Germany", "Deutschland"], "FR": ["FR", "France"], "ES": ["ES", "Spain", "España"],
    "IT": ["IT", "Italy", "Italia"], "NL": ["NL", "Netherlands", "Nederland"],
    "BR": ["BR", "Brazil", "Brasil"], "PT": ["PT", "Portugal"],
}
COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "BR", "PT"]

CN_PLACES = [("北京市", "", ["朝阳区", "海淀区", "东城区", "丰台区"]),
             ("上海市", "", ["浦东新区", "徐汇区", "静安区", "闵行区"]),
             ("广东省", "深圳市", ["南山区", "福田区", "宝安区"]),
             ("广东省", "广州市", ["天河区", "越秀区", "番禺区"]),
             ("浙江省", "杭州市", ["西湖区", "余杭区", "滨江区"]),
             ("江苏省", "南京市", ["鼓楼区", "玄武区"]),
             ("四川省", "成都市", ["武侯区", "锦江区", "高新区"]),
             ("湖北省", "武汉市", ["洪山区", "江汉区"])]
CN_ROADS = ["建国路", "中山路", "人民路", "解放大道", "科技园南路", "文三路", "长安街", "淮海中路",
            "天府大道", "珞喻路", "中关村大街", "世纪大道"]
CN_LANDLINE_AREA = {"北京市": "010", "上海市": "021", "深圳市": "0755", "广州市": "020",
                    "杭州市": "0571", "南京市": "025", "成都市": "028", "武汉市": "027"}


def digits(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def person(rng, country):
    return rng.choice(FIRST[country]), rng.choice(LAST[country])


def cn_person(rng):
    return rng.choice(CN_SURNAMES) + rng.choice(CN_GIVEN)


def street_line(rng, country):
    s, n = rng.choice(STREET[country]), rng.randint(1, 250)
    if country in ("US", "GB"):
        line = "%d %s" % (n, s)
        if rng.random() < 0.3:
            line += "\n" + rng.choice(["Apt %d%s" % (rng.randint(1, 30), rng.choice("ABCD")),
                                       "Suite %d" % rng.randint(100, 900), "Flat %d" % rng.randint(1, 20)])
    elif country == "FR":
        line = "%d %s" % (n, s)
        if rng.random() < 0.3:
            line += "\n" + rng.choice(["Bâtiment B", "Appartement %d" % rng.randint(1, 40), "3e étage"])
    elif country == "ES":
        line = "%s %d, %dº %s" % (s, n, rng.randint(1, 9), rng.choice("ABCD"))
    elif country in ("BR",):
        line = "%s, %d" % (s, n)
        if rng.random() < 0.3:
            line += "\nApto %d" % rng.randint(11, 1204)
    elif country == "PT":
        line = "%s %d, %dº %s" % (s, n, rng.randint(1, 8), rng.choice(["Esq", "Dto"]))
    else:  # DE, IT, NL: street then number
        line = "%s %d" % (s, n)
        if rng.random() < 0.3:
            line += "\n" + {"DE": "Hinterhaus, 2. OG", "IT": "Scala B, interno %d" % rng.randint(1, 20),
                            "NL": "%s" % rng.choice(["bus 2", "3 hoog"])}[country]
    return line


def postcode(rng, country):
    if country == "US":
        return "%05d" % rng.randint(10001, 99950)
    if country == "GB":
        return "%s%d %d%s" % (rng.choice(["SW", "NW", "LS", "M", "B", "CH", "YO", "EX"]), rng.randint(1, 19),
                              rng.randint(1, 9), "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2)))
    if country == "NL":
        return "%d %s" % (rng.randint(1011, 9999), "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2)))
    if country == "BR":
        return "%05d-%03d" % (rng.randint(1000, 99999), rng.randint(0, 999))
    if country == "PT":
        return "%04d-%03d" % (rng.randint(1000, 9999), rng.randint(0, 999))
    return "%05d" % rng.randint(1000, 98000)


def cn_address(rng, company=False):
    province, city, districts = rng.choice(CN_PLACES)
    road = rng.choice(CN_ROADS)
    text = province + city + rng.choice(districts) + road + "%d号" % rng.randint(1, 999)
    if company:
        return text + rng.choice(["%s大厦%d层" % (rng.choice(["国贸", "科技", "环球", "金融"]), rng.randint(2, 40)),
                                  "%d号楼" % rng.randint(1, 12), "产业园%d栋" % rng.randint(1, 9)])
    return text + rng.choice(["%d号楼%d单元%d室" % (rng.randint(1, 30), rng.randint(1, 6), rng.randint(101, 2804)),
                              "%d栋%d室" % (rng.randint(1, 20), rng.randint(101, 3302)),
                              "%s小区%d-%d-%d" % (rng.choice(["阳光", "翠苑", "锦绣", "和平"]), rng.randint(1, 30),
                                                rng.randint(1, 6), rng.randint(101, 1802))])


# --- phones: national and international, in ranges allocated in each country -------------------


def us_number(rng):
    area = rng.choice([201, 212, 305, 312, 404, 415, 512, 617, 646, 702, 713, 718, 808, 917])
    exchange = rng.choice([x for x in range(230, 990) if x != 555 and x % 100 != 11])
    return str(area), str(exchange), "%04d" % rng.randint(0, 9999)


def phone(rng, country, kind):
    """(national form, international form) of a mobile or landline number of `country`."""
    if country == "US":
        a, b, c = us_number(rng)
        nat = rng.choice(["(%s) %s-%s", "%s-%s-%s", "%s.%s.%s"]) % (a, b, c)
        return nat, "+1 %s %s %s" % (a, b, c)
    if country == "GB":
        if kind == "mobile":
            rest = rng.choice(["7723", "7841", "7956", "7403"]) + digits(rng, 6)
            return "0%s %s" % (rest[:4], rest[4:]), "+44 %s %s" % (rest[:4], rest[4:])
        rest = "20" + rng.choice("378") + digits(rng, 7)
        return "0%s %s %s" % (rest[:2], rest[2:6], rest[6:]), "+44 %s %s %s" % (rest[:2], rest[2:6], rest[6:])
    if country == "DE":
        if kind == "mobile":
            prefix = rng.choice(["151", "160", "170", "171", "172", "175", "176", "179"])
            rest = digits(rng, 8 if prefix in ("151", "176", "160") else 7)
            return "0%s %s" % (prefix, rest), "+49 %s %s" % (prefix, rest)
        area = rng.choice(["30", "40", "89", "221", "69", "711"])
        rest = rng.choice("2345678") + digits(rng, 7 if len(area) == 2 else 6)
        return "0%s %s" % (area, rest), "+49 %s %s" % (area, rest)
    if country == "FR":
        if kind == "mobile":
            rest = rng.choice(["6" + rng.choice("0124578"), "7" + rng.choice("3456789")]) + digits(rng, 7)
        else:
            rest = rng.choice(["1", "4", "5"]) + rng.choice("2345678") + digits(rng, 7)
        pairs = " ".join(rest[i:i + 2] for i in range(1, 9, 2))
        return "0%s %s" % (rest[0], pairs), "+33 %s %s" % (rest[0], pairs)
    if country == "ES":
        if kind == "mobile":
            rest = "6" + digits(rng, 8)
            return "%s %s %s" % (rest[:3], rest[3:6], rest[6:]), "+34 %s %s %s" % (rest[:3], rest[3:6], rest[6:])
        rest = rng.choice(["91", "93", "96", "95"]) + rng.choice("2345") + digits(rng, 6)
        return "%s %s %s %s" % (rest[:2], rest[2:5], rest[5:7], rest[7:]), "+34 %s %s %s %s" % (
            rest[:2], rest[2:5], rest[5:7], rest[7:])
    if country == "IT":
        if kind == "mobile":
            rest = "3" + rng.choice(["20", "28", "33", "35", "38", "40", "47", "49", "66", "88", "93"]) + digits(rng, 7)
            return "%s %s %s" % (rest[:3], rest[3:6], rest[6:]), "+39 %s %s %s" % (rest[:3], rest[3:6], rest[6:])
        rest = rng.choice(["06", "02"]) + rng.choice("3456789") + digits(rng, 7)
        return "%s %s %s" % (rest[:2], rest[2:6], rest[6:]), "+39 %s %s %s" % (rest[:2], rest[2:6], rest[6:])
    if country == "NL":
        if kind == "mobile":
            rest = "6" + rng.choice("12345") + digits(rng, 7)
            return "0%s %s" % (rest[0], rest[1:]), "+31 %s %s" % (rest[0], rest[1:])
        rest = rng.choice(["20", "10", "30"]) + rng.choice("3456789") + digits(rng, 6)
        return "0%s %s %s" % (rest[:2], rest[2:5], rest[5:]), "+31 %s %s %s" % (rest[:2], rest[2:5], rest[5:])
    if country == "BR":
        ddd = rng.choice(["11", "21", "31", "41", "51", "61", "71", "81"])
        if kind == "mobile":
            rest = "9" + rng.choice("6789") + digits(rng, 7)
            return "(%s) %s-%s" % (ddd, rest[:5], rest[5:]), "+55 %s %s-%s" % (ddd, rest[:5], rest[5:])
        rest = rng.choice("2345") + digits(rng, 7)
        return "(%s) %s-%s" % (ddd, rest[:4], rest[4:]), "+55 %s %s-%s" % (ddd, rest[:4], rest[4:])
    if country == "PT":
        if kind == "mobile":
            rest = "9" + rng.choice("1236") + digits(rng, 7)
        else:
            rest = "2" + rng.choice("12") + rng.choice("2345678") + digits(rng, 6)
        return "%s %s %s" % (rest[:3], rest[3:6], rest[6:]), "+351 %s %s %s" % (rest[:3], rest[3:6], rest[6:])
    raise ValueError(country)


def cn_landline(rng, city=None):
    area = CN_LANDLINE_AREA.get(city) or rng.choice(sorted(CN_LANDLINE_AREA.values()))
    rest = rng.choice("2345678") + digits(rng, 7)
    return rng.choice(["%s-%s %s" % (area, rest[:4], rest[4:]), "%s-%s" % (area, rest),
                       "(%s)%s" % (area, rest), "%s %s" % (area, rest)])


def cn_mobile_written(rng):
    m = base.cn_mobile(rng)
    return rng.choice([m, m, "%s %s %s" % (m[:3], m[3:7], m[7:]), "%s-%s-%s" % (m[:3], m[3:7], m[7:]),
                       "+86 %s" % m])


def written_phone(rng, country, kind, national_share=0.6):
    nat, intl = phone(rng, country, kind)
    return nat if rng.random() < national_share else intl


# --- other values -------------------------------------------------------------------------------


def birth_date(rng):
    return rng.randint(1936, 2007), rng.randint(1, 12), rng.randint(1, 28)


def timestamp(rng, year_from=2016):
    return (rng.randint(year_from, 2026), rng.randint(1, 10), rng.randint(1, 28), rng.randint(0, 23),
            rng.randint(0, 59), rng.randint(0, 59))


def email_for(rng, first, last):
    return base.email(rng, first, last)


def ipv4(rng):
    while True:
        a = rng.randint(11, 223)
        if a not in (100, 127, 169, 172, 192, 198, 203):
            return "%d.%d.%d.%d" % (a, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))


def ipv6(rng):
    groups = [rng.choice(["2a02", "2001", "2003", "2a01", "2604", "240e"]), "%x" % rng.randint(0x100, 0xffff)]
    groups += ["%x" % rng.randint(0, 0xffff) for _ in range(rng.choice([2, 6]))]
    if len(groups) == 4:
        return ":".join(groups[:2]) + "::" + ":".join(groups[2:])
    return ":".join(groups)


def ip(rng):
    return ipv6(rng) if rng.random() < 0.25 else ipv4(rng)


def version4(rng):  # four parts, each <= 255: the shape of an IPv4 address
    return "%d.%d.%d.%d" % (rng.randint(1, 12), rng.randint(0, 30), rng.randint(0, 9), rng.randint(0, 255))


def oid(rng):
    return "1.3.6.1.4.1.%d.%d.%d" % (rng.randint(300, 60000), rng.randint(1, 20), rng.randint(1, 9))


def sf_id(rng, prefix):
    return prefix + "5g" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(13))


def us_ssn_bare(rng):
    return base.us_ssn(rng).replace("-", "")


def us_itin(rng):
    middle = rng.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92, 94, 95, 96, 97, 98, 99])
    return "9%02d-%02d-%04d" % (rng.randint(0, 99), middle, rng.randint(0, 9999))


def bcrypt_hash(rng):
    alphabet = "./" + string.ascii_letters + string.digits
    return "$2%s$%02d$%s" % (rng.choice(["a", "b", "y"]), rng.choice([10, 12]),
                             "".join(rng.choice(alphabet) for _ in range(53)))


def password_hash(rng):
    kind = rng.random()
    if kind < 0.55:
        return bcrypt_hash(rng)
    if kind < 0.7:
        return "$argon2id$v=19$m=65536,t=3,p=4$%s$%s" % (
            "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(22)),
            "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(43)))
    if kind < 0.85:
        return "%032x" % rng.getrandbits(128)  # md5 hex, as old SugarCRM stored it
    return "pbkdf2_sha256$260000$%s$%s=" % (
        "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(22)),
        "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(43)))


PASSWORD_WORDS = ["Sommer", "Winter", "Sonne", "Bayern", "Paris", "Tiger", "Dragon", "Sunshine",
                  "Welcome", "Monkey", "Football", "Princess", "Shadow", "Master", "Qwerty", "Amore",
                  "Fenerbahce", "Liverpool", "Password", "Letmein"]


def plaintext_password(rng):
    kind = rng.random()
    word = rng.choice(PASSWORD_WORDS)
    if kind < 0.5:
        return word + str(rng.randint(1, 2025)) + rng.choice(["", "!", "#", "?", "$"])
    if kind < 0.75:
        return word.lower() + rng.choice(["123", "1234", "2020", "01", "!"])
    return "".join(rng.choice(string.ascii_letters + string.digits + "!#%&") for _ in range(rng.randint(8, 14)))


COMPANY_SUFFIX = {"US": ["Inc.", "LLC", "Corp."], "GB": ["Ltd", "plc", "LLP"], "DE": ["GmbH", "AG", "GmbH & Co. KG"],
                  "FR": ["SARL", "SAS", "SA"], "ES": ["S.L.", "S.A."], "IT": ["S.r.l.", "S.p.A."],
                  "NL": ["B.V.", "N.V."], "BR": ["Ltda.", "S.A."], "PT": ["Lda.", "S.A."]}
COMPANY_WORD = {"US": ["Logistics", "Consulting", "Software", "Holdings", "Foods", "Medical"],
                "GB": ["Engineering", "Consulting", "Property", "Trading", "Motors"],
                "DE": ["Logistik", "Maschinenbau", "Bau", "Elektrotechnik", "Immobilien", "Software"],
                "FR": ["Conseil", "Transports", "Bâtiment", "Informatique", "& Fils"],
                "ES": ["Construcciones", "Inversiones", "Transportes", "Consultores"],
                "IT": ["Costruzioni", "Impianti", "Trasporti", "Informatica", "& Figli"],
                "NL": ["Bouw", "Techniek", "Installatie", "Transport", "Advies"],
                "BR": ["Comércio", "Engenharia", "Transportes", "Serviços"],
                "PT": ["Construções", "Comércio", "Transportes", "Consultoria"]}


def company(rng, country):
    # Real company names often carry a founder's surname: the hard decoy for a name detector.
    if rng.random() < 0.6:
        return "%s %s %s" % (rng.choice(LAST[country]), rng.choice(COMPANY_WORD[country]),
                             rng.choice(COMPANY_SUFFIX[country]))
    return "%s %s" % (rng.choice(["Nordlicht", "Blue Harbor", "Alpina", "Vertex", "Solaris", "Iberia",
                                  "Atlantico", "Polaris", "Greenfield", "Rheinland"]) + " " +
                      rng.choice(COMPANY_WORD[country]), rng.choice(COMPANY_SUFFIX[country]))


CN_COMPANY = ["科技", "贸易", "信息技术", "电子商务", "医疗器械", "物流", "建筑工程", "食品"]


def cn_company(rng):
    province, city, _ = rng.choice(CN_PLACES)
    place = (city or province)[:-1]
    return "%s%s%s%s" % (place, rng.choice(["华创", "鼎盛", "瑞丰", "恒达", "新智", "博远", "金桥", "天元"]),
                         rng.choice(CN_COMPANY), rng.choice(["有限公司", "股份有限公司", "集团有限公司"]))


PRODUCTS = ["Emma Original Mattress", "Victoria Sofa 3-Sitzer", "Jasmine Green Tea 500g", "Lincoln Desk Oak",
            "Florence Armchair", "Oscar Pro License", "Hugo Suite Enterprise", "Camille Lamp", "Bruno Dog Bed",
            "Sofia Dining Table", "CRM Premium 12 seats", "Wartungsvertrag Gold", "Pack Sérénité"]
JOB_TITLES = ["Head of Procurement", "Einkaufsleiter", "Directeur commercial", "Jefe de compras",
              "Responsabile acquisti", "Inkoper", "Gerente de TI", "CFO", "Office Manager", "Diretor financeiro"]

# --- notes --------------------------------------------------------------------------------------

NOTE_OPENERS = {
    "en": ["Customer called about the renewal.", "Meeting notes:", "Follow-up after the webinar.",
           "Support case escalated."],
    "de": ["Kunde hat angerufen.", "Rückruf vereinbart.", "Termin vor Ort:", "Angebot verschickt."],
    "nl": ["Klant belde over de factuur.", "Afspraak gemaakt.", "Terugbelverzoek:"],
    "fr": ["Le client a rappelé.", "Compte rendu du rendez-vous :", "Relance après le salon."],
    "es": ["El cliente llamó por la renovación.", "Notas de la reunión:", "Pendiente de firma."],
    "it": ["Il cliente ha chiamato.", "Appunti della riunione:", "Preventivo inviato."],
    "pt": ["Cliente ligou sobre a renovação.", "Reunião registrada:", "Proposta enviada."],
    "zh": ["客户来电咨询续费。", "回访记录：", "已发送报价。", "上门拜访："],
}
NOTE_LANG = {"US": "en", "GB": "en", "DE": "de", "NL": "nl", "FR": "fr", "ES": "es", "IT": "it",
             "BR": "pt", "PT": "pt", "CN": "zh"}

# Identifiers after their context word, as users type them: entity, maker, templates by language.
CONTEXT_IDS = {
    "NL_BSN": (base.nl_bsn, {"nl": ["Klant gaf BSN {v} door", "BSN: {v}", "burgerservicenummer {v}"],
                             "en": ["Dutch BSN {v} on file"]}),
    "US_SSN": (lambda r: r.choice([base.us_ssn(r), us_ssn_bare(r)]),
               {"en": ["SSN {v}", "customer's SSN is {v}", "SSN: {v} verified"]}),
    "US_ITIN": (us_itin, {"en": ["ITIN {v} for the W-7 filing", "ITIN: {v}"]}),
    "DE_TAX_ID": (base.de_tax_id, {"de": ["Steuer-ID {v}", "Steuer-ID: {v} liegt vor",
                                          "steuerliche Identifikationsnummer {v}"]}),
    "CN_RESIDENT_ID": (base.cn_resident_id, {"zh": ["身份证号{v}", "身份证：{v}", "身份证号码 {v}"]}),
    "FR_NIR": (base.fr_nir, {"fr": ["numéro de sécurité sociale {v}", "NIR {v}"]}),
    "ES_DNI": (base.es_dni, {"es": ["DNI {v}", "con DNI {v}"]}),
    "IT_FISCAL_CODE": (base.it_fiscal_code, {"it": ["codice fiscale {v}", "C.F. {v}"]}),
}
US_ONLY = {"US_SSN", "US_ITIN"}
IBAN_COUNTRY = {"DE": "DE", "FR": "FR", "ES": "ES", "IT": "IT", "NL": "NL", "GB": "GB", "PT": "PT"}
IBAN_WORDS = {"en": "IBAN {v}", "de": "Bankverbindung IBAN {v}", "nl": "rekeningnummer {v}",
              "fr": "RIB / IBAN {v}", "es": "cuenta {v}", "it": "IBAN {v}", "pt": "IBAN {v}"}
IP_WORDS = {"en": ["login from {v}", "portal access from IP {v}"], "de": ["Login von IP {v}", "Zugriff von {v}"],
            "nl": ["ingelogd vanaf {v}"], "fr": ["connexion depuis {v}"], "es": ["acceso desde la IP {v}"],
            "it": ["accesso da {v}"], "pt": ["acesso do IP {v}"], "zh": ["登录IP：{v}", "来源IP {v}"]}
PHONE_WORDS = {"en": "call back on {v}", "de": "Rückruf unter {v}", "nl": "terugbellen op {v}",
               "fr": "rappeler au {v}", "es": "llamar al {v}", "it": "richiamare al {v}", "pt": "ligar para {v}",
               "zh": "客户手机{v}"}
MAIL_WORDS = {"en": "new address {v}", "de": "neue E-Mail {v}", "nl": "mail naar {v}", "fr": "courriel {v}",
              "es": "correo {v}", "it": "email {v}", "pt": "e-mail {v}", "zh": "邮箱{v}"}


def note_decoy(rng, lang):
    """Look-alikes of the new types and of context-less identifiers: none is personal data."""
    kind = rng.randrange(7)
    zh = lang == "zh"
    if kind == 0:
        return ("旧系统参考号 %s" if zh else "Old reference %s from the legacy system") % (
            "9%02d-%02d-%04d" % (rng.randint(0, 99), rng.randint(70, 88), rng.randint(0, 9999)))
    if kind == 1:
        return ("客户端版本 %s" if zh else "client version %s") % version4(rng)
    if kind == 2:
        return ("OID %s" if zh else "SNMP OID %s") % oid(rng)
    if kind == 3:
        return ("订单号%d" if zh else "order %d") % rng.randint(10 ** 9, 10 ** 10 - 1)
    if kind == 4:
        y, m, d, *_ = timestamp(rng, 2020)
        return ("合同签订于%d-%02d-%02d" if zh else "contract signed %d-%02d-%02d") % (y, m, d)
    if kind == 5:
        return ("产品：%s" if zh else "interested in %s") % rng.choice(PRODUCTS)
    return ("build %d.%d.%d.%d" % (rng.randint(1, 12), rng.randint(0, 40), rng.randint(0, 9), rng.randint(1000, 60000)))


def make_note(rng, country, counts, id_rate=0.3, other_rate=0.15, record_has_country=True):
    """A note in the record's language; counts[type] += 1 for each type it embeds. Phones are
    written the national way only when the record says its country (a country column, or a
    Chinese list whose 手机 / 座机 columns imply China): without one, "06 12345678" could be
    Dutch or French, so a note in a record with no country writes numbers internationally."""
    lang = NOTE_LANG[country]
    parts = [rng.choice(NOTE_OPENERS[lang])]
    chosen = set()
    for entity, (make, templates) in CONTEXT_IDS.items():
        if entity in US_ONLY and country != "US":
            continue
        if lang in templates and rng.random() < id_rate:
            parts.append(rng.choice(templates[lang]).format(v=make(rng)))
            chosen.add(entity)
    if country in IBAN_COUNTRY and rng.random() < other_rate:
        parts.append(IBAN_WORDS[lang].format(v=base.iban(rng, IBAN_COUNTRY[country])))
        chosen.add("IBAN_CODE")
    if rng.random() < other_rate:
        parts.append(rng.choice(IP_WORDS[lang]).format(v=ip(rng)))
        chosen.add("IP_ADDRESS")
    if rng.random() < other_rate:
        if country == "CN":
            value = base.cn_mobile(rng) if record_has_country else "+86 " + base.cn_mobile(rng)
        else:
            value = written_phone(rng, country, rng.choice(["mobile", "landline"]),
                                  national_share=0.5 if record_has_country else 0.0)
        parts.append(PHONE_WORDS[lang].format(v=value))
        chosen.add("PHONE_NUMBER")
    if rng.random() < other_rate:
        parts.append(MAIL_WORDS[lang].format(v=base.email(rng, "kunde" if lang != "en" else "client", "mail")))
        chosen.add("EMAIL_ADDRESS")
    if rng.random() < 0.35:
        parts.append(note_decoy(rng, lang))
    for entity in chosen:
        counts[entity] = counts.get(entity, 0) + 1
    return ("" if lang == "zh" else " ").join(parts)


def company_note(rng, lang):
    """Notes on a company record: products, versions, orders, dates, no personal data."""
    parts = [rng.choice({"zh": ["年度框架合同续签。", "客户扩容需求。"],
                         "en": ["Framework agreement renewed.", "Upsell opportunity for Q3."]}[lang])]
    for _ in range(rng.randint(1, 2)):
        parts.append(note_decoy(rng, lang))
    return ("" if lang == "zh" else " ").join(parts)


# --- writing ------------------------------------------------------------------------------------


def maybe_empty(rng, value, rate):
    return "" if rng.random() < rate else value


def lazily_empty(rng, make, rate):
    """Like maybe_empty, for a note whose writing counts entities: written only when kept."""
    return "" if rng.random() < rate else make()


def two_values(rng, first, second, sep):
    return first + sep + second if rng.random() < 0.05 else first


def csv_text(headers, rows, quote_all=False, newline="\n"):
    def field(value):
        if quote_all or any(c in value for c in ',"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value
    return newline.join(",".join(field(v) for v in line) for line in [headers] + rows) + newline


class Writer:
    """Collects one file's rows and its labels."""

    def __init__(self, name, headers, pii, optional, decoys, free_text):
        self.name, self.headers = name, headers
        self.pii, self.optional, self.decoys = pii, optional, decoys
        self.free_text = {column: {} for column in free_text}
        labelled = set(pii) | set(optional) | set(decoys) | set(free_text)
        assert labelled == set(headers) and len(labelled) == len(pii) + len(optional) + len(decoys) + len(
            free_text), name
        self.rows = []
        self.values = {}  # pii column -> non-empty cells

    def add(self, record):
        self.rows.append([record.get(h, "") for h in self.headers])
        for column in self.pii:
            if record.get(column, "").strip():
                self.values[column] = self.values.get(column, 0) + 1

    def write(self, out_dir, encoding="utf-8", bom=False, quote_all=False, newline="\n"):
        data = csv_text(self.headers, self.rows, quote_all, newline).encode(encoding)
        if bom:
            data = b"\xef\xbb\xbf" + data
        (out_dir / self.name).write_bytes(data)
        return self.name, {"layout": True, "encoding": encoding + ("-bom" if bom else ""), "rows": len(self.rows),
                           "pii_columns": self.pii, "pii_values": self.values, "optional_columns": self.optional,
                           "decoy_columns": self.decoys, "free_text": self.free_text}


ADDRESS_PARTS = ["POSTAL_ADDRESS"]


def salesforce_contacts(out_dir, rows, rng):
    headers = ["Id", "AccountId", "Salutation", "FirstName", "LastName", "Title", "MailingStreet", "MailingCity",
               "MailingState", "MailingPostalCode", "MailingCountry", "Phone", "MobilePhone", "Email", "Birthdate",
               "LeadSource", "OwnerId", "CreatedDate", "LastModifiedDate", "Description"]
    w = Writer("sf_Contact.csv", headers,
               pii={"FirstName": "PERSON_NAME", "LastName": "PERSON_NAME", "MailingStreet": "POSTAL_ADDRESS",
                    "Phone": "PHONE_NUMBER", "MobilePhone": "PHONE_NUMBER", "Email": "EMAIL_ADDRESS",
                    "Birthdate": "DATE_OF_BIRTH"},
               optional={"MailingCity": ADDRESS_PARTS, "MailingState": ADDRESS_PARTS,
                         "MailingPostalCode": ADDRESS_PARTS},
               decoys=["Id", "AccountId", "Salutation", "Title", "MailingCountry", "LeadSource", "OwnerId",
                       "CreatedDate", "LastModifiedDate"],
               free_text=["Description"])
    for _ in range(rows):
        country = rng.choice(COUNTRIES)
        first, last = person(rng, country)
        y, m, d = birth_date(rng)
        created = timestamp(rng)
        modified = timestamp(rng, created[0])
        phone_value = written_phone(rng, country, "landline")
        phone_value = two_values(rng, phone_value, written_phone(rng, country, "mobile"), " / ")
        mail = email_for(rng, first, last)
        w.add({
            "Id": sf_id(rng, "003"), "AccountId": maybe_empty(rng, sf_id(rng, "001"), 0.25),
            "Salutation": maybe_empty(rng, rng.choice(["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]), 0.35),
            "FirstName": maybe_empty(rng, first, 0.05), "LastName": last,
            "Title": maybe_empty(rng, rng.choice(JOB_TITLES), 0.4),
            "MailingStreet": maybe_empty(rng, street_line(rng, country), 0.25),
            "MailingCity": maybe_empty(rng, rng.choice(CITY[country]), 0.25),
            "MailingState": maybe_empty(rng, rng.choice(["CA", "NY", "TX", "Bayern", "Île-de-France", "Lazio",
                                                         "Noord-Holland", "SP", "Lisboa"]), 0.6),
            "MailingPostalCode": maybe_empty(rng, postcode(rng, country), 0.25),
            "MailingCountry": maybe_empty(rng, rng.choice(COUNTRY_WRITTEN[country]), 0.1),
            "Phone": maybe_empty(rng, phone_value, 0.3),
            "MobilePhone": maybe_empty(rng, written_phone(rng, country, "mobile"), 0.35),
            "Email": maybe_empty(rng, two_values(rng, mail, base.email(rng, first, "work"), "; "), 0.2),
            "Birthdate": maybe_empty(rng, "%04d-%02d-%02d" % (y, m, d), 0.4),
            "LeadSource": maybe_empty(rng, rng.choice(["Web", "Phone Inquiry", "Partner Referral", "Trade Show"]), 0.3),
            "OwnerId": sf_id(rng, "005"),
            "CreatedDate": "%04d-%02d-%02dT%02d:%02d:%02d.000Z" % created,
            "LastModifiedDate": "%04d-%02d-%02dT%02d:%02d:%02d.000Z" % modified,
            "Description": lazily_empty(rng, lambda: make_note(rng, country, w.free_text["Description"]), 0.3)
        })
    return w


def sf_accounts(out_dir, rows, rng):
    headers = ["Id", "Name", "Type", "Industry", "BillingStreet", "BillingCity", "BillingPostalCode",
               "BillingCountry", "Phone", "Website", "NumberOfEmployees", "AnnualRevenue", "CreatedDate",
               "Description"]
    w = Writer("sf_Account.csv", headers, pii={"Phone": "PHONE_NUMBER"}, optional={},
               decoys=["Id", "Name", "Type", "Industry", "BillingStreet", "BillingCity", "BillingPostalCode",
                       "BillingCountry", "Website", "NumberOfEmployees", "AnnualRevenue", "CreatedDate"],
               free_text=["Description"])
    for _ in range(rows):
        country = rng.choice(COUNTRIES)
        name = company(rng, country)
        w.add({
            "Id": sf_id(rng, "001"), "Name": name,
            "Type": rng.choice(["Customer - Direct", "Customer - Channel", "Prospect", "Partner"]),
            "Industry": maybe_empty(rng, rng.choice(["Manufacturing", "Retail", "Technology", "Healthcare",
                                                     "Transportation"]), 0.3),
            "BillingStreet": maybe_empty(rng, street_line(rng, country), 0.2),
            "BillingCity": maybe_empty(rng, rng.choice(CITY[country]), 0.2),
            "BillingPostalCode": maybe_empty(rng, postcode(rng, country), 0.25),
            "BillingCountry": rng.choice(COUNTRY_WRITTEN[country]),
            "Phone": maybe_empty(rng, written_phone(rng, country, "landline"), 0.2),
            "Website": maybe_empty(rng, "https://www.%s.example" % "".join(
                c for c in name.lower() if c.isascii() and c.isalpha())[:14], 0.3),
            "NumberOfEmployees": maybe_empty(rng, str(rng.randint(3, 20000)), 0.4),
            "AnnualRevenue": maybe_empty(rng, str(rng.randint(1, 900) * 100000), 0.5),
            "CreatedDate": "%04d-%02d-%02dT%02d:%02d:%02d.000Z" % timestamp(rng),
            "Description": maybe_empty(rng, company_note(rng, "en"), 0.4),
        })
    return w


def hubspot_contacts(out_dir, rows, rng):
    headers = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
               "Street Address", "City", "State/Region", "Postal Code", "Country/Region", "Date of birth",
               "Company Name", "Job Title", "Contact owner", "Lifecycle Stage", "Create Date", "Last Activity Date",
               "IP Address", "Client Version", "Message"]
    owners = [" ".join(person(rng, c)) for c in ("US", "GB", "DE", "FR", "NL", "ES")]
    w = Writer("hubspot_contacts.csv", headers,
               pii={"First Name": "PERSON_NAME", "Last Name": "PERSON_NAME", "Email": "EMAIL_ADDRESS",
                    "Phone Number": "PHONE_NUMBER", "Mobile Phone Number": "PHONE_NUMBER",
                    "Street Address": "POSTAL_ADDRESS", "Date of birth": "DATE_OF_BIRTH",
                    "Contact owner": "PERSON_NAME", "IP Address": "IP_ADDRESS"},
               optional={"City": ADDRESS_PARTS, "State/Region": ADDRESS_PARTS, "Postal Code": ADDRESS_PARTS},
               decoys=["Record ID", "Country/Region", "Company Name", "Job Title", "Lifecycle Stage", "Create Date",
                       "Last Activity Date", "Client Version"],
               free_text=["Message"])
    for i in range(rows):
        country = rng.choice(COUNTRIES)
        first, last = person(rng, country)
        y, m, d = birth_date(rng)
        created = timestamp(rng)
        activity = timestamp(rng, created[0])
        w.add({
            "Record ID": str(rng.randint(10 ** 9, 10 ** 11)), "First Name": first,
            "Last Name": maybe_empty(rng, last, 0.1), "Email": email_for(rng, first, last),
            "Phone Number": maybe_empty(rng, written_phone(rng, country, rng.choice(["mobile", "landline"])), 0.3),
            "Mobile Phone Number": maybe_empty(rng, written_phone(rng, country, "mobile"), 0.4),
            "Street Address": maybe_empty(rng, street_line(rng, country), 0.3),
            "City": maybe_empty(rng, rng.choice(CITY[country]), 0.3),
            "State/Region": maybe_empty(rng, rng.choice(["Texas", "Georgia", "Virginia", "Hessen", "Catalonia",
                                                         "Toscana", "Utrecht"]), 0.5),
            "Postal Code": maybe_empty(rng, postcode(rng, country), 0.3),
            "Country/Region": maybe_empty(rng, rng.choice(COUNTRY_WRITTEN[country]), 0.05),
            "Date of birth": maybe_empty(rng, "%04d-%02d-%02d" % (y, m, d), 0.4),
            "Company Name": maybe_empty(rng, company(rng, country), 0.3),
            "Job Title": maybe_empty(rng, rng.choice(JOB_TITLES), 0.4),
            "Contact owner": maybe_empty(rng, rng.choice(owners), 0.2),
            "Lifecycle Stage": rng.choice(["Lead", "Marketing Qualified Lead", "Customer", "Subscriber"]),
            "Create Date": "%04d-%02d-%02d %02d:%02d" % created[:5],
            "Last Activity Date": maybe_empty(rng, "%04d-%02d-%02d %02d:%02d" % activity[:5], 0.3),
            "IP Address": maybe_empty(rng, ip(rng), 0.35),
            "Client Version": maybe_empty(rng, version4(rng), 0.3),
            "Message": lazily_empty(rng, lambda: make_note(rng, country, w.free_text["Message"]), 0.35),
        })
    return w


def zoho_leads(out_dir, rows, rng):
    headers = ["Record_Id", "Lead_Owner", "Company", "First_Name", "Last_Name", "Designation", "Email",
               "Secondary_Email", "Phone", "Mobile", "Street", "City", "State", "Zip_Code", "Country",
               "Date_of_Birth", "Lead_Source", "Lead_Status", "Product_Interest", "Customer_Since", "Created_Time",
               "Modified_Time", "Description"]
    owners = [" ".join(person(rng, c)) for c in ("DE", "IT", "ES", "BR", "PT")]
    w = Writer("zoho_Leads.csv", headers,
               pii={"Lead_Owner": "PERSON_NAME", "First_Name": "PERSON_NAME", "Last_Name": "PERSON_NAME",
                    "Email": "EMAIL_ADDRESS", "Secondary_Email": "EMAIL_ADDRESS", "Phone": "PHONE_NUMBER",
                    "Mobile": "PHONE_NUMBER", "Street": "POSTAL_ADDRESS", "Date_of_Birth": "DATE_OF_BIRTH"},
               optional={"City": ADDRESS_PARTS, "State": ADDRESS_PARTS, "Zip_Code": ADDRESS_PARTS},
               decoys=["Record_Id", "Company", "Designation", "Country", "Lead_Source", "Lead_Status",
                       "Product_Interest", "Customer_Since", "Created_Time", "Modified_Time"],
               free_text=["Description"])
    for _ in range(rows):
        country = rng.choice(COUNTRIES)
        first, last = person(rng, country)
        y, m, d = birth_date(rng)
        created = timestamp(rng)
        since = timestamp(rng, 1995)
        w.add({
            "Record_Id": "zcrm_%d" % rng.randint(10 ** 17, 10 ** 18), "Lead_Owner": rng.choice(owners),
            "Company": company(rng, country), "First_Name": maybe_empty(rng, first, 0.1), "Last_Name": last,
            "Designation": maybe_empty(rng, rng.choice(JOB_TITLES), 0.4),
            "Email": maybe_empty(rng, two_values(rng, email_for(rng, first, last), base.email(rng, last, "home"), "; "),
                                 0.15),
            "Secondary_Email": maybe_empty(rng, base.email(rng, first, "private"), 0.7),
            "Phone": maybe_empty(rng, written_phone(rng, country, "landline", 0.7), 0.3),
            "Mobile": maybe_empty(rng, written_phone(rng, country, "mobile", 0.7), 0.3),
            "Street": maybe_empty(rng, street_line(rng, country), 0.3),
            "City": maybe_empty(rng, rng.choice(CITY[country]), 0.3),
            "State": maybe_empty(rng, rng.choice(["Lombardia", "Andalucía", "Minas Gerais", "Porto", "Sachsen"]), 0.6),
            "Zip_Code": maybe_empty(rng, postcode(rng, country), 0.3),
            "Country": rng.choice(COUNTRY_WRITTEN[country]),
            "Date_of_Birth": maybe_empty(rng, "%02d/%02d/%04d" % (d, m, y), 0.4),
            "Lead_Source": maybe_empty(rng, rng.choice(["Advertisement", "Cold Call", "Online Store", "Trade Show"]),
                                       0.2),
            "Lead_Status": rng.choice(["Not Contacted", "Attempted to Contact", "Contacted", "Junk Lead"]),
            "Product_Interest": maybe_empty(rng, rng.choice(PRODUCTS), 0.3),
            "Customer_Since": maybe_empty(rng, "%02d/%02d/%04d" % (since[2], since[1], since[0]), 0.4),
            "Created_Time": "%04d-%02d-%02d %02d:%02d:%02d" % created,
            "Modified_Time": "%04d-%02d-%02d %02d:%02d:%02d" % timestamp(rng, created[0]),
            "Description": lazily_empty(rng, lambda: make_note(rng, country, w.free_text["Description"]), 0.35),
        })
    return w


def cn_individuals(out_dir, rows, rng):
    headers = ["客户编号", "客户名称", "性别", "手机", "座机", "电子邮箱", "地址", "出生日期", "身份证号", "客户来源",
               "负责人", "创建时间", "最后跟进时间", "备注"]
    owners = [cn_person(rng) for _ in range(6)]
    w = Writer("xiaoshouyi_个人客户.csv", headers,
               pii={"客户名称": "PERSON_NAME", "手机": "PHONE_NUMBER", "座机": "PHONE_NUMBER", "电子邮箱": "EMAIL_ADDRESS",
                    "地址": "POSTAL_ADDRESS", "出生日期": "DATE_OF_BIRTH", "身份证号": "CN_RESIDENT_ID",
                    "负责人": "PERSON_NAME"},
               optional={}, decoys=["客户编号", "性别", "客户来源", "创建时间", "最后跟进时间"], free_text=["备注"])
    for i in range(rows):
        name = cn_person(rng)
        y, m, d = birth_date(rng)
        created = timestamp(rng)
        province, city, _ = rng.choice(CN_PLACES)
        w.add({
            "客户编号": "KH%08d" % (20240000 + i), "客户名称": name, "性别": rng.choice(["男", "女"]),
            "手机": maybe_empty(rng, two_values(rng, cn_mobile_written(rng), base.cn_mobile(rng), "/"), 0.1),
            "座机": maybe_empty(rng, cn_landline(rng, city or province), 0.4),
            "电子邮箱": maybe_empty(rng, base.email(rng, "kehu", str(i)), 0.4),
            "地址": maybe_empty(rng, cn_address(rng), 0.25),
            "出生日期": maybe_empty(rng, rng.choice(["%04d-%02d-%02d", "%04d/%d/%d", "%04d年%d月%d日"]) % (y, m, d), 0.35),
            "身份证号": maybe_empty(rng, base.cn_resident_id(rng), 0.3),
            "客户来源": rng.choice(["线上推广", "电话营销", "老客户介绍", "展会"]),
            "负责人": rng.choice(owners),
            "创建时间": "%04d-%02d-%02d %02d:%02d" % created[:5],
            "最后跟进时间": maybe_empty(rng, "%04d-%02d-%02d %02d:%02d" % timestamp(rng, created[0])[:5], 0.3),
            "备注": lazily_empty(rng, lambda: make_note(rng, "CN", w.free_text["备注"]), 0.3),
        })
    return w


def cn_companies(out_dir, rows, rng):
    # 联系人 first: with the byte-order mark in front of it, a reader that kept the BOM in the
    # header would lose this column's name (and the claim on it).
    headers = ["联系人", "客户编号", "客户名称", "统一社会信用代码", "行业", "手机", "座机", "地址", "网址", "创建时间", "成交日期",
               "备注"]
    w = Writer("fxiaoke_企业客户.csv", headers,
               pii={"统一社会信用代码": "CN_USCC", "联系人": "PERSON_NAME", "手机": "PHONE_NUMBER", "座机": "PHONE_NUMBER"},
               optional={}, decoys=["客户编号", "客户名称", "行业", "地址", "网址", "创建时间", "成交日期"], free_text=["备注"])
    for i in range(rows):
        province, city, _ = rng.choice(CN_PLACES)
        created = timestamp(rng)
        w.add({
            "客户编号": "QY%06d" % (310000 + i), "客户名称": cn_company(rng), "统一社会信用代码": base.cn_uscc(rng),
            "行业": rng.choice(["制造业", "信息技术", "批发零售", "医疗健康", "物流运输"]),
            "联系人": maybe_empty(rng, cn_person(rng), 0.2),
            "手机": maybe_empty(rng, cn_mobile_written(rng), 0.25),
            "座机": maybe_empty(rng, cn_landline(rng, city or province), 0.3),
            "地址": maybe_empty(rng, cn_address(rng, company=True), 0.2),
            "网址": maybe_empty(rng, "https://www.example-%d.cn" % i, 0.5),
            "创建时间": "%04d-%02d-%02d %02d:%02d" % created[:5],
            "成交日期": maybe_empty(rng, "%04d-%02d-%02d" % timestamp(rng, created[0])[:3], 0.4),
            "备注": maybe_empty(rng, company_note(rng, "zh"), 0.3),
        })
    return w


def suitecrm_users(out_dir, rows, rng):
    headers = ["id", "user_name", "user_hash", "legacy_password", "first_name", "last_name", "email1",
               "phone_work", "phone_mobile", "address_street", "address_city", "address_postalcode",
               "address_country", "status", "date_entered", "date_modified", "last_login_ip", "app_version"]
    w = Writer("suitecrm_users.csv", headers,
               pii={"user_hash": "PASSWORD_HASH", "legacy_password": "PLAINTEXT_PASSWORD", "first_name": "PERSON_NAME",
                    "last_name": "PERSON_NAME", "email1": "EMAIL_ADDRESS", "phone_work": "PHONE_NUMBER",
                    "phone_mobile": "PHONE_NUMBER", "address_street": "POSTAL_ADDRESS", "last_login_ip": "IP_ADDRESS"},
               optional={"address_city": ADDRESS_PARTS, "address_postalcode": ADDRESS_PARTS},
               decoys=["id", "user_name", "address_country", "status", "date_entered", "date_modified",
                       "app_version"],
               free_text=[])
    for i in range(rows):
        country = rng.choice(COUNTRIES)
        first, last = person(rng, country)
        created = timestamp(rng)
        w.add({
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "user_name": rng.choice(["%s%s", "%s.%s", "%s_%s%d"]).replace("%d", str(rng.randint(1, 99))) % (
                "".join(c for c in first.lower() if c.isascii() and c.isalpha())[:1 + rng.randint(0, 6)],
                "".join(c for c in last.lower() if c.isascii() and c.isalpha())),
            "user_hash": password_hash(rng),
            "legacy_password": maybe_empty(rng, plaintext_password(rng), 0.35),
            "first_name": first, "last_name": last, "email1": email_for(rng, first, last),
            "phone_work": maybe_empty(rng, written_phone(rng, country, "landline"), 0.3),
            "phone_mobile": maybe_empty(rng, written_phone(rng, country, "mobile"), 0.4),
            "address_street": maybe_empty(rng, street_line(rng, country), 0.4),
            "address_city": maybe_empty(rng, rng.choice(CITY[country]), 0.4),
            "address_postalcode": maybe_empty(rng, postcode(rng, country), 0.4),
            "address_country": rng.choice(COUNTRY_WRITTEN[country]),
            "status": rng.choice(["Active", "Inactive"]),
            "date_entered": "%04d-%02d-%02d %02d:%02d:%02d" % created,
            "date_modified": "%04d-%02d-%02d %02d:%02d:%02d" % timestamp(rng, created[0]),
            "last_login_ip": maybe_empty(rng, ip(rng), 0.25),
            "app_version": version4(rng),
        })
    return w


def sf_tasks(out_dir, rows, rng):
    """Salesforce Task.csv: logged calls and meetings, the bulk of a CRM's free text."""
    headers = ["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "Priority", "OwnerId",
               "CreatedDate", "Description"]
    w = Writer("sf_Task.csv", headers, pii={}, optional={},
               decoys=["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "Priority", "OwnerId",
                       "CreatedDate"],
               free_text=["Description"])
    for _ in range(rows):
        country = rng.choice(COUNTRIES + ["CN"])
        created = timestamp(rng)
        w.add({
            "Id": sf_id(rng, "00T"), "WhoId": sf_id(rng, "003"), "WhatId": maybe_empty(rng, sf_id(rng, "006"), 0.3),
            "Subject": rng.choice(["Call", "Email", "Meeting", "Follow-up", "Send Quote"]),
            "ActivityDate": "%04d-%02d-%02d" % created[:3], "Status": rng.choice(["Completed", "Not Started"]),
            "Priority": rng.choice(["Normal", "High"]), "OwnerId": sf_id(rng, "005"),
            "CreatedDate": "%04d-%02d-%02dT%02d:%02d:%02d.000Z" % created,
            "Description": lazily_empty(rng, lambda: make_note(rng, country, w.free_text["Description"], 0.6, 0.2,
                                                                  record_has_country=False),
                                        0.2),
        })
    return w


def write_layouts(out_dir, scale, seed=20261129):
    """Writes the eight layout files; returns {file: labels}. `scale` multiplies the row counts."""
    plan = [
        (salesforce_contacts, 500, dict(quote_all=True)),
        (sf_accounts, 200, dict(quote_all=True)),
        (hubspot_contacts, 500, {}),
        (zoho_leads, 400, {}),
        (cn_individuals, 400, dict(encoding="gb18030", newline="\r\n")),
        (cn_companies, 250, dict(bom=True)),
        (suitecrm_users, 250, {}),
        (sf_tasks, 2500, dict(quote_all=True)),
    ]
    labels = {}
    for i, (make, rows, options) in enumerate(plan):
        rng = random.Random(seed + i)
        writer = make(out_dir, max(20, int(rows * scale)), rng)
        name, label = writer.write(out_dir, **options)
        labels[name] = label
    return labels
