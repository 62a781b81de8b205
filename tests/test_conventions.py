"""How conflict reporting names places, read the way an analyst does (issue: Resolution).

Sentences are UCDP GED ``where_description`` strings (real coder text, with GED's point) or
written in the conventions event coders and officials use.
"""

from __future__ import annotations

import pytest

from geomap.gazetteer.index import haversine_km
from geomap.geoparse import Geoparser, geoparse


def _by_text(mentions, text):
    found = [m for m in mentions if m.text == text]
    assert found, [m.text for m in mentions]
    return found[0]


# -- "Village, Oblast" ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "village", "oblast", "lat", "lon"), [
    # UCDP GED where_description strings with GED's coordinates
    ("Novozvanivka, Luhansk Obl", "Novozvanivka", "Luhansk Oblast", 48.5856, 38.3567),
    ("Starohnativka, Donetsk Obl", "Starohnativka", "Donetsk Oblast", 47.5398, 37.7788),
    ("Novotroyitske, Donetsk Obl", "Novotroyitske", "Donetsk Oblast", 47.7171, 37.5738),
    ("Kamyanka, Donetsk Obl", "Kamyanka", "Donetsk Oblast", 48.2453, 38.4835),
    ("Triokhizbenka, Luhansk Obl", "Triokhizbenka", "Luhansk Oblast", 48.7533, 38.9725),
])
def test_ged_village_comma_oblast(text, village, oblast, lat, lon):
    m = _by_text(geoparse(text), village)
    assert m.place.admin1 == oblast
    assert haversine_km(m.lat, m.lon, lat, lon) < 5


@pytest.mark.parametrize(("text", "village", "qualifier", "oblast"), [
    ("Russian forces shelled Yampil, Donetsk, on Tuesday.", "Yampil", "Donetsk", "Donetsk Oblast"),
    ("A strike hit Ivanivka, Kherson, killing two.", "Ivanivka", "Kherson", "Kherson Oblast"),
    ("A drone struck Senkivka, Chernihiv.", "Senkivka", "Chernihiv", "Chernihiv Oblast"),
    ("Shelling was reported in Hoptivka (Kharkiv region).", "Hoptivka", "Kharkiv region",
     "Kharkiv Oblast"),
])
def test_the_second_name_is_the_oblast_not_a_city(text, village, qualifier, oblast):
    mentions = geoparse(text)
    v = _by_text(mentions, village)
    assert v.place.admin1 == oblast and v.precision == 1
    assert oblast in v.reason
    q = _by_text(mentions, qualifier)
    assert q.role == "qualifier" and q.place.feature_code == "ADM1"  # no Donetsk-city event


def test_a_list_of_cities_stays_a_list():
    mentions = geoparse("Missiles hit Kyiv, Kharkiv and Odesa overnight.")
    assert [m.role for m in mentions] == ["location"] * 3
    assert all(m.place.feature_code.startswith("PPL") for m in mentions)


# -- city or oblast, per mention -------------------------------------------------------
def test_city_or_oblast_decided_per_mention():
    text = ("The Sumy region governor said a drone hit Sumy overnight. Sumy's mayor confirmed "
            "it; the city of Sumy was without power. The Sumy governor later spoke again.")
    sumy = [m for m in geoparse(text) if m.text == "Sumy"]
    assert [m.place.feature_code for m in sumy] == ["PPLA2", "PPLA2", "PPLA2", "ADM1"]
    assert "governor" in sumy[-1].reason


@pytest.mark.parametrize(("text", "name"), [
    # places of the region named beside the city do not turn the city into its region
    ("A drone attack on Belgorod killed two civilians. In the Shebekino district, a woman was "
     "wounded in Novaya Tavolzhanka.", "Belgorod"),
    ("Drones attacked Kursk, Lgov and Kurchatov overnight.", "Kursk"),
])
def test_a_bare_capital_is_the_city_beside_its_regions_villages(text, name):
    assert _by_text(geoparse(text), name).place.feature_code.startswith("PPL")


def test_a_countrys_oblast_capital_is_the_region():
    m = _by_text(geoparse("Over 30 soldiers dead or wounded in Russia's Kursk: Ukraine"), "Kursk")
    assert m.place.feature_code == "ADM1" and "Russia's Kursk" in m.reason


def test_the_war_zone_prior_never_beats_a_city():
    m = _by_text(geoparse("A drone strike wounded four people in Mykolaiv."), "Mykolaiv")
    assert m.place.admin1 == "Mykolaiv Oblast" and m.place.population > 400_000


def test_region_cues_name_the_oblast():
    text = ("Kiev's troops entered the Kursk region in August. Thousands of North Korean troops were "
            "deployed in Kursk to push them out of the border region. The Kursk incursion stalled.")
    kursk = [m for m in geoparse(text) if m.text == "Kursk"]
    assert [m.place.id for m in kursk] == ["adm1:RU-KRS", "adm1:RU-KRS"]


# -- admin chains ------------------------------------------------------------------------
def test_admin_units_narrow_the_candidates():
    mentions = geoparse("Two villages of the Pokrovsk district were shelled: Hrodivka and "
                        "Novohrodivka.")
    assert _by_text(mentions, "Pokrovsk district").place.name == "Pokrovskyi Raion"
    for name in ("Hrodivka", "Novohrodivka"):
        m = _by_text(mentions, name)
        assert m.place.admin2 == "Pokrovskyi Raion", m.reason


@pytest.mark.parametrize(("text", "name", "unit"), [
    ("The Krasnopillia community was shelled 20 times.", "Krasnopillia community",
     "Krasnopilska hromada"),
    ("A guided bomb struck the Sumy hromada.", "Sumy hromada", "Sumska hromada"),
])
def test_hromada_names(text, name, unit):
    m = _by_text(geoparse(text), name)
    assert m.place.name == unit and m.place.feature_code == "ADM3" and m.role == "location"


