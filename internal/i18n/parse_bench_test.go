package i18n

import "testing"

// BenchmarkParseCatalogs: what a start-up pays to read its language's
// catalogs (and English, the fallback), with and without the command
// line's help texts.
func BenchmarkParseCatalogs(b *testing.B) {
	for _, lang := range Languages() {
		langs := []string{EN}
		if lang != EN {
			langs = append(langs, lang)
		}
		b.Run(lang, func(b *testing.B) {
			for b.Loop() {
				if _, err := parseCatalogs(catalogFiles, langs...); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(lang+"-no-clihelp", func(b *testing.B) {
			for b.Loop() {
				if _, err := parseCatalogsExcept(catalogFiles, []string{"clihelp"}, langs...); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(lang+"-tui", func(b *testing.B) {
			for b.Loop() {
				if _, err := parseCatalogsExcept(catalogFiles, []string{"clihelp", "cli"}, langs...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
