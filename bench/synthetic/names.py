"""Realistic synthetic people: given names and surnames common in England, drawn from a seeded ``random.Random``.

Every name is invented by combination; none of the demo personas' surnames (Lado, Manager, Head, Dsl…) is in
the lists, so a generated record is about one of them only by the chance a real service has too (a shared
surname key), which subject exclusion then handles as it would there.
"""

from __future__ import annotations

import datetime as dt
import random


def _words(text: str) -> tuple[str, ...]:
    """The names in one string: easier to read and extend than two hundred quoted names."""
    return tuple(text.split())


GIVEN = _words(
    "Aaron Abdul Adam Adrian Aisha Alex Alfie Alice Amelia Amir Amy Andrew Angela Anna Anthony Archie Ava Ayesha "
    "Barbara Ben Bethany Bilal Callum Carl Caroline Catherine Charlie Charlotte Chloe Christine Claire Colin "
    "Connor Craig Daniel Darren David Dean Deborah Declan Dominic Donna Dylan Eleanor Elizabeth Ella Ellie Emily "
    "Emma Ethan Faisal Farah Fatima Finley Fiona Freya Gareth Gemma George Georgia Grace Graham Hamza Hannah "
    "Harriet Harry Harvey Hassan Heather Helen Holly Ibrahim Imran Isaac Isabel Isla Jack Jacob Jade James Jamie "
    "Jasmine Jason Jennifer Jessica Joanne Joel John Jordan Joseph Joshua Julie Karen Kate Katie Kayleigh Keith "
    "Kelly Kevin Kieran Kirsty Laura Lauren Leah Lee Leon Liam Lily Lisa Logan Louise Lucy Luke Maria Mark Martin "
    "Matthew Megan Melissa Michael Michelle Mia Molly Muhammad Nadia Natalie Nathan Neil Nicola Niamh Noah Oliver "
    "Olivia Omar Oscar Owen Paul Peter Philip Phoebe Rachel Rebecca Reece Rhys Richard Robert Rosie Ross Ruby Ryan "
    "Saira Samantha Samuel Sarah Scott Sean Shaun Simon Sophie Stacey Stephen Steven Stuart Tariq Thomas Toby "
    "Tyler Usman Vanessa Victoria Wayne William Yasmin Yusuf Zara Zoe"
)

SURNAMES = _words(
    "Adams Ahmed Ali Allen Anderson Armstrong Atkinson Bailey Baker Ball Barker Barnes Bates Begum Bell Bennett "
    "Berry Bird Bishop Black Booth Bradley Brooks Brown Bryant Burton Butler Campbell Carr Carter Chambers Chapman "
    "Clark Clarke Cole Collins Cook Cooper Cox Cunningham Davey Davidson Davies Dawson Dixon Doyle Duncan Edwards "
    "Elliott Ellis Evans Farrell Fisher Fleming Fletcher Ford Foster Fox Francis Fraser Gardner Gibson Gill Gordon "
    "Graham Grant Gray Green Griffiths Hall Hamilton Harper Harris Harrison Hart Harvey Hayes Henderson Hill "
    "Holmes Hopkins Howard Hughes Hunt Hussain Iqbal Jackson James Jenkins Johnson Johnston Jones Kaur Kelly "
    "Kennedy Khan King Knight Lamb Lane Lawrence Lawson Lee Lewis Lloyd Lowe Macdonald Mahmood Marshall Martin "
    "Mason Matthews McCarthy McDonald Miller Mills Mistry Mitchell Moore Morgan Morris Murphy Murray Nelson Newman "
    "Nicholson Norris O'Brien O'Connor Owen Palmer Parker Parry Patel Pearce Pearson Perry Phillips Poole Powell "
    "Price Rahman Reid Reynolds Richards Richardson Riley Roberts Robertson Robinson Rogers Rose Ross Russell Ryan "
    "Saunders Scott Shah Sharma Shaw Simpson Singh Smith Spencer Stevens Stewart Stone Sutton Taylor Thomas "
    "Thompson Thomson Turner Walker Wallace Walsh Ward Watson Webb Wells West White Wilkinson Williams Wilson Wood "
    "Woods Wright Young"
)

ROLES = {
    "school": (
        "Class teacher",
        "Teaching assistant",
        "Learning support assistant",
        "PE teacher",
        "Lunchtime supervisor",
        "Caretaker",
        "Music teacher",
        "Deputy headteacher",
        "Supply teacher",
        "Sports coach",
        "School cook",
        "Office manager",
        "SENCO",
        "Head of year",
        "Minibus driver",
    ),
    "early_years": ("Nursery practitioner", "Nursery assistant", "Room leader", "Childminder"),
    "sport": ("Football coach", "Swimming instructor", "Gymnastics coach", "Club volunteer"),
    "faith": ("Youth leader", "Sunday school teacher", "Church volunteer", "Madrasa teacher"),
    "voluntary": ("Youth worker", "Scout leader", "Mentor", "Volunteer"),
    "health": ("Nurse", "Healthcare assistant", "Paediatric physiotherapist", "GP receptionist"),
    "transport": ("Taxi driver", "Escort on school transport", "Bus driver"),
    "social_care": ("Residential care worker", "Foster carer", "Support worker"),
}

EMPLOYERS = {
    "sport": ("{place} Swimming Club", "{place} Juniors FC", "{place} Gymnastics Academy", "{place} Tennis Club"),
    "faith": ("St Mary's Church, {place}", "{place} Mosque", "{place} Gurdwara", "{place} Baptist Church"),
    "voluntary": ("{place} Youth Club", "1st {place} Scouts", "{place} Mentoring Project", "{place} Play Scheme"),
    "health": ("{place} Community Health", "{place} Children's Hospital", "{place} Medical Practice"),
    "transport": ("{place} Taxis", "{place} Home to School Transport", "{place} Coaches"),
    "social_care": ("{place} Children's Home", "{place} Fostering Service", "{place} Care Agency"),
    "early_years": ("Little Stars Nursery, {place}", "{place} Day Nursery", "Busy Bees {place}"),
}


class People:
    """Draws names, dates of birth and roles from one seeded generator, so a run can be repeated exactly."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def name(self) -> str:
        """A given name and a surname; one in twelve has a middle name, one in thirty a double surname."""
        rng = self.rng
        given = rng.choice(GIVEN)
        if rng.random() < 1 / 12:
            given = f"{given} {rng.choice(GIVEN)}"
        surname = rng.choice(SURNAMES)
        if rng.random() < 1 / 30:
            surname = f"{surname}-{rng.choice(SURNAMES)}"
        return f"{given} {surname}"

    def born(self, on: dt.date, *, known: float = 0.6) -> dt.date | None:
        """A date of birth for an adult aged 19 to 66 on ``on``, or ``None`` (not known) in ``1 - known`` of cases."""
        if self.rng.random() >= known:
            return None
        return on - dt.timedelta(days=self.rng.randint(19 * 365, 66 * 365))

    def role(self, sector: str) -> str:
        """A role or occupation in the sector."""
        return self.rng.choice(ROLES.get(sector, ROLES["voluntary"]))

    def employer(self, sector: str, place: str) -> str:
        """The name of an employer outside Threshold in the sector, in the authority's area."""
        return self.rng.choice(EMPLOYERS.get(sector, EMPLOYERS["voluntary"])).format(place=place)