def test_owner_of_a_district_is_its_oblast():
    mentions = geoparse("Belgorod's Shebekino district was shelled again.")
    owner = _by_text(mentions, "Belgorod")
    assert owner.role == "qualifier" and owner.place.id == "adm1:RU-BEL"
    assert _by_text(mentions, "Shebekino district").place.admin1 == "Belgorod Oblast"


@pytest.mark.parametrize(("text", "district", "city"), [
    ("A missile hit Kyiv's Shevchenkivskyi district.", "Shevchenkivskyi district", "Kyiv"),
    ("Shelling hit Donetsk's Kyivskyi district.", "Kyivskyi district", "Donetsk"),
])
def test_city_districts(text, district, city):
    mentions = geoparse(text)
    d = _by_text(mentions, district)
    c = _by_text(mentions, city)
    assert c.role == "qualifier"
    assert haversine_km(d.lat, d.lon, c.lat, c.lon) < 10 and d.precision == 1


def test_a_city_district_the_gazetteer_lacks_is_the_city_not_a_village_named_like_it():
    # GeoNames counts 66,000 people in Kherson; Dniprovske is a village 12 km away
    mentions = geoparse("Russian shelling hit Kherson's Dniprovskyi district.")
    assert _by_text(mentions, "Kherson").role == "qualifier"
    d = _by_text(mentions, "Dniprovskyi district")
    assert d.place.name == "Kherson" and d.precision == 2 and d.needs_review


@pytest.mark.parametrize(("text", "name", "town"), [
    ("Russian troops are advancing in the Kupiansk direction.", "Kupiansk", "Kupyansk"),
    ("Fighting continued on the Pokrovsk axis.", "Pokrovsk", "Pokrovsk"),
])
def test_front_sector_is_an_area_not_the_town(text, name, town):
    m = _by_text(geoparse(text), name)
    assert m.place.name == town and m.precision == 2 and "front sector" in m.reason


def test_former_raion_in_running_text():
    # GED: "near village Stepanivka, Shakhtarskyi district, Donetsk region" (47.927, 38.806)
    m = _by_text(geoparse("near village Stepanivka, Shakhtarskyi district, Donetsk region"),
                 "Stepanivka")
    assert haversine_km(m.lat, m.lon, 47.927, 38.806) < 5


# -- renamed places, spellings -------------------------------------------------------------
@pytest.mark.parametrize(("old", "new"), [
    ("Krasnoarmeysk", "Pokrovsk"), ("Dimitrov", "Myrnohrad"), ("Artemivsk", "Bakhmut"),
    ("Dzerzhynsk", "Toretsk"), ("Kirovograd", "Kropyvnytskyi"), ("Dnipropetrovsk", "Dnipro"),
])
def test_renamed_places_by_the_gazetteers_alternate_names(old, new):
    text = f"Shelling was reported in {old} in eastern Ukraine."
    m = _by_text(geoparse(text), old)
    assert m.place.name == new and m.place.country == "UA"


def test_co_mentioned_names_decide_before_any_is_sure():
    mentions = geoparse("Fighting was reported near Sudzha, Goncharovka and Martynovka.")
    for m in mentions:
        assert m.place.admin2 == "Sudzhansky District", m
        assert "km from" in m.reason


# -- recognition in general news -------------------------------------------------------------
@pytest.mark.parametrize(("text", "span", "town"), [
    ("Kursk Regional Hospital received the wounded.", "Kursk Regional Hospital", "Kursk"),
    ("The Zaporizhzhia NPP lost external power.", "Zaporizhzhia NPP", "Zaporizhzhya"),
    # news writes plants and depots in lower case
    ("A drone hit the Kharkiv thermal power plant overnight.", "Kharkiv thermal power plant",
     "Kharkiv"),
    ("The Kakhovka dam was blown up on 6 June.", "Kakhovka dam", "Kakhovka"),
    ("Drones struck the Novoshakhtinsk oil refinery again.", "Novoshakhtinsk oil refinery",
     "Novoshakhtinsk"),
    # a town of two words is the whole name, not its first word (was "Nova": nothing)
    ("A drone hit the Kryvyi Rih thermal power plant.", "Kryvyi Rih thermal power plant",
     "Kryvyy Rih"),
    ("The Nova Kakhovka dam was destroyed.", "Nova Kakhovka dam", "Nova Kakhovka"),
])
def test_facilities_are_placed_at_their_town(text, span, town):
    m = _by_text(geoparse(text), span)
    assert m.kind == "facility" and m.place.name == town
    assert m.precision == 2 and m.needs_review


def test_demonyms_name_a_place_only_where_they_mean_one():
    mentions = geoparse("Russian shelling of Ukrainian villages continued.")
    assert [m.role for m in mentions] == ["context", "context"]  # no location, no event
    assert [m.place.country for m in mentions] == ["RU", "UA"]  # but they say which countries
    m = geoparse("Drones flew deep over Russian territory.")[0]
    assert m.place.feature_code == "PCLI" and m.place.country == "RU" and m.precision == 3
    donbas = geoparse("Fighting in the Donbas intensified.")
    assert [m.place.id for m in donbas] == ["region:donbas"]
    assert [m for m in geoparse("Donbas fighters regrouped near the river.")
            if m.role == "location"] == []


def test_passive_targets_are_locations_speakers_are_metonymy():
    mentions = geoparse("Kharkiv was shelled overnight. Moscow has said it hit military targets.")
    assert [m.role for m in mentions] == ["location", "metonymy"]


