//go:build !linux

package rqlitetest

import "syscall"

func procAttr() *syscall.SysProcAttr { return nil }
