package demo

import "polku/store"

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

var firstNames = map[string][]string{"fi": firstNamesFI, "sv": firstNamesSV, "en": firstNamesEN}

var lastInitials = []string{"A", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "V", "W"}

var therapistNames = []string{
	"Laura Mäkinen", "Jussi Koskinen", "Katja Heikkinen", "Antti Nieminen", "Marja Lehtonen", "Tiina Salo",
	"Pasi Laine", "Hanna Järvinen", "Minna Koivisto", "Ossi Ranta", "Elina Kallio", "Teemu Aalto",
	"Satu Vainio", "Riikka Turunen", "Kalle Hämäläinen", "Johanna Peltola",
}

var referringUnits = []string{
	"Helsinki health centre, Kallio", "Espoo health centre, Leppävaara", "Vantaa health centre, Tikkurila",
	"Tampere occupational health", "Oulu student health (YTHS)", "Turku health centre, Runosmäki",
	"Jyväskylä psychiatric outpatient clinic", "Kuopio health centre", "Porvoo health centre",
	"Lahti occupational health", "Rovaniemi health centre", "Vaasa psychiatric outpatient clinic",
}

// The texts below are written per program and per exercise, so that a
// clinician who opens a demo record finds answers that fit the question,
// the program and the patient's age. Young people (13-17) have their own
// program texts and messages: no work, no partner. Everything is made up.