# -- airports are facilities the gazetteer has ---------------------------------------------
@pytest.mark.parametrize(("text", "lat", "lon"), [
    # UCDP GED where_description strings with GED's point for them
    ("near Donetsk airport", 48.075, 37.725556),
    ("Donetsk international airport", 48.075, 37.725556),
    ("Luhansk airport", 48.417384, 39.374681),
    # written the way news names them
    ("A drone struck Belgorod International Airport overnight.", 50.6438, 36.5901),
])
def test_airports_are_placed_at_the_airport(text, lat, lon):
    m = next(m for m in geoparse(text) if m.kind == "facility")
    assert m.place.feature_code == "AIRP" and m.precision == 1, m
    assert haversine_km(m.lat, m.lon, lat, lon) < 2.0, m
    assert "ICAO" in m.reason and not m.needs_review


def test_an_airport_the_gazetteer_lacks_falls_back_to_its_town():
    m = _by_text(geoparse("Kursk Regional Hospital and the Sudzha Airfield were hit."),
                 "Sudzha Airfield")
    assert m.place.name == "Sudzha" and m.precision == 2 and m.needs_review


# -- namesakes the text does not tell apart: the war zone first ----------------------------
@pytest.mark.parametrize(("text", "lat", "lon"), [
    # UCDP GED where_description strings with nothing but the name, and GED's point
    ("Marinka", 47.941669, 37.504218),
    ("near Pisky", 48.06087, 37.681397),
])
def test_bare_namesakes_resolve_to_the_war_zone(text, lat, lon):
    m = geoparse(text)[0]
    assert haversine_km(m.lat, m.lon, lat, lon) < 5.0, m
    assert "war zone (Donetsk Oblast)" in m.reason and m.alternatives


def test_the_war_zone_prior_yields_to_the_text():
    m = _by_text(geoparse("Shelling hit Pisky, Poltava Oblast."), "Pisky")
    assert m.place.admin1 == "Poltava Oblast"
    # and can be turned off: then the most populous namesake (in Poltava Oblast) wins
    assert Geoparser(theatre={})("near Pisky")[0].place.admin1 == "Poltava Oblast"


# -- names inside names, people and common nouns are no places -----------------------------
@pytest.mark.parametrize(("text", "places"), [
    ("The Environmental Protection Agency urged farmers to comment.", []),  # Agency, Iowa
    ("Witnesses are asked to call Officer Robert Canto.", []),  # Officer, Victoria
    ("Julie Brown and Cora Kelly spoke at the Chamber of Commerce.", []),  # US towns' alternates
    ("Ohio Partners for Affordable Energy filed a complaint.", ["Ohio"]),  # Energy, Illinois
])
def test_people_organisations_and_common_nouns_are_no_places(text, places):
    assert [m.text for m in geoparse(text)] == places


@pytest.mark.parametrize(("text", "name"), [
    ("In Kharkiv, the shelling went on all night.", "Kharkiv"),
    ("Eastern Ukraine was hit by drones.", "Ukraine"),
    ("Russian Troops Shell Kharkiv Overnight", "Kharkiv"),  # a Title Case headline
    ("Fighting near Tim and Sudzha continued.", "Tim"),  # Tim, Kursk Oblast: a real town
])
def test_places_after_a_modifier_or_in_a_headline_stay(text, name):
    assert name in [m.text for m in geoparse(text)]


def test_a_state_so_named_beats_its_towns():
    # the US state, not Florida (Cuba, 63k) or one of the dozen other towns so named
    m = _by_text(geoparse("Deputies in Florida arrested him near Atlanta, Georgia."), "Florida")
    assert m.place.feature_code == "ADM1" and m.place.country == "US"


# -- GED coder strings: settlement nouns, admin chains, Russian forms -----------------
@pytest.mark.parametrize(("text", "name", "lat", "lon"), [
    # UCDP GED where_description strings with GED's own coordinates
    ("near the village of Vodiane in the Novoazovsky district of Donetsk region", "Vodiane",
     47.147911, 37.784462),
    ("near the Kominternovo settlement from the direction of the Vodyanoye settlement.",
     "Kominternovo", 47.174126, 37.814764),
    ("near the village of Aleksandrovka, Sverdlovsk district, Luhansk region", "Aleksandrovka",
     48.071213, 39.747667),
    ("near Pobeda village, Donetsk", "Pobeda", 47.978667, 38.802594),
    ("near Komsomolskoye village, Donetsk", "Komsomolskoye", 47.667028, 38.069125),
    ("near the village of Berezovy, Maryinsky district of Donetsk region", "Berezovy",
     47.769334, 37.582322),
    ("Elenovka checkpoint", "Elenovka", 47.836609, 37.651082),
])
def test_ged_coder_strings(text, name, lat, lon):
    m = _by_text(geoparse(text), name)
    assert m.precision == 1
    assert haversine_km(m.lat, m.lon, lat, lon) < 2, m.reason


def test_two_small_names_reported_together_find_each_other():
    # neither Kominternovo (now Pikuzy) nor Vodyanoye (Vodiane) has its Donetsk namesake
    # among its first candidates; together they do
    mentions = geoparse("near the Kominternovo settlement from the direction of the "
                        "Vodyanoye settlement.")
    a, b = _by_text(mentions, "Kominternovo"), _by_text(mentions, "Vodyanoye")
    assert a.place.admin1 == b.place.admin1 == "Donetsk Oblast"
    assert haversine_km(a.lat, a.lon, b.lat, b.lon) < 10


def test_a_settlement_noun_before_the_comma_keeps_the_oblast_qualifier():
    mentions = geoparse("near Pobeda village, Donetsk")
    assert _by_text(mentions, "Donetsk").role == "qualifier"
    assert _by_text(mentions, "Donetsk").place.feature_code == "ADM1"
    # a village the gazetteer does not know is placed at the oblast, not the city
    mentions = geoparse("near Qwertovka town, Donetsk")
    unknown = _by_text(mentions, "Qwertovka")
    assert unknown.place.id == "adm1:UA-14" and unknown.precision == 3 and unknown.needs_review
    assert "Donetsk Oblast" in unknown.reason
    assert _by_text(mentions, "Donetsk").role == "qualifier"


