package demo

import "polku/store"

// The Swedish bank, in Finland-Swedish: written for the demo in the
// Swedish people in Finland speak and write (hälsostation, kl. 9.30,
// prov, rast, stugan), not translated word for word from the English.
// Patients' messages are a little spoken ("int", "ba"), therapists write
// neutral standard Swedish. Everything is made up; how it was written and
// read back is in docs/translations-sv.md ("Demo texts").

var textSV = textBank{
	answers:    answerBankSV,
	fallback:   "Jag läste avsnittet och prövade övningen några dagar. Det var svårare än jag trodde, men jag vill fortsätta.",
	seeMessage: "Jag skrev om det här i ett meddelande.",
	none:       "inget",
	sleepAid:   "melatonin 1 mg kl. 22",
	weekdays:   [7]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"},
	clock:      "%s kl. %d.%02d",
	adult: []exchange{
		{"Hej, jag fick int upp tredje avsnittet på telefonen. Borde jag göra något?",
			"Tack för att du sa till. Pröva att uppdatera appen, eller öppna avsnittet i en webbläsare. Om det fortfarande inte öppnas, säg till så frågar jag vår tekniska support."},
		{"Tack för responsen förra veckan, det var skönt att höra.",
			"Tack, vad bra att den hjälpte. Fortsätt i lugn och ro med veckans övning."},
		{"Det har varit en tung vecka på jobbet. Får jag ta lite längre tid på mig med det här avsnittet?",
			"Självklart. Avsnittet är öppet hela tiden, så ta den tid du behöver. Det är bra redan om du hinner pröva lite den här veckan."},
		{"Jag skulle vilja flytta mitt nästa telefonsamtal om det går.",
			"Det går bra. Vi hittar en ny tid; jag föreslår två alternativ i mitt nästa meddelande."},
		{"En snabb fråga: ska jag fylla i frågeformuläret igen den här veckan?",
			"Ja, fyll i det den här veckan. Det hjälper oss att se hur det går."},
		{"Förlåt att jag int fick så mycket gjort den här veckan. Jag är ändå med.",
			"Tack för att du skrev. Alla har tunga veckor ibland. Vi väljer en liten sak för den kommande veckan."},
		{"Läkaren ändrade min medicinering. Ska jag berätta närmare om det?",
			"Ja, berätta namnet och dosen på medicinen och när den ändrades. Fortsätt ta den så som läkaren har ordinerat."},
	},
	program: map[string][]exchange{
		"insomnia": {
			{"Är det normalt att sömnrestriktionen gör mig så här trött på dagen?",
				"Det är vanligt att vara sömnigare de första en eller två veckorna. Kör inte bil om du känner dig dåsig. Om du somnar mitt i det du gör på dagen, säg genast till: då förlänger vi fönstret."},
			{"Jag steg upp tre gånger i natt som det står i avsnittet, men jag sov ändå ba fyra timmar.",
				"Tack för att du håller ut. Att stiga upp är rätt sak att göra, och de första nätterna är ofta de svåraste. Vi tittar på hela veckan i din sömndagbok innan vi ändrar något."},
			{"Kan jag börja med sömnfönstret redan den här veckan, eller ska jag vänta?",
				"Vänta tills jag har läst din hälsokontroll; jag svarar senast under nästa vardag."},
		},
		"gad": {
			{"Jag sköt upp mina bekymmer till orostiden, men kl. 18 kom jag int ihåg de flesta av dem.",
				"Det är en mycket vanlig erfarenhet, och en viktig: många bekymmer tappar sin kraft när de får vänta. Fortsätt skriva ner dem, så märker du det själv."},
			{"Läkaren bad mig mäta blodtrycket varje morgon. Är det också ett sätt att söka visshet?",
				"Nej. Fortsätt med mätningarna som läkaren har ordinerat. Experimenten gäller extra kontroller och att söka lugnande besked, inte vård som du behöver."},
		},
		"depression": {
			{"Jag har mått lite bättre, men söndagskvällarna är fortfarande svåra.",
				"Vad bra att höra att du mår lite bättre. Vi planerar en liten aktivitet för söndagskvällarna, gärna tillsammans med någon annan."},
			{"Jag planerade en promenad varje dag men det blev ba två. Det känns som om jag misslyckades.",
				"Två promenader är inget misslyckande: det är två fler än förut. Vi tittar på vad som kom emellan de andra dagarna och gör planen lite mindre."},
		},
		"social-anxiety-youth": {
			{"Hej, måste jag göra alla övningar den här veckan? Jag har två prov.",
				"Bra att du frågade. Gör steget i trappan om du hinner, och lämna resten till nästa vecka. Lycka till på proven!"},
			{"Jag prövade steget i butiken och det gick bättre än jag trodde!",
				"Vad bra! Du gjorde det fast du var nervös. Skriv ner vad du lärde dig och välj ditt nästa steg."},
			{"Berättar du för min mamma vad jag skriver här?",
				"Bra fråga. Det du skriver stannar mellan oss, utom om jag blir orolig för din säkerhet: då måste jag berätta det för din vårdnadshavare. Du kan läsa mer om det i avsnitt 1."},
		},
	},
	risk: []string{
		"Jag orkar inte längre och ibland vill jag inte leva.",
		"Den här veckan har varit så tung. Ibland tänker jag att alla skulle ha det bättre utan mig.",
	},
	welcome:   "Hej %[1]s. Jag heter %[2]s och är din terapeut. Välkommen till programmet. Jag läser det du skickar på vardagar och svarar inom två vardagar. %[3]s",
	help:      "Tjänsten är inte avsedd för akut hjälp: om du behöver hjälp genast finns numren i slutet av varje avsnitt, och i en nödsituation ringer du 112.",
	youthHelp: "Tjänsten är inte avsedd för akut hjälp: om du mår riktigt dåligt, berätta för en vuxen du litar på och titta på numren i slutet av varje avsnitt. I en nödsituation ringer du 112.",
	feedback: map[string][]string{
		"reflection": {
			"Tack, %[1]s. Du skrev ärligt och klart om det här. Det du lade märke till är just det vi bygger vidare på i nästa avsnitt.",
			"Hej %[1]s, tack för ditt svar. Jag ser att du har funderat noga. Ha de här sakerna i tankarna den här veckan.",
		},
		"log": {
			"Tack, %[1]s. Dina anteckningar visar ett tydligt mönster: kvällarna är svårast. Det är bra att veta, och vi tar fasta på det nästa vecka.",
			"Bra jobbat, %[1]s. Redan några anteckningar om dagen ger en mycket tydligare bild än minnet ensamt.",
		},
		"thought": {
			"Bra gjort, %[1]s. Du hittade en tanke som hoppar direkt till det värsta och jämförde den med det som verkligen hände. Pröva samma sak med en tanke till den här veckan.",
			"Tack, %[1]s. Ditt mer balanserade sätt att se på saken är realistiskt, inte bara positivt. Det är just det som är målet.",
		},
		"plan": {
			"Tack för din plan, %[1]s. Den är konkret och så liten att den går att genomföra. Uppdatera anteckningen när du har prövat, och berätta vad som eventuellt kom emellan.",
			"Bra plan, %[1]s. Du valde tydliga tidpunkter. Om något inte blir av, gör hellre steget mindre än att ge upp det.",
		},
		"exposure": {
			"Bra gjort, %[1]s. Du gjorde just det som ångesten sa åt dig att undvika, och du såg vad som verkligen hände. Jämför det du väntade dig med det som hände: det är av den jämförelsen vi lär oss.",
			"Tack, %[1]s. Den här gången var det svårare än du väntade dig, och du stannade ändå kvar. Också det är bra att veta: upprepa samma steg, eller gör det först lite mindre.",
		},
		"screening": {
			"Tack, %[1]s. Jag har läst dina svar. Det finns inget i dem som hindrar nästa steg, så du kan börja med det som planerat. Säg genast till om något förändras.",
		},
	},
	youthFeedback: map[string][]string{
		"reflection": {"Tack, %[1]s! Du skrev jättetydligt. Det hjälper oss mycket.", "Bra jobbat, %[1]s. Man ser att du har tänkt på det här."},
		"log":        {"Tack, %[1]s. Dina anteckningar visar vad som händer i kroppen och i tankarna. Fortsätt lägga märke till det den här veckan."},
		"thought":    {"Bra detektivarbete, %[1]s! Ditt andra sätt att se på det låter realistiskt och vänligt."},
		"plan":       {"Bra plan, %[1]s. Den har små steg som du klarar av. Berätta hur det första steget går."},
		"exposure": {
			"Bra gjort, %[1]s! Du prövade något svårt och såg vad som verkligen hände. Det kräver mod.",
			"Tack, %[1]s. Det här kändes svårare än du väntade dig, och du stannade kvar ändå. Det är bra att veta: pröva samma steg igen, eller först ett mindre.",
		},
		"screening": {"Tack för dina svar, %[1]s. Jag har läst dem, och du kan börja bygga din trappa. Om någon någon gång behandlar dig illa, berätta det för mig eller för en annan vuxen."},
	},
	notes: map[string][]string{
		"insomnia": {
			"Telefonsamtal: gick igenom sömnfönstret; kom överens om att behålla det en vecka till.",
			"Hälsokontrollen läst: inga kontraindikationer; sömnfönstret bekräftat.",
			"Patienten föredrar meddelanden framför telefonsamtal.",
		},
		"gad": {
			"Telefonsamtal: patienten motiverad, diskuterade takten i avsnitten som pågår två veckor.",
			"Gick igenom orostiden; patienten fortsätter med de blodtrycksmätningar som läkaren ordinerat.",
			"Konsulterade handledaren om långsamma framsteg; fortsätter och utvärderar igen vecka 6.",
		},
		"depression": {
			"Telefonsamtal: gick igenom aktivitetsplanen och säkerhetsplanen.",
			"Diskuterade utvecklingen av PHQ-9-poängen; fortsätter med mindre veckoplaner.",
			"Patienten föredrar meddelanden framför telefonsamtal.",
		},
		"social-anxiety-youth": {
			"Telefonsamtal med den unga och vårdnadshavaren: kom överens om hur vårdnadshavaren stöder övningarna.",
			"Svaren om hur andra behandlar den unga lästa: ingen mobbning; trappan kan börja.",
			"Kom överens med den unga om vad som berättas för vårdnadshavaren.",
		},
	},
	synthetic: " (syntetisk)",
	riskAck:   "Ringde patienten (syntetisk): ingen akut risk; säkerhetsplanen och 112 genomgångna.",
	pause: []string{"operation, fortsätter efter sjukledigheten (syntetisk)", "flyttar den här månaden (syntetisk)",
		"en anhörig på sjukhus (syntetisk)", "provvecka, bad om en paus (syntetisk)"},
	discontinue: map[string]string{
		store.EndPatientChoice: "mådde bättre och ville sluta (syntetisk)",
		store.EndDidNotStart:   "loggade inte in efter tre påminnelser (syntetisk)",
		store.EndOtherCare:     "övergick till psykiatriska polikliniken (syntetisk)",
		store.EndNotSuitable:   "behöver behandling ansikte mot ansikte (syntetisk)",
		store.EndNoContact:     "svarar inte på meddelanden eller samtal (syntetisk)",
	},
	transfer:       "terapeuten är tjänstledig (syntetisk)",
	summaryComment: "\n## Terapeutens kommentar\n\nArbetade jämnt med programmet under hela behandlingen; en plan för att upprätthålla färdigheterna är överenskommen. (syntetisk)\n",
	units: []string{
		"Berghälls hälsostation, Helsingfors", "Alberga hälsostation, Esbo", "Dickursby hälsostation, Vanda",
		"Företagshälsan i Tammerfors", "SHVS, Uleåborg", "Runosbackens hälsostation, Åbo",
		"Psykiatriska polikliniken i Jyväskylä", "Kuopio hälsostation", "Borgå hälsostation",
		"Företagshälsan i Lahtis", "Rovaniemi hälsostation", "Psykiatriska polikliniken i Vasa",
	},
	reasons: map[string][]string{
		"gad":                  {"Ihållande oro för arbete och hälsa i över ett år; spänd, sover dåligt.", "Svårkontrollerad oro för familj och pengar; rastlös, trött."},
		"depression":           {"Nedstämdhet och minskat intresse i tre månader; har dragit sig undan vänner.", "Nedstämd sedan skilsmässan; orkar lite, håller sig hemma."},
		"insomnia":             {"Svårt att somna och att sova hela natten sedan ett år; trött på jobbet.", "Vaknar klockan fyra varje natt; sömnmedicinen hjälpte inte länge."},
		"social-anxiety-youth": {"Undviker att tala på lektionerna och att äta i skolans matsal.", "Rädd för att jämnåriga ska döma; har slutat gå på sina hobbyer."},
	},
	doctorAssessment: "Bedömd på mottagningen: lämplig för handledd internetterapi, vårdnadshavaren informerad.",
	cohort:           "Vårgruppen",
	peerGroup:        "Vårgruppens kamrater",
	groupMessage:     "Välkomna till vecka 3. Veckans avsnitt handlar om att lägga märke till tankar: ta god tid på er med arbetsbladet.",
	aliases:          []string{"Solrosen", "Nordan", "Kotten", "Hamnen", "Tysta räven"},
	posts: []string{
		"Hej alla. Aktivitetsdagboken kändes fånig i början, men jag tog faktiskt två promenader den här veckan.",
		"Är det fler än jag som tycker att morgnarna är värst? Jag bestämmer några små mål kvällen före och det hjälper lite.",
		"Jag hoppade över övningen den här veckan, det var för mycket på jobbet. Nu prövar jag igen.",
		"Tack för sömntipsen, jag prövade den lugna timmen före sänggåendet.",
	},
}

