package programs

import "strings"

// GoAheadByID returns the program's go-ahead with this id, or nil.
func (p *Program) GoAheadByID(id string) *GoAhead {
	for i := range p.GoAhead {
		if p.GoAhead[i].ID == id {
			return &p.GoAhead[i]
		}
	}
	return nil
}

// GoAheadFor returns the go-ahead a module waits for, or nil.
func (p *Program) GoAheadFor(moduleID string) *GoAhead {
	for i := range p.GoAhead {
		if p.GoAhead[i].Module == moduleID {
			return &p.GoAhead[i]
		}
	}
	return nil
}

// GoAheadIDs lists the program's go-ahead ids, for messages ("none" when
// it has none).
func (p *Program) GoAheadIDs() string {
	if len(p.GoAhead) == 0 {
		return "none"
	}
	ids := make([]string, len(p.GoAhead))
	for i, g := range p.GoAhead {
		ids[i] = g.ID
	}
	return strings.Join(ids, ", ")
}