def test_region_after_district_of_is_the_region():
    mentions = geoparse("near the village of Vodiane in the Novoazovsky district of Donetsk region")
    region = _by_text(mentions, "Donetsk region")
    assert region.place.id == "adm1:UA-14"


def test_a_district_is_never_a_region():
    mentions = geoparse("village Panchenkova, Sverdlovsk district, Luhansk region")
    district = _by_text(mentions, "Sverdlovsk district")
    assert district.place.country == "UA" and district.place.feature_code != "ADM1"


def test_a_russian_form_the_gazetteer_lacks_is_read_in_the_named_region():
    m = _by_text(geoparse("near Orlovsky village, Telmanovsky region Donetsk region"), "Orlovsky")
    assert m.place.admin1 == "Donetsk Oblast" and m.needs_review
    assert haversine_km(m.lat, m.lon, 47.258251, 37.7413) < 2  # GED's point
    assert m.place.name in m.reason and "other language's form" in m.reason


def test_the_governor_of_a_city_named_oblast_is_the_oblast():
    # Zaporizhzhia's namesake villages crowd the oblast out of the first candidates
    m = _by_text(geoparse("The Zaporizhzhia governor reported attacks on 8 settlements."),
                 "Zaporizhzhia")
    assert m.place.id == "adm1:UA-23"


def test_a_list_of_towns_with_their_states_is_read_pair_by_pair():
    text = ("The properties are located in Louisville and Lexington, Kentucky, Nashville and "
            "Cordova, Tennessee, Richmond, Virginia, and Orlando, Florida.")
    mentions = geoparse(text)
    assert _by_text(mentions, "Cordova").place.admin1 == "Tennessee"
    assert _by_text(mentions, "Richmond").place.admin1 == "Virginia"
    assert _by_text(mentions, "Orlando").place.admin1 == "Florida"


@pytest.mark.parametrize(("text", "span", "town"), [
    ("Artillery struck near the Zaporizhzhia NPP in Enerhodar.", "Zaporizhzhia NPP", "Enerhodar"),
    ("A drone hit the Kursk NPP in the town of Kurchatov.", "Kursk NPP", "Kurchatov"),
    ("Ukrainian forces shelled the Kursk nuclear power plant in Kurchatov, the governor said.",
     "Kursk nuclear power plant", "Kurchatov"),  # was Kursk city, 37 km away
    # the town first: "home to", "the site of"
    ("A drone struck Energodar, home to the Zaporozhye nuclear power plant.",
     "Zaporozhye nuclear power plant", "Enerhodar"),
    ("Drones targeted Kurchatov, the site of the Kursk NPP.", "Kursk NPP", "Kurchatov"),
])
def test_a_facility_is_where_the_text_puts_it(text, span, town):
    mentions = geoparse(text)
    facility = _by_text(mentions, span)
    assert facility.kind == "facility" and facility.place.name == town
    assert facility.precision == 2 and town in facility.reason


# -- general news: abbreviations, demonyms ------------------------------------------
def test_ap_state_abbreviations_after_a_town_and_place_acronyms():
    mentions = geoparse("Flooding hit Louisville, Ky., and Jackson, Miss., on Monday. "
                        "Troops from the USA and the UAE arrived.")
    assert _by_text(mentions, "Ky").place.name == "Kentucky"
    assert _by_text(mentions, "Miss").place.name == "Mississippi"
    assert _by_text(mentions, "Jackson").place.admin1 == "Mississippi"
    assert _by_text(mentions, "USA").place.country == "US"
    assert _by_text(mentions, "UAE").place.country == "AE"
    # the same words elsewhere are no places
    assert [m.text for m in geoparse("Miss Jones met the Ky family.") if m.role == "location"] == []


def test_demonyms_are_context_that_never_move_a_place():
    # "Russian shelling" says who fired, not where: Kherson stays the Ukrainian city
    mentions = geoparse("Two dozen civilians were wounded in Russian shelling of Kherson.")
    assert _by_text(mentions, "Russian").role == "context"
    assert _by_text(mentions, "Kherson").place.country == "UA"


# -- typos and airfields in coders' strings --------------------------------------------
def test_a_misspelt_village_near_its_oblast_is_read_through_the_typo():
    """GED: "near Ilvoaisk, Donetsk" (47.926, 38.194) is Ilovaisk: after 'near' a one-edit
    match counts when the oblast named with it corroborates it."""
    m = _by_text(geoparse("near Ilvoaisk, Donetsk"), "Ilvoaisk")
    assert m.place.name.startswith("Ilovays") and m.place.admin1 == "Donetsk Oblast"
    assert haversine_km(m.lat, m.lon, 47.926, 38.194) < 5
    # without any context a typo stays unresolved rather than a guess
    assert geoparse("near Svitodarsk")[0].place is None


@pytest.mark.parametrize(("text", "airport", "lat", "lon"), [
    ("Donetsk aiport", "Donetsk International Airport", 48.075, 37.725556),  # GED's string
    ("shelling of the Lugansk aiport", "Luhansk International Airport", 48.417, 39.374),
])
def test_an_airfield_named_after_its_town_is_the_towns_airport(text, airport, lat, lon):
    m = geoparse(text)[0]
    assert m.place.name == airport and m.precision == 1
    assert "the airport of" in m.reason
    assert haversine_km(m.lat, m.lon, lat, lon) < 5


@pytest.mark.parametrize("text", ["Zaitsevo", "Gorlovka’s suburb of Zaitsevo"])
def test_the_russian_form_of_a_ukrainian_village_spelt_alike_in_both(text):
    """GED (48.41955, 38.032433): Зайцеве reads the same in Russian and Ukrainian letters,
    so its Russian form Зайцево/Zaitsevo is indexed too, and the town by Horlivka (pop.
    ~4,000) is no longer outranked by a smaller Zaitseve that GeoNames spells Zaitsevo."""
    m = _by_text(geoparse(text), "Zaitsevo")
    assert m.place.name == "Zaitseve" and m.place.admin3 == "Svitlodarska hromada"
    assert haversine_km(m.lat, m.lon, 48.41955, 38.032433) < 5


