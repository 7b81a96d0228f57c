import Foundation
import Testing

@testable import TriageKit

/// The rules layer alone, on a given model priority, so the model cannot hide a rule bug.
@Suite struct TriageRuleTests {
    func decide(_ base: Priority, _ title: String, _ description: String = "", _ location: String = "Room 1.01") -> Priority {
        TriageEngine.applyRules(base: base, ticket: TriageFixtures.analysis(title, description, location)).priority
    }

    @Test(arguments: [
        ("smoke pouring out of the socket", Priority.p0),
        ("the socket is smoking", .p0),
        ("the bin is on fire", .p0),
        ("strong smell of gas in the lab", .p0),
        ("socket sparking when I plug in", .p0),
        ("exposed live wires hanging from the ceiling", .p0),
        ("the basement is flooded", .p0),
        ("two people trapped in the lift", .p0),
        ("someone is stuck in the lift between floors", .p0),
        ("I am in the lift and it has stopped between floors", .p0),
        ("she has been in the lift for 20 minutes, it stopped", .p0),
        ("my roommate is stuck inside our bathroom and she's having a panic attack", .p0),
        // Food is not an animal shut in: "chicken" is no animal word.
        ("the chef is locked inside the cold room getting chicken, the door won't open", .p0),
        ("part of the ceiling collapsed", .p0),
        ("crack in the wall is getting wider and the wall is bulging", .p0),
        ("burning smell near the heater", .p1),
        ("the plug socket has melted", .p1),
        // Water on what a room's plugs hang from is water on live electrics.
        ("rain is dripping onto the power strip behind the TV", .p0),
        ("the aircon is leaking water onto the powerboard", .p0),
        ("water pooling around the extension lead under the desks", .p0),
    ])
    func lifeSafetySignalSetsAFloor(text: String, floor: Priority) {
        #expect(decide(.p4, text) == floor)
        #expect(decide(.p3, text) == floor)
        // A floor never lowers what the model already judged more urgent: under-rating danger
        // costs more than over-rating it, so the model's P0 stands even without a rule.
        #expect(decide(.p0, text) == .p0)
    }

