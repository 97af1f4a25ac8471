"""Reference data loaded by `seed-demo`: countries with their main cities and city codes,
and a taxonomy of talents and skills in English and French."""

# ISO code: (English name, French name, nationality en, nationality fr, phone prefix, [(city code, city)])
COUNTRIES = {
    "MA": ("Morocco", "Maroc", "Moroccan", "Marocaine", "+212", [
        ("RAB", "Rabat"), ("CAS", "Casablanca"), ("RAK", "Marrakech"), ("FES", "Fès"), ("TNG", "Tanger"),
        ("AGA", "Agadir"), ("OZZ", "Ouarzazate"), ("MEK", "Meknès"), ("OUD", "Oujda"), ("TET", "Tétouan"),
    ]),
    "SN": ("Senegal", "Sénégal", "Senegalese", "Sénégalaise", "+221", [
        ("DKR", "Dakar"), ("THI", "Thiès"), ("STL", "Saint-Louis"), ("ZIG", "Ziguinchor"), ("KLK", "Kaolack"),
        ("TBA", "Touba"), ("MBR", "Mbour"),
    ]),
    "CI": ("Côte d'Ivoire", "Côte d'Ivoire", "Ivorian", "Ivoirienne", "+225", [
        ("ABJ", "Abidjan"), ("YAM", "Yamoussoukro"), ("BYK", "Bouaké"), ("SPY", "San-Pédro"), ("KOR", "Korhogo"),
        ("DAL", "Daloa"), ("MAN", "Man"),
    ]),
    "TN": ("Tunisia", "Tunisie", "Tunisian", "Tunisienne", "+216", [
        ("TUN", "Tunis"), ("SFA", "Sfax"), ("SUS", "Sousse"), ("KAI", "Kairouan"), ("BIZ", "Bizerte"),
        ("GAE", "Gabès"), ("NAB", "Nabeul"),
    ]),
    "DZ": ("Algeria", "Algérie", "Algerian", "Algérienne", "+213", [
        ("ALG", "Alger"), ("ORN", "Oran"), ("CZL", "Constantine"), ("AAE", "Annaba"), ("BLI", "Blida"),
        ("SET", "Sétif"), ("TLM", "Tlemcen"),
    ]),
    "FR": ("France", "France", "French", "Française", "+33", [
        ("PAR", "Paris"), ("MRS", "Marseille"), ("LYS", "Lyon"), ("TLS", "Toulouse"), ("NCE", "Nice"),
        ("NTE", "Nantes"), ("LIL", "Lille"), ("BOD", "Bordeaux"), ("SXB", "Strasbourg"), ("MPL", "Montpellier"),
    ]),
    "BE": ("Belgium", "Belgique", "Belgian", "Belge", "+32", [
        ("BRU", "Bruxelles"), ("ANR", "Anvers"), ("GNE", "Gand"), ("CRL", "Charleroi"), ("LGG", "Liège"),
        ("BRG", "Bruges"), ("NAM", "Namur"),
    ]),
}

# (slug, English, French, category en, category fr, emoji, tag, synonyms)
CATEGORIES = {
    "tech": ("Technology", "Technologie"),
    "design": ("Design", "Design"),
    "business": ("Business", "Commerce et gestion"),
    "communication": ("Communication", "Communication"),
    "languages": ("Languages", "Langues"),
    "arts": ("Arts", "Arts"),
    "services": ("Services", "Services"),
    "acting": ("Acting", "Interprétation"),
    "screen": ("Screen and stage", "Écran et scène"),
}

