"""Cue words that tell what a capitalised span is, in the languages the enricher reads.

Entries are folded (lowercase, no accents) because lookups use `text.fold` keys, except the
weekdays and months, which keep their accents so "março" does not swallow "Marco". The lists
describe the language of news writing (titles, organisation heads, weekdays), never particular
names, so they carry over to articles that were not seen when they were written.
"""

from __future__ import annotations

from newsroom_enrich.enrichers.text import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _folded_words(text: str) -> frozenset[str]:
    """For words written with their accents and case (Russian, Turkish): folded as lookups are."""
    return frozenset(fold(word) for word in text.split())


# Capitalised titles that sit inside a name span ("Peru President Marisol Quispe"): the
# span splits after the last one and what follows is a person.
TITLES = _words(
    """
    president vice-president president-elect minister premier chancellor ambassador envoy
    secretary secretary-general undersecretary general senator sen congressman congresswoman
    representative rep governor gov mayor king queen prince princess emperor empress pope sheikh
    emir sultan chairman chairwoman chairperson ceo cfo coo director spokesman spokeswoman
    spokesperson commissioner judge justice lord lady sir dame dr doctor professor prof mr mrs ms
    miss mx colonel col gen lieutenant lt captain capt admiral adm commander marshal sergeant sgt
    major maj rev reverend bishop archbishop cardinal rabbi imam patriarch ayatollah deputy
    ombudsman attorney prosecutor speaker leader head chief founder coach defender striker
    manager mme mlle m monsieur madame president-directeur presidente presidenta ministro ministra
    ministre ambassadeur embajador ambasciatore embaixador alcalde sindaco prefeito maire senor
    senora senhor senhora signor signora don dona herr frau bundeskanzler bundeskanzlerin kanzler
    kanzlerin bundesprasident bundesprasidentin prasident prasidentin ministerprasident
    ministerprasidentin botschafter botschafterin konig konigin koning koningin burgemeester
    heer mevrouw staatssekretar prasidenten kanzlers ministers kandidat kandidatin kandidaten
    vorsitzenden
    """
) | _folded_words(
    """
    президент президента президенту президентом премьер премьера премьером министр министра
    министру министром канцлер канцлера канцлером посол посла послом глава главы главой
    председатель председателя председателем губернатор губернатора губернатором мэр мэра
    мэром спикер спикера генсек генсека лидер лидера лидером король короля королева принц
    патриарх патриарха депутат депутата сенатор сенатора прокурор прокурора директор директора
    Cumhurbaşkanı Başbakan Başbakanı Bakan Bakanı Başkan Başkanı Sözcüsü Valisi Büyükelçisi
    """
)

# Words that make one title with the title after them ("Prime Minister", "Primer Ministro", "Primo
# Ministro"); alone they are no title ("Amazon's Prime Video", "Optimus Prime").
TITLE_LEADS = _words("prime primer primo primeiro")

# German compounds carry the title at their end ("Außenministerin", "Konzernchef"), inflected ones
# too ("Bundespräsidenten", "Außenministers"); so do Turkish ones ("Cumhurbaşkanı", "Başbakan"),
# and hyphenated ones after the hyphen ("GDL-Chef", "SPD-Kanzlerkandidat").
TITLE_SUFFIXES = (
    "prasidenten",
    "ministers",
    "kanzlers",
    "kandidat",
    "kandidatin",
    "kandidaten",
    "vorsitzenden",
    "chefs",
    "sprechers",
    "botschafters",
    "direktors",
    "bakan",
    "bakanı",
    "baskanı",
    "minister",
    "ministerin",
    "kanzler",
    "kanzlerin",
    "prasident",
    "prasidentin",
    "botschafter",
    "botschafterin",
    "sprecher",
    "sprecherin",
    "burgermeister",
    "burgermeisterin",
    "chef",
    "chefin",
    "vorsitzende",
    "vorsitzender",
    "direktor",
    "direktorin",
    "senator",
    "senatorin",
)

