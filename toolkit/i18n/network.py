"""Texts of the network measures: each metric's label and explanation, and the sentences
of the organisation profiles (Dutch first, English too)."""

__all__ = [
    "NETWORK",
    "METRIC_TEXTS",
    "PROFILE_SENTENCES",
    "PROFILE_LEVELS",
    "PROFILE_AMOUNTS",
    "PROFILE_BROKER",
]

# Merged into toolkit.i18n.STRINGS like the other tables.
NETWORK = {
    "profile_nobody": {"nl": "niemand", "en": "no one"},
    "profile_and": {"nl": "en", "en": "and"},
}

# Label and one plain sentence per metric, shown by the apps next to the numbers:
# metric -> language -> (label, explanation).
METRIC_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "degree": {
        "nl": (
            "Relaties",
            "Het aantal relaties, inkomend en uitgaand: hoe druk bezet een "
            "organisatie in het netwerk is.",
        ),
        "en": (
            "Relations",
            "The number of relations, incoming and outgoing: how busy an "
            "organisation is in the network.",
        ),
    },
    "betweenness": {
        "nl": (
            "Brugfunctie (betweenness)",
            "Hoe vaak een organisatie op de kortste verbinding tussen twee "
            "andere ligt: een hoge waarde betekent een brug of poortwachter.",
        ),
        "en": (
            "Bridging role (betweenness)",
            "How often an organisation lies on the shortest link between two "
            "others: a high value means a bridge or gatekeeper.",
        ),
    },
    "pagerank": {
        "nl": (
            "Gewicht (PageRank)",
            "Belang door de relaties die naar een organisatie toe lopen, zwaarder "
            "als die zelf van belangrijke organisaties komen.",
        ),
        "en": (
            "Weight (PageRank)",
            "Importance from the relations pointing to an organisation, weighing "
            "more when they come from important organisations themselves.",
        ),
    },
    "eigenvector": {
        "nl": (
            "Invloed via partners",
            "Hoe goed de partners van een organisatie zelf verbonden "
            "zijn: invloed via wie je kent.",
        ),
        "en": (
            "Influence through partners",
            "How well an organisation's partners are connected themselves: "
            "influence through whom you know.",
        ),
    },
    "core_number": {
        "nl": (
            "Kerngroep (k-kern)",
            "De hechtste kerngroep waartoe een organisatie behoort: in een kerngroep met "
            "getal k is elke organisatie met minstens k andere uit die groep verbonden.",
        ),
        "en": (
            "Core group (k-core)",
            "The tightest core group an organisation belongs to: in a core group with "
            "number k each organisation is linked to at least k others of that group.",
        ),
    },
    "constraint": {
        "nl": (
            "Onderling verbonden partners (Burt)",
            "Hoe sterk de partners van een organisatie onderling verbonden "
            "zijn: laag betekent ruimte om te makelen tussen groepen.",
        ),
        "en": (
            "Interlinked partners (Burt's constraint)",
            "How strongly an organisation's partners are linked to each "
            "other: low means room to broker between groups.",
        ),
    },
    "effective_size": {
        "nl": (
            "Niet-overlappende partners",
            "Het aantal partners dat niet ook elkaars partner is: "
            "niet-overlappende toegang tot het netwerk.",
        ),
        "en": (
            "Non-overlapping partners",
            "The number of partners that are not also each other's "
            "partners: non-redundant access to the network.",
        ),
    },
    "community": {
        "nl": (
            "Groep",
            "De groep (Louvain-gemeenschap) van organisaties die onderling meer "
            "relaties hebben dan met de rest.",
        ),
        "en": (
            "Group",
            "The group (Louvain community) of organisations with more relations "
            "among themselves than with the rest.",
        ),
    },
}

# One sentence per metric (or variant) in an organisation's profile, filled with its values:
# metric -> language -> sentence.
PROFILE_SENTENCES = {
    "degree": {
        "nl": "{name} heeft {degree} relaties ({in_degree} inkomend, {out_degree} uitgaand); "
        "plaats {rank} van {n}.",
        "en": "{name} has {degree} relations ({in_degree} incoming, {out_degree} outgoing); "
        "rank {rank} of {n}.",
    },
    "degree_undirected": {
        "nl": "{name} heeft {degree} relaties; plaats {rank} van {n}.",
        "en": "{name} has {degree} relations; rank {rank} of {n}.",
    },
    "betweenness": {
        "nl": "{name} ligt op veel kortste verbindingen tussen anderen (plaats {rank} van {n}) "
        "en verbindt bijvoorbeeld {a} met {b}.",
        "en": "{name} lies on many shortest links between others (rank {rank} of {n}) and "
        "connects, for example, {a} with {b}.",
    },
    "betweenness_none": {
        "nl": "{name} ligt niet tussen anderen in: zijn partners bereiken elkaar ook zonder "
        "{name}.",
        "en": "{name} does not sit between others: its partners reach each other without {name}.",
    },
    "pagerank": {
        "nl": "{name} ontvangt {level} relaties van organisaties die zelf veel relaties "
        "ontvangen (plaats {rank} van {n}).",
        "en": "{name} receives {level} relations from organisations that receive many "
        "themselves (rank {rank} of {n}).",
    },
    "pagerank_undirected": {
        "nl": "{name} heeft {level} relaties met organisaties die zelf veel relaties hebben "
        "(plaats {rank} van {n}).",
        "en": "{name} has {level} relations with organisations that have many themselves "
        "(rank {rank} of {n}).",
    },
    "eigenvector": {
        "nl": "De partners van {name} zijn zelf {level} verbonden (plaats {rank} van {n}).",
        "en": "The partners of {name} are {level} connected themselves (rank {rank} of {n}).",
    },
    "core_number": {
        "nl": "{name} hoort bij een hechte kerngroep waarin elke organisatie met minstens "
        "{value} andere uit die groep verbonden is.",
        "en": "{name} belongs to a tight core group in which each organisation is linked to at "
        "least {value} others of that group.",
    },
    "constraint": {
        "nl": "De partners van {name} zijn {level} onderling verbonden: {meaning}.",
        "en": "The partners of {name} are {level} linked to each other: {meaning}.",
    },
    "effective_size": {
        "nl": "Van de {partners} partners van {name} geven er ongeveer {value:.0f} toegang tot "
        "een deel van het netwerk dat de andere partners niet al bereiken.",
        "en": "Of the {partners} partners of {name}, about {value:.0f} give access to a part of "
        "the network the other partners do not already reach.",
    },
    "community": {
        "nl": "{name} hoort bij groep {value}: organisaties die onderling veel relaties hebben, "
        "onder meer {members}.",
        "en": "{name} belongs to group {value}: organisations with many relations among "
        "themselves, {members} among others.",
    },
}

# Words for a rank in the top, middle or bottom third: language -> three words or phrases.
PROFILE_LEVELS = {
    "nl": ("sterk", "matig", "weinig"),
    "en": ("strongly", "moderately", "weakly"),
}
PROFILE_AMOUNTS = {"nl": ("veel", "enkele", "weinig"), "en": ("many", "some", "few")}
PROFILE_BROKER = {
    "nl": (
        "weinig ruimte om te makelen",
        "enige ruimte om te makelen",
        "veel ruimte om te makelen tussen groepen",
    ),
    "en": ("little room to broker", "some room to broker", "much room to broker between groups"),
}
