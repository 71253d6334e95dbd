package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestHTMLInChromium opens the HTML report in headless Chromium, takes a
// screenshot and checks that the charts are drawn: the bars of each series
// and the outcome dots are on the page in their colours. It needs Debian's
// chromium and runs with POLKU_BROWSER=1 (.ci/run sets it).
func TestHTMLInChromium(t *testing.T) {
	if os.Getenv("POLKU_BROWSER") != "1" {
		t.Skip("set POLKU_BROWSER=1 to open the report in headless Chromium")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("POLKU_BROWSER=1 but no chromium on PATH (apt-get install chromium)")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := Compute(richFacts()).WriteHTML(&b, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "out.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1200,2000", "file://"+page)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("POLKU_BROWSER_SHOT"); keep != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(keep, data, 0o600)
	}
	// Each colour must fill a good number of pixels: solid bars, and the
	// half-transparent dots over white.
	for _, c := range []struct {
		name    string
		r, g, b uint8
		min     int
	}{
		{"referral bars", 0x4c, 0x72, 0xb0, 200},
		{"start bars", 0xdd, 0x84, 0x52, 200},
		{"histogram bars within the promise", 0x55, 0xa8, 0x68, 200},
		{"histogram bars past the promise", 0xc4, 0x4e, 0x52, 100},
		{"outcome dots", 0xa5, 0xb8, 0xd7, 20},
	} {
		if n := countColour(img, c.r, c.g, c.b); n < c.min {
			t.Errorf("%s: %d pixels of #%02x%02x%02x in the screenshot, want at least %d", c.name, n, c.r, c.g, c.b, c.min)
		}
	}
}

func countColour(img image.Image, r, g, b uint8) int {
	near := func(a, b uint32) bool {
		d := int(a>>8) - int(b)
		return d >= -6 && d <= 6
	}
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, uint32(r)) && near(pg, uint32(g)) && near(pb, uint32(b)) {
				n++
			}
		}
	}
	return n
}