SKILLS = [
    ("web-development", "Web development", "Développement web", "tech", "🖥️", "general", "web developer\ndéveloppeur web\nfull-stack\nfrontend\nbackend"),
    ("python", "Python", "Python", "tech", "🐍", "general", "django\nflask\npandas"),
    ("javascript", "JavaScript", "JavaScript", "tech", "📜", "general", "js\ntypescript\nreact\nnode.js"),
    ("data-analysis", "Data analysis", "Analyse de données", "tech", "📊", "general", "data analyst\nanalyste de données\nsql\nexcel\npower bi"),
    ("machine-learning", "Machine learning", "Apprentissage automatique", "tech", "🤖", "general", "ml\nia\nai\nartificial intelligence\nintelligence artificielle\ndeep learning"),
    ("mobile-development", "Mobile development", "Développement mobile", "tech", "📱", "general", "android\nios\nflutter\nkotlin\nswift"),
    ("devops", "DevOps", "DevOps", "tech", "⚙️", "general", "docker\nkubernetes\nci/cd\ncloud"),
    ("cybersecurity", "Cybersecurity", "Cybersécurité", "tech", "🔐", "general", "security\nsécurité informatique\npentest"),
    ("it-support", "IT support", "Support informatique", "tech", "🛠️", "general", "helpdesk\ntechnicien informatique"),
    ("graphic-design", "Graphic design", "Graphisme", "design", "🎨", "general", "graphiste\nphotoshop\nillustrator\nbranding"),
    ("ux-design", "UX/UI design", "Design UX/UI", "design", "🧭", "general", "ux\nui\nfigma\nuser experience\nexpérience utilisateur"),
    ("interior-design", "Interior design", "Architecture d'intérieur", "design", "🛋️", "general", "décoration\ndecorator"),
    ("fashion-design", "Fashion design", "Stylisme", "design", "👗", "general", "styliste\nfashion designer\ncouture"),
    ("project-management", "Project management", "Gestion de projet", "business", "📋", "general", "project manager\nchef de projet\nscrum\nagile"),
    ("sales", "Sales", "Vente", "business", "🤝", "general", "commercial\nbusiness development\nvendeur"),
    ("marketing", "Digital marketing", "Marketing digital", "business", "📣", "general", "marketing\nseo\nsocial media\nréseaux sociaux\ncommunity management"),
    ("accounting", "Accounting", "Comptabilité", "business", "🧾", "general", "comptable\naccountant\nfinance\naudit"),
    ("human-resources", "Human resources", "Ressources humaines", "business", "🧑‍💼", "general", "hr\nrh\nrecrutement\nrecruitment"),
    ("customer-service", "Customer service", "Service client", "services", "🎧", "general", "relation client\ncall center\ncentre d'appels"),
    ("logistics", "Logistics", "Logistique", "business", "🚚", "general", "supply chain\nentrepôt\nwarehouse"),
    ("copywriting", "Copywriting", "Rédaction", "communication", "✍️", "general", "rédacteur\nwriter\ncontent writing\ncontenu"),
    ("public-speaking", "Public speaking", "Prise de parole", "communication", "🎤", "general", "présentation\nhost\nanimation"),
    ("journalism", "Journalism", "Journalisme", "communication", "📰", "general", "journaliste\nreporter"),
    ("translation", "Translation", "Traduction", "languages", "🌍", "general", "traducteur\ninterprète\ninterpreter"),
    ("french", "French", "Français", "languages", "🇫🇷", "general", "francais\nfrançais courant"),
    ("english", "English", "Anglais", "languages", "🇬🇧", "general", "anglais\nanglais courant"),
    ("arabic", "Arabic", "Arabe", "languages", "🗣️", "general", "arabe\ndarija\namazigh"),
    ("wolof", "Wolof", "Wolof", "languages", "🗣️", "general", ""),
    ("photography", "Photography", "Photographie", "arts", "📷", "general", "photographe\nphotographer"),
    ("video-editing", "Video editing", "Montage vidéo", "arts", "🎬", "general", "monteur\npremiere pro\nfinal cut\nvideo editor"),
    ("music-production", "Music production", "Production musicale", "arts", "🎹", "general", "beatmaker\nmao\nsound engineer\ningénieur du son"),
    ("cooking", "Cooking", "Cuisine", "services", "🍳", "general", "cuisinier\nchef\ncook"),
    ("driving", "Driving", "Conduite", "services", "🚗", "general", "chauffeur\ndriver\npermis b"),
    ("teaching", "Teaching", "Enseignement", "services", "🧑‍🏫", "general", "enseignant\nteacher\nformateur\ntrainer"),
    ("lead-actor", "Lead actor", "Acteur principal", "acting", "🎭", "cinema", "actrice principale\nrôle principal\nlead role\nprotagoniste"),
    ("supporting-actor", "Supporting actor", "Acteur secondaire", "acting", "🎭", "cinema", "second rôle\nactrice secondaire\nsupporting role"),
    ("extra", "Extra", "Figurant(e)", "acting", "👥", "cinema", "figurant\nfigurante\nfiguration\nbackground actor"),
    ("voice-actor", "Voice actor", "Comédien(ne) de doublage", "acting", "🎙️", "cinema", "doublage\nvoice over\nvoix off\ndubbing"),
    ("stunt-performer", "Stunt performer", "Cascadeur(se)", "screen", "🤸", "cinema", "cascadeur\ncascadeuse\nstunts\ncascades"),
    ("model", "Model", "Mannequin", "screen", "📸", "cinema", "modèle\nfashion model\ndéfilé"),
    ("dancer", "Dancer", "Danseur(se)", "screen", "💃", "cinema", "danse\ndance\ndanse contemporaine\nhip-hop"),
    ("singer", "Singer", "Chanteur(se)", "screen", "🎶", "cinema", "chant\nsinging\nvocals"),
    ("musician", "Musician", "Musicien(ne)", "screen", "🎸", "cinema", "musique\ninstrumentiste\nguitare\npiano"),
    ("presenter", "TV presenter", "Présentateur(trice)", "screen", "📺", "cinema", "animateur\nanimatrice\nhost\npresenter"),
    ("comedian", "Comedian", "Humoriste", "screen", "😂", "cinema", "stand-up\nhumour\ncomedy"),
    ("horse-riding", "Horse riding", "Équitation", "screen", "🐎", "cinema", "cavalier\ncavalière\nequestrian"),
    ("martial-arts", "Martial arts", "Arts martiaux", "screen", "🥋", "cinema", "karaté\njudo\nboxe\ncombat scénique\nstage combat"),
    ("makeup-artist", "Make-up artist", "Maquilleur(se)", "screen", "💄", "cinema", "maquillage\nmakeup\nsfx makeup"),
    ("costume-design", "Costume design", "Création de costumes", "screen", "🧵", "cinema", "costumier\ncostumière\nwardrobe"),
]