    @Test(arguments: [
        "no smoke, just a noisy fan",
        "it was sparking yesterday but it's not sparking anymore",
        "the sparking has stopped",
        "please book a smoke detector test for our flat",
        "when is the next fire drill?",
        "the Fire Safety Week banner is torn",
        "the poster about gas safety fell off the wall",
        "what to do if you smell gas poster is missing",
        "flood lights in the car park are off",
        "people smoke by the entrance",
        "students are smoking on the balcony again",
        "can we have no smoking signs for the back lane",
        "small crack in the plaster, not growing",
        // A building's extension and a strip light are not plug-in electrics.
        "the roof of the new extension is leaking onto the carpet",
        "water dripping near the strip lights in the store",
        "the desk collapsed under the printer",
        "a ceiling tile fell on the floor",
        // ... and abroad (AlarmWordsAbroad): a drill, a menu, a poster, a figure of speech, a door
        // or a card that is stuck, a bird, a denial, traffic lights.
        "el simulacro de incendio es el martes a las 10",
        "solicitamos un simulacro de evacuación por incendio en la residencia para octubre",
        "los bomberos quieren ver los gabinetes contra incendio de las residencias",
        "de deur van lokaal 2 zit vast, mijn collega kan er niet in",
        "die Tür zum Archiv klemmt und der Schlüssel steckt fest",
        "houve um choque entre dois carros no estacionamento do bloco C",
        "la descarga del camión de sillas es a las 8",
        "kan iemand me een kopie van de sleutel van lokaal 3 geven",
        "se cayó el letrero de ALITAS AL FUEGO de la cafetería",
        "o cartaz da Noite do Fogo ainda está na parede",
        "la profe está echando chispas porque el proyector no prende",
        "la porte de la salle 12 est bloquée, les étudiants attendent dehors",
        "hay un pajarito atrapado en el techo del gimnasio",
        "o cartão ficou preso na catraca",
        "não tem faísca nenhuma, só a tomada solta",
        "les feux de signalisation du parking sont en panne",
        "die Feuer-Übung im Gebäude 50 ist am Dienstag",
        "kein Feuer, nur ein komischer Geruch im Keller",
        "la messa a fuoco del proiettore in aula 3 non funziona",
        "het bord 'open vuur verboden' bij de kantine is gevallen",
        "el detector de humo del pasillo pita cada rato, creo que es la pila",
        "los que salen a echar el humo del cigarro dejan todo lleno de colillas",
        "la máquina de humo del teatro no enciende",
        "não tem fumaça, só um cheiro estranho no corredor",
        // Swahili "humo" is "in there", not smoke; an act in the lift is not someone shut in it;
        // a bird in Tagalog is a bird.
        "Mlango umevunjika bawaba. Wanafunzi wawili wanaoishi humo wanaogopa vitu vyao kuibiwa",
        "somebody vomit in lift 1, smell is very strong",
        "may ibon na trapped sa loob ng chapel, lumilipad sa taas ng altar",
        // Not a fire door that closes, its sticker or its drill, nor an extinguisher's yearly check, sign or bracket.
        "O autocolante de porta corta-fogo, manter fechada, está a descolar",
        "La puerta cortafuegos cierra bien pero chirría mucho",
        "el simulacro con la puerta cortafuegos cerrada es el martes",
        "corta el césped junto a la puerta del bloque C, no se ve nada",
        "la coupe du monde passe dans l'amphi, la porte ne ferme pas",
        "Los extintores tienen la última revisión de marzo, falta la etiqueta nueva",
        "A placa do extintor no corredor caiu da parede, falta recolocar",
        "el soporte del extintor está suelto, falta un tornillo",
        "a porta corta-fogo da rota de fuga do bloco B fecha bem, só range",
        "No hay ningún agujero en el suelo, solo una mancha en el pasillo.",
        // A sign about a safety system, a smoke detector's battery, a toilet's flush ("descarga").
        "the fire extinguisher sign got nicked from the landing",
        "Il rilevatore di fumo dell'aula 12 fa un bip ogni minuto, credo sia la batteria scarica.",
        "a água sobe no vaso quando dá descarga, o banheiro do térreo está entupido",
        "la biblioteca è chiusa il sabato, si può aprire l'aula studio?",
        "ya hay un extintor nuevo en el pasillo del segundo piso, gracias",
    ])
    func deniedOrHarmlessMentionSetsNoFloor(text: String) {
        let ticket = TriageFixtures.analysis(text)
        #expect(ticket.safetyFloor == nil, "\(ticket.safety)")
        #expect(decide(.p4, text) == .p4)
    }