// answerBank holds whole answers per "program/exercise": the text fields
// of one entry belong together (a situation, its thought and its
// alternative). A reflection's entry has one field, "text". Numbers, times
// and dates are generated to fit (see Answers).
var answerBank = map[string][]map[string]string{
	// Sleep better (CBT-I)
	"insomnia/sleep-goals": {
		{"text": "It started two years ago when my mother was ill. Now I go to bed at 21.30 to rest, lie awake for an hour and wake at 03.00. I use melatonin some nights. In eight weeks I would like to fall asleep within half an hour and stop dreading the evenings."},
		{"text": "I have slept badly since I started shift work, and it did not get better when I stopped. I stay in bed late on weekends to catch up. I am irritable with my family and make small mistakes. My goal is to sleep through most nights and have energy for my hobby again."},
		{"text": "I wake at 04.00 every morning and my mind starts racing. I have tried a glass of wine in the evening, but it makes the night worse. I want to wake up feeling rested at least a few days a week."},
	},
	"insomnia/health-check": {
		{"snoring": "No, my partner says I do not snore much.", "dozing": "No", "driving": "No", "legs": "No", "night-behaviour": "No", "epilepsy": "No", "bipolar": "No", "pregnancy": "No", "work": "No, I work in an office, daytime only.", "medication": "Melatonin 1 mg on about two nights a week.", "other": "Nothing else."},
		{"snoring": "Not sure, I live alone.", "dozing": "Sometimes in front of the TV in the evening.", "driving": "No, I take the bus.", "legs": "No", "night-behaviour": "No", "epilepsy": "No", "bipolar": "No", "pregnancy": "No", "work": "No", "medication": "None.", "other": "I have high blood pressure, it is treated."},
		{"snoring": "No", "dozing": "No", "driving": "No", "legs": "Sometimes a restless feeling, but it goes away when I get up.", "night-behaviour": "No", "epilepsy": "No", "bipolar": "No", "pregnancy": "No", "work": "I drive a car to work, 20 minutes.", "medication": "Zopiclone from my doctor, about once a week.", "other": "No"},
	},
	"insomnia/wind-down-plan": {
		{"wind-down": "Shower, tea without caffeine, a paper book, lights low.", "get-up-place": "The kitchen table with a small lamp and a crossword.", "changes": "Last coffee at 13.00, phone charges in the hall."},
		{"wind-down": "Put the laptop away at 21.30, stretch for ten minutes, listen to quiet music.", "get-up-place": "The sofa in the living room, reading a magazine.", "changes": "No wine on weekdays, a darker curtain in the bedroom."},
	},
	"insomnia/stimulus-control-review": {
		{"text": "Getting up at the same time was easy on weekdays and hard on Saturday. I got up twice in the night and read in the kitchen; the second time I fell asleep quickly afterwards. I think I fall asleep a little faster than before."},
		{"text": "The hardest rule was not using the phone in bed. I got up three nights when I could not sleep. It felt pointless at first, but by Sunday I was sleepy when I went back to bed."},
	},
	"insomnia/my-sleep-window": {
		{"evening-plan": "Ironing, a phone call to my sister, a podcast while I tidy; no sofa after 22.00."},
		{"evening-plan": "A walk at 21.00, then a puzzle at the kitchen table. I stay off the sofa."},
	},
	"insomnia/window-week-review": {
		{"text": "I kept to the window on six nights. The evenings were long and I was very tired on Wednesday, but I fell asleep faster by the weekend. I nearly dozed off in front of the TV, so I stood up and washed the dishes."},
		{"text": "I went to bed too early on two nights because I was so tired. The other nights I kept the window and slept more in one piece. My days were heavy, but I did not fall asleep while doing things."},
	},
	"insomnia/day-to-bed": {
		{"on-my-mind": "The report that is late; my mother's doctor's visit.", "next-steps": "Ask for two more days on Tuesday at 09.00; call the health centre on Wednesday at lunch."},
		{"on-my-mind": "The car needs new tyres, and a difficult talk with my neighbour.", "next-steps": "Book the tyre change online tomorrow; talk to the neighbour on Saturday morning."},
	},
	"insomnia/sleep-thoughts": {
		{"thought": "If I sleep less than six hours, I will make mistakes at work.", "evidence": "In three weeks I had eight short nights and made one small mistake, on a day after a good night.", "balanced": "I can manage a normal day after a short night, even if I feel tired."},
		{"thought": "I have to stay in bed longer to make up for a bad night.", "evidence": "When I stayed in bed until 09.00 on Sunday, Sunday night was the worst of the week.", "balanced": "Getting up at my usual time helps the next night more than extra time in bed."},
	},
	"insomnia/day-plan": {
		{"light": "A 20-minute walk at 07.30.", "movement": "Cycled to work.", "kept-plans": "Went to choir after a poor night.", "enjoyed": "Coffee with a friend at lunch."},
		{"light": "Breakfast by the window, then the bus stop walk.", "movement": "Stretching and a short walk after dinner.", "kept-plans": "Did the shopping as planned.", "enjoyed": "A call with my daughter."},
	},
	"insomnia/progress-check": {
		{"text": "In the first week I fell asleep after about an hour; now it is usually 15-20 minutes. I wake once instead of three times. Getting up on weekends is still the hardest part. A plan for Saturday mornings would help."},
		{"text": "My efficiency went from about 65 % to 88 %, my therapist says. I still feel tired in the afternoons, but I do not dread going to bed any more."},
	},
	"insomnia/sleep-plan": {
		{"what-helped": "The fixed getting-up time and getting out of bed when I cannot sleep.", "routine": "Up at 06.30 every day, wind-down from 22.00, a morning walk.", "after-bad-night": "Get up as usual, no nap, carry on with my day.", "if-returns": "Start the diary again and follow the rules strictly for two weeks; ask my doctor before shortening my time in bed."},
	},
	// Insomnia, for 16-17-year-olds
	"insomnia/sleep-goals/youth": {
		{"text": "It started in the spring before my exams. I go to bed at 22.00 but lie awake with my phone until after midnight, and on school days I can hardly get up at 07.00. At weekends I sleep until noon. I want to fall asleep faster and not be so tired at school."},
	},
	"insomnia/health-check/youth": {
		{"snoring": "No, my mum says I do not snore.", "dozing": "Sometimes in the first lesson.", "driving": "I ride a moped to school; I have not felt sleepy on it.", "legs": "No", "night-behaviour": "I talked in my sleep as a child.", "epilepsy": "No", "bipolar": "No", "pregnancy": "No", "work": "A summer job in a shop, daytime.", "medication": "None.", "other": "No"},
	},
	"insomnia/day-to-bed/youth": {
		{"on-my-mind": "The chemistry test; an argument with a friend.", "next-steps": "Read chapter 4 on Wednesday after school; talk to my friend at break on Thursday."},
	},
	"insomnia/sleep-thoughts/youth": {
		{"thought": "If I sleep badly, I will fail the test.", "evidence": "I had a bad night before the last maths test and still got an 8.", "balanced": "A poor night makes me tired, but I can still do a test."},
	},
	"insomnia/day-plan/youth": {
		{"light": "Walked to the bus stop at 07.30.", "movement": "PE at school, a bike ride after.", "kept-plans": "Went to band practice even though I was tired.", "enjoyed": "Played games with my brother."},
	},
	// Worry less (GAD)
	"gad/my-goals": {
		{"text": "I want to go to bed without going through tomorrow's risks. I want to let my son take the train to town without texting him every hour. And I want to enjoy the weekend instead of planning for every problem."},
		{"text": "I would like to spend less time searching online about symptoms, and to say yes to plans without thinking them through ten times."},
	},
	"gad/worry-pattern": {
		{"text": "My son coughed at dinner. Then: what if it is pneumonia, what if I miss something serious? My chest was tight. I searched online for an hour and asked my wife twice if he looked ill. I calmed down for a while, then started worrying about work."},
		{"text": "An email from my manager said 'can we talk tomorrow'. What if I did something wrong, what if I lose my job? I could not sit still. I went through all my recent work until midnight. The talk was about holiday dates."},
	},
	"gad/worry-log": {
		{"situation": "At my desk after lunch.", "worry": "What if I get the figures wrong and lose my job?", "kind": "Something that might happen.", "body": "Tight shoulders, a knot in my stomach.", "action": "Checked the spreadsheet three more times."},
		{"situation": "Waiting for my daughter to come home.", "worry": "What if something has happened on the way?", "kind": "Something that might happen.", "body": "Restless, could not sit down.", "action": "Texted her twice."},
		{"situation": "Paying bills in the evening.", "worry": "The electricity bill is higher than I expected.", "kind": "A problem now.", "body": "Tense jaw.", "action": "Made a list and went to bed late."},
	},
	"gad/worry-log-review": {
		{"text": "Most worries came in the evening, and most were about the children or money. Many of the things I worried about on Monday never happened. Writing them down made them look smaller."},
		{"text": "I noticed that I worry most when I am tired and alone. Work worries come back every day in the same form."},
	},
	"gad/worry-time-log": {
		{"used": "Yes, 15 minutes at 18.00 at the kitchen table.", "still-important": "Only two of the five worries still felt important."},
		{"used": "I forgot on Tuesday, did it on the other days.", "still-important": "The money worry, yes. The others had faded."},
	},
	"gad/postponement-learning": {
		{"text": "I did not think I could put a worry off, but I could, most of the time. Often the worry had lost its power by worry time. That tells me worry is not as uncontrollable as I thought."},
		{"text": "Postponing worked better at work than at home. At home in the evening the worries come back faster, so I will try worry time a bit earlier."},
	},
	"gad/worry-beliefs": {
		{"belief": "Worrying keeps me prepared.", "for": "Sometimes I remember things because I worried about them.", "against": "I have handled surprises well without worrying about them first. Worry mostly makes me tired.", "alternative": "Planning once is useful; going over it again and again is not."},
		{"belief": "My worrying is out of control and will make me ill.", "for": "It feels like it never stops.", "against": "I could postpone worries in worry time. Worry is unpleasant, but it is not dangerous.", "alternative": "Worry is a habit I can change, not a danger."},
	},
	"gad/sort-worries": {
		{"text": "The electricity bill is a current problem: I can call the company. 'What if I get ill' is hypothetical. My daughter coming home late is a mix: I can agree on a time with her, and the rest is what-ifs."},
	},
	"gad/problem-solving": {
		{"problem": "The electricity bill is 180 euros higher than usual.", "options": "Pay it at once; ask for a payment plan; check the meter reading; ask my brother for a loan.", "chosen": "Call the company and ask for a payment plan: it is realistic and I can do it tomorrow.", "first-step": "Call on Tuesday at 09.00.", "outcome": "They split it into three payments. It took ten minutes."},
		{"problem": "A colleague often leaves her part of our work to me.", "options": "Say nothing; talk to her; talk to our manager; write down what each of us does.", "chosen": "Talk to her calmly first; it is good enough to try.", "first-step": "Ask for ten minutes after the Monday meeting.", "outcome": "She did not know it was a problem. We made a list together."},
	},
	"gad/certainty-habits": {
		{"text": "Asking my wife if she is sure the door is locked; searching online about symptoms; reading emails four or five times before sending; planning every detail of trips. The searching takes the most time."},
	},
	"gad/uncertainty-experiment": {
		{"plan": "Send an email to a customer after reading it once.", "usual": "Read it five times and ask a colleague to check it.", "prediction": "There will be a mistake and the customer will complain.", "what-happened": "The customer answered 'thanks, all clear'.", "learned": "I coped fine without checking. The anxiety went down after an hour."},
		{"plan": "Let my wife plan our Saturday without asking for the details.", "usual": "Ask what, where and when, and look everything up.", "prediction": "I will be tense the whole day.", "what-happened": "I was tense in the morning, then enjoyed the lunch she chose.", "learned": "Not knowing was uncomfortable but not a problem."},
	},
	"gad/worry-script": {
		{"worry": "What if my son has an accident on his way home?", "script": "It is 22.00 and he is not home. The phone rings. It is the hospital. I drive there, my hands shaking... (the story goes on to what happens after)", "noticed": "On the first day I cried. By the fifth day the story felt more like a story, and I was bored by the end."},
	},
	"gad/relaxation-practice": {
		{"exercise": "Muscle relaxation, the whole body.", "notes": "My shoulders were the hardest to relax. I nearly fell asleep."},
		{"exercise": "Slow breathing on the bus.", "notes": "My mind wandered to work many times; I brought it back each time."},
	},
	"gad/my-progress": {
		{"text": "I worry less in the evenings, and I no longer text my son every hour. Worry time and the uncertainty experiments helped most. I still want to work on checking at work."},
	},
	"gad/relapse-plan": {
		{"what-helped": "Worry time and the uncertainty experiments.", "warning-signs": "More what-ifs at night, searching online, asking for reassurance.", "first-steps": "Start worry time again and write my worries down.", "keep-practising": "One small uncertainty experiment a week.", "support": "My wife; the health centre if it lasts more than a few weeks."},
	},
	// Step by step (depression)
	"depression/my-circle": {
		{"text": "I stopped going to my swimming group and rarely answer my friends. I spend evenings on the sofa with the TV on. The less I do, the heavier everything feels, and the more alone I am."},
		{"text": "I have stopped cooking and eat whatever is quick. I cancelled my weekly walk with a neighbour. I stay in bed longer on weekends. My mood is lowest on Sunday afternoons."},
	},
	"depression/goals": {
		{"text": "I meet a friend once a week. I go swimming again, even once a week. I cook a proper dinner three times a week."},
		{"text": "I go for a walk most mornings, and I answer messages within a day."},
	},
	"depression/safety-plan": {
		{"warning-signs": "Staying in bed all weekend, not answering anyone, thinking that nothing will change.", "own-coping": "A shower, a walk round the block, music from my twenties.", "people-places": "The library café; my neighbour's dog.", "ask-for-help": "My sister (number in my phone), my friend Sari.", "professionals": "My therapist on working days; 116 117; the MIELI crisis line 09 2525 0111; 112 in an emergency.", "safer-home": "My sister keeps my extra medicines.", "reason-to-live": "My nephew, my sister, the summer cottage."},
	},
	"depression/activity-record": {
		{"activity": "Lay on the sofa and watched TV.", "who": "Alone"},
		{"activity": "Went to the shop and cooked soup.", "who": "Alone"},
		{"activity": "Coffee with my neighbour.", "who": "My neighbour"},
		{"activity": "Worked, then sat in the car for a while before going in.", "who": "Colleagues at work, then alone"},
	},
	"depression/activity-patterns": {
		{"text": "My mood was lowest on the sofa in the evenings and best when I was with someone. Cooking gave me a small sense of achievement. I would like to do more with people and less TV."},
	},
	"depression/values-map": {
		{"area": "Relationships", "what-matters": "Being a good sister and friend.", "small-actions": "Call my sister on Sunday; answer Sari's message."},
		{"area": "Health and body", "what-matters": "Feeling strong and moving.", "small-actions": "Swim once a week; walk to work on Tuesdays."},
	},
	"depression/weekly-plan": {
		{"activity": "Walk to the swimming hall and look at the timetable.", "done": "Yes, and I swam for 15 minutes."},
		{"activity": "Call my friend.", "done": "Not on Thursday, too tired. Did it on Saturday morning."},
		{"activity": "Cook a real dinner.", "done": "Yes, a simple pasta."},
	},
	"depression/task-steps": {
		{"task": "Sort out the pile of post.", "steps": "Put all letters in one box; open them; put bills in one pile; pay one bill; recycle the rest.", "first-step": "Put the letters in a box on Tuesday at 18.00, 5 minutes.", "how-it-went": "Did the first two steps. Less scary than I thought."},
		{"task": "Answer my old friend's message.", "steps": "Read it again; write three lines; send it.", "first-step": "Read it on Wednesday after lunch.", "how-it-went": "Sent a short answer. She wrote back the same day."},
	},
	"depression/trap-trac": {
		{"trigger": "A message from my former husband.", "response": "Dread, tiredness.", "avoidance": "Did not open it, lay on the sofa all evening.", "cost": "The question was still there the next day, and I lost an evening.", "alternative": "Read it at once, answered the practical question in two lines, went for a short walk."},
		{"trigger": "My manager asked for a meeting.", "response": "A knot in my stomach.", "avoidance": "Called in sick.", "cost": "Felt guilty all day; the meeting was moved to a worse day.", "alternative": "Go and ask what the meeting is about at the start."},
	},
	"depression/solve-a-problem": {
		{"problem": "I owe 400 euros on my phone bill.", "options": "Pay it all now; ask for a payment plan; ask debt counselling; sell something.", "chosen": "A payment plan: realistic and I can do it this week.", "steps": "Call the operator on Monday at 10.00, write down what they offer.", "review": "Three payments agreed. I feel lighter."},
	},
	"depression/looking-back": {
		{"text": "I swim once a week again and meet a friend most weeks. Planning activities helped most, and breaking tasks into steps. I want to keep working on Sunday afternoons."},
	},
	"depression/staying-well-plan": {
		{"warning-signs": "Cancelling plans, staying in bed on weekends, not answering messages.", "what-helps": "Swimming, cooking, coffee with my neighbour.", "first-steps": "Make a weekly plan again and tell my sister.", "people": "My sister, Sari, my neighbour.", "professional-help": "The health centre if low mood lasts more than two weeks."},
	},
	// Braver together (youth, 13-17)
	"social-anxiety-youth/if-i-were-braver": {
		{"text": "I would answer in class when I know the answer. I would sit with others at lunch instead of going to the library. I would join the drawing club."},
		{"text": "I would go to the floorball practice again. I would talk to the people in my group in PE. Maybe I would go to a party."},
	},
	"social-anxiety-youth/who-knows": {
		{"text": "My mum, and maybe my older cousin. I would like them to know that I am trying, and not to ask every day how it went."},
		{"text": "My dad and my friend Eeli. It would help if dad did not call the school for me every time."},
	},
	"social-anxiety-youth/my-circle": {
		{"situation": "I needed to ask the teacher about the homework.", "thoughts": "Everyone will stare. I will say something stupid.", "body": "My face got hot and my heart raced.", "actions": "I did not ask. I looked at my phone.", "afterwards": "Relieved, then annoyed at myself. I did the wrong homework."},
		{"situation": "Walking into the cafeteria alone.", "thoughts": "Everyone will see I have nobody to sit with.", "body": "Shaky legs.", "actions": "I took my food and ate fast in the corner.", "afterwards": "I kept thinking about it in the next lesson."},
	},
	"social-anxiety-youth/safety-check": {
		{"bullied": "No.", "online": "No.", "scared": "No.", "adult-knows": "Yes, my mum would know."},
		{"bullied": "Not really. Some people laugh sometimes, but not at me on purpose, I think.", "online": "No.", "scared": "No.", "adult-knows": "I would tell my dad."},
	},
	"social-anxiety-youth/my-tricks": {
		{"text": "Looking at my phone, hiding behind my hair, planning exactly what to say, staying next to my friend so she talks. I could try dropping the phone first."},
		{"text": "Wearing my hood, giving short answers, leaving early. The hood would be the easiest one to drop."},
	},
	"social-anxiety-youth/drop-a-trick": {
		{"_outcome": "easier", "situation": "Waiting for the bus with classmates.", "trick": "Looking at my phone.", "prediction": "Nobody will talk to me and it will be awkward.", "what-happened": "Someone asked about the maths test. We talked for a minute.", "learned": "People talk to me when I look up."},
		{"_outcome": "easier", "situation": "Buying a snack at the kiosk.", "trick": "Mumbling and looking down.", "prediction": "The seller will not hear me and I will have to repeat.", "what-happened": "She heard me fine and smiled.", "learned": "Speaking clearly was easier than I thought."},
	},
	"social-anxiety-youth/thought-check": {
		{"situation": "I blushed in the history lesson.", "thought": "Everyone noticed and thinks I am weird.", "trap": "Mind reading and the spotlight.", "other-view": "Maybe someone noticed. People blush. Most did not think much about it."},
		{"situation": "My friend did not answer my message.", "thought": "She is angry with me.", "trap": "Mind reading.", "other-view": "She might be busy. She answered later and said her phone was dead."},
	},
	"social-anxiety-youth/build-ladder": {
		{"text": "Ask a classmate about homework (3). Ask the shop assistant where something is (4). Sit with two classmates at lunch (6). Answer a question in class (7). Call to book a dentist time (7). Give a short presentation to my group (8). Present to the whole class (10). I start with the first one."},
	},
	"social-anxiety-youth/ladder-step": {
		{"_outcome": "easier", "step": "Ask the shop assistant where the markers are.", "fear": "I go red and stutter, and they think I am stupid.", "what-happened": "A bit red. The assistant showed me the shelf and was friendly.", "learned": "Being a bit red did not matter. Next: ask a question in class."},
		{"_outcome": "harder", "step": "Sit with two classmates at lunch.", "fear": "I will have nothing to say.", "what-happened": "I said little at first, then we talked about a TV show we all watch.", "learned": "It was harder than I expected, but I stayed. I will do it again on Thursday."},
	},
	"social-anxiety-youth/school-plan": {
		{"situation": "Presentations.", "steps": "Present to my mum; record myself; present to the teacher; present to my group; present to the class.", "first-step": "Present to my mum on Sunday evening.", "support": "My mum; the teacher, if my mum and I talk to her about a step-by-step plan."},
	},
	"social-anxiety-youth/replay-check": {
		{"situation": "I said something strange in the group work.", "replay": "They must think I am so weird.", "facts": "One person laughed, then we carried on with the task. Nobody mentioned it later.", "friend": "Everyone says odd things sometimes. Nobody remembers it."},
	},
	"social-anxiety-youth/ladder-progress": {
		{"text": "I have done the first four steps. Asking in shops is easy now. Lunch with classmates is still hard but better. Next I will answer a question in class on Tuesday."},
	},
	"social-anxiety-youth/look-back": {
		{"text": "I answer in class sometimes now, and I sit with others at lunch most days. I am proud I went to the drawing club. I still want to work on presentations."},
	},
	"social-anxiety-youth/my-plan": {
		{"what-helped": "The ladder, and dropping my phone trick.", "warning-signs": "Going to the library at lunch again, not answering in class.", "what-i-do": "Make a small new ladder and tell my mum.", "next-challenges": "A summer job interview, a new hobby group.", "support": "My mum, my friend, the school nurse."},
	},
}