# Lowercase role nouns and verbs that announce a person right after them ("analyst Olga Brenner").
PERSON_CUES = _words(
    """
    analyst expert economist spokesman spokeswoman spokesperson lawyer attorney journalist
    reporter correspondent activist politician lawmaker legislator diplomat ambassador minister
    president leader official director founder co-founder chief executive chairman chairwoman
    professor researcher scientist author writer actor actress singer coach player striker
    colleague opponent rival premier candidate deputy senator judge commander general prosecutor
    governor mayor ceo boss manager secretary envoy negotiator adviser advisor aide mp mep
    banker investor entrepreneur historian commentator pundit blogger student teacher doctor
    said says told asked wrote added according
    analyste expert economiste porte-parole avocat avocate journaliste depute deputee maire
    president presidente ministre directeur directrice chef chercheur chercheuse senateur
    ambassadeur secretaire general dirigeant dirigeante fondateur fondatrice patron patronne
    analista economista portavoz abogado abogada periodista diputado diputada alcalde ministro
    ministra director directora embajador senador fundador portavoce avvocato giornalista
    deputato sindaco direttore direttrice ambasciatore fondatore porta-voz advogado advogada
    jornalista deputado prefeito diretor diretora embaixador analist econoom woordvoerder
    advocaat journalist burgemeester directeur oprichter
    sagte erklarte betonte analytiker experte sprecher sprecherin
    dit declare explique affirme dijo afirmo explico ha detto disse afirmou zei
    """
)

# Words that head an organisation's name, at its end in English ("Foreign Ministry") and at its
# start in the Romance languages ("Banque de France").
ORG_HEADS = _words(
    """
    organization organisation ministry department council union party bank agency committee
    commission corporation corp company co inc ltd llc plc gmbh ag sa se nv bv spa srl sarl sas kg
    oyj asa ab group holdings holding university college institute institution foundation
    association federation league alliance assembly parliament congress senate court tribunal
    office authority board bureau service services forces army navy police guard command fund
    trust society church movement front coalition network news times post journal herald tribune
    gazette telegraph tv television radio broadcasting airlines airways motors industries systems
    technologies technology energy petroleum electric pharmaceuticals media press club fc center
    centre school hospital academy cabinet administration directorate secretariat exchange
    reserve treasury partners capital ventures labs works bancorp securities insurance logistics
    shipping railways railway telecom mining steel chemicals foods brands studios entertainment
    motor airline cooperative brigade battalion regiment research electronics analytics consulting
    solutions pharma semiconductor semiconductors automotive aerospace robotics observatory
    ministere banque parti assemblee conseil organisation agence universite institut fondation
    federation societe groupe compagnie cour senat comite mouvement
    ministerio banco partido asamblea consejo organizacion comision agencia universidad instituto
    secretaria procuraduria fiscalia camara
    fundacion federacion sociedad grupo compania corte senado congreso comite movimiento frente
    ministero banca partito assemblea consiglio unione organizzazione commissione agenzia
    universita istituto fondazione federazione societa gruppo tribunale senato comitato
    movimento fronte ministerio assembleia conselho uniao organizacao comissao agencia
    universidade fundacao federacao companhia congresso comite ministerie partij raad unie
    organisatie commissie agentschap universiteit instituut stichting federatie vereniging groep
    hof rechtbank ministerium partei universitat stiftung verband gericht kommission gruppe
    gesellschaft konzern agentur rat amt bundestag bundesrat landtag
    """
)

# German compounds carry the organisation head at their end ("Bundesbank", "Finanzministerium").
ORG_HEAD_SUFFIXES = (
    "bank",
    "ministerium",
    "partei",
    "gericht",
    "stiftung",
    "verband",
    "agentur",
    "konzern",
    "gesellschaft",
    "kommission",
    "universitat",
    "institut",
    "behorde",
    "amt",
    "werke",
)

# Legal forms: a company name with one is an organisation, and is also known without it.
LEGAL_SUFFIXES = _words("inc ltd llc plc gmbh ag sa se nv bv spa srl sarl sas kg oyj asa ab corp co")

# Connectors allowed only inside a name that an organisation head opened ("Organization for
# Security and Co-operation in Europe"); elsewhere they separate names ("Lima and Quito").
WEAK_CONNECTORS = _words("for on in fur pour para per voor")

# Conjunctions join a name only after a preposition has ("Department of Health and Human
# Services"); otherwise they join two names ("Banco Santander and BBVA").
CONJUNCTIONS = _words("and & und et y e en")

