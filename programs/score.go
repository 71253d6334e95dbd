package programs

import (
	"fmt"
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
