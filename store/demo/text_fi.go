package demo

import "polku/store"

// The Finnish bank: written in Finnish for the demo, not translated word
// for word from the English. Patients write everyday Finnish (their
// messages a little spoken, "mä", "oisko"; their answers plain written
// Finnish), therapists write neutral standard Finnish. Everything is made
// up; how it was written and read back is in docs/translations-fi.md
// ("Demo texts").

var textFI = textBank{
	answers:    answerBankFI,
	fallback:   "Luin osion ja kokeilin tehtävää muutamana päivänä. Se oli vaikeampaa kuin luulin, mutta haluan jatkaa.",
	seeMessage: "Kerroin tästä viestissäni.",
	none:       "ei mitään",
	sleepAid:   "melatoniini 1 mg klo 22",
	weekdays:   [7]string{"sunnuntai", "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai"},
	clock:      "%s klo %d.%02d",
	adult: []exchange{
		{"Moi, en saanut kolmatta osiota auki puhelimella. Pitäiskö mun tehdä jotain?",
			"Kiitos, että kerroit. Kokeile päivittää sovellus tai avaa osio selaimessa. Jos se ei vieläkään aukea, kerro minulle, niin kysyn asiaa tekniseltä tuelta."},
		{"Kiitos palautteesta viime viikolla, teki hyvää kuulla tuo.",
			"Kiitos, hienoa että siitä oli apua. Jatka rauhassa tämän viikon tehtävän parissa."},
		{"Töissä on ollut tosi rankka viikko. Voinko tehdä tätä osiota vähän pidempään?",
			"Totta kai. Osio pysyy auki, joten käytä sen verran aikaa kuin tarvitset. Lyhytkin yritys tällä viikolla riittää hyvin."},
		{"Haluaisin siirtää seuraavaa puhelinaikaa, jos se vaan onnistuu.",
			"Onnistuu. Etsitään uusi aika: ehdotan kahta vaihtoehtoa seuraavassa viestissäni."},
		{"Nopea kysymys: täytänkö kyselyn uudestaan tällä viikolla?",
			"Kyllä, täytä se tällä viikolla. Sen avulla näemme, miten asiat etenevät."},
		{"Sori, etten saanut tällä viikolla paljon aikaan. Oon kuitenkin vielä mukana.",
			"Kiitos, että kirjoitit. Raskaita viikkoja tulee kaikille. Valitaan tulevalle viikolle yksi pieni asia."},
		{"Lääkäri muutti mun lääkitystä. Pitäiskö mun kertoa siitä tarkemmin?",
			"Kyllä, kerro lääkkeen nimi ja annos sekä milloin muutos tehtiin. Jatka lääkkeen käyttöä niin kuin lääkäri neuvoi."},
	},
	program: map[string][]exchange{
		"insomnia": {
			{"Onko normaalia, että unen rajoittaminen väsyttää päivällä näin paljon?",
				"Päiväväsymys lisääntyy usein ensimmäisen viikon tai kahden aikana. Älä aja autoa, jos tunnet itsesi uneliaaksi. Jos nukahdat päivällä kesken tekemisen, kerro minulle heti: silloin pidennämme ikkunaa."},
			{"Nousin viime yönä kolme kertaa ylös niin kuin osiossa neuvotaan, mut nukuin silti vaan neljä tuntia.",
				"Kiitos, että jatkat sinnikkäästi. Ylös nouseminen on oikea ratkaisu, ja ensimmäiset yöt ovat usein vaikeimpia. Katsotaan koko viikko unipäiväkirjastasi ennen kuin muutamme mitään."},
			{"Voinko aloittaa uni-ikkunan jo tällä viikolla vai pitäiskö odottaa?",
				"Odota vielä, kunnes olen lukenut terveyskyselysi. Vastaan viimeistään seuraavan arkipäivän aikana."},
		},
		"gad": {
			{"Siirsin huolet huoliaikaan, mutta klo 18 mennessä en enää muistanut suurinta osaa niistä.",
				"Tämä on hyvin tavallinen ja tärkeä kokemus: moni huoli menettää voimansa, kun se saa odottaa. Kirjoita huolet edelleen muistiin, niin huomaat sen itsekin."},
			{"Lääkäri pyysi mua mittaamaan verenpaineen joka aamu. Onko sekin varmuuden hakemista?",
				"Ei ole. Jatka mittauksia niin kuin lääkäri neuvoi. Kokeet koskevat ylimääräistä tarkistamista ja vakuuttelun hakemista, eivät tarvitsemaasi hoitoa."},
		},
		"depression": {
			{"Oon ollut vähän paremmalla tuulella, mutta sunnuntai-illat on edelleen vaikeita.",
				"On hyvä kuulla, että olo on vähän parempi. Suunnitellaan sunnuntai-illoille yksi pieni tekeminen, mieluiten yhdessä jonkun toisen kanssa."},
			{"Suunnittelin kävelyn joka päivälle, mutta lähdin vaan kahdesti. Tuntuu että epäonnistuin.",
				"Kaksi kävelyä ei ole epäonnistuminen: se on kaksi enemmän kuin ennen. Katsotaan, mikä muina päivinä tuli esteeksi, ja tehdään suunnitelmasta vähän pienempi."},
		},
		"social-anxiety-youth": {
			{"Moi, pitääkö mun tehdä kaikki tehtävät tällä viikolla? Mulla on kaksi koetta.",
				"Hyvä, että kysyit. Tee askel portailla, jos ehdit, ja jätä muut ensi viikkoon. Tsemppiä kokeisiin!"},
			{"Kokeilin sitä askelta kaupassa ja se meni paremmin kuin luulin!",
				"Mahtavaa! Teit sen, vaikka jännitti. Kirjoita ylös, mitä opit, ja valitse seuraava askel."},
			{"Kerrotko mun äidille, mitä mä kirjoitan tänne?",
				"Hyvä kysymys. Se, mitä kirjoitat, jää meidän väliseksi, paitsi jos olen huolissani turvallisuudestasi: silloin minun täytyy kertoa huoltajallesi. Voit lukea tästä lisää osiosta 1."},
		},
	},
	risk: []string{
		"Mä en jaksa enää. Joskus ajattelen, että haluaisin vaan kuolla.",
		"Tää viikko on ollut tosi raskas, ja oon miettinyt itsetuhoisia juttuja.",
	},
	welcome:   "Hei %[1]s. Olen %[2]s, terapeuttisi. Tervetuloa ohjelmaan. Luen viestisi arkipäivisin ja vastaan kahden arkipäivän kuluessa. %[3]s",
	help:      "Palvelu ei ole tarkoitettu kiireelliseen apuun: jos tarvitset apua heti, puhelinnumerot ovat jokaisen osion lopussa, ja hätätilanteessa soita 112.",
	youthHelp: "Palvelu ei ole tarkoitettu kiireelliseen apuun: jos sinulla on tosi paha olla, kerro luotettavalle aikuiselle ja katso puhelinnumerot jokaisen osion lopusta. Hätätilanteessa soita 112.",
	feedback: map[string][]string{
		"reflection": {
			"Kiitos, %[1]s. Kirjoitit tehtävään avoimesti ja selkeästi. Juuri sen varaan, mitä huomasit, rakennamme seuraavassa osiossa.",
			"Hei %[1]s, kiitos vastauksestasi. Näen, että olet pohtinut asiaa huolella. Pidä nämä asiat mielessä tällä viikolla.",
		},
		"log": {
			"Kiitos, %[1]s. Merkinnöistäsi erottuu selvä kuvio: illat ovat vaikeimpia. Se on hyödyllistä tietää, ja käytämme sitä ensi viikolla.",
			"Hyvää työtä, %[1]s. Jo muutama merkintä päivässä antaa paljon selvemmän kuvan kuin pelkkä muisti.",
		},
		"thought": {
			"Hienoa, %[1]s. Löysit ajatuksen, joka hyppää suoraan pahimpaan mahdolliseen, ja vertasit sitä siihen, mitä oikeasti tapahtui. Kokeile samaa vielä yhteen ajatukseen tällä viikolla.",
			"Kiitos, %[1]s. Tasapainoisempi näkökulmasi on realistinen eikä vain positiivinen. Juuri siihen pyritään.",
		},
		"plan": {
			"Kiitos suunnitelmastasi, %[1]s. Se on konkreettinen ja niin pieni, että sen voi toteuttaa. Päivitä merkintä, kun olet kokeillut, ja kerro, mikä mahdollisesti tuli esteeksi.",
			"Hyvä suunnitelma, %[1]s. Valitsit selkeät ajankohdat. Jos jokin jää tekemättä, pienennä askelta mieluummin kuin luovut siitä.",
		},
		"exposure": {
			"Hienoa, %[1]s. Teit juuri sen, mitä ahdistus käski sinua välttämään, ja näit, mitä oikeasti tapahtui. Vertaa sitä, mitä odotit, siihen, mitä tapahtui: siitä me opimme.",
			"Kiitos, %[1]s. Tällä kertaa harjoitus oli vaikeampi kuin odotit, ja pysyit silti tilanteessa. Sekin on hyödyllistä tietoa: toista sama askel tai tee siitä ensin vähän pienempi.",
		},
		"screening": {
			"Kiitos, %[1]s. Olen lukenut vastauksesi. Niissä ei ole mitään, mikä estäisi seuraavan vaiheen, joten voit aloittaa sen suunnitellusti. Kerro heti, jos jokin muuttuu.",
		},
	},
	youthFeedback: map[string][]string{
		"reflection": {"Kiitos, %[1]s! Kirjoitit tosi selkeästi. Siitä on meille paljon apua.", "Hienoa työtä, %[1]s. Huomaa, että olet miettinyt tätä."},
		"log":        {"Kiitos, %[1]s. Merkinnöistäsi näkyy, mitä kehossasi ja ajatuksissasi tapahtuu. Jatka huomaamista tällä viikolla."},
		"thought":    {"Hyvää salapoliisityötä, %[1]s! Toinen tapasi nähdä tilanne kuulostaa realistiselta ja ystävälliseltä."},
		"plan":       {"Hyvä suunnitelma, %[1]s. Siinä on pieniä askelia, jotka pystyt tekemään. Kerro, miten ensimmäinen askel menee."},
		"exposure": {
			"Hienosti tehty, %[1]s! Kokeilit jotain vaikeaa ja näit, mitä oikeasti tapahtui. Siihen tarvitaan rohkeutta.",
			"Kiitos, %[1]s. Tämä tuntui vaikeammalta kuin odotit, ja pysyit tilanteessa silti. Sekin on hyvä tietää: kokeile samaa askelta uudestaan tai ensin vähän pienempää.",
		},
		"screening": {"Kiitos vastauksistasi, %[1]s. Olen lukenut ne, ja voit alkaa rakentaa portaitasi. Jos joku joskus kohtelee sinua huonosti, kerro minulle tai jollekin toiselle aikuiselle."},
	},
	notes: map[string][]string{
		"insomnia": {
			"Puhelu: käytiin läpi uni-ikkuna; sovittiin, että se pidetään ennallaan vielä viikon.",
			"Terveyskysely luettu: ei vasta-aiheita; uni-ikkuna vahvistettu.",
			"Potilas toivoo viestejä puheluiden sijaan.",
		},
		"gad": {
			"Puhelu: potilas motivoitunut, keskusteltiin kahden viikon osioiden tahdista.",
			"Käytiin läpi huoliaika; potilas jatkaa lääkärin neuvomia verenpainemittauksia.",
			"Konsultoitu työnohjaajaa hitaasta edistymisestä; jatketaan ja arvioidaan uudelleen viikolla 6.",
		},
		"depression": {
			"Puhelu: käytiin läpi toimintasuunnitelma ja turvasuunnitelma.",
			"Keskusteltiin PHQ-9-pisteiden kehityksestä; jatketaan pienemmillä viikkosuunnitelmilla.",
			"Potilas toivoo viestejä puheluiden sijaan.",
		},
		"social-anxiety-youth": {
			"Puhelu nuoren ja huoltajan kanssa: sovittiin, miten huoltaja tukee harjoittelua.",
			"Turvallisuuskysely luettu: ei kiusaamista; portaiden rakentamisen voi aloittaa.",
			"Sovittu nuoren kanssa, mitä huoltajalle kerrotaan.",
		},
	},
	synthetic: " (synteettinen)",
	riskAck:   "Soitettu potilaalle (synteettinen): ei akuuttia riskiä; turvasuunnitelma ja 112 käyty läpi.",
	pause: []string{"leikkaus, jatkaa sairausloman jälkeen (synteettinen)", "muutto tässä kuussa (synteettinen)",
		"läheinen sairaalassa (synteettinen)", "koeviikko, pyysi taukoa (synteettinen)"},
	discontinue: map[string]string{
		store.EndPatientChoice: "vointi parani ja halusi lopettaa (synteettinen)",
		store.EndDidNotStart:   "ei kirjautunut palveluun kolmesta muistutuksesta huolimatta (synteettinen)",
		store.EndOtherCare:     "siirtyi psykiatrian poliklinikalle (synteettinen)",
		store.EndNotSuitable:   "tarvitsee hoitoa kasvokkain vastaanotolla (synteettinen)",
		store.EndNoContact:     "ei vastaa viesteihin eikä puheluihin (synteettinen)",
	},
	transfer:       "terapeutti jäi vapaalle (synteettinen)",
	summaryComment: "\n## Terapeutin kommentti\n\nTeki ohjelman tehtäviä tasaisesti koko hoidon ajan; taitojen ylläpidon suunnitelmasta on sovittu. (synteettinen)\n",
	units: []string{
		"Kallion terveysasema, Helsinki", "Leppävaaran terveysasema, Espoo", "Tikkurilan terveysasema, Vantaa",
		"Tampereen työterveys", "YTHS, Oulu", "Runosmäen terveysasema, Turku",
		"Jyväskylän psykiatrian poliklinikka", "Kuopion terveysasema", "Porvoon terveysasema",
		"Lahden työterveys", "Rovaniemen terveysasema", "Vaasan psykiatrian poliklinikka",
	},
	reasons: map[string][]string{
		"gad":                  {"Jatkuvaa huolta työstä ja terveydestä yli vuoden ajan; jännittynyt, nukkuu huonosti.", "Vaikeasti hallittavaa huolta perheestä ja raha-asioista; levoton, väsynyt."},
		"depression":           {"Mieliala matala ja kiinnostus vähentynyt kolmen kuukauden ajan; vetäytynyt ystävistä.", "Masentunut mieliala eron jälkeen; vähän voimia, pysyttelee kotona."},
		"insomnia":             {"Nukahtamisvaikeuksia ja katkonaista unta vuoden ajan; väsynyt töissä.", "Herää joka yö neljältä; unilääkkeestä ei ollut pitkään apua."},
		"social-anxiety-youth": {"Välttää puhumista tunnilla ja syömistä koulun ruokalassa.", "Pelkää ikätovereiden arvostelua; lopettanut harrastuksensa."},
	},
	doctorAssessment: "Arvioitu vastaanotolla: soveltuu ohjattuun internetterapiaan, huoltaja on tietoinen.",
	cohort:           "Kevätryhmä",
	peerGroup:        "Kevätryhmän vertaiset",
	groupMessage:     "Tervetuloa kolmannelle viikolle. Tämän viikon osiossa harjoitellaan ajatusten huomaamista: tee tehtävää rauhassa ja omaan tahtiin.",
	aliases:          []string{"Auringonkukka", "Pohjatuuli", "Käpy", "Satama", "Hiljainen kettu"},
	posts: []string{
		"Moi kaikki. Toimintapäiväkirja tuntui aluksi hölmöltä, mut kävin tällä viikolla kuitenkin kaks kertaa kävelyllä.",
		"Onko muillakin aamut kaikkein vaikeimpia? Mä mietin illalla valmiiks pari pientä tavoitetta ja se auttaa vähän.",
		"Jäi tehtävä tältä viikolta väliin, töissä oli liikaa. Yritän nyt uudestaan.",
		"Kiitos univinkeistä, kokeilin sitä rauhoittumistuntia ennen nukkumaanmenoa.",
	},
}

