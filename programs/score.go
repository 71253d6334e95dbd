package programs

import (
	"fmt"
	"math"
)

// Total checks one answer per item, each a score among the item's options,
// and returns their sum.
func (in *Instrument) Total(answers []int) (int, error) {
	if len(answers) != len(in.Items) {
		return 0, fmt.Errorf("%s has %d items, got %d answers", in.ID, len(in.Items), len(answers))
	}
	total := 0
	for i, a := range answers {
		ok := false
		for _, o := range in.ItemOptions(i) {
			if o.Score == a {
				ok = true
				break
			}
		}
		if !ok {
			lo, hi := optionRange(in.ItemOptions(i))
			return 0, fmt.Errorf("item %s: %d is not an answer option (%d-%d)", in.Items[i].ID, a, lo, hi)
		}
		total += a
	}
	return total, nil
}

// Name is the short title if there is one.
func (in *Instrument) Name() string {
	if in.ShortTitle != "" {
		return in.ShortTitle
	}
	return in.Title
}

// Band returns the severity band label of a total ("" if none covers it).
func (in *Instrument) Band(total int) string {
	for _, b := range in.Bands {
		if total >= b.Min && total <= b.Max {
			return b.Label
		}
	}
	return ""
}

// IsCase says whether a total is at or above the caseness cut-off; ok is
// false when the instrument has none.
func (in *Instrument) IsCase(total int) (isCase, ok bool) {
	if in.Caseness == nil {
		return false, false
	}
	return total >= *in.Caseness, true
}

// CriticalHit is a critical item answered at or above its amber threshold.
type CriticalHit struct {
	Item   string `json:"item"`
	Answer int    `json:"answer"`
	Level  string `json:"level"` // "amber" or "red"
	Label  string `json:"label"`
}

// Risk levels.
const (
	LevelAmber = "amber"
	LevelRed   = "red"
)

// CriticalHits lists the critical items a set of answers endorses. Any
// answer at or above amber counts, whatever the total.
func (in *Instrument) CriticalHits(answers []int) []CriticalHit {
	var hits []CriticalHit
	for _, c := range in.Critical {
		for i, it := range in.Items {
			if it.ID != c.Item || i >= len(answers) {
				continue
			}
			a := answers[i]
			switch {
			case c.Red != 0 && a >= c.Red:
				hits = append(hits, CriticalHit{Item: c.Item, Answer: a, Level: LevelRed, Label: c.Label})
			case a >= c.Amber:
				hits = append(hits, CriticalHit{Item: c.Item, Answer: a, Level: LevelAmber, Label: c.Label})
			}
		}
	}
	return hits
}

// Score is one response scored against its instrument.
type Score struct {
	Total    int           `json:"total"`
	Band     string        `json:"band"`
	Case     *bool         `json:"case,omitempty"`
	Critical []CriticalHit `json:"critical,omitempty"`
}

// Score scores a response.
func (in *Instrument) Score(answers []int) (Score, error) {
	total, err := in.Total(answers)
	if err != nil {
		return Score{}, err
	}
	s := Score{Total: total, Band: in.Band(total), Critical: in.CriticalHits(answers)}
	if c, ok := in.IsCase(total); ok {
		s.Case = &c
	}
	return s, nil
}

// ReliableChangePoints is the smallest change in points that is reliable:
// the instrument's reliable_change, or from its SD and reliability the
// Jacobson-Truax index RC = 1.96 x SD x sqrt(2) x sqrt(1 - r), where a
// change must exceed RC (so the smallest whole change is floor(RC) + 1).
// ok is false when the instrument defines neither.
func (in *Instrument) ReliableChangePoints() (points int, ok bool) {
	if in.ReliableChange != nil {
		return *in.ReliableChange, true
	}
	if in.SD != nil && in.Reliability != nil {
		rc := JacobsonTruax(*in.SD, *in.Reliability)
		return int(math.Floor(rc)) + 1, true
	}
	return 0, false
}

// JacobsonTruax is the reliable change index threshold in points.
func JacobsonTruax(sd, reliability float64) float64 {
	return 1.96 * sd * math.Sqrt2 * math.Sqrt(1-reliability)
}

// Change statuses, from best to worst.
const (
	ChangeReliableRecovery      = "reliable recovery"
	ChangeRecovery              = "recovery"
	ChangeReliableImprovement   = "reliable improvement"
	ChangeNone                  = "no reliable change"
	ChangeReliableDeterioration = "reliable deterioration"
)

// Change compares a current total with the baseline (the first score).
type Change struct {
	Baseline              int    `json:"baseline"`
	Current               int    `json:"current"`
	Delta                 int    `json:"delta"` // current - baseline; negative is better
	Threshold             int    `json:"threshold,omitempty"`
	ReliableImprovement   bool   `json:"reliable_improvement"`
	ReliableDeterioration bool   `json:"reliable_deterioration"`
	Recovery              bool   `json:"recovery"`
	ReliableRecovery      bool   `json:"reliable_recovery"`
	Status                string `json:"status"`
}

// Change classifies the change from baseline to current on this one
// scale (NHS Talking Therapies thresholds, applied per scale): reliable
// improvement or deterioration by the instrument's threshold; recovery is
// case at baseline and below the cut-off now; reliable recovery is both.
// NHS Talking Therapies' own recovery pairs the depression and anxiety
// measures; docs/clinical.md says how this differs.
func (in *Instrument) Change(baseline, current int) Change {
	c := Change{Baseline: baseline, Current: current, Delta: current - baseline}
	if pts, ok := in.ReliableChangePoints(); ok {
		c.Threshold = pts
		c.ReliableImprovement = -c.Delta >= pts
		c.ReliableDeterioration = c.Delta >= pts
	}
	wasCase, hasCut := in.IsCase(baseline)
	isCase, _ := in.IsCase(current)
	c.Recovery = hasCut && wasCase && !isCase
	c.ReliableRecovery = c.Recovery && c.ReliableImprovement
	switch {
	case c.ReliableRecovery:
		c.Status = ChangeReliableRecovery
	case c.ReliableDeterioration:
		c.Status = ChangeReliableDeterioration
	case c.Recovery:
		c.Status = ChangeRecovery
	case c.ReliableImprovement:
		c.Status = ChangeReliableImprovement
	default:
		c.Status = ChangeNone
	}
	return c
}

// NotOnTrack applies the local "not on track" rule to a series of totals
// (baseline first) for a patient in week `week` of a program of `weeks`
// weeks: the expected score falls linearly from the baseline to baseline x
// (1 - expectedImprovement) at the end of the program; a patient whose
// current score is not below the expected score for their week is not on
// track. Fewer than minScores scores give no signal (ok false).
func NotOnTrack(totals []int, week, weeks int, expectedImprovement float64, minScores int) (notOnTrack bool, expected float64, ok bool) {
	if minScores < 2 {
		minScores = 2
	}
	if len(totals) < minScores || weeks <= 0 {
		return false, 0, false
	}
	if week > weeks {
		week = weeks
	}
	baseline := float64(totals[0])
	expected = baseline * (1 - expectedImprovement*float64(week)/float64(weeks))
	current := float64(totals[len(totals)-1])
	return current >= expected && baseline > 0, expected, true
}