// exchange is a patient's message and the therapist's reply to it.
type exchange struct{ msg, reply string }

// adultExchanges fit any adult program; programExchanges fit one program.
// The youth program uses only its own.
var adultExchanges = []exchange{
	{"Hi, I could not open the third module on my phone. Is there something I should do?",
		"Thank you for telling me. Please try updating the app, or open the module in a browser. If it still does not open, tell me and I will ask our support."},
	{"Thank you for the feedback last week, it helped to hear that.",
		"Thank you, I am glad it helped. Keep going with this week's exercise."},
	{"I have had a hard week with work. Can I take a bit longer with this module?",
		"Of course. The module stays open, so take the time you need. Even a short try this week counts."},
	{"I would like to move my next phone call if possible.",
		"Of course. Let us find a new time; I will suggest two options in my next message."},
	{"Quick question: should I fill in the questionnaire again this week?",
		"Yes, please fill it in this week. It helps us see how things are going."},
	{"Sorry for not doing much this week. I am still here.",
		"Thank you for writing. Hard weeks happen. Let us pick one small thing for the coming week."},
	{"My doctor changed my medication. Should I tell you the details?",
		"Yes, please tell me the name and dose, and when it changed. Keep taking it as your doctor advised."},
}

var programExchanges = map[string][]exchange{
	"insomnia": {
		{"Is it normal that the sleep restriction makes me this tired during the day?",
			"Feeling sleepier in the first one or two weeks is common. Please do not drive when you feel drowsy. If you fall asleep while doing things in the day, tell me at once: then we make the window longer."},
		{"I got up three times last night like the module says, but I still slept only four hours.",
			"Thank you for keeping at it. Getting up is the right thing to do, and the first nights are often the hardest. Let us look at the whole week in your diary before we change anything."},
		{"Can I start the sleep window this week, or should I wait?",
			"Please wait until I have read your health check; I will answer by the end of the next working day."},
	},
	"gad": {
		{"I postponed my worries to worry time, but by 18.00 I could not remember most of them.",
			"That is a very common experience, and an important one: many worries lose their power when they wait. Keep writing them down so you can notice it."},
		{"My doctor asked me to check my blood pressure every morning. Is that a certainty-seeking habit?",
			"No. Keep the checks your doctor advised. The experiments are about extra checking and reassurance, not about care you need."},
	},
	"depression": {
		{"I have been feeling a bit better, but Sunday evenings are still difficult.",
			"It is good to hear you feel a bit better. Let us plan one small activity for Sunday evenings, something with another person if possible."},
		{"I planned a walk every day but only managed two. I feel like I failed.",
			"Two walks is not a failure: it is two more than before. Let us look at what got in the way on the other days and make the plan a little smaller."},
	},
	"social-anxiety-youth": {
		{"Hi, do I have to do all the exercises this week? I have two tests.",
			"Good that you asked. Do the ladder step if you can, and leave the rest for next week. Good luck with your tests!"},
		{"I tried the step in the shop and it went better than I thought!",
			"That is great! You did it even though you were nervous. Write down what you learned, and choose your next step."},
		{"Will you tell my mum what I write here?",
			"Good question. What you write stays between us, except if I am worried about your safety: then I must tell your guardian. You can read more in module 1."},
	},
}

