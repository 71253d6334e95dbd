package rqlitetest

import "syscall"

// procAttr makes the nodes die with the process that started them (a
// test killed by its timeout leaves no node behind).
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
