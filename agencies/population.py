"""The synthetic test population: the people the simulated registers know."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resident:
    """A person in the simulated population register."""

    personal_number: str
    name: str
    street: str
    postal_code: str
    municipality: str
    situation: dict[str, str]


TEST_POPULATION: tuple[Resident, ...] = (
    Resident(
        "19850312-2387",
        "Anna Lindqvist",
        "Björkvägen 4",
        "611 34",
        "stockholm",
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
        "stockholm",
        {"sv": "gift med Anna, anställd", "en": "married to Anna, employed"},
    ),
    Resident(
        "20150411-3893",
        "Maja Lindqvist",
        "Björkvägen 4",
        "611 34",
        "stockholm",
        {"sv": "barn till Anna och Erik, skolålder", "en": "child of Anna and Erik, school age"},
    ),
    Resident(
        "20191102-7496",
        "Olle Lindqvist",
        "Björkvägen 4",
        "611 34",
        "stockholm",
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
        "uppsala",
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
        "malmo",
        {"sv": "driver enskild firma", "en": "owns a sole trader business"},
    ),
)