// Feedback templates by what an exercise is: %[1]s is the patient's first
// name and %[2]s the exercise title.
var feedbackByKind = map[string][]string{
	"reflection": {
		"Thank you, %[1]s. You wrote about '%[2]s' honestly and clearly. What you noticed is exactly what we will build on in the next module.",
		"Hi %[1]s, thank you for '%[2]s'. I can see how much thought you put into it. Keep these points in mind this week.",
	},
	"log": {
		"Thank you, %[1]s. Your entries in '%[2]s' show a clear pattern: the evenings are the hardest. That is useful to know, and we will use it next week.",
		"Good work with '%[2]s', %[1]s. Even a few entries a day give us a much clearer picture than memory alone.",
	},
	"thought": {
		"Well done, %[1]s. In '%[2]s' you found a thought that jumps to the worst case and checked it against what really happened. Try the same with one more thought this week.",
		"Thank you, %[1]s. Your more balanced view in '%[2]s' is realistic, not just positive. That is the aim.",
	},
	"plan": {
		"Thank you for '%[2]s', %[1]s. The plan is specific and small enough to do. Update the entry after you have tried it, and tell me what got in the way, if anything.",
		"Good plan, %[1]s. In '%[2]s' you chose clear times. If something does not happen, make the step smaller rather than dropping it.",
	},
	"exposure": {
		"Well done, %[1]s. In '%[2]s' you did what the anxiety told you to avoid, and you saw what really happened. Compare what you expected with what happened: that is what we learn from.",
		"Thank you, %[1]s. '%[2]s' was harder than you expected this time, and you still stayed. That is useful to know: repeat the step, or make it a little smaller first.",
	},
	"screening": {
		"Thank you, %[1]s. I have read your answers in '%[2]s'. Nothing in them stops the next step, so you can start it as planned. Tell me at once if anything changes.",
	},
}