# Lowercase adjectives that continue a Romance organisation name ("Assemblée nationale").
ORG_ADJECTIVES = _words(
    """
    nationale national nationaux europeenne europeen unies unidas unite unite socialiste populaire
    centrale central mondiale federale federal constitutionnel constitutionnelle republicain
    republicaine democrate democratique islamique internationale international africaine
    europea europeo europeia europeu nacional popular socialista democratico democratica
    nazionale federale centrale mondiale generale general superieur superieure supremo suprema
    """
)

# Lowercase nouns next to a span that say it is an organisation ("the X television channel",
# "carmaker X").
ORG_DESCRIPTORS = _words(
    """
    channel television tv newspaper broadcaster agency company firm group party bank network
    magazine outlet daily weekly radio station website portal airline carrier conglomerate
    startup start-up manufacturer retailer insurer lender fund union giant maker carmaker
    automaker chipmaker operator producer developer exporter importer publisher tabloid
    corporation consortium cooperative movement militia organisation organization
    journal quotidien chaine hebdomadaire entreprise societe groupe parti periodico diario
    cadena empresa partido giornale quotidiano azienda societa jornal empresa zeitung konzern
    unternehmen sender partei
    """
)

# Words that end a place's name ("Black Sea", "Rustaveli Avenue", "Wall Street").
PLACE_HEADS = _words(
    """
    sea ocean river lake mountains island islands gulf strait bay peninsula desert valley
    region province oblast krai county district canal square airport coast avenue street road
    boulevard bridge park
    """
)

# Words that start a place's name ("Mount Everest", "Lac Léman", "Isla Margarita").
PLACE_LEADS = _words("mount lake cape gulf mer lac mont lago isla golfo ile fleuve")

# Lowercase with accents kept: folded, Portuguese "março" would swallow the name "Marco".
WEEKDAYS = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday
    lundi mardi mercredi jeudi vendredi samedi dimanche
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
    lunes martes miércoles jueves viernes sábado domingo
    lunedì martedì mercoledì giovedì venerdì sabato domenica
    segunda-feira terça-feira quarta-feira quinta-feira sexta-feira
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    """
)
MONTHS = _words(
    """
    january february march april may june july august september october november december
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    januar jänner februar märz april mai juni juli august september oktober november dezember
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
    januari februari maart april mei juni juli augustus september oktober november december
    """
)
DAYS_AND_MONTHS = WEEKDAYS | MONTHS

# Words that place a month in time ("Early May", "Late June"): before a month they make a date,
# not a name, though "Early" and "Late" are surnames too ("Historian Gerald Early").
DATE_LEADS = _words("early late mid last next")

# Months that are also given names or surnames ("Theresa May"), kept when they close a name.
NAME_LIKE_MONTHS = _words("may june april august")

# Given names that are also the name of a country, a demonym or a common noun ("Jordan Bardella",
# "Christian Lindner", "Chad Smith", "Bill Gates"): such a word opens a person's name when a
# surname that is no place follows it; alone ("Jordan said") it stays what it names.
NAME_LIKE_WORDS = _words("christian jordan chad israel kenya india cuba asia bill")

# Adverbs that open a sentence before a name ("Yesterday Amara Okafor said"); folded. Function
# words ("Meanwhile", "However") are in the stopword lists already.
SENTENCE_ADVERBS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": _words(
        """
        yesterday today tomorrow tonight earlier later soon separately recently previously overnight
        currently afterwards afterward additionally finally initially ultimately eventually elsewhere
        nonetheless likewise similarly consequently subsequently alternatively apparently indeed
        overall notably importantly officially publicly privately reportedly
        """
    ),
    "fr": _words(
        """
        hier demain ensuite desormais cependant egalement auparavant actuellement finalement recemment
        toutefois neanmoins entre-temps parallelement
        """
    ),
    "de": _words(
        """
        gestern heute vorgestern ubermorgen spater zuvor zudem ausserdem inzwischen mittlerweile
        bereits nun jetzt dennoch allerdings trotzdem damals derzeit zunachst schliesslich
        anschliessend ebenfalls unterdessen indes gleichzeitig
        """
    ),
    "es": _words(
        """
        ayer hoy manana luego despues ademas tambien ahora anteriormente actualmente finalmente
        recientemente entretanto asimismo
        """
    ),
    "it": _words(
        """
        ieri oggi domani poi inoltre ora attualmente recentemente intanto successivamente
        """
    ),
    "pt": _words(
        """
        ontem hoje amanha depois agora atualmente
        """
    ),
    "nl": _words(
        """
        gisteren vandaag morgen inmiddels eerder daarnaast intussen
        """
    ),
}
SENTENCE_ADVERBS: frozenset[str] = frozenset().union(*SENTENCE_ADVERBS_BY_LANGUAGE.values())
"""Every language's, for keywords: none is a keyword in any language."""


