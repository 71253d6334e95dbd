package main

import (
	"github.com/spf13/cobra"
)

func (a *app) demoCmd() *cobra.Command {
	return &cobra.Command{Use: "demo", Short: "Create a synthetic demo store and open the workbench on it", RunE: func(cmd *cobra.Command, _ []string) error {
		return usagef("demo: not built yet")
	}}
}