def test_a_former_raion_named_by_its_adjective_centres_on_its_town():
    """GED (48.096377, 37.72225): 'Yasinuvatska district' is the pre-2020 raion around
    Yasynuvata; of the two Opytne in Donetsk Oblast the one 11 km from it is meant."""
    text = "military camp No. 13, Opytne village, Yasinuvatska district, Donetsk region"
    m = _by_text(geoparse(text), "Opytne")
    assert "Yasynuvata (centre of Yasinuvatska district)" in m.reason
    assert haversine_km(m.lat, m.lon, 48.096377, 37.72225) < 5


def test_a_former_raion_is_its_centre_at_district_precision_not_a_village():
    """'Krasnodon district' (now Sorokyne) is no unit in the gazetteer: it is placed at the
    town it is named after, precision 2, not at a village that once had the name."""
    text = "near the village of Krasny Yar (Krasnodon district) in Luhansk region"
    district = _by_text(geoparse(text), "Krasnodon district")
    assert district.place.name.startswith("Sorokyne") and district.precision == 2
    assert "former or renamed raion" in district.reason


def test_a_village_outside_its_named_district_may_be_misspelt_inside_it():
    """GED (47.785527, 38.116142), seven events: the only Chumak lies 51 km from the
    former Starobeshivskyi raion; Chumaky (Чумаки), one letter away, lies in it."""
    text = "near Chumak village, Starobeshivskiy district, Donetsk region"
    m = _by_text(geoparse(text), "Chumak")
    assert m.place.name == "Chumaky" and m.needs_review
    assert "'Chumak' read as Chumaky" in m.reason and "the exact-name Chumak" in m.reason
    assert haversine_km(m.lat, m.lon, 47.785527, 38.116142) < 5


def test_an_unknown_name_two_slips_from_a_town_of_its_oblast_is_that_town():
    """GED, eight events: "near Iloviaks town, Donetsk" is Ilovaisk (two swapped pairs),
    the one town of Donetsk Oblast so spelt; read for review, with the reason."""
    m = _by_text(geoparse("near Iloviaks town, Donetsk"), "Iloviaks")
    assert m.place.name.startswith("Ilovays") and m.needs_review
    assert "'Iloviaks' read as" in m.reason and "2 typing slips" in m.reason
    assert m.read_as.startswith("Ilovays")
    assert haversine_km(m.lat, m.lon, 47.926, 38.194) < 5
    # a made-up name near no town's spelling stays at the oblast (see above)


def test_a_war_zone_city_outranks_the_front_line_villages_named_like_it():
    """Oblast capitals are this news' most frequent names: a bare 'Zaporizhzhia' next to
    front-line villages is the city (pop. 710,000), 'the village of Zaporizhzhia' is not."""
    villages = "Russian troops attacked Robotyne and Mala Tokmachka"
    city = _by_text(geoparse(f"A missile hit Zaporizhzhia, wounding 12. {villages}."),
                    "Zaporizhzhia")
    assert city.place.population > 500_000
    village = _by_text(geoparse(f"{villages} and the village of Zaporizhzhia."), "Zaporizhzhia")
    assert 0 < village.place.population < 10_000
    assert haversine_km(village.lat, village.lon, 47.443, 35.826) < 40  # Robotyne's


def test_an_air_base_is_one_facility_name():
    m = _by_text(geoparse("Kyiv said its forces struck the Engels air base in Saratov Oblast."),
                 "Engels air base")
    assert m.kind == "facility" and m.place.name == "Engels Airbase" and m.precision == 1


def test_a_list_of_cities_is_no_city_oblast_pair():
    """'Kursk, Belgorod and Voronezh': Belgorod reads first as the city, so it does not
    put Kursk in Belgorod Oblast (Kursk was placed at Belgorod)."""
    mentions = geoparse("Explosions were heard in Kursk, Belgorod and Voronezh overnight.")
    kursk = _by_text(mentions, "Kursk")
    assert kursk.place.admin1 == "Kursk Oblast" and kursk.place.population > 400_000
    assert _by_text(mentions, "Belgorod").place.population > 300_000


def test_a_country_speaking_is_no_context_for_where_things_are():
    """'Russia says its troops took X in the Pokrovsk direction': Russia is the actor; the
    sector is Ukraine's Pokrovsk, not Engels (once Pokrovsk) in Saratov Oblast."""
    mentions = geoparse("Russia says its troops took Ukrainsk in the Pokrovsk direction.")
    assert _by_text(mentions, "Russia").role == "metonymy"
    sector = _by_text(mentions, "Pokrovsk")
    assert sector.place.country == "UA" and sector.place.admin1 == "Donetsk Oblast"


def test_a_river_is_a_toponym_never_placed_at_the_city_named_like_it():
    mentions = geoparse("Ukrainian troops crossed the Dnipro river near Krynky in Kherson region.")
    river = _by_text(mentions, "Dnipro river")
    assert river.kind == "natural" and river.place is None and "river" in river.reason
    assert _by_text(mentions, "Krynky").place.admin1 == "Kherson Oblast"


def test_the_governors_region_is_the_texts_region():
    """'Bryansk governor Bogomaz said ... the village of Klimovo': the governor names the
    region the villages are in (Klimovo has a dozen namesakes)."""
    text = ("Bryansk governor Bogomaz said Ukrainian drones hit the village of Klimovo and "
            "the Sevsk district.")
    m = _by_text(geoparse(text), "Klimovo")
    assert m.place.admin1 == "Bryansk Oblast" and m.confidence > 0.9
    assert "Bryansk Oblast named in the text" in m.reason