    /// The alarm words of Spanish, Portuguese, French and Malay (AlarmWordsAbroad): the hazard in
    /// its company sets the same floor as in English, with the rule's English name.
    @Test(arguments: [
        ("FOGO NO MATO ATRÁS DO BLOCO 4!!! ta chegando na cerca", "fire", Priority.p0),
        ("hay fuego en el contenedor detrás de la cafetería", "fire", Priority.p0),
        ("au feu ! la poubelle du couloir brûle", "fire", Priority.p0),
        ("Feuer im Mülleimer im Foyer, Geb. 50, es qualmt immer noch", "fire", Priority.p0),
        ("c'è fuoco nel cestino vicino alla mensa", "fire", Priority.p0),
        ("er is vuur in de container achter de kantine", "fire", Priority.p0),
        ("sale humo del enchufe de la sala 3 y huele feo", "smoke", Priority.p0),
        ("está saindo fumaça do quadro de luz do bloco B", "smoke", Priority.p0),
        ("Im Foyer qualmt ein Mülleimer, es raucht immer noch", "smoke", Priority.p0),
        ("a tomada da parede soltou faísca e um estalo alto", "sparking", Priority.p0),
        ("la lámpara del centro saca chispas y zumba", "sparking", Priority.p0),
        ("la prise derrière le bureau fait des étincelles", "sparking", Priority.p0),
        ("un técnico se ha quedado encerrado dentro de la cámara frigorífica", "someone trapped", Priority.p0),
        ("somos 5 y estamos atrapados en el elevador de la biblioteca", "someone trapped", Priority.p0),
        ("Encik Razak terkurung dalam bilik sejuk, kami dengar dia ketuk", "someone trapped", Priority.p0),
        ("deux étudiants sont coincés dans l'ascenseur", "someone trapped", Priority.p0),
        ("collega zit vast in archiefruimte 0.12, deur gaat van binnen niet meer open, ze heeft astma", "someone trapped", Priority.p0),
        ("Ein Kollege ist im Kühlraum eingeschlossen, wir hören ihn klopfen", "someone trapped", Priority.p0),
        ("ich stecke fest im Aufzug zwischen dem 2. und 3. Stock", "someone trapped", Priority.p0),
        ("uno studente è rimasto intrappolato nella cella frigorifera", "someone trapped", Priority.p0),
        ("un dottorando è rimasto chiuso dentro la cella frigorifera, la maniglia interna è rotta", "someone trapped", Priority.p0),
        ("o trator arrebentou o fio que desce do poste, a ponta ta no chão, no meio do capim molhado, estalando", "sparking", Priority.p0),
        ("Obudowa lampy na klatce jest pod napięciem. Student dotknął, kopnęło go mocno", "electric shock", Priority.p0),
        ("levei um choque na tomada do laboratório", "electric shock", Priority.p0),
        ("ho preso la scossa dalla presa vicino alla lavagna", "electric shock", Priority.p0),
        ("Πήγα να ανάψω το φωτιστικό και με τίναξε, το χέρι μου ακόμα μουδιάζει", "electric shock", Priority.p0),
        ("am atins lampa de pe birou și m-a scuturat curentul", "electric shock", Priority.p0),
        ("die Steckdose im Labor funkt und knistert", "sparking", Priority.p0),
        ("la ciabatta sotto la scrivania crepita e la plastica è diventata molle", "sparking", Priority.p0),
        ("sikringsskapet på kjøkkenet summer og døra er glovarmt", "energy: electrical panel overheating", Priority.p0),
        ("mucho humo negro saliendo del cuarto eléctrico", "smoke", Priority.p0),
        ("tem um fio desencapado encostando na poça do banheiro", "exposed live wires", Priority.p0),
        // The rubric's faulty safety systems said abroad (P1), under the English rule's hazard.
        ("la porte coupe-feu du 2e ne ferme plus", "protection: fire door not closing", Priority.p1),
        ("La puerta cortafuegos de la escalera B no cierra sola, se queda abierta", "protection: fire door not closing", Priority.p1),
        ("a porta corta-fogo do 1º piso não fecha sozinha", "protection: fire door not closing", Priority.p1),
        ("usa antifoc de pe hol nu se mai inchide singura", "protection: fire door not closing", Priority.p1),
        ("Die Brandschutztür im 2. OG fällt nicht mehr zu", "protection: fire door not closing", Priority.p1),
        ("Branddøren på 2. sal lukker ikke af sig selv", "protection: fire door not closing", Priority.p1),
        ("2. kattaki yangın kapısı kapanmıyor", "protection: fire door not closing", Priority.p1),
        ("la porta tagliafuoco del piano 3 non si chiude più", "protection: fire door not closing", Priority.p1),
        ("de branddeur bij de trap sluit niet meer", "protection: fire door not closing", Priority.p1),
        ("puerta cortafuego trabada abierta con una cuña", "protection: fire door not closing", Priority.p1),
        ("Branndøra i 3. etasje lukker seg ikke av seg selv lenger", "protection: fire door not closing", Priority.p1),
        ("Falta el extintor del pasillo del tercer piso desde el fin de semana", "protection: extinguisher missing or empty", Priority.p1),
        ("os 2 extintores do ginásio estão vazios depois da festa", "protection: extinguisher missing or empty", Priority.p1),
        ("der Feuerlöscher im Flur fehlt seit Montag", "protection: extinguisher missing or empty", Priority.p1),
        ("gaśnica na korytarzu jest pusta", "protection: extinguisher missing or empty", Priority.p1),
        ("stingătorul de pe hol lipsește", "protection: extinguisher missing or empty", Priority.p1),
        ("Il n'y a plus d'extincteur dans le couloir du 2e étage", "protection: extinguisher missing or empty", Priority.p1),
        ("En el pasillo ya no hay extintor, solo queda el soporte", "protection: extinguisher missing or empty", Priority.p1),
        ("Il ne reste que le support vide de l'extincteur au mur", "protection: extinguisher missing or empty", Priority.p1),
        // The hazard rules read the glossary's English of a ticket in another language
        // (``SafetyRules/glossedSignals(in:location:besides:safetySystems:)``) and name what they read.
        ("三楼走廊的灭火器不见了，已经两天了。", "protection: safety system not working (in English: …)", Priority.p1),
        ("3층 복도에 소화기가 없어요. 누가 가져간 것 같아요.", "protection: safety system not working (in English: …)", Priority.p1),
        ("二樓的防火門關不上，一直開著。", "protection: safety system not working (in English: …)", Priority.p1),
        ("水管爆裂，水一直噴到插著電的延長線上，有同學在旁邊。", "energy: water on live electrics (in English: …)", Priority.p0),
        ("Le plafond gonfle au-dessus des tables, il reste une vingtaine d'étudiants.", "falling: about to fall on people (in English: …)", Priority.p0),
        (
            "De l'eau coule du plafond directement sur les multiprises branchées sous les bureaux.", "energy: water on live electrics (in English: …)",
            Priority.p0
        ),
    ])
    func anAlarmWordAbroadSetsTheSameFloor(text: String, rule: String, floor: Priority) {
        let ticket = TriageFixtures.analysis(text)
        // "(in English: …)": whatever English the glossary gave, after the rule's own name.
        let named: (String) -> Bool = rule.hasSuffix(" (in English: …)") ? { $0.hasPrefix(rule.dropLast(2)) } : { $0 == rule }
        #expect(ticket.safety.contains { named($0.name) && $0.isActive }, "\(ticket.safety)")
        #expect(decide(.p4, text) == floor)
    }

