package riskphrase

// Defaults are the phrase lists of a new store, by language (local policy,
// see docs/clinical.md). A '*' covers inflected forms; where a stem would
// also match harmless words ("tapa*" is also "tapahtui"), the forms are
// listed instead. "(a|b)" is one of the alternatives, "(a|b)?" also none:
// spoken forms ("haluun", "haluu") and filler words ("vaan", "vain").
func Defaults() map[string][]string {
	return map[string][]string{
		"fi": {
			"itsemurh*", "itsetuho*",
			"tapan itseni", "tappaa itseni", "tappaisin itseni", "tapan itteni", "tappaa itteni", "tappaa itsensä",
			"(haluan|haluaisin|haluisin|haluun|tahdon|tahtoisin) (vain|vaan|vaa|jo|nyt|oikeasti|oikeesti)? kuolla",
			"kunpa kuolisin", "toivon että kuolisin",
			"olisin parempi kuollut", "parempi olisi kuolla", "olisi parempi kuolla", "parempi ilman minua",
			"en (halua|haluu|tahdo) (enää|enään|enä)? elää", "en jaksa elää", "en jaksa enää",
			"vahingoittaa itseäni", "vahingoitan itseäni", "satuttaa itseäni", "satutan itseäni",
			"viillän", "viilsin", "viiltel*", "lopettaa kaiken", "lopetan kaiken", "päättää elämäni", "päätän elämäni",
			"yliannostu*", "hirttä*",
		},
		"sv": {
			"självmord*", "ta livet av mig", "tar livet av mig", "ta mitt liv",
			"jag vill inte leva", "vill inte leva", "vill jag inte leva", "inte leva längre", "orkar inte leva",
			"vill dö", "skada mig själv", "skadar mig själv", "skär mig",
			"bättre om jag var död", "bättre utan mig", "göra slut på allt", "avsluta mitt liv", "överdos*",
		},
		"en": {
			"suicid*", "kill myself", "killing myself", "end my life", "ending my life", "take my own life", "end it all",
			"self-harm*", "self harm*", "hurt myself", "hurting myself", "harm myself", "cut myself", "cutting myself",
			"want to die", "wanna die", "wish i was dead", "wish i were dead", "better off dead", "better off without me",
			"no reason to live", "(don't|dont|do not) want to (live|be alive)", "don't want to be here anymore", "dont want to be here anymore",
			"can't go on", "cant go on", "cannot go on", "overdos*",
		},
	}
}
