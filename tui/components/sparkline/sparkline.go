// Package sparkline draws a series of scores as block characters.
package sparkline

import "strings"

var blocks = []rune("▁▂▃▄▅▆▇█")

// Render draws values scaled to [lo, hi], the last max points at most.
// With lo == hi the values' own range is used.
func Render(values []int, lo, hi, max int) string {
	if len(values) == 0 {
		return ""
	}
	if max > 0 && len(values) > max {
		values = values[len(values)-max:]
	}
	if hi <= lo {
		lo, hi = values[0], values[0]
		for _, v := range values {
			lo, hi = min(lo, v), maxInt(hi, v)
		}
		if hi == lo {
			hi = lo + 1
		}
	}
	var b strings.Builder
	for _, v := range values {
		v = min(maxInt(v, lo), hi)
		i := (v - lo) * (len(blocks) - 1) / (hi - lo)
		b.WriteRune(blocks[i])
	}
	return b.String()
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