var youthFeedbackByKind = map[string][]string{
	"reflection": {"Thanks, %[1]s! You wrote '%[2]s' really clearly. That helps us a lot.", "Great work on '%[2]s', %[1]s. I can see you thought about it."},
	"log":        {"Thanks, %[1]s. '%[2]s' shows what happens in your body and thoughts. Keep noticing it this week."},
	"thought":    {"Good detective work in '%[2]s', %[1]s! Your other way of seeing it sounds realistic and kind."},
	"plan":       {"Good plan, %[1]s. '%[2]s' has small steps you can do. Tell me how the first step goes."},
	"exposure": {
		"Well done, %[1]s! In '%[2]s' you tried something hard and saw what really happened. That takes courage.",
		"Thanks, %[1]s. '%[2]s' felt harder than you expected, and you stayed anyway. That is useful to know: try the same step again, or a smaller one first.",
	},
	"screening": {"Thanks for answering '%[2]s', %[1]s. I have read it, and you can start building your ladder. If someone ever treats you badly, tell me or another adult."},
}

// exerciseKind says what kind of work an exercise is, for feedback.
var exerciseKind = map[string]string{
	"health-check": "screening", "safety-check": "screening",
	"worry-log": "log", "worry-time-log": "log", "activity-record": "log", "my-circle": "log", "relaxation-practice": "log", "day-to-bed": "log", "day-plan": "log",
	"sleep-thoughts": "thought", "worry-beliefs": "thought", "thought-check": "thought", "replay-check": "thought", "trap-trac": "thought",
	"drop-a-trick": "exposure", "ladder-step": "exposure", "uncertainty-experiment": "exposure", "worry-script": "exposure",
	"wind-down-plan": "plan", "my-sleep-window": "plan", "window-week-4": "plan", "window-week-5": "plan", "window-week-6": "plan",
	"weekly-plan": "plan", "weekly-plan-5": "plan", "weekly-plan-7": "plan", "weekly-plan-8": "plan", "task-steps": "plan",
	"problem-solving": "plan", "solve-a-problem": "plan", "school-plan": "plan", "safety-plan": "plan", "values-map": "plan",
	"sleep-plan": "plan", "relapse-plan": "plan", "staying-well-plan": "plan", "my-plan": "plan",
}

