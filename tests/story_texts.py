"""Invented news stories and the ways outlets copy them, shared by the fingerprint and story tests."""
from __future__ import annotations

HARBOUR = [
    "The port authority of Kelmora approved a plan on Tuesday to deepen the northern harbour channel, "
    "allowing container ships of up to 14,000 boxes to dock at the city for the first time.",
    "The project will cost 410 million euros and take four years, the authority's chairwoman Ilse Varga "
    "told reporters after a board meeting that lasted more than six hours.",
    "Shipping lines have avoided Kelmora since 2016, when the last large carrier moved its regional service "
    "to a rival port with deeper water and newer cranes on the other side of the bay.",
    "Fishermen's groups said dredging would disturb spawning grounds near the river mouth and promised to "
    "challenge the decision in the regional court before work begins next spring.",
    "Varga said the authority had commissioned an independent study of the spawning grounds and would pause "
    "dredging during the three months when the fish return to the estuary each year.",
    "The city council, which owns a third of the port, backed the plan by 31 votes to 12 last month after "
    "the national government promised to pay for the new rail link to the container terminal.",
    "Freight forwarders welcomed the vote, saying the deeper channel could bring back as many as 900 jobs "
    "lost when the carrier left, and cut the cost of imported goods for inland factories.",
    "Opponents on the council argued the traffic forecasts were too optimistic and that the port would "
    "still lose business to its rival unless the authority also cut its handling charges.",
]

VACCINE = [
    "Health officials in the province of Doravia began a vaccination campaign against measles in 214 "
    "primary schools on Monday after an outbreak that has sickened more than 300 children since January.",
    "The campaign aims to reach 95 percent of pupils by the end of the school term, the provincial health "
    "director Tomas Rehak said at a school in the capital where he watched the first doses given.",
    "Rehak said vaccination rates had fallen below 80 percent in some districts during the last two years, "
    "as families missed routine appointments and clinics cut their opening hours.",
    "Parents will be asked to sign consent forms, and pupils whose parents refuse will be offered a "
    "meeting with a nurse to discuss the vaccine and its side effects.",
    "Teachers' unions supported the campaign but asked for extra staff to help with paperwork, saying "
    "schools were already short of administrators after the budget cuts of last year.",
    "Doctors at the children's hospital said most of the sick children had recovered, but eleven had "
    "needed intensive care and one infant had died of complications in February.",
]

# Another story about the same port and the same people: the same subject, not a copy.
HARBOUR_OTHER = [
    "Dockworkers at the port of Kelmora walked out on Friday in a dispute over night shifts, halting the "
    "loading of grain ships for the first time since the harbour was modernised.",
    "The union said the port authority had broken a promise to hire 120 permanent crane drivers and was "
    "relying on agency staff who were paid less and trained for only two weeks.",
    "The authority's chairwoman Ilse Varga said the walkout was illegal because the union had not given "
    "the seven days' notice required by law, and asked the labour court to order the workers back.",
    "Grain traders said four ships were waiting in the bay and that each day of delay cost them about "
    "40,000 euros in fees, money they would try to recover from the port.",
    "The city council, which owns a third of the port, called both sides to a meeting on Monday and "
    "urged them to settle before the harvest season brings more ships to the harbour.",
    "Union leader Marek Holt said his members would return as soon as the authority signed the hiring "
    "plan it had agreed in the spring, and not before.",
]

# Issues of a recurring report: the same wording, other figures, another week.
REPORT_WEEK_1 = [
    "Grain exporters shipped 412,600 tonnes of wheat from the port of Kelmora in the week ended March 6, "
    "up from 388,100 tonnes the previous week, the port authority said in its weekly report.",
    "Barley shipments were 96,300 tonnes, against 101,250 tonnes a week earlier, while maize shipments "
    "fell to 57,800 tonnes from 63,400 tonnes.",
    "Since the start of the season on July 1, exporters have shipped 11.2 million tonnes of wheat, "
    "compared with 10.4 million tonnes in the same period of the previous season.",
    "The authority said 23 ships were loading or waiting to load at the end of the week, against 19 ships "
    "a week earlier, and that average waiting times were four days.",
]
REPORT_WEEK_2 = [
    "Grain exporters shipped 371,900 tonnes of wheat from the port of Kelmora in the week ended March 13, "
    "down from 412,600 tonnes the previous week, the port authority said in its weekly report.",
    "Barley shipments were 88,450 tonnes, against 96,300 tonnes a week earlier, while maize shipments "
    "rose to 61,200 tonnes from 57,800 tonnes.",
    "Since the start of the season on July 1, exporters have shipped 11.6 million tonnes of wheat, "
    "compared with 10.7 million tonnes in the same period of the previous season.",
    "The authority said 17 ships were loading or waiting to load at the end of the week, against 23 ships "
    "a week earlier, and that average waiting times were three days.",
]

# A template filled for two companies: the bodies are word for word the same.
DIVIDEND_BODY = "Qtly div 12 cts vs 12 cts prior\nPay April 15\nRecord March 31"

# What an outlet puts around a story it runs.
FURNITURE_TOP = ["By Anna Kowalczyk"]
FURNITURE_BOTTOM = ["(Reporting by Anna Kowalczyk; Editing by Paul Mercer)", "© 2020 Harbour Daily. All rights reserved.",
                    "Read more"]


def body(paragraphs: list[str]) -> str:
    """Paragraphs as an article body (blank lines between them)."""
    return "\n\n".join(paragraphs)


def outlet_copy(paragraphs: list[str], dateline: str = "KELMORA (Harbour Daily) - ") -> str:
    """A story as an outlet runs it: byline, dateline lead, the text, credits, copyright and a link."""
    first, *rest = paragraphs
    return body(FURNITURE_TOP + [dateline + first] + rest + FURNITURE_BOTTOM)


def edited(paragraphs: list[str]) -> list[str]:
    """Light copy-editing: a word dropped here, another word there, quotes restyled."""
    out = list(paragraphs)
    out[1] = out[1].replace("told reporters", "said").replace("board meeting", "meeting of the board")
    out[3] = out[3].replace("promised to", "vowed to")
    out[5] = out[5].replace("last month", "in February")
    return out