    /// What a ticket's own words set off is not said twice, and a negator the glossary puts after
    /// what it denies ("ne gonfle pas" → "bulging not") denies it.
    @Test func theGlossedReadingAddsOnlyWhatTheWordsDidNot() {
        let english = TriageFixtures.analysis("the ceiling is bulging over the tables, plafond, students sitting underneath")
        #expect(english.safety.filter { $0.name.hasPrefix("falling: about to fall on people") }.count == 1, "\(english.safety)")
        #expect(english.safety.contains { $0.name == "falling: about to fall on people" })
        let denied = TriageFixtures.analysis("la pièce est vide et le plafond au-dessus des tables ne gonfle pas")
        #expect(denied.safetyFloor == nil, "\(denied.safety)")
    }

    @Test func theWholeOfAFacultyIsItsBuilding() {
        let ticket = TriageFixtures.analysis("Pharmacy dark", "The whole Pharmacy faculty has no power since 9:10, labs and freezers too.")
        #expect(ticket.scope == .building)
        #expect(ticket.outage?.floor == .p0)
    }

    @Test func theLastMentionDecides() {
        #expect(decide(.p3, "no smoke at first", "but now there is smoke coming out of the vent") == .p0)
        #expect(decide(.p3, "socket sparked yesterday", "it isn't sparking any more") == .p3)
    }

    @Test(arguments: [
        ("whole building", "the carpets are worn in the whole building", "Arts building", Impact.Scope.building),
        ("entire building", "no wifi in the entire business school building", "Business school", .building),
        ("campus-wide", "wifi is slow", "campus-wide wifi", .campus),
        ("across campus", "the network is slow everywhere across campus", "Campus", .campus),
    ])
    func buildingOrCampusScopeRaisesOneLevel(title: String, description: String, location: String, scope: Impact.Scope) {
        #expect(TriageFixtures.analysis(title, description, location).scope == scope)
        #expect(decide(.p3, title, description, location) == .p2)
        #expect(decide(.p2, title, description, location) == .p1)
        // To P1 at most: P0 is danger to people or an outage, which have their own rules.
        #expect(decide(.p1, title, description, location) == .p1)
        // A P0 stays, and cosmetic work or a request stays P4 whatever its size.
        #expect(decide(.p0, title, description, location) == .p0)
        #expect(decide(.p4, title, description, location) == .p4)
    }