@pytest.mark.parametrize(("text", "units"), [
    ("Drones were shot down over the Belgorod, Kursk and Bryansk regions, the ministry said.",
     {"Belgorod": "Belgorod Oblast", "Kursk": "Kursk Oblast", "Bryansk": "Bryansk Oblast"}),
    # "Donetsk" alone was Donetsk, Rostov Oblast, because "Russia" is named
    ("Russia annexed the Donetsk and Luhansk regions in 2022.",
     {"Donetsk": "Donetsk Oblast", "Luhansk": "Luhansk Oblast"}),
    ("Air raid alerts sounded in Sumy and Kharkiv oblasts.",
     {"Sumy": "Sumy Oblast", "Kharkiv": "Kharkiv Oblast"}),
    ("Shelling hit Krasnopillia and Bilopillia hromadas.",
     {"Krasnopillia": "Krasnopilska hromada", "Bilopillia": "Bilopilska hromada"}),
])
def test_a_plural_type_word_makes_every_name_of_its_list_a_unit(text, units):
    mentions = geoparse(text)
    for name, unit in units.items():
        m = _by_text(mentions, name)
        assert m.kind == "admin" and m.place.name == unit and m.precision >= 2, (name, m.reason)


def test_a_plural_type_word_after_one_name_is_no_list_and_a_later_bare_name_is_the_city():
    mentions = geoparse("The Kharkiv and Sumy regions were shelled; a guided bomb hit Sumy.")
    assert [m.place.name for m in mentions if m.text == "Sumy"] == ["Sumy Oblast", "Sumy"]


def test_a_countrys_province_is_no_city_district():
    mentions = geoparse("Floods hit central China's Hunan province.")
    assert _by_text(mentions, "China").place.feature_code == "PCLI"  # was Chennai ("China")
    assert _by_text(mentions, "Hunan province").place.name == "Hunan"


def test_a_plural_sector_word_makes_every_name_of_its_list_a_front_sector():
    mentions = geoparse("Heavy fighting on the Pokrovsk, Kurakhove and Vremivka axes.")
    for name in ("Pokrovsk", "Kurakhove", "Vremivka"):
        m = _by_text(mentions, name)
        assert m.precision == 2 and "front sector" in m.reason, (name, m.reason)


def test_a_name_all_whose_records_lie_in_one_region_implies_it_for_common_names():
    """UCDP GED: 'Lugansk' has namesakes but one in the war zone, so the common name
    'Sokolniki' (a Moscow district first) is read among Luhansk Oblast's (Sokilnyky)."""
    text = "area of the settlement of Sokolniki in the Lugansk People’s Republic (LPR)"
    m = _by_text(geoparse(text), "Sokolniki")
    assert m.place.admin1 == "Luhansk Oblast"
    assert haversine_km(m.lat, m.lon, 48.746225, 38.870126) < 5


@pytest.mark.parametrize(("text", "name", "village"), [
    # Ukrainian outlets write Russian villages in Ukrainian transliteration
    ("Drones hit Hlushkovo and Tiotkino in Kursk Oblast.", "Hlushkovo", "Glushkovo"),
    ("Ukrainian troops control Martynivka and Pliekhovo in Kursk Oblast, the General Staff "
     "said.", "Pliekhovo", "Plekhovo"),
])
def test_a_transliteration_in_a_sentence_naming_an_oblast_is_read(text, name, village):
    m = _by_text(geoparse(text), name)
    assert m.place.name == village and m.place.admin1 == "Kursk Oblast"


def test_an_english_word_sounding_like_a_far_town_is_no_guess_in_an_oblast_sentence():
    """'Shelling' sounds like Shillong (India); only records of the oblast countries make a
    guess worth reading."""
    mentions = geoparse("Shelling damaged a school in Krasnohrad, Kharkiv Oblast.")
    assert "Shelling" not in [m.text for m in mentions]
    assert _by_text(mentions, "Krasnohrad").place.admin1 == "Kharkiv Oblast"


def test_a_name_of_one_region_stands_against_namesakes_agreeing_elsewhere():
    """'Kurylivka' and 'Makhnivka' (Ukrainian forms) both have Chernihiv namesakes 31 km
    apart; 'Sudzha' has one record in the war zone. It stands (it was dropped as 'no
    record fits'), and the two are read as the Kursk villages beside it."""
    mentions = geoparse("Ukrainian forces advanced near Sudzha and took Kurylivka and Makhnivka.")
    for name, village in (("Sudzha", "Sudzha"), ("Kurylivka", "Kurilovka"),
                          ("Makhnivka", "Makhnovka")):
        m = _by_text(mentions, name)
        assert m.place is not None and m.place.name == village, (name, m.reason)
        assert m.place.admin1 == "Kursk Oblast"


def test_ukrainian_forms_of_russian_villages_follow_the_region_another_name_implies():
    """Martynivka and Kurylivka have Sumy namesakes 12 km apart, spelt as written; the
    Kursk villages are their Ukrainian spellings, 5-9 km from Sudzha."""
    mentions = geoparse("The Ukrainian army holds Martynivka and Kurylivka south of Sudzha.")
    for name, village in (("Martynivka", "Martynovka"), ("Kurylivka", "Kurilovka")):
        m = _by_text(mentions, name)
        assert m.place.name == village and m.place.admin1 == "Kursk Oblast", (name, m.reason)


def test_ukrainian_names_of_russian_border_villages():
    mentions = geoparse("Ukrainian troops entered Mala Loknia and Velyke Soldatske in Russia's "
                        "Kursk Oblast.")
    assert _by_text(mentions, "Mala Loknia").place.name == "Malaya Loknya"
    assert _by_text(mentions, "Velyke Soldatske").place.name == "Bol’shoye Soldatskoye"


