"""The managed lists of the cinema module as first loaded (admins edit them afterwards):
slug, English name, French name. Slugs follow the seed's French values where it has them."""

VALUE_LISTS: dict[str, list[tuple[str, str, str]]] = {
    "eye_color": [
        ("marron", "Brown", "Marron"), ("noisette", "Hazel", "Noisette"), ("noir", "Black", "Noir"),
        ("vert", "Green", "Vert"), ("bleu", "Blue", "Bleu"), ("gris", "Grey", "Gris"),
        ("vairons", "Heterochromia", "Vairons"),
    ],
    "hair_color": [
        ("noir", "Black", "Noir"), ("brun", "Dark brown", "Brun"), ("chatain", "Brown", "Châtain"),
        ("blond", "Blond", "Blond"), ("roux", "Red", "Roux"), ("gris", "Grey", "Gris"),
        ("blanc", "White", "Blanc"), ("colore", "Dyed", "Coloré"), ("chauve", "Bald", "Chauve"),
    ],
    "hair_type": [
        ("raides", "Straight", "Raides"), ("ondules", "Wavy", "Ondulés"), ("boucles", "Curly", "Bouclés"),
        ("crepus", "Coily", "Crépus"), ("tresses", "Braided", "Tressés"), ("locks", "Locs", "Locks"),
        ("rases", "Shaved", "Rasés"),
    ],
    "skin_tone": [
        ("tres_clair", "Very fair", "Très clair"), ("clair", "Fair", "Clair"), ("mat", "Olive", "Mat"),
        ("metisse", "Tan", "Métissé"), ("fonce", "Brown", "Foncé"), ("ebene", "Deep", "Ébène"),
    ],
    "build": [
        ("mince", "Slim", "Mince"), ("svelte", "Slender", "Svelte"), ("athletique", "Athletic", "Athlétique"),
        ("moyenne", "Average", "Moyenne"), ("musclee", "Muscular", "Musclée"), ("forte", "Heavy-set", "Forte"),
        ("ronde", "Curvy", "Ronde"),
    ],
    "id_document_type": [
        ("cin", "National identity card", "Carte d'identité nationale (CIN)"),
        ("passport", "Passport", "Passeport"), ("residence_permit", "Residence permit", "Titre de séjour"),
        ("driving_licence", "Driving licence", "Permis de conduire"),
    ],
    "ethnicity": [
        ("arabe", "Arab", "Arabe"), ("berbere", "Amazigh (Berber)", "Amazighe (berbère)"),
        ("afrique_ouest", "West African", "Ouest-africaine"), ("afrique_centrale", "Central African", "Centrafricaine"),
        ("europeenne", "European", "Européenne"), ("moyen_orient", "Middle Eastern", "Moyen-orientale"),
        ("asiatique", "Asian", "Asiatique"), ("metisse", "Mixed", "Métisse"), ("autre", "Other", "Autre"),
    ],
    "production_type": [
        ("film", "Feature film", "Long métrage"), ("court_metrage", "Short film", "Court métrage"),
        ("serie", "TV series", "Série"), ("telefilm", "TV film", "Téléfilm"),
        ("publicite", "Commercial", "Publicité"), ("clip", "Music video", "Clip"),
        ("documentaire", "Documentary", "Documentaire"), ("theatre", "Theatre", "Théâtre"),
        ("web", "Web series", "Web-série"),
    ],
}
