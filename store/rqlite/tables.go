package rqlite

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"
)

// A read inside a write transaction needs a rolled-back batch (a probe)
// only when it may see the transaction's own writes: when it names a
// table they wrote, or a table the triggers of those tables write. Reads
// of other tables are answered as reads outside the transaction; the
// guard checks at commit that the state they read still stands.

// everything stands for "any table": a write whose target is not known.
const everything = "*"

var (
	writeTarget = regexp.MustCompile(`(?is)^\s*(?:WITH\b.*?\)\s*)?(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+("[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w.]+)`)
	anyTarget   = regexp.MustCompile(`(?is)(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+("[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w.]+)`)
	word        = regexp.MustCompile(`[\pL\pN_]+`)
)

func unquote(name string) string {
	name = strings.Trim(name, "\"`[]")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ToLower(name)
}

// target is the table a write statement writes, or everything when it
// is not one plain INSERT, UPDATE or DELETE (DDL, PRAGMA, several
// statements in one).
func target(query string) string {
	if strings.Count(strings.TrimRight(strings.TrimSpace(query), ";"), ";") > 0 {
		return everything
	}
	m := writeTarget.FindStringSubmatch(query)
	if m == nil {
		return everything
	}
	return unquote(m[1])
}

// schema is what the driver knows of the cluster's triggers and foreign
// key actions, loaded once and again after a transaction changed the
// schema.
type schema struct {
	mu     sync.Mutex
	loaded bool
	// retryAt: the last load failed; until then every write counts as
	// writing everything, without asking again (a cluster that cannot
	// answer would otherwise be asked once more at every write).
	retryAt time.Time
	// effects[t] are the tables a write to t writes too (its triggers);
	// with cascades, writes to any table may write others: all is set.
	effects map[string][]string
	all     bool
}

func (s *schema) forget() {
	s.mu.Lock()
	s.loaded = false
	s.mu.Unlock()
}

// written adds to set the tables a write to table writes.
func (s *schema) written(ctx context.Context, cl *Client, table string, set map[string]bool) {
	if set[table] {
		return
	}
	set[table] = true
	if table == everything {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded || !s.retryAt.IsZero() && time.Now().After(s.retryAt) {
		s.load(ctx, cl)
	}
	if s.all {
		set[everything] = true
		return
	}
	var walk func(t string)
	walk = func(t string) {
		for _, x := range s.effects[t] {
			if !set[x] {
				set[x] = true
				walk(x)
			}
		}
	}
	walk(table)
}

// schemaRetry is how long a failed load stands before the next write
// tries again.
const schemaRetry = 2 * time.Second

// load reads the triggers and foreign keys; when it cannot, every write
// counts as writing everything (every read of the transaction is then a
// probe: correct, only slower) until schemaRetry has passed.
func (s *schema) load(ctx context.Context, cl *Client) {
	s.effects, s.all, s.retryAt = map[string][]string{}, false, time.Time{}
	res, err := cl.Request(ctx, "/db/query", "level=linearizable", []Statement{{SQL: "SELECT type, tbl_name, sql FROM sqlite_schema WHERE type IN ('trigger', 'table') AND sql IS NOT NULL"}})
	if err != nil || len(res) != 1 || res[0].Error != "" {
		s.all, s.loaded, s.retryAt = true, true, time.Now().Add(schemaRetry)
		return
	}
	for _, row := range res[0].Values {
		if len(row) < 3 {
			continue
		}
		typ, _ := row[0].(string)
		tbl, _ := row[1].(string)
		sql, _ := row[2].(string)
		u := strings.ToUpper(sql)
		switch typ {
		case "table":
			for _, a := range []string{"ON DELETE", "ON UPDATE"} {
				if i := strings.Index(u, a); i >= 0 && !strings.HasPrefix(strings.TrimSpace(u[i+len(a):]), "NO ACTION") && !strings.HasPrefix(strings.TrimSpace(u[i+len(a):]), "RESTRICT") {
					s.all = true
				}
			}
		case "trigger":
			t := strings.ToLower(tbl)
			for _, m := range anyTarget.FindAllStringSubmatch(sql, -1) {
				s.effects[t] = append(s.effects[t], unquote(m[1]))
			}
		}
	}
	s.loaded = true
}

// names says whether query names any of the tables in set.
func names(query string, set map[string]bool) bool {
	if set[everything] {
		return true
	}
	for _, w := range word.FindAllString(query, -1) {
		if set[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// isDDL says whether a statement may change the schema.
func isDDL(query string) bool {
	u := strings.ToUpper(query)
	return strings.Contains(u, "CREATE ") || strings.Contains(u, "DROP ") || strings.Contains(u, "ALTER ")
}