var noteBank = map[string][]string{
	"insomnia": {
		"Phone call: discussed the sleep window; agreed to keep it for one more week.",
		"Read the health check: no contraindications found; sleep window confirmed.",
		"Patient prefers messages to phone calls.",
	},
	"gad": {
		"Phone call: patient motivated, discussed pacing of the two-week modules.",
		"Discussed worry time; patient keeps doctor-advised blood pressure checks.",
		"Consulted supervisor about slow progress; continue and review at week 6.",
	},
	"depression": {
		"Phone call: reviewed the activity plan and the safety plan.",
		"Discussed the PHQ-9 trend; continue with smaller weekly plans.",
		"Patient prefers messages to phone calls.",
	},
	"social-anxiety-youth": {
		"Phone call with the young person and guardian: agreed how the guardian supports practice steps.",
		"Safety check read: no bullying reported; ladder may start.",
		"Agreed with the young person what is shared with the guardian.",
	},
}

// textEN is the English bank.
var textEN = textBank{
	answers:    answerBank,
	fallback:   "I read the module and tried the exercise on a few days. It was harder than I expected, but I want to keep going.",
	seeMessage: "See my message.",
	none:       "none",
	sleepAid:   "melatonin 1 mg at 22.00",
	weekdays:   [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	clock:      "%s %02d.%02d",
	adult:      adultExchanges,
	program:    programExchanges,
	risk: []string{
		"Lately I feel that everyone would be better off without me. Some days I want to die.",
		"This week has been really heavy. I keep thinking I can't go on like this.",
	},
	welcome:       "Hi %[1]s. I am %[2]s, your therapist. Welcome to the program. I read what you send on working days and write back within two working days. %[3]s",
	help:          "This is not an emergency service: if you need help now, the numbers are at the end of every module, and in an emergency call 112.",
	youthHelp:     "This is not an emergency service: if you feel very bad, tell an adult you trust, and look at the numbers at the end of every module. In an emergency call 112.",
	feedback:      feedbackByKind,
	youthFeedback: youthFeedbackByKind,
	notes:         noteBank,
	synthetic:     " (synthetic)",
	riskAck:       "Called the patient (synthetic): no acute risk; safety plan and 112 reviewed.",
	pause: []string{"surgery, continues after sick leave (synthetic)", "moving house this month (synthetic)",
		"a family member in hospital (synthetic)", "exam period, asked for a break (synthetic)"},
	discontinue: map[string]string{
		store.EndPatientChoice: "felt better and wanted to stop (synthetic)",
		store.EndDidNotStart:   "did not log in after three reminders (synthetic)",
		store.EndOtherCare:     "moved to the psychiatric outpatient clinic (synthetic)",
		store.EndNotSuitable:   "needs face-to-face treatment (synthetic)",
		store.EndNoContact:     "no answer to messages or calls (synthetic)",
	},
	transfer:       "the therapist went on leave (synthetic)",
	summaryComment: "\n## The therapist's comment\n\nWorked steadily through the program; the plan for keeping up the skills is agreed. (synthetic)\n",
	units:          referringUnits,
	reasons: map[string][]string{
		"gad":                  {"Persistent worry about work and health for over a year; tense, sleeps poorly.", "Hard-to-control worry about family and money; restless, tired."},
		"depression":           {"Low mood and loss of interest for three months; withdrawn from friends.", "Depressed mood since a divorce; little energy, stays at home."},
		"insomnia":             {"Difficulty falling and staying asleep for a year; tired at work.", "Wakes at four every night; sleep medication did not help for long."},
		"social-anxiety-youth": {"Avoids speaking in class and eating in the school canteen.", "Afraid of being judged by peers; stopped going to hobbies."},
	},
	doctorAssessment: "Assessed in person: suitable for guided internet therapy with a guardian informed.",
	cohort:           "Spring group",
	peerGroup:        "Spring group peers",
	groupMessage:     "Welcome to week 3. This week's module is about noticing thoughts: take your time with the worksheet.",
	aliases:          []string{"Sunflower", "Northwind", "Pinecone", "Harbour", "Quietfox"},
	posts: []string{
		"Hi all. The activity diary felt silly at first but I did go for two walks this week.",
		"Does anyone else find mornings the hardest? I set small goals the night before and it helps a bit.",
		"I skipped the exercise this week, work was too much. Trying again now.",
		"Thank you for the tips about sleep, I tried the wind-down hour.",
	},
}