// answerBankSV has the Swedish answers, key for key and entry for entry
// with answerBank.
var answerBankSV = map[string][]map[string]string{
	// Bättre sömn (KBT-I)
	"insomnia/sleep-goals": {
		{"text": "Det började för två år sedan när min mamma var sjuk. Nu går jag och lägger mig redan kl. 21.30 för att vila, ligger vaken en timme och vaknar kl. 3. Vissa kvällar tar jag melatonin. Om åtta veckor vill jag somna inom en halvtimme och sluta grua mig för kvällarna."},
		{"text": "Jag har sovit dåligt sedan jag började med skiftarbete, och det blev inte bättre när jag slutade. På veckosluten ligger jag länge i sängen för att ta igen sömn. Jag är lättretlig mot familjen och gör små misstag. Mitt mål är att sova hela natten de flesta nätter och orka med min hobby igen."},
		{"text": "Jag vaknar kl. 4 varje morgon och tankarna börjar rusa. Jag har prövat ett glas vin på kvällen, men det gör natten bara sämre. Jag vill vakna utvilad åtminstone några dagar i veckan."},
	},
	"insomnia/health-check": {
		{"snoring": "Nej, min partner säger att jag inte snarkar särskilt mycket.", "dozing": "Nej", "driving": "Nej", "legs": "Nej", "night-behaviour": "Nej", "epilepsy": "Nej", "bipolar": "Nej", "pregnancy": "Nej", "work": "Nej, jag har kontorsjobb, bara dagtid.", "medication": "Melatonin 1 mg ungefär två kvällar i veckan.", "other": "Inget annat."},
		{"snoring": "Vet inte, jag bor ensam.", "dozing": "Ibland framför tv:n på kvällen.", "driving": "Nej, jag åker buss.", "legs": "Nej", "night-behaviour": "Nej", "epilepsy": "Nej", "bipolar": "Nej", "pregnancy": "Nej", "work": "Nej", "medication": "Inga.", "other": "Jag har högt blodtryck, det är behandlat."},
		{"snoring": "Nej", "dozing": "Nej", "driving": "Nej", "legs": "Ibland en rastlös känsla, men den går över när jag stiger upp.", "night-behaviour": "Nej", "epilepsy": "Nej", "bipolar": "Nej", "pregnancy": "Nej", "work": "Jag kör bil till jobbet, 20 minuter.", "medication": "Zopiklon som läkaren skrivit ut, ungefär en gång i veckan.", "other": "Nej"},
	},
	"insomnia/wind-down-plan": {
		{"wind-down": "Dusch, te utan koffein, en pappersbok, dämpad belysning.", "get-up-place": "Köksbordet med en liten lampa och ett korsord.", "changes": "Sista kaffet kl. 13, telefonen laddas i tamburen."},
		{"wind-down": "Datorn bort kl. 21.30, tio minuters stretching, lugn musik.", "get-up-place": "Soffan i vardagsrummet med en tidning.", "changes": "Inget vin på vardagar, en mörkare gardin i sovrummet."},
	},
	"insomnia/stimulus-control-review": {
		{"text": "Att stiga upp vid samma tid var lätt på vardagarna och svårt på lördagen. Jag steg upp två gånger på natten och läste i köket; andra gången somnade jag snabbt efteråt. Jag tror att jag somnar lite snabbare än förut."},
		{"text": "Den svåraste regeln var att inte använda telefonen i sängen. Jag steg upp tre nätter när jag inte fick sova. Först kändes det meningslöst, men på söndagen var jag sömnig när jag gick tillbaka till sängen."},
	},
	"insomnia/my-sleep-window": {
		{"evening-plan": "Stryka kläder, ringa min syster, en podd medan jag städar; ingen soffa efter kl. 22."},
		{"evening-plan": "En promenad kl. 21, sedan ett pussel vid köksbordet. Jag håller mig borta från soffan."},
	},
	"insomnia/window-week-review": {
		{"text": "Jag höll mig till fönstret sex nätter. Kvällarna var långa och på onsdagen var jag väldigt trött, men mot veckoslutet somnade jag snabbare. Jag höll på att slumra till framför tv:n, så jag ställde mig upp och diskade."},
		{"text": "Två kvällar gick jag och lade mig för tidigt eftersom jag var så trött. De andra nätterna höll jag fönstret och sov mer sammanhängande. Dagarna var tunga, men jag somnade inte mitt i det jag gjorde."},
	},
	"insomnia/day-to-bed": {
		{"on-my-mind": "Rapporten som är försenad; mammas läkarbesök.", "next-steps": "Be om två dagar till på tisdag kl. 9; ringa hälsostationen på onsdag under lunchen."},
		{"on-my-mind": "Bilen behöver nya däck, och ett svårt samtal med grannen.", "next-steps": "Boka däckbytet på nätet i morgon; prata med grannen på lördag förmiddag."},
	},
	"insomnia/sleep-thoughts": {
		{"thought": "Om jag sover mindre än sex timmar gör jag fel på jobbet.", "evidence": "På tre veckor hade jag åtta korta nätter och gjorde ett litet fel, och det efter en bra natt.", "balanced": "Jag klarar en vanlig dag efter en kort natt, även om jag är trött."},
		{"thought": "Jag måste ligga kvar längre i sängen för att ta igen en dålig natt.", "evidence": "När jag låg kvar till kl. 9 på söndagen blev natten mot måndag veckans sämsta.", "balanced": "Att stiga upp vid min vanliga tid hjälper nästa natt mer än extra tid i sängen."},
	},
	"insomnia/day-plan": {
		{"light": "En promenad på 20 minuter kl. 7.30.", "movement": "Cyklade till jobbet.", "kept-plans": "Gick på körövningen trots en dålig natt.", "enjoyed": "Kaffe med en vän på lunchen."},
		{"light": "Frukost vid fönstret, sedan promenaden till busshållplatsen.", "movement": "Stretching och en kort promenad efter middagen.", "kept-plans": "Handlade som planerat.", "enjoyed": "Ett samtal med min dotter."},
	},
	"insomnia/progress-check": {
		{"text": "Första veckan somnade jag efter ungefär en timme; nu brukar det ta 15–20 minuter. Jag vaknar en gång i stället för tre. Att stiga upp på veckosluten är fortfarande svårast. En plan för lördagsmorgnarna skulle hjälpa."},
		{"text": "Enligt min terapeut steg sömneffektiviteten från ungefär 65 % till 88 %. Jag är fortfarande trött på eftermiddagarna, men jag gruar mig inte längre för att gå och lägga mig."},
	},
	"insomnia/sleep-plan": {
		{"what-helped": "Den fasta uppstigningstiden och att stiga upp ur sängen när jag inte får sova.", "routine": "Upp kl. 6.30 varje dag, varva ner från kl. 22, en morgonpromenad.", "after-bad-night": "Stiga upp som vanligt, ingen tupplur, fortsätta dagen som vanligt.", "if-returns": "Börja med sömndagboken igen och följa reglerna noga i två veckor; fråga läkaren innan jag förkortar tiden i sängen."},
	},
	// Sömnlöshet, 16-17-åringar
	"insomnia/sleep-goals/youth": {
		{"text": "Det började i våras före proven. Jag går och lägger mig kl. 22 men ligger vaken med telefonen till efter midnatt, och på skoldagar kommer jag knappt upp kl. 7. På veckosluten sover jag till tolv. Jag vill somna snabbare och inte vara så trött i skolan."},
	},
	"insomnia/health-check/youth": {
		{"snoring": "Nej, mamma säger att jag inte snarkar.", "dozing": "Ibland på första lektionen.", "driving": "Jag kör moped till skolan; jag har inte varit sömnig på den.", "legs": "Nej", "night-behaviour": "Jag pratade i sömnen när jag var liten.", "epilepsy": "Nej", "bipolar": "Nej", "pregnancy": "Nej", "work": "Sommarjobb i en butik, dagtid.", "medication": "Inga.", "other": "Nej"},
	},
	"insomnia/day-to-bed/youth": {
		{"on-my-mind": "Kemiprovet; ett gräl med en kompis.", "next-steps": "Läsa kapitel 4 på onsdag efter skolan; prata med kompisen på rasten på torsdag."},
	},
	"insomnia/sleep-thoughts/youth": {
		{"thought": "Om jag sover dåligt kuggar jag provet.", "evidence": "Jag sov dåligt före förra matteprovet och fick ändå en åtta.", "balanced": "En dålig natt gör mig trött, men jag klarar ändå ett prov."},
	},
	"insomnia/day-plan/youth": {
		{"light": "Gick till busshållplatsen kl. 7.30.", "movement": "Gympa i skolan, en cykeltur efteråt.", "kept-plans": "Gick på bandövningen fast jag var trött.", "enjoyed": "Spelade med min bror."},
	},
	// Mindre oro (GAD)
	"gad/my-goals": {
		{"text": "Jag vill gå och lägga mig utan att gå igenom morgondagens risker. Jag vill låta min son åka tåg till stan utan att skicka meddelanden varje timme. Och jag vill njuta av veckoslutet i stället för att förbereda mig för alla tänkbara problem."},
		{"text": "Jag skulle vilja lägga mindre tid på att söka på nätet om symtom, och kunna tacka ja till saker utan att tänka igenom dem tio gånger."},
	},
	"gad/worry-pattern": {
		{"text": "Min son hostade vid middagen. Sedan kom det: tänk om det är lunginflammation, tänk om jag missar något allvarligt? Det kändes tungt i bröstet. Jag sökte på nätet en timme och frågade min fru två gånger om han såg sjuk ut. Jag lugnade mig en stund, sedan började jag oroa mig för jobbet."},
		{"text": "Ett mejl från min chef: ”kan vi prata i morgon”. Tänk om jag gjort något fel, tänk om jag blir av med jobbet? Jag kunde inte sitta still. Jag gick igenom allt jag gjort på sistone ända till midnatt. Samtalet gällde semesterdagar."},
	},
	"gad/worry-log": {
		{"situation": "Vid skrivbordet efter lunchen.", "worry": "Tänk om jag räknat fel och blir av med jobbet?", "kind": "Något som kan hända.", "body": "Spända axlar, en knut i magen.", "action": "Kontrollerade kalkylbladet tre gånger till."},
		{"situation": "Väntade på att min dotter skulle komma hem.", "worry": "Tänk om något har hänt på vägen?", "kind": "Något som kan hända.", "body": "Rastlös, kunde inte sätta mig.", "action": "Skickade två meddelanden till henne."},
		{"situation": "Betalade räkningar på kvällen.", "worry": "Elräkningen är högre än jag trodde.", "kind": "Ett problem nu.", "body": "Spänd käke.", "action": "Gjorde en lista och gick sent och lade mig."},
	},
	"gad/worry-log-review": {
		{"text": "De flesta bekymren kom på kvällen, och de flesta gällde barnen eller pengar. Mycket av det jag oroade mig för på måndagen hände aldrig. När jag skrev ner det såg det mindre ut."},
		{"text": "Jag märkte att jag oroar mig mest när jag är trött och ensam. Jobbekymren kommer tillbaka varje dag i samma form."},
	},
	"gad/worry-time-log": {
		{"used": "Ja, 15 minuter kl. 18 vid köksbordet.", "still-important": "Bara två av de fem bekymren kändes fortfarande viktiga."},
		{"used": "På tisdagen glömde jag, de andra dagarna gjorde jag det.", "still-important": "Pengabekymret, ja. De andra hade bleknat."},
	},
	"gad/postponement-learning": {
		{"text": "Jag trodde inte att jag kunde skjuta upp ett bekymmer, men för det mesta gick det. Ofta hade bekymret tappat sin kraft när orostiden kom. Det säger mig att oron inte är så okontrollerbar som jag trodde."},
		{"text": "Att skjuta upp gick bättre på jobbet än hemma. Hemma på kvällen kommer bekymren tillbaka snabbare, så jag prövar orostiden lite tidigare."},
	},
	"gad/worry-beliefs": {
		{"belief": "Att oroa mig gör att jag är förberedd.", "for": "Ibland kommer jag ihåg saker för att jag har oroat mig för dem.", "against": "Jag har klarat överraskningar bra utan att oroa mig för dem i förväg. Oron gör mig mest trött.", "alternative": "Att planera en gång är nyttigt; att gå igenom samma sak om och om igen är det inte."},
		{"belief": "Min oro är okontrollerbar och kommer att göra mig sjuk.", "for": "Det känns som om den aldrig tar slut.", "against": "Jag kunde skjuta upp bekymmer till orostiden. Oro är obehaglig, men den är inte farlig.", "alternative": "Oro är en vana som jag kan ändra, inte en fara."},
	},
	"gad/sort-worries": {
		{"text": "Elräkningen är ett problem nu: jag kan ringa bolaget. ”Tänk om jag blir sjuk” är hypotetiskt. Att min dotter kommer hem sent är lite av båda: jag kan komma överens med henne om en tid, och resten är tänk om-tankar."},
	},
	"gad/problem-solving": {
		{"problem": "Elräkningen är 180 euro högre än vanligt.", "options": "Betala den genast; be om en betalningsplan; kontrollera mätarställningen; låna av min bror.", "chosen": "Ringa bolaget och be om en betalningsplan: det är realistiskt och jag kan göra det i morgon.", "first-step": "Ringa på tisdag kl. 9.", "outcome": "De delade upp den i tre rater. Det tog tio minuter."},
		{"problem": "En arbetskamrat lämnar ofta sin del av vårt gemensamma arbete åt mig.", "options": "Inte säga något; prata med henne; prata med vår chef; skriva upp vem som gör vad.", "chosen": "Först prata lugnt med henne; det är värt ett försök.", "first-step": "Be om tio minuter efter måndagsmötet.", "outcome": "Hon visste inte att det var ett problem. Vi gjorde en lista tillsammans."},
	},
	"gad/certainty-habits": {
		{"text": "Jag frågar min fru om hon är säker på att dörren är låst; söker på nätet om symtom; läser mejl fyra, fem gånger innan jag skickar dem; planerar varje detalj av resor. Sökandet tar mest tid."},
	},
	"gad/uncertainty-experiment": {
		{"plan": "Skicka ett mejl till en kund efter att ha läst det en gång.", "usual": "Läsa det fem gånger och be en arbetskamrat kontrollera det.", "prediction": "Det blir ett fel och kunden klagar.", "what-happened": "Kunden svarade ”tack, allt klart”.", "learned": "Det gick bra utan att kontrollera. Ångesten gick ner efter en timme."},
		{"plan": "Låta min fru planera vår lördag utan att fråga om detaljerna.", "usual": "Fråga vad, var och när, och kolla upp allt.", "prediction": "Jag kommer att vara spänd hela dagen.", "what-happened": "Jag var spänd på morgonen, sedan njöt jag av lunchen hon valt.", "learned": "Att inte veta var obehagligt men inget problem."},
	},
	"gad/worry-script": {
		{"worry": "Tänk om min son råkar ut för en olycka på väg hem?", "script": "Klockan är 22 och han har inte kommit hem. Telefonen ringer. Det är från sjukhuset. Jag kör dit med darrande händer... (berättelsen fortsätter med det som händer sedan)", "noticed": "Den första dagen grät jag. Den femte dagen kändes berättelsen mer som en berättelse, och i slutet var jag uttråkad."},
	},
	"gad/relaxation-practice": {
		{"exercise": "Muskelavslappning, hela kroppen.", "notes": "Axlarna var svårast att slappna av. Jag somnade nästan."},
		{"exercise": "Lugn andning i bussen.", "notes": "Tankarna vandrade till jobbet många gånger; jag tog tillbaka dem varje gång."},
	},
	"gad/my-progress": {
		{"text": "Jag oroar mig mindre på kvällarna, och jag skickar inte längre meddelanden till min son varje timme. Orostiden och experimenten med osäkerhet hjälpte mest. Kontrollerandet på jobbet vill jag fortfarande jobba med."},
	},
	"gad/relapse-plan": {
		{"what-helped": "Orostiden och experimenten med osäkerhet.", "warning-signs": "Fler tänk om-tankar på natten, söka på nätet, be om lugnande besked.", "first-steps": "Börja med orostiden igen och skriva ner mina bekymmer.", "keep-practising": "Ett litet experiment med osäkerhet i veckan.", "support": "Min fru; hälsostationen om det håller i sig mer än några veckor."},
	},
	// Steg för steg (depression)
	"depression/my-circle": {
		{"text": "Jag slutade gå till min simgrupp och svarar sällan mina vänner. Kvällarna ligger jag i soffan med tv:n på. Ju mindre jag gör, desto tyngre känns allt och desto ensammare är jag."},
		{"text": "Jag har slutat laga mat och äter det som går snabbast. Jag ställde in min veckopromenad med grannen. På veckosluten ligger jag kvar längre i sängen. Humöret är sämst på söndagseftermiddagarna."},
	},
	"depression/goals": {
		{"text": "Jag träffar en vän en gång i veckan. Jag börjar simma igen, även om det bara blir en gång i veckan. Jag lagar en ordentlig middag tre gånger i veckan."},
		{"text": "Jag går på promenad de flesta morgnar, och jag svarar på meddelanden inom ett dygn."},
	},
	"depression/safety-plan": {
		{"warning-signs": "Ligger i sängen hela veckoslutet, svarar inte någon, tänker att ingenting kommer att förändras.", "own-coping": "En dusch, en promenad runt kvarteret, musik från när jag var i tjugoårsåldern.", "people-places": "Bibliotekets kafé; grannens hund.", "ask-for-help": "Min syster (numret finns i telefonen), min vän Sara.", "professionals": "Min terapeut på vardagar; 116 117; MIELI:s kristelefon 09 2525 0111; 112 i en nödsituation.", "safer-home": "Min syster förvarar mina extra mediciner.", "reason-to-live": "Min systerson, min syster, sommarstugan."},
	},
	"depression/activity-record": {
		{"activity": "Låg i soffan och tittade på tv.", "who": "Ensam"},
		{"activity": "Gick till butiken och kokade soppa.", "who": "Ensam"},
		{"activity": "Kaffe med grannen.", "who": "Grannen"},
		{"activity": "Jobbade, satt sedan en stund i bilen innan jag gick in.", "who": "Arbetskamrater på jobbet, sedan ensam"},
	},
	"depression/activity-patterns": {
		{"text": "Humöret var sämst i soffan på kvällarna och bäst när jag var med någon. Att laga mat gav en liten känsla av att ha fått något gjort. Jag vill göra mer tillsammans med andra och titta mindre på tv."},
	},
	"depression/values-map": {
		{"area": "Relationer", "what-matters": "Att vara en bra syster och vän.", "small-actions": "Ringa min syster på söndag; svara på Saras meddelande."},
		{"area": "Hälsa och kropp", "what-matters": "Att känna mig stark och röra på mig.", "small-actions": "Simma en gång i veckan; promenera till jobbet på tisdagar."},
	},
	"depression/weekly-plan": {
		{"activity": "Promenera till simhallen och titta på öppettiderna.", "done": "Ja, och jag simmade i 15 minuter."},
		{"activity": "Ringa min vän.", "done": "Inte på torsdagen, för trött. Gjorde det på lördag morgon."},
		{"activity": "Laga en riktig middag.", "done": "Ja, en enkel pasta."},
	},
	"depression/task-steps": {
		{"task": "Gå igenom högen med post.", "steps": "Lägga alla brev i en låda; öppna dem; lägga räkningarna i en hög; betala en räkning; återvinna resten.", "first-step": "Lägga breven i en låda på tisdag kl. 18, 5 minuter.", "how-it-went": "Gjorde de två första stegen. Mindre skrämmande än jag trodde."},
		{"task": "Svara på min gamla väns meddelande.", "steps": "Läsa det igen; skriva tre rader; skicka.", "first-step": "Läsa det på onsdag efter lunchen.", "how-it-went": "Skickade ett kort svar. Hon skrev tillbaka samma dag."},
	},
	"depression/trap-trac": {
		{"trigger": "Ett meddelande från min före detta man.", "response": "Ängslan, trötthet.", "avoidance": "Öppnade det inte, låg i soffan hela kvällen.", "cost": "Frågan fanns kvar nästa dag, och jag förlorade en kväll.", "alternative": "Läsa det genast, svara på den praktiska frågan med två rader, ta en kort promenad."},
		{"trigger": "Min chef bad om ett möte.", "response": "En knut i magen.", "avoidance": "Sjukanmälde mig.", "cost": "Kände mig skyldig hela dagen; mötet flyttades till en sämre dag.", "alternative": "Gå dit och fråga i början vad mötet gäller."},
	},
	"depression/solve-a-problem": {
		{"problem": "Jag har 400 euro obetalt på telefonräkningen.", "options": "Betala allt nu; be om en betalningsplan; kontakta ekonomi- och skuldrådgivningen; sälja något.", "chosen": "En betalningsplan: realistisk och jag kan ordna den den här veckan.", "steps": "Ringa operatören på måndag kl. 10 och skriva upp vad de erbjuder.", "review": "Tre rater överenskomna. Det känns lättare."},
	},
	"depression/looking-back": {
		{"text": "Jag simmar en gång i veckan igen och träffar en vän de flesta veckor. Att planera aktiviteter hjälpte mest, och att dela upp uppgifter i steg. Söndagseftermiddagarna vill jag fortsätta jobba med."},
	},
	"depression/staying-well-plan": {
		{"warning-signs": "Ställer in planer, ligger kvar i sängen på veckosluten, svarar inte på meddelanden.", "what-helps": "Simning, matlagning, kaffe med grannen.", "first-steps": "Göra en veckoplan igen och berätta för min syster.", "people": "Min syster, Sara, grannen.", "professional-help": "Hälsostationen om nedstämdheten håller i sig mer än två veckor."},
	},
	// Modigare tillsammans (unga, 13-17)
	"social-anxiety-youth/if-i-were-braver": {
		{"text": "Jag skulle svara på lektionen när jag vet svaret. Jag skulle sitta med andra i matsalen i stället för att gå till biblioteket. Jag skulle börja i tecknarklubben."},
		{"text": "Jag skulle gå på innebandyträningen igen. Jag skulle prata med dem i min grupp på gympan. Kanske skulle jag gå på en fest."},
	},
	"social-anxiety-youth/who-knows": {
		{"text": "Mamma, och kanske min äldre kusin. Jag vill att de ska veta att jag försöker, och att de inte frågar varje dag hur det gick."},
		{"text": "Pappa och min kompis Elias. Det skulle hjälpa om pappa inte ringde till skolan för mig varje gång."},
	},
	"social-anxiety-youth/my-circle": {
		{"situation": "Jag behövde fråga läraren om läxan.", "thoughts": "Alla kommer att stirra. Jag säger något dumt.", "body": "Ansiktet blev varmt och hjärtat bultade.", "actions": "Jag frågade inte. Jag tittade på telefonen.", "afterwards": "Lättad, sedan irriterad på mig själv. Jag gjorde fel läxa."},
		{"situation": "Gick ensam in i matsalen.", "thoughts": "Alla ser att jag inte har någon att sitta med.", "body": "Darriga ben.", "actions": "Tog maten och åt snabbt i ett hörn.", "afterwards": "Jag tänkte på det hela nästa lektion."},
	},
	"social-anxiety-youth/safety-check": {
		{"bullied": "Nej.", "online": "Nej.", "scared": "Nej.", "adult-knows": "Ja, mamma skulle veta."},
		{"bullied": "Inte direkt. Några skrattar ibland, men inte åt mig med flit, tror jag.", "online": "Nej.", "scared": "Nej.", "adult-knows": "Jag skulle berätta för pappa."},
	},
	"social-anxiety-youth/my-tricks": {
		{"text": "Titta på telefonen, gömma mig bakom håret, planera exakt vad jag ska säga, hålla mig bredvid min kompis så att hon pratar. Jag kunde pröva att släppa telefonen först."},
		{"text": "Ha huvan på, svara kort, gå tidigt. Huvan skulle vara lättast att släppa."},
	},
	"social-anxiety-youth/drop-a-trick": {
		{"_outcome": "easier", "situation": "Väntade på bussen med klasskompisar.", "trick": "Titta på telefonen.", "prediction": "Ingen pratar med mig och det blir pinsamt.", "what-happened": "En frågade om matteprovet. Vi pratade en stund.", "learned": "Folk pratar med mig när jag tittar upp."},
		{"_outcome": "easier", "situation": "Köpte ett mellanmål i kiosken.", "trick": "Mumla och titta ner.", "prediction": "Försäljaren hör inte och jag måste upprepa.", "what-happened": "Hon hörde bra och log.", "learned": "Att tala tydligt var lättare än jag trodde."},
	},
	"social-anxiety-youth/thought-check": {
		{"situation": "Jag rodnade på historielektionen.", "thought": "Alla märkte det och tycker att jag är konstig.", "trap": "Tankeläsning och strålkastaren.", "other-view": "Kanske någon märkte det. Folk rodnar. De flesta tänkte inte mycket på det."},
		{"situation": "Min kompis svarade inte på mitt meddelande.", "thought": "Hon är arg på mig.", "trap": "Tankeläsning.", "other-view": "Hon kan ha haft bråttom. Hon svarade senare och sa att telefonen hade laddat ur."},
	},
	"social-anxiety-youth/build-ladder": {
		{"text": "Fråga en klasskompis om läxan (3). Fråga i butiken var något finns (4). Sitta med två klasskompisar i matsalen (6). Svara på en fråga på lektionen (7). Ringa och boka tid till tandläkaren (7). Hålla en kort presentation för min grupp (8). Presentera för hela klassen (10). Jag börjar med det första."},
	},
	"social-anxiety-youth/ladder-step": {
		{"_outcome": "easier", "step": "Fråga i butiken var tuschpennorna finns.", "fear": "Jag blir röd och stammar, och de tycker att jag är dum.", "what-happened": "Lite röd. Expediten visade hyllan och var vänlig.", "learned": "Det gjorde inget att jag blev lite röd. Nästa: en fråga på lektionen."},
		{"_outcome": "harder", "step": "Sitta med två klasskompisar i matsalen.", "fear": "Jag kommer inte att ha något att säga.", "what-happened": "Först sa jag inte mycket, sedan pratade vi om en serie som alla tittar på.", "learned": "Det var svårare än jag väntat mig, men jag stannade. Jag gör det igen på torsdag."},
	},
	"social-anxiety-youth/school-plan": {
		{"situation": "Presentationer.", "steps": "Presentera för mamma; spela in mig själv; presentera för läraren; för min grupp; för klassen.", "first-step": "Presentera för mamma på söndag kväll.", "support": "Mamma; läraren, om mamma och jag pratar med henne om en plan steg för steg."},
	},
	"social-anxiety-youth/replay-check": {
		{"situation": "Jag sa något konstigt i grupparbetet.", "replay": "De måste tycka att jag är så konstig.", "facts": "En skrattade, sedan fortsatte vi med uppgiften. Ingen nämnde det senare.", "friend": "Alla säger konstiga saker ibland. Ingen kommer ihåg det."},
	},
	"social-anxiety-youth/ladder-progress": {
		{"text": "Jag har gjort de fyra första stegen. Att fråga i butiker är lätt nu. Att äta med klasskompisar är fortfarande svårt men bättre. Nästa gång svarar jag på en fråga på lektionen på tisdag."},
	},
	"social-anxiety-youth/look-back": {
		{"text": "Jag svarar ibland på lektionerna nu, och jag sitter med andra i matsalen de flesta dagar. Jag är stolt över att jag gick till tecknarklubben. Presentationerna vill jag fortfarande öva på."},
	},
	"social-anxiety-youth/my-plan": {
		{"what-helped": "Trappan, och att jag släppte telefonknepet.", "warning-signs": "Att jag börjar gå till biblioteket på rasterna igen, att jag inte svarar på lektionerna.", "what-i-do": "Göra en ny liten trappa och berätta för mamma.", "next-challenges": "En intervju för ett sommarjobb, en ny hobbygrupp.", "support": "Mamma, min kompis, skolhälsovårdaren."},
	},
}
