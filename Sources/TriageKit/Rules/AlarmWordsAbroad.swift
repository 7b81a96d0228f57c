/// The alarm words of the languages most tickets not in English are written in (Spanish,
/// Portuguese, French, Malay and Indonesian; for a fire and smoke also German, Italian and Dutch), for the alarm-word rules
/// (``SafetyRules``): a fire, smoke, sparks, someone shut in, bare live wires. Until they were here, those words reached only the
/// danger model as soft cues, and the decision model could take "FOGO NO MATO ATRÁS DO BLOCO 4!!!"
/// to P4: of the cross-validation's eleven P0s rated two or more levels low, eight said their
/// danger in these words ("tomada soltando faísca", "técnico encerrado en la cámara frigorífica").
/// Each word counts only in the company that makes it the hazard (an electrical part beside
/// sparks, a person beside "shut in"), never beside a drill, a sign, a menu or a festival.
enum AlarmWordsAbroad {
    static let fire: Set<String> = [
        "fuego", "fogo", "incendio", "incendios", "incêndio", "incêndios", "incendie", "incendies", "kebakaran", "terbakar",
        "flammes", "llamaradas", "labaredas", "feu", "feux", "feuer", "flammen", "fuoco", "fiamme", "vuur", "vlammen",
    ]
    /// Drills, tests, detectors, alarms and signs: the company that makes a fire or a smoke word
    /// procedure or signage ("simulacro de incendio", "detector de humo", "Feuer-Übung").
    static let drillsAndSigns: Set<String> = [
        "simulacro", "simulacros", "simulación", "simulacion", "simulado", "simulação", "simulacao", "exercício", "exercicio",
        "exercice", "alarma", "alarme", "detector", "detectores", "détecteur", "detecteur", "señal", "senal", "letrero",
        "cartel", "cartaz", "placa", "affiche", "panneau", "póster", "poster", "prueba", "teste", "test", "livre", "übung",
        "uebung", "probe", "schild", "melder", "alarm", "esercitazione", "cartello", "allarme", "oefening", "bord",
    ]
    /// Words near a fire word that make it equipment, procedure, signage, food, a festival or a figure of speech.
    static let fireHarmless: Set<String> = drillsAndSigns.union([
        "extintor", "extintores", "extincteur", "extincteurs", "salida", "salidas", "saída", "saida", "saídas", "sortie",
        "sorties", "puerta", "puertas", "porta", "portas", "porte", "portes", "cortafuego", "cortafuegos", "corta", "coupe",
        "alarmas", "alarmes", "sistema", "système", "systeme", "señales", "letreros", "carteles", "cartazes", "placas",
        "affiches", "panneaux", "sinal", "pôster", "mural", "pruebas", "testes", "brigada", "brigadas", "curso", "cursos",
        "capacitación", "capacitacion", "formação", "formacao", "formation", "formación", "formacion", "artificial",
        "artificiales", "artifício", "artificio", "artifícios", "artifice", "noite", "noche", "nit", "alitas", "fiesta", "festa",
        "fête", "fete", "manta", "mangueira", "manguera", "hidrante", "hidrantes", "plano", "mapa", "ruta", "rota", "lento",
        "obra", "pieza", "película", "filme", "film", "libro", "livro", "juego", "jogo", "jeu", "pintura", "tableau", "cuadro",
        "quadro", "pelatihan", "latihan", "simulasi", "alat", "pemadam", "pintu", "rouge", "rouges", "vert", "orange",
        "signalisation", "tricolore", "probealarm", "plakat", "tür", "tuer", "prova", "estintore", "estintori", "messa",
        "mettere", "proiettore", "obiettivo", "artificiali", "blusser", "deur", "contra", "contraincendio", "contraincendios",
        "antincendio", "gabinete", "gabinetes",
    ])
    static let smoke: Set<String> = [
        "humo", "humareda", "humeando", "humea", "fumaça", "fumaca", "fumegando", "fumée", "fumee", "fumo", "rauch", "raucht",
        "qualm", "qualmt", "qualmen", "rook", "rookt", "rokend",
    ]
    /// Words near a smoke word that make it a drill, a detector, a sign, a smoker, a stage or a grill:
    /// "detector de humo", "el humo del cigarro", "máquina de humo". Not a door nor a panel ("sale
    /// humo por debajo de la puerta", "fumaça do quadro de luz"), unlike a fire word's company.
    static let smokeHarmless: Set<String> = drillsAndSigns.union([
        "sensor", "sensores", "capteur", "fumar", "fumador", "fumadores", "fumantes", "fumante", "fumer", "fumeurs", "fumeur",
        "rauchen", "raucher", "cigarro", "cigarros", "cigarrillo", "cigarrillos", "cigarette", "cigarettes", "zigarette",
        "zigaretten", "sigaretta", "sigarette", "tabaco", "tabac", "tabak", "máquina", "maquina", "machine", "maschine",
        "macchina", "escenario", "teatro", "théâtre", "bühne", "parrilla", "asado", "churrasco", "barbacoa", "barbecue", "grill",
        // A smoke detector: "rilevatore di fumo", "detector de humo", "détecteur de fumée".
        "libre", "frei", "vape", "vapeo", "shisha", "cachimba", "rilevatore", "rilevatori", "rivelatore", "rivelatori", "sensore",
        "sensori", "detector", "detectores", "detetor", "detetores", "détecteur", "détecteurs", "detecteur", "detecteurs",
    ])
    static let sparks: Set<String> = [
        "chispa", "chispas", "chispazo", "chispazos", "chisporrotea", "chisporroteando", "chispeando", "chispea", "chispeó",
        "chispeo", "faísca", "faíscas", "faisca", "faiscas", "faiscando", "faiscou", "faiscaram", "étincelle", "étincelles",
        "etincelle", "etincelles", "percikan", "funken", "funkt", "funkte", "vonken", "vonkt", "scintille", "scintilla", "iskrzy",
        "iskry", "iskrzenie", "jiskří", "jiskri", "jiskry", "szikrázik", "szikra", "szikrák", "scântei", "scantei", "scânteie",
        "gnistor", "gnistrar", "gnister", "gnistrer",
    ]
    /// Crackling from electrics ("o fio no chão estalando"): arcing, beside an electrical part or,
    /// further (a wire's story comes first: what broke it, where its end lies), a wire.
    static let crackles: Set<String> = [
        "estalando", "estalos", "estala", "crepitando", "crepita", "chisporrotea", "chisporroteando", "grésille", "gresille",
        "grésillement", "crépite", "crepite", "knistert", "knistern", "knettert", "sfrigola", "crepitio", "trzeszczy", "praská",
        "prask", "pârâie", "sercegés", "sprakar", "knitrer", "knetter", "knetterend", "knisterd", "spraker", "knitrar",
    ]
    /// An electric shock said outright ("levou um choque" is said below, with its company).
    static let shocks: Set<String> = [
        "electrocutado", "electrocutada", "electrocutó", "electrocuto", "electrocución", "electrocucion", "eletrocutado",
        "eletrocutada", "eletrocutou", "eletrocução", "eletrocucao", "électrocuté", "électrocutée", "electrocute", "électrocution",
        "stromschlag", "stromschlags", "stromschläge", "elektrisiert", "geëlektrocuteerd", "folgorato", "folgorata",
        "folgorazione", "porażony", "porażona", "porażenie", "porazenie", "kopnęło", "kopnelo", "áramütés", "áramütést",
        "curentat", "curentată", "electrocutat", "electrocutată", "strömstöt", "strømstød", "strømstøt", "zasažen",
        "ηλεκτροπληξία", "ηλεκτροπληξια", "ilektroplixia",
    ]
    /// Words for a shock that are also a crash, a discharge or a kick: a shock only beside a current
    /// ("choque elétrico", "kopie prądem", "scossa elettrica"), or, for those in ``takenShocks``, after
    /// a taking ("levou um choque", "presa la scossa"): "geef me een kopie" is a copy.
    static let shocksInCompany: Set<String> = takenShocks.union(["schok", "kopie", "kopnął", "kopnie", "kopl", "kope", "ráz"])
    static let currents: Set<String> = [
        "eléctrico", "electrico", "eléctrica", "electrica", "elétrico", "eletrico", "elétrica", "eletrica", "électrique",
        "electrique", "prąd", "prądem", "prądu", "prad", "pradem", "proud", "proudem", "curent", "curentul", "strom", "stroom",
        "ström", "strøm", "corrente", "corriente", "elettrica", "elettrico", "elektryczny", "elektrische", "elektrisk", "luz",
        "fio", "cable", "cabo", "tomada", "enchufe", "prise", "presa", "gniazdko", "kabel", "ρεύμα", "ρευμα", "revma", "reuma",
        "φωτιστικό", "φωτιστικο", "πρίζα", "πριζα", "λάμπα", "λαμπα", "lampa",
    ]
    /// Toilets, where "descarga" is the flush.
    static let toilets: Set<String> = [
        "banheiro", "banheiros", "vaso", "privada", "sanitário", "sanitario", "sanita", "inodoro", "retrete", "cisterna", "wc",
        "bacia", "mictório", "mictorio", "puxar", "puxo", "autoclismo",
    ]
    static let takenShocks: Set<String> = [
        "choque", "choques", "choquinho", "descarga", "descargas", "calambre", "calambrazo", "scossa", "scosse", "stöt", "stød",
        "støt", "décharge", "decharge", "τίναξε", "τιναξε", "χτύπησε", "χτυπησε", "tinakse", "xtypise", "scuturat",
    ]
    static let takings: Set<String> = [
        "levou", "levei", "leva", "levar", "tomou", "tomei", "toma", "tomar", "deu", "dá", "dando", "me", "le", "recibió",
        "recibio", "dio", "presa", "preso", "pris", "prend", "bekam", "kreeg", "fick", "fikk", "fik", "dostal", "dostała", "με",
        "m",
    ]
    /// Sparks count beside one of these: not an angry teacher ("echando chispas") nor a drink.
    static let electricalParts: Set<String> = [
        "enchufe", "enchufes", "tomacorriente", "tomacorrientes", "contacto", "contactos", "tomada", "tomadas", "toma", "prise",
        "prises", "cable", "cables", "cabo", "cabos", "fio", "fios", "fiação", "fiacao", "câble", "câbles", "fil", "fils",
        "lámpara", "lampara", "lámparas", "lâmpada", "lampada", "lâmpadas", "lampe", "lampes", "luminaria", "luminária", "foco",
        "focos", "interruptor", "interrupteur", "tablero", "quadro", "disjuntor", "disjoncteur", "tableau", "breaker", "socket",
        "plug", "outlet", "motor", "máquina", "maquina", "machine", "poste", "medidor", "compteur", "transformador",
        "transformateur", "soket", "suis", "kabel", "wayar", "lampu", "stopkontak", "colokan", "panel", "luz", "lumière",
        "lumiere", "corriente", "corrente", "courant", "eléctrico", "electrico", "elétrico", "eletrico", "électrique", "electrique",
        "eléctrica", "electrica", "elétrica", "eletrica", "elektrik", "listrik", "regleta", "extensión", "extension", "extensão",
        "benjamim", "multiple", "alargador", "gniazdko", "gniazdka", "przewód", "przewody", "kable", "lampa", "lampy", "oprawa",
        "rozdzielnia", "bezpiecznik", "steckdose", "steckdosen", "leitung", "sicherung", "verteiler", "stopcontact",
        "snoer", "leiding", "meterkast", "presa", "spina", "cavo", "cavi", "interruttore", "priză", "priza", "cablu", "cabluri",
        "tablou", "zásuvka", "zasuvka", "vedení", "jistič", "konnektor", "vezeték", "kapcsoló", "uttag", "sladd", "elcentral",
        "stikkontakt", "ledning", "sikring", "postes", "ciabatta", "multipresa", "stekker", "stecker",
    ]
    static let shutIn: Set<String> = [
        "encerrado", "encerrada", "encerrados", "encerradas", "atrapado", "atrapada", "atrapados", "atrapadas", "trancado",
        "trancada", "trancados", "trancadas", "preso", "presa", "presos", "presas", "coincé", "coincée", "coincés", "coincées",
        "enfermé", "enfermée", "enfermés", "enfermées", "bloqué", "bloquée", "bloqués", "bloquées", "terkurung", "terperangkap",
        "terkunci", "tersekat", "terjebak", "eingeschlossen", "eingesperrt", "opgesloten", "ingesloten", "intrappolato",
        "intrappolata", "intrappolati", "intrappolate", "bloccato", "bloccata", "bloccati", "bloccate", "instängd", "instängda",
        "innestengt", "innelåst", "indespærret", "uwięziony", "uwięziona", "uwięzieni", "vast", "fest", "fast", "chiuso", "chiusa",
        "chiusi", "chiuse",
    ]
    /// Words that also mean a thing is stuck ("la porte est bloquée", "o cartão ficou preso"): they
    /// count only followed by "in" ("coincé dans l'ascenseur", "presos no elevador").
    static let shutInOnlyBeforeIn: Set<String> = [
        "preso", "presa", "presos", "presas", "coincé", "coincée", "coincés", "coincées", "bloqué", "bloquée", "bloqués", "bloquées",
        "terkunci", "tersekat", "bloccato", "bloccata", "bloccati", "bloccate", "chiuso", "chiusa", "chiusi", "chiuse",
    ]
    /// Dutch, German and Nordic "stuck" is two words ("zit vast", "steckt fest", "sitter fast"): the
    /// second counts only after the first ("fast" is English too), with a person just before them.
    static let stuckAfter: [String: Set<String>] = [
        "vast": ["zit", "zitten", "zat", "zaten"],
        "fest": ["stecke", "steckt", "stecken", "steckte", "steckten", "sitzt", "sitzen", "saß", "sass", "hängt", "hängen", "haengt"],
        "fast": ["sitter", "sidder", "satt", "sad", "sitt", "sat"],
    ]
    static let inWords: Set<String> = ["en", "dentro", "dans", "no", "na", "nos", "nas", "dalam", "di", "in", "nel", "nella", "nell", "nello"]
    /// Someone beside "shut in": a person, or whoever writes.
    static let people: Set<String> = [
        "alguien", "alguém", "alguem", "quelquun", "persona", "personas", "pessoa", "pessoas", "personne", "personnes", "gente",
        "alumno", "alumna", "alumnos", "alumnas", "aluno", "aluna", "alunos", "alunas", "estudiante", "estudiantes", "estudante",
        "estudantes", "étudiant", "étudiante", "étudiants", "étudiantes", "etudiant", "etudiante", "etudiants", "técnico", "técnica",
        "tecnico", "tecnica", "técnicos", "tecnicos", "technicien", "technicienne", "compañero", "compañera", "compañeros",
        "companero", "colega", "colegas", "collègue", "collegue", "profesor", "profesora", "professor", "professora", "professeur",
        "señor", "señora", "senhor", "senhora", "monsieur", "madame", "niño", "niña", "niños", "criança", "crianças", "enfant",
        "enfants", "trabajador", "trabajadora", "trabajadores", "funcionário", "funcionária", "funcionario", "funcionaria",
        "empleado", "empleada", "conserje", "vigilante", "guardia", "porteiro", "chica", "chico", "moça", "rapaz",
        "yo", "nosotros", "nosotras", "estamos", "estoy", "somos", "eu", "nós", "estou", "je", "nous", "suis", "sommes", "saya",
        "kami", "kita", "aku", "él", "ella", "ellos", "ellas", "ele", "ela", "eles", "elas", "il", "elle", "ils", "elles", "pelajar",
        "mahasiswa", "orang", "staf", "encik", "puan", "pakcik", "makcik", "pekerja", "karyawan", "bapak", "ibu", "adik", "abang",
        "kakak", "collega", "colleghi", "kollege", "kollegin", "kollegen", "jemand", "iemand", "qualcuno", "någon", "nogen", "noen",
        "ktoś", "persoon", "personen", "mensen", "leute", "persone", "studente", "studentessa", "studenti", "studentin",
        "studenten", "student", "ich", "ik", "io", "jag", "jeg", "wir", "wij", "noi", "mitarbeiter", "mitarbeiterin",
        "medewerker", "kind", "kinder", "bambino", "bambini", "barn",
        "dottorando", "dottoranda", "ragazzo", "ragazza", "bambina", "signore", "signora", "professore", "professoressa", "operaio",
    ]
    static let animals: Set<String> = [
        "pájaro", "pajaro", "pájaros", "pajarito", "paloma", "palomas", "gorrión", "gorrion", "murciélago", "murcielago", "gato",
        "gatos", "perro", "pássaro", "passaro", "passarinho", "pombo", "pombos", "morcego", "cachorro", "oiseau", "oiseaux",
        "pigeon", "chat", "chien", "burung", "kucing", "anjing", "tikus", "rata", "ratón", "raton", "rato",
    ]
    static let bareWires: Set<String> = [
        "desencapado", "desencapados", "desencapada", "desencapadas", "pelado", "pelados", "pelada", "peladas", "dénudé", "dénudés",
        "denude", "denudes", "dénudée", "terkelupas", "terdedah",
    ]
    static let wires: Set<String> = [
        "cable", "cables", "cabo", "cabos", "fio", "fios", "fiação", "fiacao", "câble", "câbles", "fil", "fils", "kabel", "wayar",
        "alambre", "alambres",
    ]
    /// A fire door in one word ("cortafuegos", "Brandschutztür", "branddør", "tallafocs"), the
    /// rubric's safety system that is P1 when it does not close: before these were here, "La puerta
    /// cortafuegos de la escalera B no cierra sola" reached the models only as "door", and read as a
    /// sticking door (P3).
    static let fireDoors: Set<String> = [
        "cortafuego", "cortafuegos", "tallafocs", "antifoc", "tagliafuoco", "brandschutztür", "brandschutztüre", "brandschutztuer",
        "brandschutztur", "brandtür", "brandtuer", "feuerschutztür", "branddeur", "branddeuren", "branddør", "branddøren",
        "branddor", "branddøre", "branndør", "branndøra", "branndøren", "branndor", "branndora", "branddörr", "branddörren", "branddorr", "paloovi",
        "przeciwpożarowe", "przeciwpozarowe",
        "protipožární", "protipozarni", "tűzgátló", "tuzgatlo", "brandwerende", "corta", "coupe", "yangın", "yangin", "palo",
    ]
    /// The second word of a fire door said in two ("corta-fogo", "coupe-feu", "yangın kapısı",
    /// "palo-ovi"): the first words above count only before it.
    static let fireDoorSecondWords: [String: String] = [
        "corta": "fogo", "coupe": "feu", "yangın": "kapısı", "yangin": "kapisi", "palo": "ovi",
    ]
    /// Closing, in the company of a negator ("no cierra sola", "não fecha", "nu se mai închide",
    /// "schließt nicht mehr", "fällt nicht zu", "lukker ikke", "ei sulkeudu").
    static let closing: Set<String> = [
        "cierra", "cierran", "cerrar", "cierre", "fecha", "fecham", "fechar", "ferme", "ferment", "fermer", "închide", "inchide",
        "închid", "inchid", "schließt", "schliesst", "schliest", "schließen", "zu", "chiude", "chiudono", "chiudere", "sluit",
        "sluiten", "zamyka", "zamykają", "zamykaja", "lukker", "lukkes", "lukke", "stänger", "stanger", "stängs", "sulkeudu",
        "sulje", "menutup", "tertutup", "zavírá", "zavira", "záródik", "zarodik", "tanca", "tanquen", "funciona", "funcionan",
        "fonctionne", "funktioniert", "funziona", "werkt", "działa", "dziala", "virker", "fungerar", "toimi", "berfungsi",
        "funcționează", "functioneaza", "funguje", "működik", "mukodik", "traba", "latch", "encaja", "encaixa", "engage",
    ]
    /// Not closing in one word (Turkish puts the negation inside the verb).
    static let notClosing: Set<String> = ["kapanmıyor", "kapanmiyor", "kapanmıyo", "kapanmiyo", "çalışmıyor", "calismiyor"]
    /// A closing verb is denied by one of these up to four words before it ("no cierra", "nu se mai
    /// închide", "ne se ferme plus", "nie zamyka się") or, in ``negatorsAfter``, up to three after it
    /// ("schließt nicht mehr", "lukker ikke", "stänger inte", "sluit niet", "ferme pas").
    static let negatorsBefore: Set<String> = [
        "no", "não", "nao", "ne", "nu", "nie", "ei", "ikke", "inte", "nem", "nicht", "non", "niet", "tidak", "pas", "ni", "nunca",
        "jamais", "tak", "belum", "nimmer", "never",
    ]
    static let negatorsAfter: Set<String> = ["nicht", "ikke", "inte", "pas", "niet", "not"]
    /// Words that say it stands open or is broken: "queda abierta", "fica aberta", "reste ouverte",
    /// "sta larg deschisă", "bleibt offen", "brazo roto", "Türschließer defekt", "calzada con una cuña".
    static let heldOpenOrBroken: Set<String> = [
        "abierta", "abiertas", "aberta", "abertas", "ouverte", "ouvertes", "deschisă", "deschisa", "offen", "aperta", "aperte",
        "åpen", "apen", "öppen", "oppen", "åben", "aben", "otwarte", "açık", "acik", "terbuka", "otevřené", "otevrene", "auki",
        "nyitva", "oberta", "roto", "rota", "rotos", "quebrado", "quebrada", "quebrou", "partido", "cassé", "cassée",
        "casse", "cassee", "brisé", "brisée", "brise", "rupt", "ruptă", "rupta", "kaputt", "defekt", "rotto", "rotta", "kapot",
        "zepsute", "zepsuty", "zepsuta", "ødelagt", "odelagt", "trasig", "rikki", "bozuk", "kırık", "kirik", "rusak",
        "rozbité", "rozbite", "trencat", "trencada", "averiado", "averiada", "avariado", "avariada", "estropeado", "trabada",
        "trabado", "calzada", "calzado", "cuña", "calço", "calco", "calée", "calee", "verkeilt", "gekeilt", "bloccata",
        "cunha", "zablokowane", "sikret", "kilad", "kiilattu",
    ]
    /// Company that makes a fire door signage, a drill or a test: "adhesivo de puerta cortafuegos", "autocolante da porta corta-fogo".
    static let fireDoorSigns: Set<String> = drillsAndSigns.union([
        "adhesivo", "adhesivos", "pegatina", "pegatinas", "señalización", "senalizacion", "señalética", "señaletica", "autocolante",
        "autocolantes", "sinalética", "sinaletica", "sinalização", "sinalizacao", "autocollant", "autocollants", "signalétique",
        "signaletique", "etichetta", "adesivo", "aufkleber", "beschilderung", "sticker", "stickers", "naklejka", "oznakowanie",
        "tabliczka", "skilt", "skylt", "kyltti", "tarra", "etiket", "stiker", "rétulo", "rotulo", "letreros", "carteles",
        "mantener", "mantengan", "manter", "mantenha", "maintenir", "freihalten",
    ])

