"""The synthetic test population: the people the simulated registers know, and their relations
(no real person; the personal identity numbers have valid check digits)."""

from __future__ import annotations

from agencies.residents import Relation, Resident

TEST_POPULATION: tuple[Resident, ...] = (
    Resident(
        "19850312-2387",
        "Anna Lindqvist",
        "Björkvägen 4",
        "611 34",
        "0180",
        {
            "sv": "gift med Erik, två barn, äger en bil, anställd",
            "en": "married to Erik, two children, owns a car, employed",
        },
    ),
    Resident(
        "19870715-4574",
        "Erik Lindqvist",
        "Björkvägen 4",
        "611 34",
        "0180",
        {"sv": "gift med Anna, anställd", "en": "married to Anna, employed"},
    ),
    Resident(
        "20150411-3893",
        "Maja Lindqvist",
        "Björkvägen 4",
        "611 34",
        "0180",
        {"sv": "barn till Anna och Erik, skolålder", "en": "child of Anna and Erik, school age"},
    ),
    Resident(
        "20191102-7496",
        "Olle Lindqvist",
        "Björkvägen 4",
        "611 34",
        "0180",
        {
            "sv": "barn till Anna och Erik, förskoleålder",
            "en": "child of Anna and Erik, preschool age",
        },
    ),
    Resident(
        "19440225-3274",
        "Karin Berg",
        "Kyrkogatan 9",
        "753 10",
        "0380",
        {
            "sv": "pensionär, bor ensam, passet går snart ut",
            "en": "retired, lives alone, passport expiring soon",
        },
    ),
    Resident(
        "19700101-6356",
        "Johan Nilsson",
        "Hamngatan 2",
        "211 22",
        "1280",
        {"sv": "driver enskild firma", "en": "owns a sole trader business"},
    ),
)

# People who can log in beside the six of the design, for life events acted on behalf of others.
TEST_POPULATION += (
    Resident(
        "19920604-2823",
        "Sara Ek",
        "Tallstigen 7",
        "582 22",
        "0580",
        {"sv": "har just fått sonen Leo med David", "en": "has just had a son, Leo, with David"},
    ),
    Resident(
        "19900118-3376",
        "David Ek",
        "Tallstigen 7",
        "582 22",
        "0580",
        {"sv": "har just fått sonen Leo med Sara", "en": "has just had a son, Leo, with Sara"},
    ),
    Resident(
        "19680412-2684",
        "Lena Berg",
        "Kyrkogatan 9",
        "753 10",
        "0380",
        {
            "sv": "dotter till Karin och Gustav, delägare i Gustavs dödsbo",
            "en": "daughter of Karin and Gustav, a member of Gustav's estate",
        },
    ),
)

# A retiree-to-be, for the retiring life event.
TEST_POPULATION += (
    Resident(
        "19620415-2380",
        "Margareta Holm",
        "Stora Gatan 18",
        "722 12",
        "1980",
        {
            "sv": "64 år, bor ensam i hyresrätt, ska gå i pension",
            "en": "aged 64, lives alone in a rented flat, about to retire",
        },
    ),
)

# People in the register who cannot log in: a newborn and a deceased person.
REGISTER_ONLY: tuple[Resident, ...] = (
    Resident(
        "20261110-4510",
        "Leo Ek",
        "Tallstigen 7",
        "582 22",
        "0580",
        {"sv": "nyfödd son till Sara och David", "en": "newborn son of Sara and David"},
    ),
    Resident(
        "19410830-4132",
        "Gustav Berg",
        "Kyrkogatan 9",
        "753 10",
        "0380",
        {"sv": "Karins make, avliden", "en": "Karin's husband, deceased"},
        died_on="2026-10-28",
    ),
)


# Unmarried parents of a newborn: the mother is the child's only guardian at birth.
TEST_POPULATION += (
    Resident(
        "19950822-2008",
        "Emma Lund",
        "Vasagatan 3",
        "903 26",
        "2480",
        {
            "sv": "sambo med Ali, har just fått dottern Nora",
            "en": "lives with Ali, has just had a daughter, Nora",
        },
    ),
    Resident(
        "19930130-3013",
        "Ali Hassan",
        "Vasagatan 3",
        "903 26",
        "2480",
        {"sv": "sambo med Emma, pappa till Nora", "en": "lives with Emma, Nora's father"},
    ),
)
REGISTER_ONLY += (
    Resident(
        "20261118-1005",
        "Nora Lund",
        "Vasagatan 3",
        "903 26",
        "2480",
        {"sv": "nyfödd dotter till Emma och Ali", "en": "newborn daughter of Emma and Ali"},
    ),
    Resident(
        "19400312-1011",
        "Sven Nilsson",
        "Ystadvägen 40",
        "214 45",
        "1280",
        {
            "sv": "Johans pappa, avliden, hade bil och enskild firma",
            "en": "Johan's father, deceased, had a car and a sole trader business",
        },
        died_on="2026-11-20",
    ),
)


# A limited company's people: two who sign for it jointly, and one holding their power of
# attorney (the company is in the company register, the power of attorney in Kontaktpunkt).
TEST_POPULATION += (
    Resident(
        "19780923-1249",
        "Lena Ekström",
        "Vasagatan 18",
        "411 24",
        "1480",
        {
            "sv": "firmatecknare i Ekström & Lund Bygg AB, tecknar firman tillsammans med Per",
            "en": "signatory of Ekström & Lund Bygg AB, signs jointly with Per",
        },
    ),
    Resident(
        "19810214-2356",
        "Per Lund",
        "Linnégatan 3",
        "413 04",
        "1480",
        {
            "sv": "firmatecknare i Ekström & Lund Bygg AB, tecknar firman tillsammans med Lena",
            "en": "signatory of Ekström & Lund Bygg AB, signs jointly with Lena",
        },
    ),
    Resident(
        "19950530-3462",
        "Amira Haddad",
        "Kungsgatan 40",
        "411 19",
        "1480",
        {
            "sv": "ekonomiansvarig med fullmakt för Ekström & Lund Bygg AB",
            "en": "finance manager with a power of attorney for Ekström & Lund Bygg AB",
        },
    ),
)


RELATIONS: tuple[Relation, ...] = (
    Relation("19850312-2387", "guardian", "20150411-3893"),
    Relation("19870715-4574", "guardian", "20150411-3893"),
    Relation("19850312-2387", "guardian", "20191102-7496"),
    Relation("19870715-4574", "guardian", "20191102-7496"),
    Relation("19920604-2823", "guardian", "20261110-4510"),
    Relation("19900118-3376", "guardian", "20261110-4510"),
    Relation("19440225-3274", "estate_member", "19410830-4132"),
    Relation("19680412-2684", "estate_member", "19410830-4132"),
)
RELATIONS += (
    Relation("19950822-2008", "guardian", "20261118-1005"),
    Relation("19700101-6356", "estate_member", "19400312-1011"),
)