def sentence_adverbs(language: str) -> frozenset[str]:
    """The adverbs of `language` (a BCP 47 tag) and of English: Italian "Ora" opens no English
    sentence as an adverb ("Ora Fischer won the prize")."""
    english = SENTENCE_ADVERBS_BY_LANGUAGE["en"]
    return _ADVERBS_WITH_ENGLISH.get(language.split("-")[0], english)


_ADVERBS_WITH_ENGLISH = {
    language: adverbs | SENTENCE_ADVERBS_BY_LANGUAGE["en"]
    for language, adverbs in SENTENCE_ADVERBS_BY_LANGUAGE.items()
}


# Capitalised words that are never names on their own.
NOT_NAMES = _words(
    """
    euro euros dollar dollars rubel rubles roubles ruble rouble pound pounds yen yuan franc francs
    franken tenge lira rupee rupees peso pesos krone kronor zloty hryvnia prozent millionen
    milliarden million milliarde milliard internet god christmas easter ramadan eid covid
    coronavirus brexit web
    economic national international federal central social democratic political global world
    public royal state supreme foreign human civil military security health development affairs
    forum summit outlook report index day week cup games olympics championship award prize act
    law bill treaty agreement accord charter convention declaration plan programme program
    initiative strategy conference festival war revolution crisis era age empire kingdom
    republic federation constitution protocol last next former acting interim outgoing incoming
    """
)

# All-capital words that are abbreviations of things, not of organisations.
COMMON_ACRONYMS = _words(
    """
    tv ceo cfo coo cto gdp ai pm am id it pr hq vip dna ok usb gps sms co2 uv hiv aids covid sars
    lng lgbt lgbtq vat ipo etf ev mp mep ngo uav faq pdf url api gmt utc cet est bc ad km kg mw
    gw kw mwh gwh usd eur gbp rub chf jpy cny kzt byn pib tva pdg bip ii iii iv vi vii viii
    ix xi xii xx xxi op ed rip diy asap fyi ps pc
    """
)

DETERMINERS = _words(
    """
    the a an this that these those le la les un une des du ce cette ces der die das den dem des
    ein eine einer einem einen el los las il lo gli i o os as um uma het een
    its their our
    """
)

# Particles inside names and organisation names ("Ursula von der Leyen", "Bank of England").
CONNECTORS = _words(
    "of the de du des del della delle degli dei di da do dos das van von der den ter zu la le y bin ibn d' l'"
)

# "of" in the supported languages: an organisation head before one makes the whole run one name
# ("Kyiv School of Economics"), unlike "in" ("Supreme Court in Madrid").
OF_CONNECTORS = _words("of for de du des del della di da do dos das fur pour para per voor van")

# Particles that join a name only after another particle ("von der Leyen", "Organization of the
# Petroleum Exporting Countries"); alone they are articles ("Biologen der Universität").
SECOND_PARTICLES = _words("der den dem the la le")

# Particles that may sit inside a person's name.
NAME_PARTICLES = _words("von van der den de da di du del della le la bin ibn ter zu dos das do y")

# Abbreviations whose full stop does not end a sentence ("Mr.", "Gen.", "Inc.", "ca."); a single
# letter's stop ("J.", the "z." and "B." of "z. B.") does not either.
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof st gen lt col sen rep gov jr sr inc ltd co corp no vs etc capt sgt maj adm
    rev hon mt ft jan feb mar apr aug sept sep oct nov dec approx m mme mlle hr fr dipl ing sra
    dña pres min cf al ca vgl bzw ggf evtl inkl nr sog env
    """
)