    /// Negation in these languages, a few words before: the verbs' negators (``negatorsBefore``) and
    /// "none", "without", "nothing": "sin chispas", "sem faísca", "pas de feu", "tiada api", "nie ma iskier".
    static let negators: Set<String> = negatorsBefore.union([
        "ningún", "ninguna", "nada", "sin", "sem", "nenhum", "nenhuma", "sans", "aucun", "aucune", "rien", "bukan", "tiada",
        "tanpa", "kein", "keine", "ohne", "senza", "nessun", "nessuna", "geen", "zonder",
    ])

    /// A fire extinguisher, said abroad: missing, empty or discharged it is the rubric's faulty
    /// safety system (P1), like "the fire extinguisher has been set off" in English.
    static let extinguishers: Set<String> = [
        "extintor", "extintores", "extincteur", "extincteurs", "estintore", "estintori", "feuerlöscher", "feuerloescher",
        "brandblusser", "brandblussers", "gaśnica", "gasnica", "gaśnice", "gasnice", "gaśnicy", "hasicí", "hasici", "söndürücü",
        "sondurucu", "brannslukker", "brannslokker", "brandslukker", "brandsläckare", "brandslackare", "sammutin", "sammuttimet",
        "stingător", "stingator", "stingătoare", "stingatoare", "stingătorul", "stingatorul", "apar", "pemadam", "extintors",
        // Elided, as the tokenizer leaves them: "l'extincteur", "d'extincteur", "l'estintore", "l'extintor".
        "lextincteur", "dextincteur", "dextincteurs", "lestintore", "destintori", "lextintor", "dextintor",
    ]
    /// An extinguisher gone, empty or used: "falta el extintor", "extintores descargados", "l'extincteur a été vidé",
    /// "Feuerlöscher fehlt", "gaśnica pusta", "yangın söndürücü yok", "stingătorul lipsește".
    static let extinguisherGone: Set<String> = [
        "desaparecido", "desaparecida", "desaparecidos", "desaparecieron", "desapareció", "desaparecio", "falta", "faltan",
        "faltaba", "vacío", "vacio", "vacíos", "vacios", "descargado", "descargados", "descargada", "disparado", "disparados",
        "robado", "robados", "robaron", "sumiu", "sumiram", "vazio", "vazios", "descarregado", "descarregados", "disparou",
        "roubado", "roubaram", "manquant", "manquants", "manque", "manquent", "vide", "vides", "vidé", "vidés",
        "volé", "volés", "disparu", "disparus", "fehlt", "fehlen", "leer", "entleert", "ausgelöst", "gestohlen", "mancante",
        "mancanti", "manca", "mancano", "vuoto", "vuoti", "scarico", "scarichi", "rubato", "rubati", "ontbreekt", "ontbreken",
        "leeg", "gestolen", "brak", "brakuje", "pusta", "puste", "zniknęła", "zniknela", "chybí", "chybi", "prázdný", "prazdny",
        "yok", "boş", "bos", "kayıp", "kayip", "mangler", "borte", "tom", "tomme", "saknas", "tomma", "puuttuu", "tyhjä", "tyhja",
        "lipsește", "lipseste", "lipsesc", "gol", "goale", "hilang", "kosong", "habis", "dipakai", "nawala", "wala",
    ]
    /// Company that makes an extinguisher a schedule, a training, a sign or a move: "revisión anual de extintores",
    /// "formación de extintores", "reposicionar extintor".
    static let extinguisherRoutine: Set<String> = fireDoorSigns.union([
        "revisión", "revision", "revisiones", "revisão", "revisao", "inspección", "inspeccion", "inspeção", "inspecao", "recarga",
        "recargas", "mantenimiento", "manutenção", "manutencao", "etiqueta", "etiquetas", "vencimiento", "validade", "caducidad",
        "formación", "formacion", "formação", "formacao", "formation", "curso", "cursos", "schulung", "unterweisung", "wartung",
        "prüfung", "pruefung", "révision", "vérification", "verification", "controle", "contrôle", "controllo", "revisione",
        "corso", "keuring", "onderhoud", "przegląd", "przeglad", "szkolenie", "kontrol", "eğitim", "egitim", "service",
        "reposicionar", "reubicar", "trasladar", "mover", "mudar", "déplacer", "deplacer", "verschieben", "spostare",
        "verplaatsen", "przenieść", "przeniesc", "placa", "soporte", "suporte", "support",
    ])