@pytest.mark.parametrize("text", [
    "Russian troops shelled Nikopol across the Dnipro from the Zaporizhzhia nuclear power plant.",
    "Shelling from across the Dnipro hit Kherson overnight.",
])
def test_the_river_after_the_is_no_city(text):
    """'across the Dnipro' is the river (was Dnipro city, which then pulled 'Zaporizhzhia'
    to a village of that name 36 km from it)."""
    mentions = geoparse(text)
    river = _by_text(mentions, "Dnipro")
    assert river.kind == "natural" and river.place is None
    for m in mentions:
        if m.place is not None and m.text != "Dnipro":
            assert m.place.admin1 != "Dnipropetrovsk Oblast" or m.text == "Nikopol", m.text


def test_a_town_named_like_a_river_stays_the_town():
    for text in ("A missile hit Dnipro on Monday.", "The Dnipro city council said six died."):
        m = _by_text(geoparse(text), "Dnipro")
        assert m.place is not None and m.place.name == "Dnipro" and m.precision == 1, text


@pytest.mark.parametrize(("text", "name", "oblast"), [
    ("The Sumy Regional Military Administration reported 98 explosions.", "Sumy", "Sumy Oblast"),
    ("The Kharkiv Regional Council said two people were wounded.", "Kharkiv", "Kharkiv Oblast"),
])
def test_a_regional_body_speaks_for_the_region_not_a_facility_in_the_city(text, name, oblast):
    m = _by_text(geoparse(text), name)
    assert m.place.feature_code == "ADM1" and m.place.name == oblast, m.reason
    assert "speaks of the region" in m.reason


def test_a_regional_hospital_is_still_a_facility_in_its_city():
    m = _by_text(geoparse("The wounded were taken to the Kursk Regional Hospital."),
                 "Kursk Regional Hospital")
    assert m.kind == "facility" and m.place.name == "Kursk"


@pytest.mark.parametrize("text", [
    # the Sumy Regional Military Administration's daily report, as English media quote it
    "The Sumy Regional Military Administration reported 98 explosions in the Khotin, "
    "Yunakivka, Myropillia, Krasnopillia and Velyka Pysarivka hromadas.",
    "Russian forces shelled the Khotin hromada of Sumy Oblast.",
    "Shelling hit the Khotin hromada.",
])
def test_a_hromada_with_a_namesake_follows_the_text(text):
    """Sumy's Khotinska hromada (Khotin) against Chernivtsi's Khotynska (Khotyn, 540 km
    away): the oblast named, the other hromadas of the list, and the spelling decide."""
    m = _by_text(geoparse(text), next(n for n in ("Khotin hromada", "Khotin") if n in text))
    assert m.place.name == "Khotinska hromada" and m.place.admin1 == "Sumy Oblast", m.reason


def test_a_named_oblast_decides_between_namesake_districts():
    m = _by_text(geoparse("The Pokrovsk district and the Kramatorsk district of Donetsk "
                          "region were shelled."), "Pokrovsk district")
    assert m.place.name == "Pokrovskyi Raion" and "Donetsk Oblast named in the text" in m.reason


# -- an event coder's "Village (District, Oblast)" ------------------------------------
@pytest.mark.parametrize(("text", "village", "district", "oblast"), [
    ("On 14 December 2024, Ukrainian forces shelled Tyotkino (Glushkovskiy, Kursk).",
     "Tyotkino", "Glushkovsky District", "Kursk Oblast"),
    ("On 5 March 2025, Russian forces shelled Myropillia (Sumy, Sumy) with artillery.",
     "Myropillia", "Sumskyi Raion", "Sumy Oblast"),
    ("On 2 February 2025, Russian forces struck Kostiantynivka (Kramatorsk, Donetsk), "
     "killing 2 civilians.", "Kostiantynivka", "Kramatorskyi Raion", "Donetsk Oblast"),
    ("On 7 April 2025, Ukrainian forces shelled Klimovo (Klimovskiy, Bryansk).",
     "Klimovo", "Klimovsky District", "Bryansk Oblast"),
    ("On 20 November 2024, Russian military hit Zolochiv (Bohodukhiv, Kharkiv) with drones.",
     "Zolochiv", "Bohodukhivskyi Raion", "Kharkiv Oblast"),
    # ACLED spells the oblast "Zaporizhia" (was the city of Zaporizhzhia, 88 km away)
    ("On 3 March 2025, Russian forces shelled Huliaipole (Polohivskyi, Zaporizhia).",
     "Huliaipole", "Polohivskyi Raion", "Zaporizhzhia Oblast"),
])
def test_a_coders_bracketed_district_and_oblast_qualify_the_village(text, village, district,
                                                                     oblast):
    """ACLED's notes write 'Village (Admin2, Admin1)'; the bracketed names were two more
    places (Sumy and Kursk cities, Klimovsk near Moscow)."""
    mentions = geoparse(text)
    v = _by_text(mentions, village)
    assert v.place.admin1 == oblast and v.place.admin2 == district and v.precision == 1, v.reason
    qualifiers = [m for m in mentions if m.start > v.end]
    assert [m.role for m in qualifiers] == ["qualifier", "qualifier"]
    assert [m.place.name for m in qualifiers] == [district, oblast]


def test_a_coders_district_adjective_is_the_district_not_the_city_okrug():
    mentions = geoparse("On 9 August 2024, Russian forces shelled Klyukva (Kurskiy, Kursk).")
    district = _by_text(mentions, "Kurskiy")
    assert district.role == "qualifier" and district.place.name == "Kursky District"


def test_a_coders_brackets_after_every_village_of_a_list():
    text = ("On 16 December 2024, Russian forces shelled Yunakivka (Sumy, Sumy), Khotin (Sumy, "
            "Sumy) and Krasnopillia (Sumy, Sumy).")
    mentions = geoparse(text)
    places = [m for m in mentions if m.role == "location" and m.kind == "place"]
    assert [m.text for m in places] == ["Yunakivka", "Khotin", "Krasnopillia"]
    assert all(m.place.admin2 == "Sumskyi Raion" for m in places)
    assert not any(m.place.feature_code.startswith("PPL") for m in mentions if m.text == "Sumy")