// answerBankFI has the Finnish answers, key for key and entry for entry
// with answerBank.
var answerBankFI = map[string][]map[string]string{
	// Parempaa unta (CBT-I)
	"insomnia/sleep-goals": {
		{"text": "Tämä alkoi kaksi vuotta sitten, kun äitini sairasti. Nykyään menen sänkyyn jo klo 21.30 lepäämään, valvon tunnin ja herään klo 3. Otan joinain iltoina melatoniinia. Kahdeksan viikon päästä haluaisin nukahtaa puolessa tunnissa enkä enää pelkäisi iltoja."},
		{"text": "Olen nukkunut huonosti siitä asti, kun aloitin vuorotyön, eikä uni parantunut, vaikka lopetin sen. Viikonloppuisin makaan sängyssä pitkään ja yritän nukkua univelkoja pois. Olen ärtyisä perheelleni ja teen pieniä virheitä. Tavoitteeni on nukkua useimmat yöt läpi ja jaksaa taas harrastaa."},
		{"text": "Herään joka aamu neljältä, ja ajatukset lähtevät laukalle. Olen kokeillut lasillista viiniä illalla, mutta yö menee siitä vain huonommaksi. Haluaisin herätä edes muutamana päivänä viikossa levänneenä."},
	},
	"insomnia/health-check": {
		{"snoring": "Ei, puolisoni mukaan en kuorsaa juurikaan.", "dozing": "Ei", "driving": "Ei", "legs": "Ei", "night-behaviour": "Ei", "epilepsy": "Ei", "bipolar": "Ei", "pregnancy": "Ei", "work": "Ei, teen toimistotyötä, vain päivisin.", "medication": "Melatoniini 1 mg noin kahtena iltana viikossa.", "other": "Ei muuta."},
		{"snoring": "En tiedä, asun yksin.", "dozing": "Joskus illalla television ääressä.", "driving": "Ei, kuljen bussilla.", "legs": "Ei", "night-behaviour": "Ei", "epilepsy": "Ei", "bipolar": "Ei", "pregnancy": "Ei", "work": "Ei", "medication": "Ei mitään.", "other": "Minulla on korkea verenpaine, se on hoidossa."},
		{"snoring": "Ei", "dozing": "Ei", "driving": "Ei", "legs": "Joskus levoton tunne, mutta se menee ohi, kun nousen ylös.", "night-behaviour": "Ei", "epilepsy": "Ei", "bipolar": "Ei", "pregnancy": "Ei", "work": "Ajan autolla töihin, 20 minuuttia.", "medication": "Lääkärin määräämä tsopikloni, noin kerran viikossa.", "other": "Ei"},
	},
	"insomnia/wind-down-plan": {
		{"wind-down": "Suihku, kofeiiniton tee, paperinen kirja, valot himmeälle.", "get-up-place": "Keittiön pöytä, pieni lamppu ja ristikko.", "changes": "Viimeinen kahvi klo 13, puhelin latautumaan eteiseen."},
		{"wind-down": "Läppäri pois klo 21.30, kymmenen minuuttia venyttelyä, rauhallista musiikkia.", "get-up-place": "Olohuoneen sohva ja aikakauslehti.", "changes": "Ei viiniä arki-iltoina, makuuhuoneeseen pimeämpi verho."},
	},
	"insomnia/stimulus-control-review": {
		{"text": "Samaan aikaan nouseminen oli arkena helppoa ja lauantaina vaikeaa. Nousin yöllä kahdesti ylös ja luin keittiössä; toisella kerralla nukahdin sen jälkeen nopeasti. Minusta tuntuu, että nukahdan vähän aiempaa nopeammin."},
		{"text": "Vaikeinta oli olla käyttämättä puhelinta sängyssä. Nousin ylös kolmena yönä, kun en saanut unta. Aluksi se tuntui turhalta, mutta sunnuntaina minua jo nukutti, kun menin takaisin sänkyyn."},
	},
	"insomnia/my-sleep-window": {
		{"evening-plan": "Silitystä, puhelu siskolle, podcast siivotessa; ei sohvalle klo 22 jälkeen."},
		{"evening-plan": "Kävely klo 21, sitten palapeliä keittiön pöydän ääressä. Pysyn poissa sohvalta."},
	},
	"insomnia/window-week-review": {
		{"text": "Pysyin ikkunassa kuutena yönä. Illat olivat pitkiä ja keskiviikkona olin tosi väsynyt, mutta viikonloppuna nukahdin jo nopeammin. Olin vähällä torkahtaa television ääreen, joten nousin seisomaan ja tiskasin."},
		{"text": "Menin kahtena iltana liian aikaisin sänkyyn, koska olin niin väsynyt. Muina öinä pysyin ikkunassa ja nukuin yhtenäisemmin. Päivät olivat raskaita, mutta en nukahtanut kesken tekemisen."},
	},
	"insomnia/day-to-bed": {
		{"on-my-mind": "Myöhässä oleva raportti; äidin lääkärikäynti.", "next-steps": "Pyydän tiistaina klo 9 kaksi päivää lisäaikaa; soitan terveysasemalle keskiviikkona lounastauolla."},
		{"on-my-mind": "Autoon pitää vaihtaa renkaat, ja hankala keskustelu naapurin kanssa.", "next-steps": "Varaan rengasvaihdon netistä huomenna; puhun naapurille lauantaiaamuna."},
	},
	"insomnia/sleep-thoughts": {
		{"thought": "Jos nukun alle kuusi tuntia, teen töissä virheitä.", "evidence": "Kolmessa viikossa minulla oli kahdeksan lyhyttä yötä, ja tein yhden pienen virheen, ja sekin hyvin nukutun yön jälkeen.", "balanced": "Selviän tavallisesta päivästä lyhyenkin yön jälkeen, vaikka olen väsynyt."},
		{"thought": "Minun täytyy pysyä sängyssä pidempään, jotta huono yö korvautuu.", "evidence": "Kun makasin sunnuntaina sängyssä klo 9 asti, seuraava yö oli viikon huonoin.", "balanced": "Tavalliseen aikaan nouseminen auttaa seuraavaa yötä enemmän kuin ylimääräinen aika sängyssä."},
	},
	"insomnia/day-plan": {
		{"light": "20 minuutin kävely klo 7.30.", "movement": "Pyöräilin töihin.", "kept-plans": "Menin kuoroon huonon yön jälkeenkin.", "enjoyed": "Kahvi ystävän kanssa lounasaikaan."},
		{"light": "Aamupala ikkunan ääressä, sitten kävely bussipysäkille.", "movement": "Venyttelyä ja lyhyt kävely päivällisen jälkeen.", "kept-plans": "Kävin kaupassa niin kuin olin suunnitellut.", "enjoyed": "Puhelu tyttäreni kanssa."},
	},
	"insomnia/progress-check": {
		{"text": "Ensimmäisellä viikolla nukahdin noin tunnissa; nyt yleensä 15–20 minuutissa. Herään kerran, en kolmea kertaa. Viikonloppuisin ylös nouseminen on yhä vaikeinta. Lauantaiaamuille auttaisi oma suunnitelma."},
		{"text": "Terapeuttini mukaan unen tehokkuus nousi noin 65 prosentista 88 prosenttiin. Iltapäivisin väsyttää yhä, mutta en enää pelkää nukkumaanmenoa."},
	},
	"insomnia/sleep-plan": {
		{"what-helped": "Kiinteä heräämisaika ja se, että nousen sängystä, kun en saa unta.", "routine": "Ylös klo 6.30 joka päivä, rauhoittuminen klo 22 alkaen, aamukävely.", "after-bad-night": "Nousen tavalliseen aikaan, en ota päiväunia ja jatkan päivää normaalisti.", "if-returns": "Aloitan unipäiväkirjan uudelleen ja noudatan ohjeita tarkasti kaksi viikkoa; kysyn lääkäriltä ennen kuin lyhennän aikaa sängyssä."},
	},
	// Unettomuus, 16-17-vuotiaat
	"insomnia/sleep-goals/youth": {
		{"text": "Tää alkoi keväällä ennen kokeita. Meen sänkyyn kymmeneltä, mut makaan puhelimen kanssa hereillä yli puolenyön, ja koulupäivinä en meinaa päästä ylös seitsemältä. Viikonloppuna nukun puoleenpäivään. Haluaisin nukahtaa nopeammin ja olla vähemmän väsynyt koulussa."},
	},
	"insomnia/health-check/youth": {
		{"snoring": "Ei, äidin mukaan en kuorsaa.", "dozing": "Joskus ekalla tunnilla.", "driving": "Ajan mopolla kouluun; en ole ollut sillä unelias.", "legs": "Ei", "night-behaviour": "Puhuin lapsena unissani.", "epilepsy": "Ei", "bipolar": "Ei", "pregnancy": "Ei", "work": "Kesätyö kaupassa, päivävuoroja.", "medication": "Ei mitään.", "other": "Ei"},
	},
	"insomnia/day-to-bed/youth": {
		{"on-my-mind": "Kemian koe; riita kaverin kanssa.", "next-steps": "Luen luvun 4 keskiviikkona koulun jälkeen; puhun kaverin kanssa torstaina välitunnilla."},
	},
	"insomnia/sleep-thoughts/youth": {
		{"thought": "Jos nukun huonosti, mä reputan kokeen.", "evidence": "Nukuin huonosti edellisen matikan kokeen alla ja sain silti kasin.", "balanced": "Huono yö väsyttää, mutta pystyn silti tekemään kokeen."},
	},
	"insomnia/day-plan/youth": {
		{"light": "Kävelin bussipysäkille klo 7.30.", "movement": "Liikuntatunti koulussa, sen jälkeen pyöräilin.", "kept-plans": "Menin bänditreeneihin, vaikka väsytti.", "enjoyed": "Pelasin veljen kanssa."},
	},
	// Vähemmän huolta (GAD)
	"gad/my-goals": {
		{"text": "Haluan mennä nukkumaan käymättä läpi huomisen riskejä. Haluan antaa poikani mennä junalla kaupunkiin ilman, että laitan hänelle viestiä joka tunti. Ja haluan nauttia viikonlopusta sen sijaan, että varaudun jokaiseen mahdolliseen ongelmaan."},
		{"text": "Haluaisin käyttää vähemmän aikaa oireiden googlailuun ja suostua menoihin miettimättä niitä kymmentä kertaa läpi."},
	},
	"gad/worry-pattern": {
		{"text": "Poikani yski päivällisellä. Sitten alkoi: entä jos se on keuhkokuume, entä jos en huomaa jotain vakavaa? Rintaa puristi. Etsin tietoa netistä tunnin ja kysyin vaimoltani kahdesti, näyttääkö poika sairaalta. Rauhoituin hetkeksi, ja sitten aloin huolehtia töistä."},
		{"text": "Esimieheltä tuli sähköposti: ”voidaanko jutella huomenna”. Entä jos olen tehnyt jotain väärin, entä jos menetän työni? En pystynyt istumaan paikallani. Kävin kaikki viimeaikaiset työni läpi puoleenyöhön asti. Keskustelu koski lomapäiviä."},
	},
	"gad/worry-log": {
		{"situation": "Työpöydän ääressä lounaan jälkeen.", "worry": "Entä jos laskin luvut väärin ja menetän työni?", "kind": "Jotain, mitä voisi tapahtua.", "body": "Hartiat jumissa, vatsassa solmu.", "action": "Tarkistin taulukon vielä kolme kertaa."},
		{"situation": "Odotin tytärtäni kotiin.", "worry": "Entä jos matkalla on sattunut jotain?", "kind": "Jotain, mitä voisi tapahtua.", "body": "Levoton olo, en pystynyt istumaan.", "action": "Laitoin hänelle kaksi viestiä."},
		{"situation": "Maksoin laskuja illalla.", "worry": "Sähkölasku on isompi kuin odotin.", "kind": "Ongelma nyt.", "body": "Leuat kireällä.", "action": "Tein listan ja menin myöhään nukkumaan."},
	},
	"gad/worry-log-review": {
		{"text": "Useimmat huolet tulivat illalla, ja useimmat koskivat lapsia tai rahaa. Moni asia, josta huolehdin maanantaina, ei koskaan tapahtunut. Kun kirjoitin ne ylös, ne näyttivät pienemmiltä."},
		{"text": "Huomasin, että huolehdin eniten silloin, kun olen väsynyt ja yksin. Työhuolet palaavat joka päivä samassa muodossa."},
	},
	"gad/worry-time-log": {
		{"used": "Kyllä, 15 minuuttia klo 18 keittiön pöydän ääressä.", "still-important": "Vain kaksi viidestä huolesta tuntui enää tärkeältä."},
		{"used": "Tiistaina unohdin, muina päivinä tein.", "still-important": "Rahahuoli kyllä. Muut olivat haalistuneet."},
	},
	"gad/postponement-learning": {
		{"text": "En uskonut, että voisin siirtää huolta myöhemmäksi, mutta useimmiten pystyin. Usein huoli oli menettänyt voimansa, kun huoliaika tuli. Se kertoo, ettei huolehtiminen ole niin hallitsematonta kuin luulin."},
		{"text": "Siirtäminen onnistui töissä paremmin kuin kotona. Kotona illalla huolet palaavat nopeammin, joten kokeilen huoliaikaa vähän aikaisemmin."},
	},
	"gad/worry-beliefs": {
		{"belief": "Huolehtiminen pitää minut valmiina.", "for": "Joskus muistan asioita, koska olen huolehtinut niistä.", "against": "Olen selvinnyt yllätyksistä hyvin, vaikka en ole huolehtinut niistä etukäteen. Huolehtiminen lähinnä väsyttää.", "alternative": "Kerran suunnitteleminen on hyödyllistä; saman asian vatvominen yhä uudelleen ei ole."},
		{"belief": "Huolehtimiseni on hallitsematonta ja tekee minut sairaaksi.", "for": "Tuntuu, ettei se lopu koskaan.", "against": "Pystyin siirtämään huolia huoliaikaan. Huoli on epämiellyttävää, mutta se ei ole vaarallista.", "alternative": "Huolehtiminen on tapa, jota voin muuttaa, ei vaara."},
	},
	"gad/sort-worries": {
		{"text": "Sähkölasku on ongelma nyt: voin soittaa yhtiöön. ”Entä jos sairastun” on kuviteltu tilanne. Tyttären myöhään kotiin tuleminen on vähän molempia: voin sopia hänen kanssaan kellonajan, ja loput on entä jos -ajatuksia."},
	},
	"gad/problem-solving": {
		{"problem": "Sähkölasku on 180 euroa tavallista isompi.", "options": "Maksan sen heti; pyydän maksusuunnitelmaa; tarkistan mittarilukeman; pyydän veljeltä lainaa.", "chosen": "Soitan yhtiöön ja pyydän maksusuunnitelmaa: se on realistista ja voin tehdä sen huomenna.", "first-step": "Soitan tiistaina klo 9.", "outcome": "Lasku jaettiin kolmeen erään. Siihen meni kymmenen minuuttia."},
		{"problem": "Työkaveri jättää usein oman osuutensa yhteisistä töistä minulle.", "options": "En sano mitään; puhun hänen kanssaan; puhun esihenkilölle; kirjaan ylös, mitä kukin tekee.", "chosen": "Puhun ensin rauhallisesti hänen kanssaan; se on kokeilemisen arvoinen.", "first-step": "Pyydän kymmenen minuuttia maanantain palaverin jälkeen.", "outcome": "Hän ei tiennyt, että asia vaivasi minua. Teimme yhdessä listan."},
	},
	"gad/certainty-habits": {
		{"text": "Kysyn vaimolta, onko hän varma, että ovi on lukossa; googlaan oireita; luen sähköpostit neljä tai viisi kertaa ennen lähettämistä; suunnittelen matkojen jokaisen yksityiskohdan. Googlailuun menee eniten aikaa."},
	},
	"gad/uncertainty-experiment": {
		{"plan": "Lähetän asiakkaalle sähköpostin luettuani sen vain kerran.", "usual": "Luen sen viisi kertaa ja pyydän työkaveria tarkistamaan.", "prediction": "Siinä on virhe, ja asiakas valittaa.", "what-happened": "Asiakas vastasi: ”kiitos, selvä”.", "learned": "Pärjäsin hyvin ilman tarkistamista. Ahdistus laski tunnissa."},
		{"plan": "Annan vaimoni suunnitella lauantaimme kyselemättä yksityiskohtia.", "usual": "Kysyn mitä, missä ja milloin ja tarkistan kaiken netistä.", "prediction": "Olen jännittynyt koko päivän.", "what-happened": "Aamulla jännitti, sitten nautin lounaasta, jonka hän oli valinnut.", "learned": "Se, etten tiennyt etukäteen, tuntui epämukavalta mutta ei ollut ongelma."},
	},
	"gad/worry-script": {
		{"worry": "Entä jos poikani joutuu onnettomuuteen kotimatkalla?", "script": "Kello on 22, eikä hän ole kotona. Puhelin soi. Soittaja on sairaalasta. Ajan sinne kädet täristen... (tarina jatkuu siihen, mitä sen jälkeen tapahtuu)", "noticed": "Ensimmäisenä päivänä itkin. Viidentenä päivänä tarina tuntui enemmän tarinalta, ja lopussa minua jo tylsistytti."},
	},
	"gad/relaxation-practice": {
		{"exercise": "Lihasrentoutus, koko keho.", "notes": "Hartiat oli vaikeinta saada rentoutumaan. Melkein nukahdin."},
		{"exercise": "Rauhallinen hengitys bussissa.", "notes": "Ajatukset karkasivat monta kertaa töihin; toin ne joka kerta takaisin."},
	},
	"gad/my-progress": {
		{"text": "Huolehdin iltaisin vähemmän, enkä enää laita pojalleni viestiä joka tunti. Eniten auttoivat huoliaika ja epävarmuuskokeet. Töissä tarkistelu on vielä asia, jonka kanssa haluan tehdä töitä."},
	},
	"gad/relapse-plan": {
		{"what-helped": "Huoliaika ja epävarmuuskokeet.", "warning-signs": "Enemmän entä jos -ajatuksia öisin, googlailua, vakuuttelun hakemista.", "first-steps": "Aloitan huoliajan uudelleen ja kirjoitan huoleni ylös.", "keep-practising": "Yksi pieni epävarmuuskoe viikossa.", "support": "Vaimoni; terveysasema, jos tilanne jatkuu pidempään kuin muutaman viikon."},
	},
	// Askel kerrallaan (masennus)
	"depression/my-circle": {
		{"text": "Lopetin uimaryhmässä käymisen ja vastaan ystävilleni harvoin. Vietän illat sohvalla telkkari päällä. Mitä vähemmän teen, sitä raskaammalta kaikki tuntuu ja sitä yksinäisempi olen."},
		{"text": "Olen lopettanut ruoanlaiton ja syön mitä tahansa, mikä on nopeaa. Peruin viikoittaisen kävelyn naapurin kanssa. Viikonloppuisin pysyn pidempään sängyssä. Mieliala on matalimmillaan sunnuntai-iltapäivisin."},
	},
	"depression/goals": {
		{"text": "Tapaan ystävää kerran viikossa. Alan taas käydä uimassa, vaikka vain kerran viikossa. Teen kunnon päivällisen kolme kertaa viikossa."},
		{"text": "Käyn useimpina aamuina kävelyllä ja vastaan viesteihin vuorokauden sisällä."},
	},
	"depression/safety-plan": {
		{"warning-signs": "Makaan sängyssä koko viikonlopun, en vastaa kenellekään, ajattelen ettei mikään muutu.", "own-coping": "Suihku, kävely korttelin ympäri, musiikkia ajalta, kun olin parikymppinen.", "people-places": "Kirjaston kahvila; naapurin koira.", "ask-for-help": "Siskoni (numero puhelimessa), ystäväni Sari.", "professionals": "Terapeuttini arkipäivisin; 116 117; MIELI ry:n Kriisipuhelin 09 2525 0111; hätätilanteessa 112.", "safer-home": "Siskoni säilyttää ylimääräiset lääkkeeni.", "reason-to-live": "Siskonpoikani, siskoni, kesämökki."},
	},
	"depression/activity-record": {
		{"activity": "Makasin sohvalla ja katsoin telkkaria.", "who": "Yksin"},
		{"activity": "Kävin kaupassa ja keitin keittoa.", "who": "Yksin"},
		{"activity": "Kahvit naapurin kanssa.", "who": "Naapuri"},
		{"activity": "Olin töissä, sitten istuin autossa hetken ennen kuin menin sisälle.", "who": "Työkaverit töissä, sitten yksin"},
	},
	"depression/activity-patterns": {
		{"text": "Mieliala oli matalimmillaan iltaisin sohvalla ja parhaimmillaan silloin, kun olin jonkun kanssa. Ruoanlaitosta tuli pieni aikaansaamisen tunne. Haluaisin tehdä enemmän asioita ihmisten kanssa ja katsoa vähemmän telkkaria."},
	},
	"depression/values-map": {
		{"area": "Ihmissuhteet", "what-matters": "Olla hyvä sisko ja ystävä.", "small-actions": "Soitan siskolle sunnuntaina; vastaan Sarin viestiin."},
		{"area": "Terveys ja keho", "what-matters": "Tuntea itseni vahvaksi ja liikkua.", "small-actions": "Uin kerran viikossa; kävelen tiistaisin töihin."},
	},
	"depression/weekly-plan": {
		{"activity": "Kävelen uimahallille ja katson aukioloajat.", "done": "Kyllä, ja uin 15 minuuttia."},
		{"activity": "Soitan ystävälleni.", "done": "Torstaina en, liian väsynyt. Soitin lauantaiaamuna."},
		{"activity": "Teen oikean päivällisen.", "done": "Kyllä, yksinkertaista pastaa."},
	},
	"depression/task-steps": {
		{"task": "Postikasan läpikäynti.", "steps": "Kaikki kirjeet yhteen laatikkoon; avaan ne; laskut yhteen pinoon; maksan yhden laskun; loput kierrätykseen.", "first-step": "Kirjeet laatikkoon tiistaina klo 18, 5 minuuttia.", "how-it-went": "Tein kaksi ensimmäistä vaihetta. Ei niin pelottavaa kuin luulin."},
		{"task": "Vastaan vanhan ystäväni viestiin.", "steps": "Luen sen uudestaan; kirjoitan kolme riviä; lähetän.", "first-step": "Luen sen keskiviikkona lounaan jälkeen.", "how-it-went": "Lähetin lyhyen vastauksen. Hän vastasi samana päivänä."},
	},
	"depression/trap-trac": {
		{"trigger": "Viesti entiseltä mieheltäni.", "response": "Ahdistava olo, väsymys.", "avoidance": "En avannut sitä, makasin sohvalla koko illan.", "cost": "Kysymys oli edelleen auki seuraavana päivänä, ja menetin illan.", "alternative": "Luen sen heti, vastaan käytännön kysymykseen kahdella rivillä ja käyn lyhyellä kävelyllä."},
		{"trigger": "Esihenkilö pyysi palaveria.", "response": "Solmu vatsassa.", "avoidance": "Ilmoittauduin sairaaksi.", "cost": "Syyllinen olo koko päivän; palaveri siirtyi huonompaan päivään.", "alternative": "Menen ja kysyn heti alussa, mitä palaveri koskee."},
	},
	"depression/solve-a-problem": {
		{"problem": "Minulla on 400 euroa maksamatta puhelinlaskuista.", "options": "Maksan kaiken nyt; pyydän maksusuunnitelmaa; otan yhteyttä talous- ja velkaneuvontaan; myyn jotain.", "chosen": "Maksusuunnitelma: realistinen, ja voin hoitaa sen tällä viikolla.", "steps": "Soitan operaattorille maanantaina klo 10 ja kirjoitan ylös, mitä he tarjoavat.", "review": "Sovittiin kolmesta erästä. Olo on kevyempi."},
	},
	"depression/looking-back": {
		{"text": "Käyn taas uimassa kerran viikossa ja tapaan ystävää useimmilla viikoilla. Eniten auttoi tekemisen suunnittelu ja tehtävien pilkkominen pienempiin osiin. Sunnuntai-iltapäivien kanssa haluan vielä tehdä töitä."},
	},
	"depression/staying-well-plan": {
		{"warning-signs": "Perun menoja, jään viikonloppuisin sänkyyn, en vastaa viesteihin.", "what-helps": "Uinti, ruoanlaitto, kahvit naapurin kanssa.", "first-steps": "Teen taas viikkosuunnitelman ja kerron siskolleni.", "people": "Siskoni, Sari, naapuri.", "professional-help": "Terveysasema, jos mieliala on matala yli kaksi viikkoa."},
	},
	// Rohkeammin yhdessä (nuoret, 13-17)
	"social-anxiety-youth/if-i-were-braver": {
		{"text": "Vastaisin tunnilla, kun tiedän vastauksen. Istuisin ruokalassa muiden kanssa enkä menisi kirjastoon. Menisin piirustuskerhoon."},
		{"text": "Menisin taas salibandytreeneihin. Juttelisin oman ryhmäni tyyppien kanssa liikkatunnilla. Ehkä menisin bileisiin."},
	},
	"social-anxiety-youth/who-knows": {
		{"text": "Äiti ja ehkä mun vanhempi serkku. Haluaisin, että ne tietää, että mä yritän, eikä kysyis joka päivä, miten meni."},
		{"text": "Isä ja mun kaveri Eeli. Auttais, jos isä ei soittais kouluun mun puolesta joka kerta."},
	},
	"social-anxiety-youth/my-circle": {
		{"situation": "Piti kysyä opettajalta läksyistä.", "thoughts": "Kaikki tuijottaa. Sanon jotain tyhmää.", "body": "Naama kuumeni ja sydän hakkasi.", "actions": "En kysynyt. Katsoin puhelinta.", "afterwards": "Ensin helpotti, sitten ärsytti itseä. Tein väärät läksyt."},
		{"situation": "Menin yksin ruokalaan.", "thoughts": "Kaikki näkee, ettei mulla oo ketään, jonka viereen istua.", "body": "Jalat tärisi.", "actions": "Otin ruoan ja söin nopeasti nurkassa.", "afterwards": "Mietin sitä vielä seuraavalla tunnilla."},
	},
	"social-anxiety-youth/safety-check": {
		{"bullied": "Ei.", "online": "Ei.", "scared": "Ei.", "adult-knows": "Kyllä, äiti tietäis."},
		{"bullied": "Ei oikeastaan. Jotkut nauraa joskus, mut ei tahallaan mulle, luulisin.", "online": "Ei.", "scared": "Ei.", "adult-knows": "Kertoisin isälle."},
	},
	"social-anxiety-youth/my-tricks": {
		{"text": "Katson puhelinta, piiloudun hiusten taakse, suunnittelen tarkkaan mitä sanon, pysyn kaverin vieressä että se puhuu. Voisin kokeilla ensin luopua puhelimesta."},
		{"text": "Huppu päässä, lyhyet vastaukset, lähden aikaisin. Hupusta olis helpoin luopua."},
	},
	"social-anxiety-youth/drop-a-trick": {
		{"_outcome": "easier", "situation": "Odotin bussia luokkakavereiden kanssa.", "trick": "Puhelimen katsominen.", "prediction": "Kukaan ei puhu mulle ja tulee kiusallinen olo.", "what-happened": "Yks kysyi matikan kokeesta. Juteltiin hetki.", "learned": "Mulle puhutaan, kun nostan katseen."},
		{"_outcome": "easier", "situation": "Ostin välipalaa kioskilta.", "trick": "Mumiseminen ja alas katsominen.", "prediction": "Myyjä ei kuule ja joudun toistamaan.", "what-happened": "Se kuuli hyvin ja hymyili.", "learned": "Selkeästi puhuminen oli helpompaa kuin luulin."},
	},
	"social-anxiety-youth/thought-check": {
		{"situation": "Punastuin historian tunnilla.", "thought": "Kaikki huomasi ja pitää mua outona.", "trap": "Ajatustenluku ja valokeila.", "other-view": "Ehkä joku huomasi. Ihmiset punastuu. Useimmat ei ajatellut sitä sen enempää."},
		{"situation": "Kaveri ei vastannut mun viestiin.", "thought": "Se on mulle vihainen.", "trap": "Ajatustenluku.", "other-view": "Sillä voi olla kiire. Se vastasi myöhemmin ja sanoi, että puhelimesta loppui akku."},
	},
	"social-anxiety-youth/build-ladder": {
		{"text": "Kysyn luokkakaverilta läksyistä (3). Kysyn kaupan myyjältä, missä joku tavara on (4). Istun ruokalassa kahden luokkakaverin kanssa (6). Vastaan kysymykseen tunnilla (7). Soitan ja varaan hammaslääkäriajan (7). Pidän lyhyen esitelmän omalle ryhmälle (8). Esitelmä koko luokalle (10). Aloitan ensimmäisestä."},
	},
	"social-anxiety-youth/ladder-step": {
		{"_outcome": "easier", "step": "Kysyn myyjältä, missä tussit on.", "fear": "Punastun ja änkytän, ja ne pitää mua tyhmänä.", "what-happened": "Vähän punastutti. Myyjä näytti hyllyn ja oli ystävällinen.", "learned": "Ei haitannut, että punastuin vähän. Seuraavaksi: kysymys tunnilla."},
		{"_outcome": "harder", "step": "Istun ruokalassa kahden luokkakaverin kanssa.", "fear": "Mulla ei oo mitään sanottavaa.", "what-happened": "Aluksi sanoin vähän, sitten puhuttiin sarjasta, jota kaikki katsoo.", "learned": "Se oli vaikeampaa kuin odotin, mutta jäin paikalle. Teen sen uudestaan torstaina."},
	},
	"social-anxiety-youth/school-plan": {
		{"situation": "Esitelmät.", "steps": "Pidän esitelmän äidille; nauhoitan itseni; pidän sen opettajalle; omalle ryhmälle; koko luokalle.", "first-step": "Esitelmä äidille sunnuntai-iltana.", "support": "Äiti; opettaja, jos äiti ja mä puhutaan sille askel kerrallaan -suunnitelmasta."},
	},
	"social-anxiety-youth/replay-check": {
		{"situation": "Sanoin ryhmätyössä jotain outoa.", "replay": "Ne pitää mua varmaan tosi outona.", "facts": "Yks nauroi, sitten jatkettiin tehtävää. Kukaan ei puhunut siitä myöhemmin.", "friend": "Kaikki sanoo joskus outoja juttuja. Kukaan ei muista sitä."},
	},
	"social-anxiety-youth/ladder-progress": {
		{"text": "Oon tehnyt neljä ekaa askelta. Kaupassa kysyminen on nyt helppoa. Ruokalassa luokkakavereiden kanssa syöminen on vielä vaikeaa mutta parempaa. Seuraavaksi vastaan tiistaina kysymykseen tunnilla."},
	},
	"social-anxiety-youth/look-back": {
		{"text": "Vastaan nykyään joskus tunnilla, ja istun useimpina päivinä ruokalassa muiden kanssa. Oon ylpeä, että menin piirustuskerhoon. Esitelmien kanssa haluan vielä harjoitella."},
	},
	"social-anxiety-youth/my-plan": {
		{"what-helped": "Portaat ja se, että luovuin puhelintempusta.", "warning-signs": "Alan taas mennä välkällä kirjastoon, en vastaa tunnilla.", "what-i-do": "Teen uudet pienet portaat ja kerron äidille.", "next-challenges": "Kesätyöhaastattelu, uusi harrastusryhmä.", "support": "Äiti, mun kaveri, kouluterveydenhoitaja."},
	},
}