    /// An extinguisher at `index` said to be gone, empty or used within eight words, beside no schedule, training, sign or move.
    static func extinguisherMissing(_ tokens: [String], _ index: Int) -> ClosedRange<Int>? {
        let around = max(0, index - 6)...min(tokens.count - 1, index + 6)
        // "le support vide", "solo queda el soporte": an empty bracket is the extinguisher gone, not a loose bracket.
        let emptyBracket = around.first { brackets.contains(tokens[$0]) && near(tokens, $0, 2, bracketLeft) != nil }
        if emptyBracket == nil, tokens[around].contains(where: extinguisherRoutine.contains) { return nil }
        // "il n'y a plus d'extincteur", "ya no hay extintor", "kein Feuerlöscher", "sin extintor".
        let before = max(0, index - 3)..<index
        if let none = before.last(where: { noneBefore.contains(tokens[$0]) }), !tokens[none..<index].contains(Tokenizer.boundary) {
            return SafetyRules.span(none, index)
        }
        if let bracket = emptyBracket { return SafetyRules.span(index, bracket) }
        guard let gone = near(tokens, index, 8, extinguisherGone), !denied(tokens, gone) else { return nil }
        return SafetyRules.span(index, gone)
    }

    /// What holds an extinguisher on the wall, and what says it is left without one ("vide", "solo queda").
    static let brackets: Set<String> = ["soporte", "suporte", "support", "halterung", "supporto", "uchwyt", "houder", "placa"]
    static let bracketLeft: Set<String> = extinguisherGone.union(["queda", "reste"])
    /// Said before an extinguisher, it is not there: the negators and French "plus" ("plus d'extincteur");
    /// not "pas", which follows its verb ("ne fonctionne pas").
    static let noneBefore: Set<String> = negators.union(["plus"]).subtracting(["pas"])