    @Test func aBuildingWithoutHeatingIsP1WhateverTheWordsSuggest() {
        // Rubric P1: "no heating or cooling for a building"; P0 needs an outage of power or the campus.
        #expect(decide(.p3, "no heating", "the heating is off in the whole building", "Arts building") == .p1)
        #expect(decide(.p2, "boilers out", "both boilers locked out, no heating", "Newton building boiler room") == .p1)
        #expect(decide(.p3, "radiator cold", "my radiator is cold", "Newton building room 2.01") == .p3)
        // A location that names only a building, and words that say none of it works.
        #expect(decide(.p2, "cold flats", "none of the radiators in the block have been warm since Sunday", "Elmwood Court, Block C") == .p1)
        #expect(decide(.p3, "radiator cold", "one radiator in my flat is cold", "Elmwood Court, Block C") == .p3)
    }

    @Test func aLiftOutOfServiceIsP1AndNobodyTrappedIsNotP0() {
        // Rubric P1: "lift out of service"; the denied trapping sets no P0.
        #expect(decide(.p4, "nobody trapped, the lift is just out of order") == .p1)
        // Paperwork is not a stopped lift.
        #expect(decide(.p4, "the lift's inspection certificate is out of date, lift running normally") == .p4)
        #expect(TriageFixtures.analysis("nobody trapped, the lift is just out of order").safetyFloor == nil)
        #expect(decide(.p3, "the lift button for floor 2 doesn't light up") == .p3)
    }

    @Test func roomAndFloorScopeDoNotRaise() {
        #expect(decide(.p2, "no heating", "radiator cold", "Room 2.14") == .p2)
        #expect(decide(.p1, "no power on the whole 3rd floor", "", "Maths building") == .p1)
    }

    /// A location that names a place on a campus is that place, not the campus: "North campus,
    /// Building 3" is where a tap drips. Only a location that is the campus and nothing smaller
    /// ("Whole campus", "Main campus", "Campus inteiro") reaches it by itself.
    @Test func aPlaceOnACampusIsNotTheCampus() {
        for location in ["North campus, Building 3", "Farm campus, dairy unit", "Campus Police HQ - dispatch console", "Materials lab, Bay Campus"] {
            let ticket = TriageFixtures.analysis("tap drips", "the tap in the kitchen drips a bit", location)
            #expect(ticket.scope == .room, "\(location)")
            #expect(decide(.p3, "tap drips", "the tap in the kitchen drips a bit", location) == .p3, "\(location)")
        }
        for location in ["Whole campus", "Main campus", "Campus inteiro", "Sports Centre (and rest of campus)", "campus"] {
            #expect(TriageFixtures.analysis("wifi slow", "the wifi is slow", location).scope == .campus, "\(location)")
        }
    }

    @Test func rubricOutagesAreP0() {
        #expect(decide(.p2, "no power", "the whole engineering building has no power", "Engineering") == .p0)
        #expect(decide(.p2, "network down", "no internet anywhere on campus", "campus") == .p0)
        // No lights and no sockets anywhere in it: the building has no power; too few sockets are a request.
        #expect(decide(.p4, "more sockets please", "there are no sockets anywhere in the whole library building", "Library") != .p0)
        #expect(
            decide(
                .p2, "Science building completely dark", "None of the lights or sockets work anywhere in the Science Building, every floor", "Science Building")
                == .p0)
        // Degraded is not an outage: raised one level only.
        #expect(decide(.p2, "slow wifi", "wifi slow across campus", "campus") == .p1)
    }

    @Test func signalsNameTheRulesThatFired() {
        let ticket = TriageFixtures.analysis("heating", "heating off in the whole building, no smoke or anything", "Arts")
        let decision = TriageEngine.applyRules(base: .p2, ticket: ticket)
        #expect(decision.signals.contains("rule: building-wide → raised one level (P2 → P1)"))
        #expect(decision.signals.contains { $0.hasPrefix("rule: life-safety 'smoke' ignored, negated") })
        #expect(decision.priority == .p1)
    }
}