@pytest.mark.parametrize("text", [
    "Drones attacked the village of Kozinka in the Graivoron district of Belgorod region.",
    "Russian troops attacked Kupiansk, Kharkiv Oblast, with guided aerial bombs.",
    "Russian forces attacked the area of Novoyehorivka, Kupiansk district, Kharkiv region.",
])
def test_a_reason_names_each_unit_once(text):
    """'Kharkiv Oblast named in the text; Kharkiv Oblast named next to it; Kupiansk district
    named next to it; Kupianskyi Raion named in the text' was one reason."""
    for m in geoparse(text):
        if m.role != "location" or m.kind != "place":
            continue
        clauses = m.reason.split("; ")
        units = [c.rsplit(" named ", 1)[0] for c in clauses if " named " in c]
        assert len(units) == len(set(units)) and len(clauses) <= 4, m.reason
        assert not any(c.endswith(("UA named in the text", "RU named in the text"))
                       for c in clauses), m.reason


def test_a_facility_named_after_a_city_is_at_the_city_whatever_region_the_text_names():
    """'the Ryazan oil refinery' beside 'Toropets, in Russia's Tver Oblast' was a hamlet
    called Ryazan in Tver Oblast, 300 km from the refinery's city."""
    text = ("Ukrainian long-range drones hit the Ryazan oil refinery and an ammunition depot "
            "in Toropets, in Russia's Tver Oblast, Ukraine's General Staff said.")
    mentions = geoparse(text)
    refinery = _by_text(mentions, "Ryazan oil refinery")
    assert refinery.place.admin1 == "Ryazan Oblast" and refinery.place.population > 500_000
    assert _by_text(mentions, "Toropets").place.admin1 == "Tver Oblast"


@pytest.mark.parametrize(("text", "word"), [
    ("Russian forces have entered the Pokrovsk area, Ukraine's 7th Rapid Response Corps said.",
     "Rapid"),  # was Rapid City, South Dakota
    ("The Azov Brigade fought near Toretsk.", "Azov"),
])
def test_a_military_units_name_is_no_place(text, word):
    mentions = geoparse(text)
    assert word not in [m.text for m in mentions]
    assert all(m.place.country == "UA" for m in mentions if m.role == "location")


def test_a_states_division_still_names_the_state():
    m = _by_text(geoparse("The Florida Division of Forestry is working to control the fire."),
                 "Florida")
    assert m.place.feature_code == "ADM1"


def test_a_neighbourhood_of_a_town_is_at_the_town_not_a_namesake_abroad():
    """'Chasiv Yar's Kanal neighbourhood' was Kanal, Slovenia."""
    m = _by_text(geoparse("Fighting is ongoing in Chasiv Yar's Kanal neighbourhood, the "
                          "General Staff said."), "Kanal")
    assert m.place.name == "Chasiv Yar" and m.precision == 2 and m.needs_review
    assert "neighbourhood of Chasiv Yar" in m.reason


def test_a_neighbourhood_the_gazetteer_has_near_its_city_is_placed_there():
    mentions = geoparse("A drone hit the Pivnichna Saltivka microdistrict in Kharkiv.")
    m = _by_text(mentions, "Pivnichna Saltivka")
    city = _by_text(mentions, "Kharkiv")
    assert m.place.name == "Pivnichna Saltivka" and m.precision == 1
    assert 2 < haversine_km(m.lat, m.lon, city.lat, city.lon) < 15


def test_two_towns_joined_by_a_hyphen_are_each_a_place():
    mentions = [m for m in geoparse("Russian forces have entered the Pokrovsk-Myrnohrad "
                                    "agglomeration, the corps said.") if m.role == "location"]
    assert [(m.text, m.place.name) for m in mentions] == [("Pokrovsk", "Pokrovsk"),
                                                          ("Myrnohrad", "Myrnohrad")]
    assert all(m.place.admin1 == "Donetsk Oblast" for m in mentions)


def test_a_hyphenated_name_the_gazetteer_has_stays_one_place():
    (m,) = [m for m in geoparse("Russian artillery shelled Kupiansk-Vuzlovyi overnight.")
            if m.role == "location"]
    assert m.text == "Kupiansk-Vuzlovyi" and m.place.admin1 == "Kharkiv Oblast"


def test_a_preposition_opening_a_sentence_is_no_part_of_the_name():
    """'In Kherson Oblast, ...' was read whole and sounded like Engersen, Germany."""
    mentions = geoparse("In Kherson Oblast, Russian forces attacked 31 settlements, including "
                        "Antonivka and Bilozerka.")
    oblast = _by_text(mentions, "Kherson Oblast")
    assert oblast.place.feature_code == "ADM1"
    assert _by_text(mentions, "Antonivka").place.admin1 == "Kherson Oblast"


@pytest.mark.parametrize(("text", "name", "oblast"), [
    # the Russian Defence Ministry's way of writing the oblasts
    ("Russian artillery hit Ukrainian positions near Orekhov in the Zaporozhye region.",
     "Zaporozhye region", "Zaporizhzhia Oblast"),  # was Zaporizkyi Raion
    ("Units of the Center group liberated Novogrodovka and Selidovo in the Donetsk People's "
     "Republic.", "Donetsk", "Donetsk Oblast"),  # was Donetsk city
])
def test_an_oblast_in_its_russian_form_is_the_oblast(text, name, oblast):
    mentions = geoparse(text)
    m = _by_text(mentions, name)
    assert m.place.feature_code == "ADM1" and m.place.name == oblast, m.reason
    assert all(p.place.admin1 == oblast for p in mentions if p.role == "location")