    /// A fire door at `index` that does not close (``fireDoors``): the door word, or its two words, when
    /// within 14 words after it (or 4 before) it stands open, is broken, or a closing verb is denied,
    /// and no sign, sticker, drill or test is beside it.
    static func fireDoorNotClosing(_ tokens: [String], _ index: Int) -> ClosedRange<Int>? {
        var door = index...index
        if let second = fireDoorSecondWords[tokens[index]] {
            guard index + 1 < tokens.count, tokens[index + 1] == second else { return nil }
            door = index...(index + 1)
        }
        let around = max(0, door.lowerBound - 5)...min(tokens.count - 1, door.upperBound + 5)
        if tokens[around].contains(where: fireDoorSigns.contains) { return nil }
        let reach = max(0, door.lowerBound - 4)...min(tokens.count - 1, door.upperBound + 14)
        let fault = reach.contains { position in
            let word = tokens[position]
            // "rota de fuga" is Portuguese for an escape route, not a broken door.
            if word == "rota", ["de", "da", "do"].contains(SafetyRules.next(tokens, position) ?? "") { return false }
            if notClosing.contains(word) || heldOpenOrBroken.contains(word) { return !denied(tokens, position) }
            guard closing.contains(word) else { return false }
            let before = max(0, position - 4)..<position
            let after = (position + 1)..<min(tokens.count, position + 4)
            return before.contains { negatorsBefore.contains(tokens[$0]) } || after.contains { negatorsAfter.contains(tokens[$0]) }
        }
        return fault ? door : nil
    }

