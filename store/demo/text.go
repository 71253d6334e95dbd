package demo

// Text banks for synthetic patients and therapists. All of it is written
// for the demo; none of it comes from a real person.

var firstNamesFI = []string{
	"Aino", "Eero", "Helmi", "Onni", "Sofia", "Leo", "Aada", "Elias", "Venla", "Oliver", "Emma", "Väinö",
	"Ella", "Eino", "Lilja", "Toivo", "Olivia", "Niilo", "Iida", "Veeti", "Kerttu", "Aapo", "Siiri", "Lauri",
	"Hilla", "Juho", "Pihla", "Matias", "Enni", "Otso", "Minea", "Aleksi", "Noora", "Ville", "Anni", "Jere",
	"Sanni", "Tuomas", "Reetta", "Markku", "Tuula", "Pekka", "Sari", "Jari", "Päivi", "Timo", "Riitta", "Mikko",
}

var firstNamesSV = []string{"Elsa", "Axel", "Alva", "Hugo", "Ebba", "Viktor", "Saga", "Anton", "Maja", "Linnea", "Oskar", "Freja"}

var firstNamesEN = []string{"Sam", "Alex", "Maria", "Daniel", "Nadia", "Omar", "Julia", "Tom", "Amina", "Lucas"}

var lastInitials = []string{"A", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "V", "W"}

var therapistNames = []string{
	"Laura Mäkinen", "Jussi Koskinen", "Katja Heikkinen", "Antti Nieminen", "Marja Lehtonen", "Tiina Salo",
	"Pasi Laine", "Hanna Järvinen", "Mikaela Lindqvist", "Ossi Ranta", "Elina Kallio", "Teemu Aalto",
	"Satu Vainio", "Riikka Turunen", "Kalle Hämäläinen", "Johanna Peltola",
}

var referringUnits = []string{
	"Helsinki health centre, Kallio", "Espoo health centre, Leppävaara", "Vantaa health centre, Tikkurila",
	"Tampere occupational health", "Oulu student health (YTHS)", "Turku health centre, Runosmäki",
	"Jyväskylä psychiatric outpatient clinic", "Kuopio health centre", "Porvoo health centre",
	"Lahti occupational health", "Rovaniemi health centre", "Vaasa psychiatric outpatient clinic",
}

// reflectionBank: sentences a patient might write in a reflection.
var reflectionBank = []string{
	"This week I noticed that the worry gets loudest in the evening, when the house is quiet.",
	"I tried the exercise on three days. On the third day it felt a little easier.",
	"Honestly I did not have much energy for this, but I did the reading on Sunday.",
	"I realised I spend a lot of time going over conversations afterwards.",
	"My partner noticed that I was calmer on Thursday, which surprised me.",
	"It helped to write things down instead of carrying them around in my head.",
	"I skipped a work lunch again because I was nervous, and afterwards I felt low about it.",
	"Walking to the shop instead of taking the car gave me a small lift.",
	"I am not sure I understood the part about safety behaviours; could you explain it again?",
	"The week was busy and I fell back into old habits, but I want to keep going.",
	"I was able to postpone the worry twice, and once it had gone by the time worry time came.",
	"Sleep was still broken, but I got out of bed when I could not sleep, like the module said.",
	"I called my sister, which I had been putting off for weeks. It went better than I expected.",
	"Mornings are the hardest. By the afternoon things usually look less dark.",
	"I noticed my thoughts jump to the worst case very fast. Seeing it on paper made it look different.",
	"What I want most is to feel like myself again at work.",
	"I did the breathing exercise before a meeting and my hands shook less.",
	"I felt embarrassed writing this, but it is true: I avoid answering the phone.",
	"The examples in the text sounded a lot like me.",
	"I kept the diary every day except Saturday.",
}

var worksheetBank = []string{
	"A meeting with my manager", "Lying awake at 3 am", "Saying no to extra shifts", "Going to the gym class",
	"Calling the bank", "Asking a question in class", "Cooking a proper dinner", "A walk with the dog",
	"Thinking I will lose my job", "Thinking everyone noticed I blushed", "Texting an old friend",
	"Tidying one drawer", "Reading for 20 minutes", "Going to bed only when sleepy", "Eating lunch with colleagues",
	"It went fine, nobody commented", "I postponed it to worry time", "I left early", "I stayed and it passed",
	"Felt tired but proud afterwards", "Less than I expected", "About the same as usual",
}

var patientMessages = []string{
	"Hi, I could not open the third module on my phone. Is there something I should do?",
	"Thank you for the feedback last week, it helped to hear that.",
	"I have had a hard week with work. Can I take a bit longer with this module?",
	"Is it normal that the sleep restriction makes me this tired during the day?",
	"I would like to move my next phone call if possible.",
	"I tried the exposure step and it went better than I thought!",
	"Quick question: should I fill in the questionnaire again this week?",
	"I have been feeling a bit better, but Sunday evenings are still difficult.",
	"Sorry for not doing much this week. I am still here.",
	"My doctor changed my medication. Should I tell you the details?",
}

// riskMessages carry phrases the possible-risk word lists catch (fi, sv, en).
var riskMessages = []string{
	"En jaksa enää. Joskus ajattelen, että haluaisin kuolla.",
	"Tämä viikko on ollut raskas, ja olen miettinyt itsetuhoisia asioita.",
	"Jag orkar inte längre och ibland vill jag inte leva.",
	"Lately I sometimes feel everyone would be better off dead without me around.",
}

var therapistReplies = []string{
	"Thank you for letting me know. Take the time you need; the module stays open.",
	"Good question. Yes, please fill it in this week, it helps us see how things are going.",
	"That sounds like real progress. Notice what helped, so you can use it again.",
	"Thank you for writing. Tiredness in the first weeks is common; it usually eases.",
	"Of course. Let us find a new time; I will suggest two options.",
	"I am glad you are still here. Small steps count, and we can plan the next one together.",
}

var welcomeMessage = "Welcome to the program. I am your therapist and I will read what you send each week and write back within two working days. " +
	"This is not an emergency service: if you are in crisis, call 112 or go to the nearest emergency department."

var feedbackBank = []string{
	"Thank you, %s. You described the situation clearly, and it is easy to see how much effort you put into '%s'. Try the same next week and notice what changes.",
	"Hi %s, well done on '%s'. What you noticed about the evenings is important: that is exactly the pattern we will work with next.",
	"%s, thank you for an honest answer. Doing '%s' on a busy week is not easy. Even two short tries count.",
	"Good work, %s. In '%s' you found a thought that jumps to the worst case. Next week, try writing one more balanced alternative beside it.",
	"Thank you %s. It sounds like '%s' was hard at first and a little easier later, which is how practice usually goes.",
	"%s, I can see you kept at it. For '%s', keep the steps small: the aim is to stay with the feeling until it eases, not to feel nothing.",
}

var noteBank = []string{
	"Phone call: patient motivated, discussed pacing of modules.",
	"Discussed sleep window; agreed to keep it for one more week.",
	"Patient prefers messages to phone calls.",
	"Consulted supervisor about slow progress; continue and review at week 6.",
}