    /// The index within `radius` (across clauses) of a word in `words`.
    static func near(_ tokens: [String], _ index: Int, _ radius: Int, _ words: Set<String>) -> Int? {
        SafetyRules.nearest(tokens, index, within: radius, in: words, acrossClauses: true)
    }

    /// A drill named before the fire or smoke it rehearses, a few words further than its other
    /// company: "un simulacro de evacuación por incendio", "exercício de evacuação em caso de incêndio".
    static let drills: Set<String> = [
        "simulacro", "simulacros", "simulación", "simulacion", "simulado", "simulação", "simulacao", "exercício", "exercicio",
        "exercice", "übung", "uebung", "esercitazione", "oefening", "simulasi", "latihan", "pelatihan",
    ]
    static let drillReach = 6

    /// The word at `index` as a hazard: not denied, not within three words of `harmless` ("el
    /// simulacro de incendio", "detector de humo"), and not within ``drillReach`` words after a drill.
    static func undenied(_ tokens: [String], _ index: Int, apartFrom harmless: Set<String>) -> ClosedRange<Int>? {
        if denied(tokens, index) || near(tokens, index, 3, harmless) != nil { return nil }
        let before = tokens[max(0, index - drillReach)..<index]
        return before.contains(where: drills.contains) ? nil : index...index
    }

    /// Spanish "humo" is Swahili "in there" too ("wanafunzi wanaoishi humo", the students who live
    /// in there): it counts as smoke only beside a Spanish word ("el humo", "sale humo", "olor a humo").
    static let smokeInSpanishOnly: Set<String> = ["humo"]
    static let spanishCompany: Set<String> = [
        "el", "del", "de", "un", "una", "mucho", "mucha", "hay", "había", "habia", "sale", "salía", "salia", "saliendo", "salió",
        "salio", "olor", "huele", "a", "con", "negro", "blanco", "gris", "denso", "espeso", "lleno", "llena", "se", "echando", "echa",
        "está", "esta", "y", "por", "muy", "poco", "nube", "columna", "todo", "es", "sube", "entra", "entrando", "saca", "sacando",
    ]

    /// A smoke word as a hazard: undenied, not beside a drill, sign or smoker, and "humo" only in Spanish.
    static func smokeAt(_ tokens: [String], _ index: Int) -> ClosedRange<Int>? {
        if smokeInSpanishOnly.contains(tokens[index]), near(tokens, index, 2, spanishCompany) == nil { return nil }
        return undenied(tokens, index, apartFrom: smokeHarmless)
    }

    /// Denied a few words before, inside its clause ("no hay chispas", "não tem fogo").
    static func denied(_ tokens: [String], _ index: Int) -> Bool {
        var position = index - 1
        while position >= 0, position >= index - 3, tokens[position] != Tokenizer.boundary {
            if negators.contains(tokens[position]) { return true }
            position -= 1
        }
        return false
    }
}
